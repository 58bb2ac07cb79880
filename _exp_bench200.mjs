import path from 'node:path';
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { REPO, syntheticWorkspace, timeCli } from './bench/lib.mjs';
if (process.argv[2] === 'direct') {
  const schemas = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
  const t0 = process.hrtime.bigint();
  const { compile } = await import('json-schema-to-typescript');
  for (const s of schemas) await compile(s, s.title ?? 'Root', { format: false, bannerComment: '' });
  console.log(Number(process.hrtime.bigint() - t0) / 1e6);
  process.exit(0);
}
const ws = syntheticWorkspace(200);
const { ModelRegistry } = await import(pathToFileURL(path.join(REPO, 'dist/src/models/registry.js')).href);
const registry = await ModelRegistry.load(ws);
const schemas = registry.list().filter((m) => m.name !== 'common').map((m) => registry.bundle(m).schema);
const file = path.join(ws, 'schemas.json');
fs.writeFileSync(file, JSON.stringify(schemas));
for (let k = 0; k < Number(process.argv[2] ?? 3); k++) {
  fs.rmSync(path.join(ws, 'projects'), { recursive: true, force: true });
  fs.rmSync(path.join(ws, '.metarepo'), { recursive: true, force: true });
  const cold = timeCli(ws, ['generate']);
  const direct = Number(spawnSync(process.execPath, [process.argv[1], 'direct', file], { encoding: 'utf8' }).stdout);
  console.log('cold', cold.toFixed(0), 'direct', direct.toFixed(0), 'ratio', (cold / direct).toFixed(2), 'load', fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
}
