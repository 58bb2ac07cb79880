/**
 * Limits on models. Nesting depth (below) is checked for every model document before any recursive walk sees it
 * (the meta-schema check with ajv, the registry's index, normalisation and bundling, the diff,
 * json-schema-to-typescript and quicktype in the codegen workers). Every one of those walks recurses once per
 * nesting level; a model nested thousands of levels deep overflowed the stack ("Maximum call stack size exceeded")
 * in them, and about 1,000 levels crashed the YAML parser that finds line numbers. With nesting bounded here, each
 * walk stays below its stack limit. Size is checked when a target is planned (see {@link assertCodegenSize}): code
 * generation slows down with the size of a model.
 */
import { MetarepoError } from '../core/errors.js';
import type { TextPosition } from '../core/json-positions.js';
import { escapeSegment } from '../core/pointer.js';
import type { ModelRecord } from './types.js';

/**
 * Deepest nesting of JSON objects and arrays a model document may have, counting every container (the root object
 * is level 1; a property's schema under `properties` is level 3). Data counts too: a `default` or `examples` value
 * nests like any other value. Real schemas stay below 50 levels. Every walk of metarepo and of the codegen libraries
 * was tested at this depth (tests/unit/models/deep-*.test.ts); the first to fail, around 900 levels, is the YAML
 * parser behind line numbers.
 */
export const MAX_MODEL_DEPTH = 512;

/**
 * Deepest nesting a *bundled* schema of models within {@link MAX_MODEL_DEPTH} can have: a bundle moves each model it
 * references under `definitions/<name>`, two levels below the root. Walks over bundles are checked against this.
 */
export const MAX_BUNDLED_DEPTH = MAX_MODEL_DEPTH + 2;

/** Where a document first nests deeper than a limit. */
export interface DepthExcess {
  /** JSON pointer (RFC 6901) of the first object or array beyond the limit, in document order. */
  pointer: string;
  /** Line and column (1-based) of its opening bracket, when the text was given. */
  position?: TextPosition;
}

/**
 * Whether `value` nests objects and arrays deeper than `limit` levels. The walk itself recurses at most `limit + 1`
 * frames deep, so it is safe on any input.
 * @param limit - maximum nesting (default {@link MAX_MODEL_DEPTH}); the root container is level 1.
 * @returns the JSON pointer of one container beyond the limit, or `undefined` when `value` is within it.
 */
export function findTooDeep(value: unknown, limit: number = MAX_MODEL_DEPTH): string | undefined {
  const segments: string[] = [];
  if (!tooDeep(value, 1, limit, segments)) return undefined;
  return segments.reverse().map((s) => `/${escapeSegment(s)}`).join('');
}

function tooDeep(node: unknown, depth: number, limit: number, path: string[]): boolean {
  if (node === null || typeof node !== 'object') return false;
  if (depth > limit) return true;
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      if (tooDeep(node[i], depth + 1, limit, path)) {
        path.push(String(i));
        return true;
      }
    }
    return false;
  }
  for (const key in node) {
    if (tooDeep((node as Record<string, unknown>)[key], depth + 1, limit, path)) {
      path.push(key);
      return true;
    }
  }
  return false;
}

/**
 * Whether JSON text nests objects and arrays deeper than `limit` levels: a single pass over the characters (brackets
 * inside strings do not count), without recursion and without parsing, so it is safe and cheap on text of any depth
 * or size (about 2 ms per MB). Invalid JSON is scanned the same way.
 */
export function isTextTooDeep(text: string, limit: number = MAX_MODEL_DEPTH): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      i = closingQuote(text, i);
      if (i < 0) return false;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return false;
}

/** Index of the quote that closes the string opening at `open`, or -1 when it is not closed. */
function closingQuote(text: string, open: number): number {
  let i = text.indexOf('"', open + 1);
  while (i > 0) {
    let backslashes = 0;
    for (let k = i - 1; text.charCodeAt(k) === 0x5c; k--) backslashes++;
    if (backslashes % 2 === 0) return i;
    i = text.indexOf('"', i + 1);
  }
  return -1;
}

/**
 * Scans JSON text for the first object or array (in text order) that opens deeper than `limit` levels, without
 * recursion and without building the value, so it works on text of any depth. Assumes `text` is valid JSON (call it
 * after {@link isTextTooDeep} said so); invalid JSON gives a best-effort answer. A leading byte-order mark is skipped.
 * @returns its JSON pointer and 1-based line and column, or `undefined` when the text stays within the limit.
 */
