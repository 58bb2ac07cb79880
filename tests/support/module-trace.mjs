// Preloaded by tests with `node --import` (see tests/e2e/loaded-modules.test.ts): records every module the process
// loads into the file named by MODULE_TRACE, one URL (ES module, through a load hook) or path (CommonJS, from
// require's cache at exit) a line, so a test can assert what a command did not load.
import fs from 'node:fs';
import { createRequire, register } from 'node:module';

const file = process.env.MODULE_TRACE;
if (file) {
  register(new URL('./module-trace-hooks.mjs', import.meta.url), { data: { file } });
  const cache = createRequire(import.meta.url).cache;
  process.on('exit', () => fs.appendFileSync(file, Object.keys(cache).map((p) => `${p}\n`).join('')));
}
