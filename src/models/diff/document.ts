import { MetarepoError } from '../../core/errors.js';
import { DEFINITION_CONTAINERS, forEachSubschema, isObjectSchema, isSchema, keywordKind } from '../keywords.js';
import { escapeSegment, getAtPointer, joinPointer, parsePointer } from '../../core/pointer.js';
import type { JsonSchema } from './types.js';
import { isPureRef, refOf, wrappedMember } from './vocabulary.js';

/** A subschema and its JSON pointer in its document. */
export interface Located {
  node: JsonSchema;
  pointer: string;
}

/**
 * One self-contained schema document, as the diff reads it: references resolve inside it, by JSON
 * pointer (`#`, `#/definitions/x`, `#/$defs/a~1b`, percent-escapes decoded) or by plain-name
 * anchor (`$anchor`, `$dynamicAnchor`, or a draft-06/07 `$id: "#name"`). A reference may repeat
 * the root's own `$id` before the `#`. Embedded `$id` scopes are not modelled: bundle a model
 * first (the registry's `bundle`) when its references leave the document.
 */
export class SchemaDocument {
  private readonly resolved = new Map<string, Located>();
  private anchorIndex?: Map<string, string>;
  private definitionIndex?: Map<string, Located>;
  private readonly id?: string;

  /**
   * @param root - the document.
   * @param label - `old` or `new`, for error messages.
   */
  constructor(
    readonly root: JsonSchema,
    readonly label: string,
  ) {
    const id = isObjectSchema(root) ? (root.$id ?? root.id) : undefined;
    if (typeof id === 'string') this.id = id.replace(/#.*$/, '');
  }

  /**
   * The subschema a reference names.
   * @param ref - the `$ref` (or `$dynamicRef`) value.
   * @param at - pointer of the node holding it, for the error message.
   * @throws MetarepoError (exit 2) when the reference leaves the document, is not a valid
   *   URI fragment, or names no schema.
   */
  resolve(ref: string, at: string | undefined): Located {
    const known = this.resolved.get(ref);
    if (known) return known;
    const fail = (reason: string, hint: string): never => {
      throw new MetarepoError(`Cannot resolve $ref "${ref}" at "${at ?? ''}" in the ${this.label} schema: ${reason}.`, { hint });
    };
    const hash = ref.indexOf('#');
    const base = hash < 0 ? ref : ref.slice(0, hash);
    if (base !== '' && base !== this.id) {
      fail('it refers outside the document', 'Diff self-contained schemas: bundle a model first (ModelRegistry.bundle) so every $ref is local.');
    }
    let fragment = '';
    try {
      fragment = hash < 0 ? '' : decodeURIComponent(ref.slice(hash + 1));
    } catch {
      fail('its fragment is not valid percent-encoding', 'Escape "%" as "%25" in a $ref.');
    }
    let pointer: string | undefined = '';
    if (fragment.startsWith('/')) pointer = fragment;
    else if (fragment !== '') pointer = this.anchors().get(fragment);
    const node = pointer === undefined ? undefined : getAtPointer(this.root, pointer);
    if (pointer === undefined || !isSchema(node)) {
      fail(
        pointer === undefined ? `no $anchor or $dynamicAnchor "${fragment}"` : `no schema at "${pointer}"`,
        'Check the JSON pointer after "#": keys are case-sensitive, "~1" stands for "/" and "~0" for "~".',
      );
    }
    const found = { node: node as JsonSchema, pointer: pointer as string };
    this.resolved.set(ref, found);
    return found;
  }

  /**
   * The schema a node stands for once pure references (a `$ref` beside annotations only) are
   * followed, and with `wrappers` also one-member wrappers (see {@link wrappedMember}) entered; a
   * loop with nothing else (`a` → `b` → `a`) stands for `true`.
   */
  follow(start: Located, wrappers = false): Located {
    let current = start;
    const seen = new Set<string>();
    for (;;) {
      const member = wrappers ? wrappedMember(current.node) : undefined;
      if (!member && !isPureRef(current.node)) return current;
      if (seen.has(current.pointer)) return { node: true, pointer: current.pointer };
      seen.add(current.pointer);
      current = member ? enterWrappers(current) : this.resolve(refOf(current.node)!.ref, current.pointer);
    }
  }

  /** The root's `definitions` and `$defs` entries by name (`definitions` first when a name is in both); computed once. */
  definitions(): ReadonlyMap<string, Located> {
    if (this.definitionIndex) return this.definitionIndex;
    const out = new Map<string, Located>();
    this.definitionIndex = out;
    if (!isObjectSchema(this.root)) return out;
    for (const container of DEFINITION_CONTAINERS) {
      const defs = this.root[container];
      if (!isObjectSchema(defs)) continue;
      for (const [name, node] of Object.entries(defs)) {
        if (isSchema(node) && !out.has(name)) out.set(name, { node, pointer: joinPointer('', container, name) });
      }
    }
    return out;
  }

  /**
   * A name for the subschema at `pointer` that survives moving definitions between `definitions`
   * and `$defs`: `def:<name>/<rest>` below a root definition (with `rename` applied to the name),
   * else the pointer itself.
   */
  identity(pointer: string, rename?: (name: string) => string): string {
    const segments = parsePointer(pointer);
    const [container, name] = segments;
    if (name === undefined || !(DEFINITION_CONTAINERS as readonly string[]).includes(container!)) return pointer;
    return `def:${escapeSegment(rename ? rename(name) : name)}${joinPointer('', ...segments.slice(2))}`;
  }

  /**
   * The nearest enclosing generated type of the subschema at `pointer`, named as json-schema-to-typescript names
   * it: the innermost `definitions` / `$defs` entry on the way (read keyword by keyword, so a property called
   * `definitions` is a name) by its `title`, else its key; else the root's `title`.
   */
  typeNameAt(pointer: string): string | undefined {
    let node: unknown = this.root;
    let name: string | undefined;
    const segments = parsePointer(pointer);
    for (let i = 0; i < segments.length && isObjectSchema(node); i++) {
      const keyword = segments[i]!;
      const value = node[keyword];
      const kind = keywordKind(keyword, value);
      if (kind === 'none') break;
      if (kind === 'single') {
        node = value;
        continue;
      }
      const key = segments[++i];
      if (key === undefined) break;
      node = Array.isArray(value) ? value[Number(key)] : isObjectSchema(value) ? value[key] : undefined;
      if ((DEFINITION_CONTAINERS as readonly string[]).includes(keyword)) name = isObjectSchema(node) && typeof node.title === 'string' ? node.title : key;
    }
    if (name !== undefined) return name;
    const title = isObjectSchema(this.root) ? this.root.title : undefined;
    return typeof title === 'string' ? title : undefined;
  }

  /** Plain-name anchors → pointers, indexed on first use by one walk over the document. */
  private anchors(): Map<string, string> {
    if (this.anchorIndex) return this.anchorIndex;
    const index = new Map<string, string>();
    const visit = (node: JsonSchema, pointer: string): void => {
      if (typeof node === 'boolean') return;
      for (const keyword of ['$anchor', '$dynamicAnchor', '$id', 'id']) {
        const value = node[keyword];
        if (typeof value !== 'string') continue;
        const anchor = keyword.endsWith('nchor') ? value : value.startsWith('#') ? value.slice(1) : undefined;
        if (anchor && !index.has(anchor)) index.set(anchor, pointer);
      }
      forEachSubschema(node, (sub, segments) => visit(sub, joinPointer(pointer, ...segments)));
    };
    visit(this.root, '');
    this.anchorIndex = index;
    return index;
  }
}

/** The member a chain of one-member wrappers (see {@link wrappedMember}) stands for; the node itself when it is none. */
export function enterWrappers(start: Located): Located {
  let current = start;
  for (let member = wrappedMember(current.node); member; member = wrappedMember(current.node)) {
    const node = (current.node as Record<string, unknown[]>)[member.keyword]![member.index] as JsonSchema;
    current = { node, pointer: joinPointer(current.pointer, member.keyword, String(member.index)) };
  }
  return current;
}
