/**
 * JSON Pointer helpers (RFC 6901): `~0` is `~`, `~1` is `/`. Pointers here are the plain form
 * (`/properties/name`), not the URI-fragment form; callers percent-decode fragments first.
 */

/** Splits a JSON pointer into unescaped segments. `''` (the whole document) gives `[]`. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  const body = pointer.startsWith('/') ? pointer.slice(1) : pointer;
  const segments = body.split('/');
  return pointer.includes('~') ? segments.map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')) : segments;
}

/** Escapes one segment for use in a JSON pointer. */
export function escapeSegment(segment: string): string {
  if (!segment.includes('~') && !segment.includes('/')) return segment; // the common case, kept cheap
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Appends segments to a pointer, escaping each. */
export function joinPointer(pointer: string, ...segments: string[]): string {
  return pointer + segments.map((s) => '/' + escapeSegment(s)).join('');
}

/**
 * The value at `pointer` inside `doc`, or `undefined` when a segment does not exist.
 * Array segments must be canonical indices (`0`, `12`, never `01` or `-`).
 */
export function getAtPointer(doc: unknown, pointer: string): unknown {
  let node: unknown = doc;
  for (const seg of parsePointer(pointer)) {
    if (Array.isArray(node)) {
      if (!/^(0|[1-9][0-9]*)$/.test(seg)) return undefined;
      node = node[Number(seg)];
    } else if (node !== null && typeof node === 'object' && Object.prototype.hasOwnProperty.call(node, seg)) {
      node = (node as Record<string, unknown>)[seg];
    } else {
      return undefined;
    }
  }
  return node;
}
