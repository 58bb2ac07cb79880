/**
 * Rules on what does not assert: `title` (a generated type name), plain annotations, `default`,
 * `deprecated`, `readOnly`/`writeOnly` (read direction-aware, like oasdiff since 1.31),
 * identifiers, `$schema`, and extensions (`x-*` and keywords outside JSON Schema and OpenAPI).
 */
import { at, kw, type DiffContext, type Side } from './context.js';
import { deepEqual, show } from './values.js';
import { HANDLED, IDENTIFIERS, PLAIN_ANNOTATIONS } from './vocabulary.js';

/** The keywords this module reports on, beside extensions. */
const ANNOTATIONS = new Set(['title', ...PLAIN_ANNOTATIONS, 'default', 'deprecated', 'readOnly', 'writeOnly', ...IDENTIFIERS, '$schema']);

/**
 * Compares the annotations, identifiers and extensions of two nodes.
 * @param keys - the keys of both nodes.
 */
export function compareAnnotations(ctx: DiffContext, o: Side, n: Side, keys: ReadonlySet<string>): void {
  const change = (keyword: string) => ({ old: at(o, keyword), new: at(n, keyword), before: kw(o, keyword), after: kw(n, keyword) });
  const transition = (keyword: string, label = `\`${keyword}\``) => `${label} ${show(kw(o, keyword))} → ${show(kw(n, keyword))}`;
  for (const keyword of keys) {
    // Keywords other modules read (and `definitions`, compared by name elsewhere) are skipped before any deep comparison.
    if ((HANDLED.has(keyword) && !ANNOTATIONS.has(keyword)) || deepEqual(kw(o, keyword), kw(n, keyword))) continue;
    if (keyword === 'title') ctx.emit({ rule: 'TYPE_NAME_CHANGED', ...change(keyword), message: transition(keyword, 'title'), impacts: { source: true } });
    else if (PLAIN_ANNOTATIONS.includes(keyword)) ctx.emit({ rule: 'ANNOTATION_CHANGED', ...change(keyword), message: `\`${keyword}\` changed` });
    else if (keyword === 'default') ctx.emit({ rule: 'DEFAULT_CHANGED', ...change(keyword), message: transition(keyword) });
    else if (keyword === 'deprecated') compareFlag(ctx, o, n, keyword);
    else if (keyword === 'readOnly' || keyword === 'writeOnly') compareFlag(ctx, o, n, keyword);
    else if (IDENTIFIERS.includes(keyword)) ctx.emit({ rule: 'ID_CHANGED', ...change(keyword), message: transition(keyword) });
    else if (keyword === '$schema') ctx.emit({ rule: 'DIALECT_CHANGED', ...change(keyword), message: transition(keyword) });
    else if (!HANDLED.has(keyword)) {
      ctx.emit({ rule: 'EXTENSION_CHANGED', ...change(keyword), message: `\`${keyword}\` ${kw(o, keyword) === undefined ? 'added' : kw(n, keyword) === undefined ? 'removed' : 'changed'}` });
    }
  }
}

/** `deprecated`, `readOnly`, `writeOnly`: only `true` counts. */
function compareFlag(ctx: DiffContext, o: Side, n: Side, keyword: 'deprecated' | 'readOnly' | 'writeOnly'): void {
  const before = kw(o, keyword) === true;
  const after = kw(n, keyword) === true;
  if (before === after) return;
  const ptrs = { old: at(o, keyword), new: at(n, keyword) };
  if (keyword === 'deprecated') {
    ctx.emit({ rule: after ? 'DEPRECATED_ADDED' : 'DEPRECATED_REMOVED', ...ptrs, message: after ? 'deprecated' : 'no longer deprecated' });
    return;
  }
  // readOnly added: writers may no longer send the value; writeOnly added: readers no longer get it.
  const impacts = after ? (keyword === 'readOnly' ? { backward: true } : { forward: true }) : {};
  ctx.emit({ rule: 'READ_WRITE_ONLY_CHANGED', ...ptrs, message: `${after ? 'now' : 'no longer'} ${keyword}`, impacts, before, after });
}
