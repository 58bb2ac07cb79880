import { quicktype, InputData, JSONSchemaInput, JSONSchemaStore } from 'quicktype-core';
class NoFetch extends JSONSchemaStore { async fetch(a) { throw new Error('no fetch ' + a); } }
const depth = Number(process.argv[2]);
let s = { type: 'string' };
for (let i = 0; i < depth; i++) s = { type: 'object', properties: { a: s } };
const t0 = Date.now();
const input = new JSONSchemaInput(new NoFetch());
try {
await input.addSource({ name: 'Deep', schema: JSON.stringify(s) });
const inputData = new InputData(); inputData.addInput(input);
const r = await quicktype({ inputData, lang: 'typescript' });
console.log('ok', r.lines.length, Date.now()-t0);
} catch (e) { console.log('ERR', e.constructor.name, e.message.slice(0,200), Date.now()-t0); }
