// Walks a model's top-level and definition properties: what both the check and the command report on.
import fs from 'node:fs';
import path from 'node:path';

/** Every property of every model version without a description: { model, file, pointer, property }. */
export function undescribedProperties(root, models) {
  const out = [];
  for (const m of models) {
    const schema = JSON.parse(fs.readFileSync(path.join(root, m.file), 'utf8'));
    const scopes = [['', schema], ...Object.entries(schema.definitions ?? schema.$defs ?? {}).map(([k, v]) => [`/${schema.definitions ? 'definitions' : '$defs'}/${k}`, v])];
    for (const [base, s] of scopes) {
      for (const [name, prop] of Object.entries(s?.properties ?? {})) {
        if (!prop || typeof prop !== 'object' || prop.description || prop.$ref) continue;
        out.push({ model: `${m.name}@${m.version}`, file: m.file, pointer: `${base}/properties/${name}`, property: name });
      }
    }
  }
  return out;
}

/** Model versions of a workspace from its `models/<name>/<version>.schema.json` files: { name, version, file }. */
export function modelFiles(root) {
  const dir = path.join(root, 'models');
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).flatMap((name) =>
    fs.statSync(path.join(dir, name)).isDirectory()
      ? fs.readdirSync(path.join(dir, name)).filter((f) => f.endsWith('.schema.json')).map((f) => ({ name, version: f.slice(0, -'.schema.json'.length), file: `models/${name}/${f}` }))
      : [],
  );
}
