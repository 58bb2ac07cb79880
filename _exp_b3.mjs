import fs from 'node:fs';
import { createCodegenPool } from './dist/src/engine/worker/pool.js';
const meta = JSON.parse(fs.readFileSync('node_modules/ajv/dist/refs/json-schema-draft-07.json', 'utf8'));
const schemas = [
  meta,
  { type: 'object', required: ['id'], properties: { id: { type: 'string' }, age: { type: 'integer' }, tags: { type: 'array', items: { type: 'string' } }, address: { type: 'object', properties: { street: { type: 'string' }, zip: { type: 'string' } } } } },
  { definitions: { node: { type: 'object', properties: { value: { type: 'number' }, children: { type: 'array', items: { $ref: '#/definitions/node' } } } } }, $ref: '#/definitions/node' },
  { type: 'object', properties: { kind: { enum: ['a', 'b', 'c'] }, data: { oneOf: [{ type: 'string' }, { type: 'object', properties: { x: { type: 'number' } } }] }, when: { type: ['string', 'null'], format: 'date-time' } } },
];
const N = 200;
const inputs = Array.from({ length: N }, (_, i) => ({ model: { name: `model${i}`, version: '1.0.0', schema: schemas[i % schemas.length] }, options: {}, output: `out/m${i}.ts` }));
const mode = process.argv[2];
const t0 = performance.now(); const c0 = process.cpuUsage();
if (mode === 'inprocess') {
  const { compile } = await import('json-schema-to-typescript');
  for (const i of inputs) await compile(i.model.schema, i.model.name, { format: false, bannerComment: '' });
} else {
  const pool = createCodegenPool({ size: Number(process.argv[3]) });
  const gen = { name: 'typescript', module: new URL('./dist/plugins/codegen-typescript/generate.js', import.meta.url).href };
  const results = await Promise.all(inputs.map((i) => pool.run(gen, i)));
  if (!results.every((r) => r.ok)) throw new Error('failed');
  await pool.close();
}
const c = process.cpuUsage(c0);
console.log(mode, process.argv[3] ?? '', 'wall', (performance.now() - t0).toFixed(0), 'cpu', ((c.user + c.system) / 1000).toFixed(0));
