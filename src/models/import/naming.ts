import { kebabCase } from 'change-case';
import semver from 'semver';
import { MODEL_NAME_PATTERN } from '../registry.js';

/** A file to name: its `$id` (if any), its path relative to the import's base folder, how messages name it. */
export interface NamingInput {
  id?: string;
  rel: string;
  display: string;
}

/** Two or more files no name tells apart: the name they would share and the files. */
export interface NameCollision {
  name: string;
  files: string[];
}

/**
 * Model names for imported files, in input order, or the collisions that leave some unnamed.
 *
 * A name is built from the trailing segments of a path: the `$id`'s path (its URL path, or the part after the last
 * `:` of a URN) when the file has an `$id` that yields one, else the file's path relative to the import folder. The
 * last segment loses `.schema.json` / `.json`; version-like segments (`v2`, `1.0.0`, dates like `2020-12`) are
 * skipped; each segment is made lowercase kebab-case (change-case, accents dropped, other characters turned into
 * hyphens). It starts with the last segment alone (`.../customer.schema.json` → `customer`).
 * Collisions are settled deterministically: every file of a group sharing a name takes one more leading segment
 * (`a/item.json`, `b/item.json` → `a-item`, `b-item`), again until no two share a name; a group where no file has a
 * segment left (or a file with no usable segment at all) is a collision.
 */
export function deriveModelNames(inputs: NamingInput[]): { names: string[]; collisions: NameCollision[] } {
  const segments = inputs.map(nameSegments);
  const counts = segments.map((s) => firstUsable(s, 1));
  const nameOf = (i: number) => nameFrom(segments[i]!, counts[i]!);
  for (;;) {
    const groups = new Map<string, number[]>();
    inputs.forEach((_, i) => groups.set(nameOf(i), [...(groups.get(nameOf(i)) ?? []), i]));
    const crowded = [...groups].filter(([name, members]) => members.length > 1 || name === '');
    let grew = false;
    for (const [, members] of crowded) {
      for (const i of members) {
        const next = firstUsable(segments[i]!, counts[i]! + 1);
        if (next <= segments[i]!.length) {
          counts[i] = next;
          grew = true;
        }
      }
    }
    if (!grew) {
      const collisions = crowded.map(([name, members]) => ({ name, files: members.map((i) => inputs[i]!.display) }));
      return { names: inputs.map((_, i) => nameOf(i)), collisions };
    }
  }
}

/** The segments a name can be made of, outermost first: from the `$id` when it gives any, else from the path. */
function nameSegments(input: NamingInput): string[] {
  const fromId = input.id === undefined ? [] : cleanSegments(idPath(input.id));
  return fromId.length > 0 ? fromId : cleanSegments(input.rel.split('/'));
}

/** The path segments of an `$id`: its URL path, or a URN's `:`-separated parts; none when it does not parse. */
function idPath(id: string): string[] {
  try {
    const url = new URL(id, 'relative:///');
    return (url.pathname.includes('/') ? url.pathname.split('/') : url.pathname.split(':')).map(decodeSegment);
  } catch {
    return [];
  }
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Segments as name parts: extension dropped from the last, versions and empty parts left out. */
function cleanSegments(raw: string[]): string[] {
  const parts = raw.filter((s) => s !== '');
  if (parts.length > 0) parts[parts.length - 1] = parts.at(-1)!.replace(/(\.schema)?\.json$/i, '');
  return parts.filter((s) => !isVersion(s)).map(namePart).filter((s) => s !== '');
}

/** `1`, `v2`, `1.0`, `1.0.0`, `v1.2.3-beta.1`, a date (`2020-12`, `2021-04-15`): a version, not a name. */
function isVersion(segment: string): boolean {
  return /^v?\d+(\.\d+)?$/i.test(segment) || /^\d{4}-\d{2}(-\d{2})?$/.test(segment) || semver.valid(segment.replace(/^v/i, '')) !== null;
}

function namePart(segment: string): string {
  const ascii = segment.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  return kebabCase(ascii).replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

/** The smallest count ≥ `from` of trailing segments that makes a valid model name; beyond the length when none. */
function firstUsable(segments: string[], from: number): number {
  let n = from;
  while (n <= segments.length && !MODEL_NAME_PATTERN.test(nameFrom(segments, n))) n++;
  return n;
}

function nameFrom(segments: string[], count: number): string {
  const name = segments.slice(-count).join('-');
  return MODEL_NAME_PATTERN.test(name) ? name : '';
}
