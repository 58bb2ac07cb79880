import { generate } from './dist/plugins/codegen-typescript/generate.js';
import fs from 'node:fs';
const meta = JSON.parse(fs.readFileSync('node_modules/ajv/dist/refs/json-schema-draft-07.json','utf8'));
const model = (schema) => ({ model: { name: 'root', version: '1.0.0', schema }, options: {}, output: 'out.ts' });
const s = { type:'object', properties: { a: {}, t: { type:'array', items:[{type:'string'}] }, p: { type:'object', patternProperties: {'^x': {type:'number'}} }, n: { type: ['string','null'] }, o: { oneOf: [{type:'string'}, {type:'object', properties: { q: { type:'object', properties: { "we{ird": { const: "a}" } } } } }] } } };
console.log((await generate(model(s)))[0].content);
console.log((await generate(model(meta)))[0].content.slice(0, 1500));
console.log((await generate(model(true)))[0].content);
