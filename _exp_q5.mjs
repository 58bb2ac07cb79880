import { createCodegenPool } from './dist/src/engine/worker/pool.js';
const qt = { name: 'quicktype', module: new URL('./dist/plugins/codegen-quicktype/generate.js', import.meta.url).href };
const deep = (d) => { let s = { type: 'string' }; for (let i = 0; i < d; i++) s = { type: 'object', properties: { a: s } }; return s; };
const pool = createCodegenPool({ timeoutMs: 20000, stackSizeMb: Number(process.argv[2]), size: 1 });
for (const d of [300, 600, 1000, 1500]) {
  const t = Date.now();
  const r = await pool.run(qt, { model: { name: 'deep', version: '1.0.0', schema: deep(d) }, options: { lang: 'typescript' }, output: 'deep.ts' });
  console.log(d, Date.now() - t, r.ok ? 'ok' : r.reason);
}
const r = await pool.run(qt, { model: { name: 'deep', version: '1.0.0', schema: deep(5) }, options: { lang: 'go' }, output: 'deep.go' });
console.log('after', r.ok);
await pool.close();
