/**
 * Rules on what does not assert: `title` (a generated type name), plain annotations, `default`,
 * `deprecated`, `readOnly`/`writeOnly` (read direction-aware, like oasdiff since 1.31),
 * identifiers, `$schema`, and extensions (`x-*` and keywords outside JSON Schema and OpenAPI).
 */
import { at, kw, type DiffContext, type Side } from './context.js';
import { deepEqual, show } from './values.js';
import { HANDLED, IDENTIFIERS, PLAIN_ANNOTATIONS } from './vocabulary.js';

/** Compares the annotations, identifiers and extensions of two nodes. */
export function compareAnnotations(ctx: DiffContext, o: Side, n: Side): void {
  const changed = (keyword: string) => !deepEqual(kw(o, keyword), kw(n, keyword));
  const change = (keyword: string) => ({ old: at(o, keyword), new: at(n, keyword), before: kw(o, keyword), after: kw(n, keyword) });
  const transition = (keyword: string, label = `\`${keyword}\``) => `${label} ${show(kw(o, keyword) ?? 'absent')} → ${show(kw(n, keyword) ?? 'absent')}`;

  if (changed('title')) ctx.emit({ rule: 'TYPE_NAME_CHANGED', ...change('title'), message: transition('title', 'title'), impacts: { source: true } });
  for (const keyword of PLAIN_ANNOTATIONS) {
    if (changed(keyword)) ctx.emit({ rule: 'ANNOTATION_CHANGED', ...change(keyword), message: `\`${keyword}\` changed` });
  }
  if (changed('default')) ctx.emit({ rule: 'DEFAULT_CHANGED', ...change('default'), message: transition('default') });

  const deprecatedBefore = kw(o, 'deprecated') === true;
  const deprecatedAfter = kw(n, 'deprecated') === true;
  if (deprecatedBefore !== deprecatedAfter) {
    ctx.emit({ rule: deprecatedAfter ? 'DEPRECATED_ADDED' : 'DEPRECATED_REMOVED', old: at(o, 'deprecated'), new: at(n, 'deprecated'), message: deprecatedAfter ? 'deprecated' : 'no longer deprecated' });
  }
  for (const keyword of ['readOnly', 'writeOnly']) {
    const before = kw(o, keyword) === true;
    const after = kw(n, keyword) === true;
    if (before === after) continue;
    // readOnly added: writers may no longer send the value; writeOnly added: readers no longer get it.
    const impacts = after ? (keyword === 'readOnly' ? { backward: true } : { forward: true }) : {};
    ctx.emit({ rule: 'READ_WRITE_ONLY_CHANGED', old: at(o, keyword), new: at(n, keyword), message: `${after ? 'now' : 'no longer'} ${keyword}`, impacts, before, after });
  }

  for (const keyword of IDENTIFIERS) {
    if (changed(keyword)) ctx.emit({ rule: 'ID_CHANGED', ...change(keyword), message: transition(keyword) });
  }
  if (changed('$schema')) ctx.emit({ rule: 'DIALECT_CHANGED', ...change('$schema'), message: transition('$schema') });

  const keys = new Set([...(typeof o.node === 'boolean' ? [] : Object.keys(o.node)), ...(typeof n.node === 'boolean' ? [] : Object.keys(n.node))]);
  for (const keyword of [...keys].sort()) {
    if (!HANDLED.has(keyword) && changed(keyword)) {
      ctx.emit({ rule: 'EXTENSION_CHANGED', ...change(keyword), message: `\`${keyword}\` ${kw(o, keyword) === undefined ? 'added' : kw(n, keyword) === undefined ? 'removed' : 'changed'}` });
    }
  }
}
