// Build step (after tsc): precompiles metarepo's Ajv validators with Ajv's standalone mode into
// dist/src/generated/validators/*.cjs, so the CLI neither imports Ajv nor compiles schemas at start-up.
// The source of truth stays the schemas; src/generated/precompiled.ts falls back to compiling when absent.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => path.join(root, 'dist/src', p);
const { default: standaloneCode } = await import('ajv/dist/standalone/index.js');
const { createMetaAjv, metaValidatorName } = await import(dist('models/meta-schema.js'));
const { createWorkspaceAjv, WORKSPACE_VALIDATOR } = await import(dist('workspace/config.js'));
const { createPluginManifestAjv, PLUGIN_MANIFEST_VALIDATOR } = await import(dist('plugins/manifest.js'));
const { createTemplateManifestAjv, TEMPLATE_MANIFEST_VALIDATOR } = await import(dist('templates/manifest.js'));
const { eventValidatorBuilds } = await import(dist('events/validate.js'));

const outDir = dist('generated/validators');
fs.mkdirSync(outDir, { recursive: true });
const code = { source: true };
const builds = [
  [WORKSPACE_VALIDATOR, await createWorkspaceAjv({ code })],
  [PLUGIN_MANIFEST_VALIDATOR, await createPluginManifestAjv({ code })],
  [TEMPLATE_MANIFEST_VALIDATOR, await createTemplateManifestAjv({ code })],
];
for (const draft of ['draft-04', 'draft-06', 'draft-07', '2019-09', '2020-12']) builds.push([metaValidatorName(draft), createMetaAjv(draft, { code })]);
builds.push(...eventValidatorBuilds({ code }));
for (const [name, { ajv, schema }] of builds) {
  const validate = ajv.compile(schema);
  fs.writeFileSync(path.join(outDir, `${name}.cjs`), standaloneCode(ajv, validate));
}
