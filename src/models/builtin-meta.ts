import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { META_SCHEMA_FILES, detectDraft, type Draft } from './meta-schema.js';
import type { ModelRecord } from './types.js';

const require = createRequire(import.meta.url);

/**
 * The official meta-schema documents as model records, so a model's `$ref` to a meta-schema
 * (`"http://json-schema.org/draft-07/schema#"`, `"https://json-schema.org/draft/2020-12/schema"`, …) resolves offline,
 * from the copies the ajv packages ship, without adding them as models. Records are named `json-schema-<draft>`
 * (with `-<vocabulary>` for the vocabulary meta-schemas of 2019-09 and 2020-12) at version `0.0.0`; their `relFile`
 * is the package path. Workspace models win: the schema index consults these only for a URI no model declares.
 */
export function builtinMetaSchemaFor(uri: string): ModelRecord[] | undefined {
  const draft = draftsByUri().get(comparable(uri));
  if (!draft) return undefined;
  let records = loaded.get(draft);
  if (!records) {
    records = META_SCHEMA_FILES[draft].map((specifier) => recordOf(draft, specifier));
    loaded.set(draft, records);
  }
  return records;
}

const loaded = new Map<Draft, ModelRecord[]>();

let byUri: Map<string, Draft> | undefined;

/**
 * The `$id` of every meta-schema document (main and vocabularies) → its draft, compared without scheme and trailing
 * `#`. Read on first use only: a workspace whose references all resolve never reads the files.
 */
function draftsByUri(): Map<string, Draft> {
  byUri ??= new Map(
    (Object.entries(META_SCHEMA_FILES) as Array<[Draft, string[]]>).flatMap(([draft, files]) =>
      files.map((f): [string, Draft] => [comparable(idOf(readJson(f))), draft]),
    ),
  );
  return byUri;
}

function recordOf(draft: Draft, specifier: string): ModelRecord {
  const file = require.resolve(specifier);
  const text = readFileSync(file, 'utf8');
  const schema = JSON.parse(text) as Record<string, unknown>;
  const vocabulary = /\/meta\/([a-z-]+)\.json$/.exec(specifier)?.[1];
  return {
    name: `json-schema-${draft}${vocabulary ? `-${vocabulary}` : ''}`,
    version: '0.0.0',
    file,
    relFile: specifier,
    schema,
    id: idOf(schema),
    draft: detectDraft(schema) ?? draft,
    text,
  };
}

function readJson(specifier: string): Record<string, unknown> {
  return JSON.parse(readFileSync(require.resolve(specifier), 'utf8')) as Record<string, unknown>;
}

function idOf(schema: Record<string, unknown>): string {
  return String(schema.$id ?? schema.id);
}

/** A URI as meta-schema URIs are compared: `http` and `https` alike, without a trailing `#`. */
function comparable(uri: string): string {
  return uri.replace(/^https?:\/\//, '').replace(/#$/, '');
}
