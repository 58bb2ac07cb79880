import { quicktype, quicktypeMultiFile, InputData, JSONSchemaInput, JSONSchemaStore } from 'quicktype-core';
import fs from 'node:fs';
class NoFetch extends JSONSchemaStore { async fetch(a) { throw new Error('no fetch ' + a); } }
const meta = JSON.parse(fs.readFileSync('node_modules/ajv/dist/refs/json-schema-draft-07.json','utf8'));
const which = process.argv[2];
let schema = meta;
if (which === 'meta2020') schema = JSON.parse(fs.readFileSync('node_modules/ajv/dist/refs/json-schema-2020-12/schema.json','utf8'));
const t0 = Date.now();
const input = new JSONSchemaInput(new NoFetch());
await input.addSource({ name: 'Meta', schema: JSON.stringify(schema) });
const inputData = new InputData(); inputData.addInput(input);
try {
const r = await quicktypeMultiFile({ inputData, lang: process.argv[3] ?? 'typescript' });
console.log([...r.keys()], Date.now()-t0);
} catch (e) { console.log('ERR', e.constructor.name, e.message.slice(0,200), Date.now()-t0); }
