import { createRequire } from 'node:module';
import type { AnySchemaObject, Ajv, ErrorObject, Options, ValidateFunction } from 'ajv';
import { loadPrecompiled } from '../generated/precompiled.js';

/** JSON Schema drafts a model may be written in. */
export type Draft = 'draft-04' | 'draft-06' | 'draft-07' | '2019-09' | '2020-12';

/** The draft assumed when a model has no `$schema`. */
export const DEFAULT_DRAFT: Draft = 'draft-07';

/** `$schema` URIs of the supported drafts, as the hint for an unsupported one shows them. */
export const SUPPORTED_SCHEMA_URIS: Record<Draft, string> = {
  'draft-04': 'http://json-schema.org/draft-04/schema#',
  'draft-06': 'http://json-schema.org/draft-06/schema#',
  'draft-07': 'http://json-schema.org/draft-07/schema#',
  '2019-09': 'https://json-schema.org/draft/2019-09/schema',
  '2020-12': 'https://json-schema.org/draft/2020-12/schema',
};

/**
 * The draft named by a schema's `$schema` (http or https, with or without the trailing `#`). Without `$schema`:
 * draft-04 when the document has draft-04's `id` (a string) and no `$id`, as draft-04 documents commonly do, else
 * {@link DEFAULT_DRAFT}. `undefined` for any other `$schema` (an unsupported draft).
 */
