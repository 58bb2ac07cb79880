import fs from 'node:fs';
const t0 = performance.now();
const { compile } = await import('json-schema-to-typescript');
const t1 = performance.now();
const schema = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
delete schema.$schema;
for (const format of [false, true, false, true]) {
  const s = performance.now();
  const out = await compile(schema, 'Root', { format, bannerComment: '', $refOptions: { resolve: { external: false } } });
  console.log('format', format, (performance.now()-s).toFixed(1), 'ms', out.length, 'chars');
}
console.log('import', (t1-t0).toFixed(1));
