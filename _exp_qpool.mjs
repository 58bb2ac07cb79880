import { createCodegenPool } from './dist/src/engine/worker/pool.js';
import fs from 'node:fs';
const qt = { name: 'quicktype', module: new URL('./dist/plugins/codegen-quicktype/generate.js', import.meta.url).href };
const deep = (d) => { let s = { type: 'string' }; for (let i = 0; i < d; i++) s = { type: 'object', properties: { a: s } }; return s; };
for (const stackSizeMb of [4, 16]) {
  const pool = createCodegenPool({ timeoutMs: 20000, stackSizeMb, size: 1 });
  for (const d of [20, 50, 100, 200, 3000]) {
    const t = Date.now();
    const r = await pool.run(qt, { model: { name: 'deep', version: '1.0.0', schema: deep(d) }, options: { lang: 'typescript' }, output: 'deep.ts' });
    console.log(stackSizeMb, d, Date.now() - t, r.ok ? 'ok' : r.reason);
  }
  const meta = JSON.parse(fs.readFileSync('node_modules/ajv/dist/refs/json-schema-draft-07.json', 'utf8'));
  const r = await pool.run(qt, { model: { name: 'meta', version: '1.0.0', schema: meta }, options: { lang: 'java' }, output: 'gen/Meta.java' });
  console.log(r.ok ? r.files.map(f => f.path) : r.reason);
  await pool.close();
}