export function findTooDeepInText(text: string, limit: number = MAX_MODEL_DEPTH): DepthExcess | undefined {
  // One entry per open container: the key or index of the member being read in it (undefined before the first).
  const keys: Array<string | number | undefined> = [];
  const inArray: boolean[] = [];
  let pendingKey: string | undefined;
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let lineStart = start;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) {
      line++;
      lineStart = i + 1;
    } else if (c === 0x22) {
      // A string: a key when the next significant character is ':' inside an object.
      const j = closingQuote(text, i);
      if (j < 0) return undefined;
      if (inArray.length > 0 && inArray[inArray.length - 1]) {
        nameMember(keys, inArray, undefined); // a string item of an array
      } else if (inArray.length > 0) {
        let k = j + 1;
        while (k < text.length && /\s/.test(text[k]!)) k++;
        if (text[k] === ':') pendingKey = unquote(text.slice(i, j + 1));
      }
      i = j;
    } else if (c === 0x7b || c === 0x5b) {
      // '{' or '[': the member it is the value of gets its key or index.
      if (inArray.length > 0) nameMember(keys, inArray, pendingKey);
      pendingKey = undefined;
      if (inArray.length + 1 > limit) {
        const pointer = keys.map((k) => `/${escapeSegment(String(k))}`).join('');
        return { pointer, position: { line, column: i - lineStart + 1 } };
      }
      keys.push(undefined);
      inArray.push(c === 0x5b);
    } else if (c === 0x7d || c === 0x5d) {
      keys.pop();
      inArray.pop();
      pendingKey = undefined;
    } else if (c === 0x2c) {
      pendingKey = undefined;
    } else if (c !== 0x3a && c !== 0x20 && c !== 0x09 && c !== 0x0d && inArray.length > 0 && inArray[inArray.length - 1]) {
      // The first character of a scalar array item: count the item.
      nameMember(keys, inArray, undefined);
      while (i + 1 < text.length && !/[,\]\s]/.test(text[i + 1]!)) i++;
    }
  }
  return undefined;
}

/** The value of a JSON string literal; the literal itself when it is malformed (the text may be invalid JSON). */
function unquote(literal: string): string {
  try {
    return JSON.parse(literal) as string;
  } catch {
    return literal.slice(1, -1);
  }
}

/** Records the member that starts now in the innermost container: its key, or the next array index. */
function nameMember(keys: Array<string | number | undefined>, inArray: boolean[], key: string | undefined): void {
  const top = keys.length - 1;
  if (inArray[top]) keys[top] = keys[top] === undefined ? 0 : (keys[top] as number) + 1;
  else keys[top] = key;
}

/**
 * A JSON pointer shortened for a message: at most the first and last `keep` segments, with the number of segments
 * left out between them (`/properties/a/properties/b/…(500 more)…/items/items`).
 */
export function abbreviatePointer(pointer: string, keep = 4): string {
  const segments = pointer.split('/').slice(1);
  if (segments.length <= keep * 2 + 1) return pointer;
  const head = segments.slice(0, keep).join('/');
  const tail = segments.slice(-keep).join('/');
  return `/${head}/…(${segments.length - keep * 2} more)…/${tail}`;
}

/**
 * Refuses a schema that nests deeper than `limit`, for functions that walk schemas handed to them directly rather
 * than loaded by the registry (which checks every model file when it loads). Costs one bounded walk.
 * @param label - how the message names the schema, e.g. `The old schema`.
 * @param limit - default {@link MAX_BUNDLED_DEPTH}: such functions take bundles.
 * @throws MetarepoError (exit 2) naming the JSON pointer where the limit is crossed.
 */
export function assertDepthWithinLimit(schema: unknown, label: string, limit: number = MAX_BUNDLED_DEPTH): void {
  const pointer = findTooDeep(schema, limit);
  if (pointer === undefined) return;
  throw new MetarepoError(`${label} nests objects and arrays deeper than ${limit} levels (at ${abbreviatePointer(pointer)}).`, {
    hint: DEPTH_HINT,
  });
}

