/**
 * MinHash signatures over token shingles and banded locality-sensitive hashing (LSH), after Broder 1997 ("On the
 * resemblance and containment of documents") and Leskovec, Rajaraman & Ullman, "Mining of Massive Datasets", ch. 3:
 * with b bands of r rows, two sets of Jaccard similarity s share a band with probability 1 − (1 − sʳ)ᵇ; the
 * threshold is about (1/b)^(1/r) (0.5 for b = 16, r = 4).
 */

/** MinHash parameters. */
export interface MinHashOptions {
  /** Hash functions per signature (k = bands × rows). */
  k: number;
  /** Tokens per shingle. */
  shingle: number;
}

/** Defaults of the sketch in `../shared/reference/pattern-detection.md`, stage 2: k = 64 over 5-token shingles. */
export const DEFAULT_MINHASH: MinHashOptions = { k: 64, shingle: 5 };

/** murmur3's 32-bit finaliser (Appleby): a cheap, well-mixed bijection on 32-bit integers. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const seeds: number[] = [];
function seed(i: number): number {
  while (seeds.length <= i) seeds.push(fmix32(0x9e3779b9 * (seeds.length + 1)));
  return seeds[i];
}

/**
 * The distinct 32-bit hashes of the `shingle`-token windows of `tokens` (a sequence shorter than one shingle is one
 * shingle), sorted.
 */
export function shingles(tokens: ArrayLike<number>, opts: MinHashOptions = DEFAULT_MINHASH): Uint32Array {
  const w = Math.min(opts.shingle, tokens.length);
  const out = new Set<number>();
  for (let start = 0; start + w <= tokens.length; start++) {
    let x = 0x811c9dc5;
    for (let j = start; j < start + w; j++) x = fmix32(x ^ tokens[j]); // chained, so order matters
    out.add(x);
  }
  return Uint32Array.from(out).sort();
}

/** The MinHash signature of a shingle set: for hash function i, `fmix32(x ^ seed_i)` minimised over the set. */
export function minhash(set: Uint32Array, opts: MinHashOptions = DEFAULT_MINHASH): Uint32Array {
  const sig = new Uint32Array(opts.k).fill(0xffffffff);
  for (const x of set) {
    for (let i = 0; i < opts.k; i++) {
      const h = fmix32(x ^ seed(i));
      if (h < sig[i]) sig[i] = h;
    }
  }
  return sig;
}

/** Size of the intersection of two sorted sets. */
export function intersectionSize(a: Uint32Array, b: Uint32Array): number {
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      n++;
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return n;
}

/** Estimated Jaccard similarity of two signatures: the share of equal positions. */
export function estimatedJaccard(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}

/**
 * Banded LSH index. A bucket keeps at most `perBucket` items, each standing for a different group (as the caller's
 * `group` function says when the item is added); a newcomer is compared with those items only, never with every
 * item of the bucket, so the comparisons stay linear in the number of items. Keeping one item per group rather
 * than the bucket's first item alone lets a newcomer reach every group the bucket has seen, whatever the order
 * of arrival (the first item may be an outlier of its group).
 */
export class LshIndex {
  private readonly buckets = new Map<string, number[]>();
  /** Candidate comparisons made so far. */
  comparisons = 0;

  /**
   * @param bands - b; rows per band r = k / b.
   * @param perBucket - items kept per bucket (each of another group).
   */
  constructor(
    private readonly bands: number,
    private readonly perBucket = 4,
  ) {}

  /**
   * Adds item `id` with signature `sig`: calls `compare(other)` for each kept item of its buckets that is in another
   * group than `id` at that moment (each such item once), then keeps `id` in every bucket that has no item of its
   * group yet and has room. `compare` may merge groups; every call counts as one comparison.
   */
  add(id: number, sig: Uint32Array, group: (item: number) => number, compare: (other: number) => void): void {
    const rows = sig.length / this.bands;
    const seen = new Set<number>();
    const keys: string[] = [];
    for (let b = 0; b < this.bands; b++) {
      let key = `${b}`;
      for (let r = b * rows; r < (b + 1) * rows; r++) key += `:${sig[r]}`;
      keys.push(key);
      for (const other of this.buckets.get(key) ?? []) {
        if (seen.has(other) || group(other) === group(id)) continue;
        seen.add(other);
        this.comparisons++;
        compare(other);
      }
    }
    for (const key of keys) {
      const items = this.buckets.get(key);
      if (!items) this.buckets.set(key, [id]);
      else if (items.length < this.perBucket && !items.some((i) => group(i) === group(id))) items.push(id);
    }
  }
}
