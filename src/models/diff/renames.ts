/**
 * Rename guesses shared by properties and definitions: something removed and something added with a structurally
 * equal schema are one rename when the pairing is unique both ways.
 *
 * Candidates are bucketed by a key that is the same for equal schemas (see `StructuralEquality.bucketKey`), so only
 * schemas of one bucket are ever compared: with an exact key (equal keys only for equal schemas) a bucket holding
 * more than one candidate on a side is ambiguous without comparing anything, and a bucket of one removed and one
 * added item costs one comparison, so the work is linear in the number of candidates; with a coarse key the
 * members of a bucket are compared pairwise.
 */

/** How {@link pairRenames} reads the candidates. */
export interface RenameCandidates<T> {
  removed: readonly T[];
  added: readonly T[];
  /** A bucket key, equal for equal candidates; `undefined` for a candidate never renamed (a schema that accepts everything). */
  key: (item: T, side: 'old' | 'new') => string | undefined;
  /** Whether equal keys mean equal candidates. */
  exact: boolean;
  /**
   * Whether a removed and an added candidate are equal: asked for every pair returned, except where {@link verify}
   * says their common key decides (an exact key that is the normalised schema itself, not a digest of it).
   */
  equal: (removed: T, added: T) => boolean;
  /** Whether a key needs {@link equal} to confirm it (a digest); default: always. */
  verify?: (key: string) => boolean;
}

/** Removed → added, for the candidates that pair up uniquely both ways. */
export function pairRenames<T>(c: RenameCandidates<T>): Map<T, T> {
  const pairs = new Map<T, T>();
  if (c.removed.length === 0 || c.added.length === 0) return pairs;
  const buckets = new Map<string, { removed: T[]; added: T[] }>();
  const put = (item: T, side: 'old' | 'new') => {
    const key = c.key(item, side);
    if (key === undefined) return;
    let bucket = buckets.get(key);
    if (!bucket) buckets.set(key, (bucket = { removed: [], added: [] }));
    (side === 'old' ? bucket.removed : bucket.added).push(item);
  };
  for (const item of c.added) put(item, 'new');
  for (const item of c.removed) put(item, 'old');
  for (const [key, { removed, added }] of buckets) {
    if (removed.length === 0 || added.length === 0) continue;
    if (removed.length === 1 && added.length === 1) {
      if (!(c.verify?.(key) ?? true) || c.equal(removed[0]!, added[0]!)) pairs.set(removed[0]!, added[0]!);
      continue;
    }
    if (c.exact) continue; // several equal candidates on a side: ambiguous
    const found = removed.map((r) => added.filter((a) => c.equal(r, a)));
    const claims = new Map<T, number>();
    for (const list of found) for (const a of list) claims.set(a, (claims.get(a) ?? 0) + 1);
    removed.forEach((r, i) => {
      const list = found[i]!;
      if (list.length === 1 && claims.get(list[0]!) === 1) pairs.set(r, list[0]!);
    });
  }
  return pairs;
}