export function detectDraft(schema: Record<string, unknown>): Draft | undefined {
  const uri = schema.$schema;
  if (uri === undefined) return typeof schema.id === 'string' && schema.$id === undefined ? 'draft-04' : DEFAULT_DRAFT;
  if (typeof uri !== 'string') return undefined;
  const key = uri.replace(/^https?:\/\//, '').replace(/#$/, '');
  return (Object.keys(SUPPORTED_SCHEMA_URIS) as Draft[]).find(
    (d) => SUPPORTED_SCHEMA_URIS[d].replace(/^https?:\/\//, '').replace(/#$/, '') === key,
  );
}

/** One violation of the meta-schema: where in the model (a JSON pointer) and what was expected. */
export interface MetaSchemaProblem {
  /** JSON pointer of the offending keyword inside the model, `''` for the root. */
  pointer: string;
  /** Ajv's message with the keyword path, e.g. `/properties/name/type must be equal to one of ...`. */
  message: string;
}

/**
 * The official meta-schema documents of each draft, as the ajv packages ship them (module specifiers): the main
 * meta-schema first, then the vocabulary meta-schemas it references (2019-09 and 2020-12).
 */
export const META_SCHEMA_FILES: Record<Draft, string[]> = {
  'draft-04': ['ajv-draft-04/dist/refs/json-schema-draft-04.json'],
  'draft-06': ['ajv/dist/refs/json-schema-draft-06.json'],
  'draft-07': ['ajv/dist/refs/json-schema-draft-07.json'],
  '2019-09': ['schema', ...['applicator', 'content', 'core', 'format', 'meta-data', 'validation'].map((v) => `meta/${v}`)].map(
    (f) => `ajv/dist/refs/json-schema-2019-09/${f}.json`,
  ),
  '2020-12': ['schema', ...['applicator', 'unevaluated', 'content', 'core', 'format-annotation', 'meta-data', 'validation'].map((v) => `meta/${v}`)].map(
    (f) => `ajv/dist/refs/json-schema-2020-12/${f}.json`,
  ),
};

const validators = new Map<Draft, ValidateFunction>();
// Ajv and its drafts are CommonJS: `require` loads each lazily and synchronously, only when a model
// of that draft exists, so callers stay synchronous.
const require = createRequire(import.meta.url);

/**
 * Checks a schema against its draft's meta-schema with Ajv, plus the `regex` format of ajv-formats
 * so `pattern` and `patternProperties` keys must be valid regular expressions. Unknown keywords are
 * allowed; wrong values of known keywords (`"type": "strin"`, `"required": "x"`) are problems.
 * The meta-schema validator of each draft is compiled once per process, on first use.
 * @returns the problems, most specific first per location; empty when the schema is valid.
 */
export function checkMetaSchema(schema: unknown, draft: Draft): MetaSchemaProblem[] {
  let validate = validators.get(draft);
  if (!validate) {
    validate = compileMetaValidator(draft);
    validators.set(draft, validate);
  }
  if (validate(schema)) return [];
  return summarise(validate.errors ?? []);
}

/**
 * Compiles a draft's meta-schema as an ordinary schema: Ajv compiles the meta-schemas it registers
 * itself with format validation off, which would let `"pattern": "([a-z"` through.
 */
function compileMetaValidator(draft: Draft): ValidateFunction {
  const precompiled = loadPrecompiled(metaValidatorName(draft));
  if (precompiled) return precompiled;
  const { ajv, schema } = createMetaAjv(draft);
  return ajv.compile(schema);
}

/** File name of a draft's precompiled meta-schema validator. */
export function metaValidatorName(draft: Draft): string {
  return `meta-${draft}`;
}

/**
 * The Ajv instance (meta-schema parts added) and main meta-schema that check models of a draft.
 * Also used at build time, with `extra.code.source`, to precompile the validators.
 */
export function createMetaAjv(draft: Draft, extra: Options = {}): { ajv: Ajv; schema: AnySchemaObject } {
  const options: Options = {
    ...extra,
    strict: false,
    allErrors: true,
    meta: false,
    validateSchema: false,
    logger: false,
    // URIs are left to the bundler, which names what it cannot resolve; tools commonly emit refs
    // such as "#/definitions/Record<string,any>" that strict RFC 3986 would reject.
    formats: { uri: true, 'uri-reference': true },
  };
  let ajv: Ajv;
  let metaSchemas: string[];
  if (draft === '2020-12') {
    const { Ajv2020 } = require('ajv/dist/2020') as typeof import('ajv/dist/2020.js');
    ajv = new Ajv2020(options);
    metaSchemas = META_SCHEMA_FILES['2020-12'];
  } else if (draft === '2019-09') {
    const { Ajv2019 } = require('ajv/dist/2019') as typeof import('ajv/dist/2019.js');
    ajv = new Ajv2019(options);
    metaSchemas = META_SCHEMA_FILES['2019-09'];
  } else if (draft === 'draft-04') {
    const AjvDraft04 = require('ajv-draft-04') as typeof import('ajv-draft-04').default;
    ajv = new AjvDraft04(options);
    metaSchemas = META_SCHEMA_FILES['draft-04'];
  } else {
    const { Ajv: AjvDraft07 } = require('ajv') as typeof import('ajv');
    ajv = new AjvDraft07(options);
    metaSchemas = META_SCHEMA_FILES[draft];
  }
  const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;
  addFormats(ajv, ['regex']);
  const [main, ...parts] = metaSchemas.map((m) => require(m) as AnySchemaObject);
  for (const part of parts) ajv.addSchema(part);
  return { ajv, schema: main! };
}

/**
 * Reduces Ajv's error list to one problem per location: the first error reported there (Ajv reports
 * the specific failure of an `anyOf` branch before the summary), and none for a location that has
 * a more specific problem beneath it.
 */
function summarise(errors: ErrorObject[]): MetaSchemaProblem[] {
  const first = new Map<string, ErrorObject>();
  for (const e of errors) if (!first.has(e.instancePath)) first.set(e.instancePath, e);
  const paths = [...first.keys()];
  return paths
    .filter((p) => !paths.some((q) => q !== p && q.startsWith(p + '/')))
    .map((p) => {
      const e = first.get(p)!;
      const allowed = Array.isArray(e.params.allowedValues) ? `: ${e.params.allowedValues.join(', ')}` : '';
      return { pointer: p, message: `${p || '(root)'} ${e.message ?? 'is invalid'}${allowed}` };
    });
}
