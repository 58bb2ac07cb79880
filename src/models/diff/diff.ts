import { MetarepoError } from '../../core/errors.js';
import { parsePointer } from '../../core/pointer.js';
import { MAX_BUNDLED_DEPTH, assertDepthWithinLimit } from '../limits.js';
import { SchemaDocument } from './document.js';
import type { DiffOptions, JsonSchema, SchemaChange } from './types.js';
import { Differ } from './walker.js';

/**
 * Every change between two self-contained JSON Schemas, each with a rule id of `RULES`, JSON
 * pointers into both schemas and its impacts (BACKWARD, FORWARD, SOURCE).
 *
 * The schemas are read as draft-04 to 2020-12 and OpenAPI 3.0 schemas (`nullable`,
 * `discriminator`); every `$ref` (and `$dynamicRef`, read statically) must resolve inside its own
 * document, as in the registry's bundled output. The walk is linear in the size of the schemas:
 * each pair of reference targets is compared once, so recursive schemas terminate.
 *
 * Output is deterministic: sorted by display pointer (segment by segment, array indices
 * numerically), then rule id, then the two pointers; a change found twice (a subschema reached
 * inline and through a reference) is reported once, with the union of its impacts.
 * @param oldSchema - the earlier version.
 * @param newSchema - the later version.
 * The walk recurses once per nesting level, so each schema must nest at most {@link MAX_BUNDLED_DEPTH} levels of
 * objects and arrays (as every bundle of a model the registry loads does).
 * @throws MetarepoError (exit 2) when a schema is not an object or a boolean, nests deeper than
 *   {@link MAX_BUNDLED_DEPTH} levels, when a `$ref` cannot be resolved inside its document, or for an unknown
 *   `openContent` value.
 */
export function diffSchemas(oldSchema: JsonSchema, newSchema: JsonSchema, options: DiffOptions = {}): SchemaChange[] {
  for (const [label, schema] of [['old', oldSchema], ['new', newSchema]] as const) {
    if (typeof schema !== 'boolean' && (schema === null || typeof schema !== 'object' || Array.isArray(schema))) {
      throw new MetarepoError(`The ${label} schema is not a JSON Schema: expected an object or a boolean.`, { hint: 'Pass the parsed schema document.' });
    }
    assertDepthWithinLimit(schema, `The ${label} schema`);
  }
  const openContent = options.openContent ?? 'lenient';
  if (openContent !== 'lenient' && openContent !== 'strict') {
    throw new MetarepoError(`Unknown openContent policy "${String(openContent)}".`, { hint: 'Use "lenient" (the default) or "strict".' });
  }
  const differ = new Differ(new SchemaDocument(oldSchema, 'old'), new SchemaDocument(newSchema, 'new'), {
    openContent,
    detectRenames: options.detectRenames ?? true,
  });
  return finalize(differ.run());
}

/** Merges duplicates (same rule and pointers; impacts united) and sorts. */
function finalize(changes: SchemaChange[]): SchemaChange[] {
  const byKey = new Map<string, SchemaChange>();
  for (const change of changes) {
    const key = `${change.rule}\u0000${change.path}\u0000${change.oldPointer ?? '-'}\u0000${change.newPointer ?? '-'}`;
    const known = byKey.get(key);
    if (!known) {
      byKey.set(key, change);
      continue;
    }
    known.impacts.backward ||= change.impacts.backward;
    known.impacts.forward ||= change.impacts.forward;
    known.impacts.source ||= change.impacts.source;
  }
  const keyed = [...byKey.values()].map((change) => ({ change, segments: parsePointer(change.path) }));
  keyed.sort((x, y) => compareSegments(x.segments, y.segments) || compareText(x.change.rule, y.change.rule) || compareText(x.change.oldPointer ?? '', y.change.oldPointer ?? '') || compareText(x.change.newPointer ?? '', y.change.newPointer ?? ''));
  return keyed.map((k) => k.change);
}

function compareSegments(a: string[], b: string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    const numeric = /^\d+$/.test(x) && /^\d+$/.test(y);
    return numeric ? Number(x) - Number(y) : compareText(x, y);
  }
  return a.length - b.length;
}

/** Code-unit order: stable across locales. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
