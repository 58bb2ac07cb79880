import fs from 'node:fs';
import path from 'node:path';
import { MetarepoError } from '../core/errors.js';
import { joinPointer } from '../core/pointer.js';
import type { PositionedDocument } from '../core/document.js';
import type { PluginManifest } from './manifest.js';

/**
 * Validates a plugin's configuration (`metarepo.yaml` `plugins.<name>.config`) against its manifest's
 * `configSchema` with ajv (imported only when the plugin has a schema), applying the schema's defaults.
 * A missing config is validated as `{}`, so a schema with required properties reports them.
 * @param opts.document - the parsed `metarepo.yaml`, to locate errors; without it (outside a workspace) errors
 *   point at the start of `metarepo.yaml`.
 * @returns a copy of the config with defaults filled in (the config itself, or `{}`, when there is no schema).
 * @throws MetarepoError (exit 2) naming the plugin, with metarepo.yaml line and column of the first violation
 *   and every violation in `details`; or, naming the plugin's package.json, when `configSchema` does not compile.
 */
export async function validatePluginConfig(opts: {
  manifest: PluginManifest;
  config: Record<string, unknown> | undefined;
  document?: PositionedDocument;
}): Promise<Record<string, unknown>> {
  const { manifest } = opts;
  if (!manifest.configSchema) return opts.config ?? {};
  const [{ default: Ajv }, { default: addFormats }, { describeAjvError, loadDocument }] = await Promise.all([
    import('ajv'),
    import('ajv-formats'),
    import('../core/document.js'),
  ]);
  const ajv = new Ajv.default({ allErrors: true, strict: false, useDefaults: true });
  addFormats.default(ajv);
  let validate;
  try {
    validate = ajv.compile(manifest.configSchema);
  } catch (e) {
    const file = path.join(manifest.dir, 'package.json');
    const location = loadDocument(fs.readFileSync(file, 'utf8'), file, 'json').locate('/metarepo/configSchema');
    throw new MetarepoError(`Plugin ${manifest.name} has an invalid configSchema: ${(e as Error).message}.`, {
      location,
      hint: 'Fix the JSON Schema in the metarepo.configSchema field of the plugin\'s package.json (draft-07).',
    });
  }
  const config = structuredClone(opts.config ?? {});
  if (validate(config)) return config;
  const doc = opts.document ?? loadDocument('', 'metarepo.yaml', 'yaml');
  const prefix = joinPointer('/plugins', manifest.name, 'config');
  const problems = (validate.errors ?? []).map((e) => describeAjvError({ ...e, instancePath: prefix + e.instancePath }, doc));
  throw new MetarepoError(`Plugin ${manifest.name}: invalid configuration in metarepo.yaml: ${problems[0].message}.`, {
    location: problems[0].location,
    hint: `The plugin's configSchema is in ${path.join(manifest.dir, 'package.json')} (metarepo.configSchema).`,
    details: problems.map((p) => `${p.location.file}:${p.location.line}:${p.location.column}: ${p.message}`),
  });
}
