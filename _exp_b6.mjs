import fs from 'node:fs';
import { createCodegenPool } from './dist/src/engine/worker/pool.js';
const schemas = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const mode = process.argv[3];
const t0 = performance.now(); const c0 = process.cpuUsage();
if (mode === 'direct') {
  const { compile } = await import('json-schema-to-typescript');
  for (const s of schemas) await compile(s, s.title ?? 'Root', { format: false, bannerComment: '' });
} else if (mode === 'generate') {
  const { generate } = await import('./dist/plugins/codegen-typescript/generate.js');
  for (const [i, s] of schemas.entries()) await generate({ model: { name: `m${i}`, version: '1.0.0', schema: s }, options: {}, output: `o${i}.ts` });
} else {
  const pool = createCodegenPool({ size: Number(mode) });
  const gen = { name: 'typescript', module: new URL('./dist/plugins/codegen-typescript/generate.js', import.meta.url).href };
  const rs = await Promise.all(schemas.map((s, i) => pool.run(gen, { model: { name: `m${i}`, version: '1.0.0', schema: s }, options: {}, output: `o${i}.ts` })));
  if (!rs.every((r) => r.ok)) throw new Error(JSON.stringify(rs.find((r) => !r.ok)));
  await pool.close();
}
const c = process.cpuUsage(c0);
console.log(mode.padEnd(8), 'wall', (performance.now() - t0).toFixed(0).padStart(5), 'cpu', ((c.user + c.system) / 1000).toFixed(0).padStart(5), 'load', fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
