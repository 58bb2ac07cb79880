/**
 * Stage 2: near-miss grouping of shape classes in near-linear time. Classes of at least `minTokens` significant
 * tokens get a MinHash signature over their normalised token stream; LSH proposes candidate pairs and a pair whose
 * estimated Jaccard similarity reaches `threshold` is joined (union-find). Never all pairs.
 *
 * The size floor is the analogue of BigCloneBench's 50-token minimum (Svajlenko & Roy): without it, tiny unrelated
 * files share most of their shingles and merge (`../shared/reference/pattern-detection.md`, stage 2). Smaller
 * classes still form a family on their own when they are exact clones with enough members.
 */
import type { ShapeClass } from './fingerprint.js';
import { normalizedTokens } from './fingerprint.js';
import { DEFAULT_MINHASH, estimatedJaccard, LshIndex, minhash } from './minhash.js';

/** Options of {@link clusterShapes}. */
export interface ClusterOptions {
  /** Classes below this many significant tokens take no part in near-miss grouping. Default 40. */
  minTokens: number;
  /** Exact classes below `minTokens` form a family of their own from this size on. Default 20. */
  minExactTokens: number;
  /** A family needs at least this many members. Default 3. */
  minMembers: number;
  /** Estimated Jaccard similarity that joins two classes. Default 0.5. */
  threshold: number;
  /** LSH bands (rows per band = 64 / bands). Default 16. */
  bands: number;
}

/** Defaults of {@link ClusterOptions}. */
export const DEFAULT_CLUSTER: ClusterOptions = { minTokens: 40, minExactTokens: 20, minMembers: 3, threshold: 0.5, bands: 16 };

/** What {@link clusterShapes} returns. */
export interface ClusterResult {
  /** Candidate families: shape classes in class order; families ordered by their first class. */
  clusters: ShapeClass[][];
  /** Candidate pairs compared (the cost measure of the near-miss stage). */
  comparisons: number;
  /** Classes that took part in near-miss grouping. */
  hashed: number;
}

/** Groups shape classes into candidate families (see the module comment). Deterministic for a given class order. */
export function clusterShapes(classes: ShapeClass[], options: Partial<ClusterOptions> = {}): ClusterResult {
  const opts = { ...DEFAULT_CLUSTER, ...options };
  const parent = classes.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  const lsh = new LshIndex(opts.bands);
  const sigs = new Map<number, Uint32Array>();
  for (const c of classes) {
    if (c.size < opts.minTokens) continue;
    const sig = minhash(normalizedTokens(c), DEFAULT_MINHASH);
    sigs.set(c.index, sig);
    for (const other of lsh.add(c.index, sig)) {
      if (estimatedJaccard(sig, sigs.get(other)!) >= opts.threshold) {
        const a = find(c.index);
        const b = find(other);
        if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
      }
    }
  }
  const groups = new Map<number, ShapeClass[]>();
  for (const c of classes) {
    const small = c.size < opts.minTokens;
    if (small && (c.size < opts.minExactTokens || c.units.length < opts.minMembers)) continue;
    const root = small ? c.index : find(c.index);
    let g = groups.get(root);
    if (!g) groups.set(root, (g = []));
    g.push(c);
  }
  const clusters = [...groups.values()].filter((g) => g.reduce((n, c) => n + c.units.length, 0) >= opts.minMembers);
  return { clusters, comparisons: lsh.comparisons, hashed: sigs.size };
}
