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
 * The MinHash signature of the set of `shingle`-token windows of `tokens` (a sequence shorter than one shingle is
 * one shingle). Hash function i is `fmix32(x ^ seed_i)` over the shingle's 32-bit hash x.
 * @returns k unsigned 32-bit minima.
 */
export function minhash(tokens: ArrayLike<number>, opts: MinHashOptions = DEFAULT_MINHASH): Uint32Array {
  const sig = new Uint32Array(opts.k).fill(0xffffffff);
  const w = Math.min(opts.shingle, tokens.length);
  for (let start = 0; start + w <= tokens.length; start++) {
    let x = 0x811c9dc5;
    for (let j = start; j < start + w; j++) x = fmix32(x ^ tokens[j]); // chained, so order matters
    for (let i = 0; i < opts.k; i++) {
      const h = fmix32(x ^ seed(i));
      if (h < sig[i]) sig[i] = h;
    }
  }
  return sig;
}

/** Estimated Jaccard similarity of two signatures: the share of equal positions. */
export function estimatedJaccard(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}

/**
 * Banded LSH index. Each band's bucket remembers its first item only; a newcomer is compared with the first
 * item of every bucket it falls into (never with every item), which keeps the comparisons linear in the number of
 * items (`../shared/reference/pattern-detection.md`, stage 2).
 */
export class LshIndex {
  private readonly buckets = new Map<string, number>();
  /** Candidate comparisons made so far. */
  comparisons = 0;

  /** @param bands - b; rows per band r = k / b. */
  constructor(private readonly bands: number) {}

  /**
   * Adds item `id` with signature `sig` and returns the earlier items it collides with (each bucket's first item),
   * without duplicates. Every returned item counts as one comparison.
   */
  add(id: number, sig: Uint32Array): number[] {
    const rows = sig.length / this.bands;
    const hits = new Set<number>();
    for (let b = 0; b < this.bands; b++) {
      let key = `${b}`;
      for (let r = b * rows; r < (b + 1) * rows; r++) key += `:${sig[r]}`;
      const first = this.buckets.get(key);
      if (first === undefined) this.buckets.set(key, id);
      else if (first !== id) hits.add(first);
    }
    this.comparisons += hits.size;
    return [...hits];
  }
}