/** How to get a model under the depth limit. */
export const DEPTH_HINT = `metarepo reads models up to ${MAX_MODEL_DEPTH} levels of nested objects and arrays (real schemas stay below 50). Move deeply nested subschemas into "definitions" and refer to them with "$ref": a reference does not add nesting.`;

/**
 * Default size limit of code generation, in MiB: the largest model, counted with the models it references (the
 * bytes of their files), that `metarepo generate` renders. Measured with bench/big-model.mjs on a 2-core machine
 * (shared with other work): 45,000 properties, 19.8 MB, take 12-13 s of CPU time with the `typescript` generator
 * (json-schema-to-typescript, about 80% of it) and a peak RSS under 0.5 GB; 110,000 properties, 48 MB, take ~25 s
 * and ~1 GB. quicktype is much slower on wide objects (its naming is quadratic in the properties of one object).
 */
export const DEFAULT_MAX_CODEGEN_MB = 20;

/** Environment variable that overrides {@link DEFAULT_MAX_CODEGEN_MB} (a positive number of MiB). */
export const MAX_CODEGEN_MB_ENV = 'METAREPO_MAX_MODEL_MB';

const MIB = 2 ** 20;

/**
 * The code generation size limit in bytes: `METAREPO_MAX_MODEL_MB` (MiB) when set, else {@link DEFAULT_MAX_CODEGEN_MB}.
 * @param env - the environment to read (default `process.env`).
 * @throws MetarepoError (exit 2) when the variable is set to anything but a positive number.
 */
export function maxCodegenBytes(env: Record<string, string | undefined> = process.env): number {
  const raw = env[MAX_CODEGEN_MB_ENV]?.trim();
  if (raw === undefined || raw === '') return DEFAULT_MAX_CODEGEN_MB * MIB;
  const mb = Number(raw);
  if (!Number.isFinite(mb) || mb <= 0) {
    throw new MetarepoError(`${MAX_CODEGEN_MB_ENV} must be a positive number of megabytes, not "${raw}".`, {
      hint: `Unset it for the default of ${DEFAULT_MAX_CODEGEN_MB} MB, or set e.g. ${MAX_CODEGEN_MB_ENV}=64.`,
    });
  }
  return Math.floor(mb * MIB);
}

/**
 * Refuses code generation from a model too big to render within the time and memory budget (see
 * {@link DEFAULT_MAX_CODEGEN_MB}): one whose file, together with the files of the models it references, holds more
 * than `limitBytes` bytes. Call it with no dependencies before bundling (a cheap early refusal), and again with the
 * bundle's dependencies.
 * @param record - the model a target generates from.
 * @param dependencies - the models its bundle references (`BundledModel.dependencies`).
 * @param limitBytes - the limit, from {@link maxCodegenBytes}.
 * @throws MetarepoError (exit 2) located at the model file, with its size, the limit and how to get under or past it.
 */
export function assertCodegenSize(record: ModelRecord, dependencies: readonly ModelRecord[], limitBytes: number): void {
  // A UTF-16 code unit is at most 3 bytes of UTF-8: most models are cleared without counting bytes.
  if (dependencies.reduce((n, d) => n + d.text.length, record.text.length) * 3 <= limitBytes) return;
  const total = dependencies.reduce((n, d) => n + textBytes(d.text), textBytes(record.text));
  if (total <= limitBytes) return;
  const withDeps = dependencies.length === 0 ? '' : ` with the ${dependencies.length} model${dependencies.length === 1 ? '' : 's'} it references`;
  const suggested = Math.ceil((total / MIB) * 1.1);
  throw new MetarepoError(
    `Model ${record.name}@${record.version} is too big to generate code from: ${record.relFile}${withDeps} holds ${megabytes(total)} of JSON, more than the limit of ${megabytes(limitBytes)}.`,
    {
      location: { file: record.file },
      hint:
        `Beyond the limit the code generators need more than about 15 s and 1 GB (quicktype much more when one object has thousands of properties). ` +
        `Split the model into smaller models with a target each, or raise the limit for a run: ${MAX_CODEGEN_MB_ENV}=${suggested} metarepo generate.`,
    },
  );
}

/** UTF-8 size of a text (what its file holds, byte-order mark aside). */
function textBytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

function megabytes(bytes: number): string {
  return `${(bytes / MIB).toFixed(1)} MB`;
}
