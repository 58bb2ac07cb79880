import { createCodegenPool } from './dist/src/engine/worker/pool.js';
const fx = (n) => new URL(`./tests/unit/codegen/fixtures/${n}.mjs`, import.meta.url).href;
const input = { model: { name: 'user', version: '1.0.0', schema: {} }, options: {}, output: 'out.txt' };
const pool = createCodegenPool({ timeoutMs: 2000, maxOldGenerationSizeMb: 32 });
for (const n of ['ok', 'throws', 'hangs', 'oom', 'recurses', 'bad-result', 'exits', 'ok', 'missing']) {
  const t = Date.now();
  const r = await pool.run({ name: n, module: fx(n) }, input);
  console.log(n, Date.now() - t, JSON.stringify(r));
}
console.log(await pool.run({ name: 'x', module: fx('ok'), exportName: 'shout' }, input));
console.log(await pool.run({ name: 'x', module: fx('ok'), exportName: 'nope' }, input));
await pool.close();
