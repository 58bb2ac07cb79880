import fs from 'node:fs';
const meta = JSON.parse(fs.readFileSync('node_modules/ajv/dist/refs/json-schema-draft-07.json', 'utf8'));
const schemas = [
  meta,
  { type: 'object', required: ['id'], properties: { id: { type: 'string' }, age: { type: 'integer' }, tags: { type: 'array', items: { type: 'string' } }, address: { type: 'object', properties: { street: { type: 'string' }, zip: { type: 'string' } } } } },
  { definitions: { node: { type: 'object', properties: { value: { type: 'number' }, children: { type: 'array', items: { $ref: '#/definitions/node' } } } } }, $ref: '#/definitions/node' },
  { type: 'object', properties: { kind: { enum: ['a', 'b', 'c'] }, data: { oneOf: [{ type: 'string' }, { type: 'object', properties: { x: { type: 'number' } } }] }, when: { type: ['string', 'null'], format: 'date-time' } } },
];
const inputs = Array.from({ length: 200 }, (_, i) => ({ model: { name: `model${i}`, version: '1.0.0', schema: schemas[i % schemas.length] }, options: {}, output: `out/m${i}.ts` }));
const c0 = process.cpuUsage();
if (process.argv[2] === 'jstt') { const { compile } = await import('json-schema-to-typescript'); for (const i of inputs) await compile(i.model.schema, i.model.name, { format: false, bannerComment: '' }); }
if (process.argv[2] === 'jsttopts') { const { compile } = await import('json-schema-to-typescript'); for (const i of inputs) await compile(i.model.schema, i.model.name, { format: false, bannerComment: '', $refOptions: { resolve: { external: false } } }); }
if (process.argv[2] === 'generate') { const { generate } = await import('./dist/plugins/codegen-typescript/generate.js'); for (const i of inputs) await generate(i); }
if (process.argv[2] === 'generatejson') { const { generate } = await import('./dist/plugins/codegen-typescript/generate.js'); for (const i of inputs) await generate(JSON.parse(JSON.stringify(i))); }
const c = process.cpuUsage(c0);
console.log(process.argv[2], ((c.user + c.system) / 1000).toFixed(0));
