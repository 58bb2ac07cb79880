import fs from 'node:fs';
const { compile } = await import('json-schema-to-typescript');
const schema = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
console.log(await compile(schema, 'Root', { format: false, bannerComment: '', $refOptions: { resolve: { external: false } } }));
