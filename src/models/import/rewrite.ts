import { getAtPointer, parsePointer } from '../../core/pointer.js';

/** A reference rewritten by an import: the pointer of its keyword, its text before and after. */
export interface RefRewrite {
  pointer: string;
  from: string;
  to: string;
}

/**
 * `schema` with `keyword` (`$id`, draft-04 `id`) set to `id`, placed right after `$schema` (first when there is no
 * `$schema`); every other member kept in order, `__proto__` included as an own member, as `JSON.parse` makes it.
 */
export function withId(schema: Record<string, unknown>, keyword: string, id: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const put = (key: string, value: unknown) => Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  if (Object.hasOwn(schema, '$schema')) put('$schema', schema.$schema);
  put(keyword, id);
  for (const key of Object.keys(schema)) if (!Object.hasOwn(out, key)) put(key, schema[key]);
  return out;
}

/**
 * The text of a schema file as a model file. Without an `$id` to add and references to rewrite it is `text` as it
 * is (byte-order mark dropped, a final newline added). Otherwise the text is parsed with `JSON.parse`, changed, and
 * written back with `JSON.stringify` in the indentation of its first indented line (two spaces when it has none):
 * values are only ever written by the serializer, so any string is escaped correctly.
 * @param text - a JSON text already checked to be a schema (an object).
 * @param id - the `$id` to add (see {@link withId}).
 * @param rewrites - references to replace; each `pointer` names a string-valued reference keyword in `text`.
 */
export function rewriteSchemaText(text: string, id: { keyword: string; id: string } | undefined, rewrites: RefRewrite[]): string {
  const body = text.replace(/^\uFEFF/, '');
  if (!id && rewrites.length === 0) return body.endsWith('\n') ? body : body + '\n';
  let doc = JSON.parse(body) as Record<string, unknown>;
  for (const r of rewrites) {
    const cut = r.pointer.lastIndexOf('/');
    (getAtPointer(doc, r.pointer.slice(0, cut)) as Record<string, unknown>)[parsePointer(r.pointer.slice(cut))[0]!] = r.to;
  }
  if (id) doc = withId(doc, id.keyword, id.id);
  const indent = /\n([ \t]+)\S/.exec(body)?.[1] ?? 2;
  return `${JSON.stringify(doc, null, indent)}\n`;
}
