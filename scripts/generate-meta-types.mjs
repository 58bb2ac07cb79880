// Regenerates src/generated/*.ts from meta-models/ (metarepo's own schemas) with json-schema-to-typescript.
// Run after editing a meta-model: `node scripts/generate-meta-types.mjs`. CI checks the output is current.
import fs from 'node:fs';
import path from 'node:path';
import { compile } from 'json-schema-to-typescript';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const models = [
  { schema: 'meta-models/workspace/1.1.0.schema.json', out: 'src/generated/workspace.ts', name: 'WorkspaceConfig' },
  { schema: 'meta-models/template/1.0.0.schema.json', out: 'src/generated/template.ts', name: 'TemplateManifestFile' },
];
const check = process.argv.includes('--check');
let stale = 0;
for (const m of models) {
  const schema = JSON.parse(fs.readFileSync(path.join(root, m.schema), 'utf8'));
  const ts = await compile({ ...schema, title: m.name }, m.name, {
    bannerComment: `/* Generated from ${m.schema} by scripts/generate-meta-types.mjs. Do not edit by hand. */`,
    additionalProperties: false,
    unknownAny: true,
    format: true,
  });
  const file = path.join(root, m.out);
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  if (current === ts) continue;
  stale++;
  if (check) console.error(`stale: ${m.out}`);
  else fs.writeFileSync(file, ts);
}
if (check && stale) process.exit(1);
