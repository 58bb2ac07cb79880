import fs from 'node:fs';
import path from 'node:path';
import type { Ajv, AnySchemaObject, Options, ValidateFunction } from 'ajv';
import { MetarepoError } from '../core/errors.js';
import { loadPrecompiled } from '../generated/precompiled.js';
import type { WorkspaceConfig } from '../generated/workspace.js';
import { CONFIG_FILE, STATE_DIR } from '../core/layout.js';
import { sha256 } from '../core/hash.js';
import { writeFileAtomic } from '../core/atomic-write.js';
import { describeAjvError, loadDocument, type PositionedDocument } from '../core/document.js';
import { metaModelPath } from '../core/package-root.js';
import { TOOL_VERSION } from '../core/version.js';

export type { WorkspaceConfig };
export type TargetConfig = NonNullable<WorkspaceConfig['targets']>[number];
export type ProjectConfig = NonNullable<WorkspaceConfig['projects']>[number];

/** The workspace meta-model version that `metarepo init` writes and `loadConfig` validates against. */
export const WORKSPACE_SCHEMA_VERSION = '1.1.0';

/**
 * Reads and validates `metarepo.yaml` against `meta-models/workspace/<version>.schema.json` with ajv.
 * @param root - absolute workspace root.
 * @returns the config with defaults applied, the parsed document (to locate values for later errors), and the
 *   SHA-256 of the file's text (what caches keyed by the configuration compare).
 * @throws MetarepoError (exit 2) for a YAML syntax error, an alias that names no anchor, repeats its own anchor or
 *   expands beyond the yaml package's alias limit (an alias bomb; see `loadDocument`), or a schema violation, naming
 *   file, line, column, what was expected, and listing every violation in `details`.
 */
export async function loadConfig(root: string): Promise<{ config: WorkspaceConfig; document: PositionedDocument; textHash: string }> {
  const file = path.join(root, CONFIG_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new MetarepoError(`Cannot read ${CONFIG_FILE} in ${root}.`, { hint: 'Run `metarepo init` to create it.' });
  }
  const textHash = sha256(text);
  const cached = readCachedValue(root, textHash);
  const doc = loadDocument(text, CONFIG_FILE, 'yaml', cached);
  if (cached?.validated) return { config: doc.value as WorkspaceConfig, document: doc, textHash };
  const raw = cached ? undefined : JSON.stringify(doc.value); // before validation fills in defaults
  const validate = await compileWorkspaceValidator();
  const value = doc.value ?? {};
  if (!validate(value)) {
    if (raw !== undefined) writeCachedValue(root, { hash: textHash, value: JSON.parse(raw) });
    const errors = validate.errors ?? [];
    const described = errors.map((e) => describeAjvError(e, doc));
    const first = described[0];
    throw new MetarepoError(`${CONFIG_FILE} is not a valid workspace configuration: ${first.message}.`, {
      location: first.location,
      hint: `See the workspace meta-model (${path.relative(root, metaModelPath('workspace', WORKSPACE_SCHEMA_VERSION)) || metaModelPath('workspace', WORKSPACE_SCHEMA_VERSION)}); editors validate metarepo.yaml through its yaml-language-server modeline.`,
      details: described.map((d) => `${d.location.file}:${d.location.line}:${d.location.column}: ${d.message}`),
    });
  }
  writeCachedValue(root, { hash: textHash, validator: validatorStamp(), value });
  return { config: value as WorkspaceConfig, document: doc, textHash };
}

/** Name of the precompiled workspace validator (see `scripts/build-validators.mjs`). */
export const WORKSPACE_VALIDATOR = `workspace-${WORKSPACE_SCHEMA_VERSION}`;

async function compileWorkspaceValidator(): Promise<ValidateFunction> {
  const precompiled = loadPrecompiled(WORKSPACE_VALIDATOR);
  if (precompiled) return precompiled;
  const { ajv, schema } = await createWorkspaceAjv();
  return ajv.compile(schema);
}

/** The Ajv instance and schema that validate metarepo.yaml; `extra` is used at build time to precompile. */
export async function createWorkspaceAjv(extra: Options = {}): Promise<{ ajv: Ajv; schema: AnySchemaObject }> {
  const { default: Ajv } = await import('ajv');
  const schema = JSON.parse(fs.readFileSync(metaModelPath('workspace', WORKSPACE_SCHEMA_VERSION), 'utf8'));
  return { ajv: new Ajv.default({ ...extra, allErrors: true, useDefaults: true, strict: false }), schema };
}

// metarepo.yaml parsed to JSON, keyed by the hash of its text: the yaml parser takes ~0.5 ms per target, JSON.parse
// a fraction of that. Positions are still computed from the text itself, when an error needs them.
// A valid config is cached as validated (defaults applied) together with the identity of the validator that passed
// it — metarepo's version and the size and time of the workspace meta-model file — so a run with the same text and
// the same validator skips validation too (about 1 µs per target, and loading the validator): the same text always
// gets the same verdict from the same schema. A new text, or another metarepo or schema, validates again.
const CACHE_FILE = path.join(STATE_DIR, 'cache', 'config.json');

interface CachedConfig {
  hash: string;
  /** Set when `value` passed this validator (see {@link validatorStamp}); `value` then has the defaults applied. */
  validator?: string;
  value: unknown;
}

function readCachedValue(root: string, hash: string): { value: unknown; validated: boolean } | undefined {
  try {
    const cached = JSON.parse(fs.readFileSync(path.join(root, CACHE_FILE), 'utf8')) as CachedConfig;
    if (cached.hash !== hash) return undefined;
    return { value: cached.value, validated: cached.validator !== undefined && cached.validator === validatorStamp() };
  } catch {
    return undefined;
  }
}

function writeCachedValue(root: string, entry: CachedConfig): void {
  if (!fs.existsSync(path.join(root, STATE_DIR))) return;
  try {
    writeFileAtomic(path.join(root, CACHE_FILE), JSON.stringify(entry));
  } catch {
    // A cache that cannot be written only costs speed.
  }
}

let stamp: string | undefined;
/** Who validated: metarepo's version, the precompiled validator's name, and the meta-model file's size and time. */
function validatorStamp(): string {
  if (stamp === undefined) {
    let file = '';
    try {
      const st = fs.statSync(metaModelPath('workspace', WORKSPACE_SCHEMA_VERSION));
      file = `${st.size}:${st.mtimeMs}`;
    } catch {
      // no meta-model file: the stamp still names the version
    }
    stamp = `${TOOL_VERSION}:${WORKSPACE_VALIDATOR}:${file}`;
  }
  return stamp;
}
