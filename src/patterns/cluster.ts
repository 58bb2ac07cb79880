/**
 * Stage 2: near-miss grouping of shape classes in near-linear time. Classes of at least `minTokens` significant
 * tokens get a MinHash signature over the shingles of their normalised token stream; LSH proposes candidate pairs
 * (a few per bucket, see {@link LshIndex}), and a candidate pair is joined (union-find) when its shingle sets'
 * Jaccard similarity reaches `threshold` or their containment reaches `containment`, and their sizes are comparable
 * (`sizeRatio`) — similarities computed exactly from the two sets, which costs little for the few pairs LSH proposes. Never all pairs.
 *
 * The size floor is the analogue of BigCloneBench's 50-token minimum (Svajlenko & Roy): without it, tiny unrelated
 * files share most of their shingles and merge (`../shared/reference/pattern-detection.md`, stage 2). Smaller
 * classes still form a family on their own when they are exact clones with enough members.
 */
import type { ShapeClass } from './fingerprint.js';
import { normalizedTokens } from './fingerprint.js';
import { intersectionSize, LshIndex, minhash, shingles } from './minhash.js';

/** Options of {@link clusterShapes}. */
export interface ClusterOptions {
  /**
   * Classes below this many significant tokens take no part in near-miss grouping. Default 30: a one-path
   * `@mui/icons-material` icon has 34 tokens; the reference sketch's 40 kept it apart from its multi-path siblings.
   */
  minTokens: number;
  /** Exact classes below `minTokens` form a family of their own from this size on. Default 20. */
  minExactTokens: number;
  /** A family needs at least this many members. Default 3. */
  minMembers: number;
  /** Jaccard similarity of shingle sets that joins two classes. Default 0.5. */
  threshold: number;
  /**
   * Containment (shared shingles / shingles of the smaller class) that also joins two classes: a member that is
   * another plus optional or repeated parts shares most of the smaller one's shingles but few of the union.
   * Default 0.65 (a one-path icon shares 0.71 of its shingles with a two-path one in @mui/icons-material).
   */
  containment: number;
  /**
   * Two classes join only when the larger has at most this many times the tokens of the smaller. Default 3.
   * Without the bound a big unrelated file that happens to hold one member's text (a bundle, a file of many
   * helpers: its repeated parts add few distinct shingles, so both similarities stay high) joins the family and
   * changes its template; a family whose members grow by optional and repeated parts still chains step by step
   * (a two-path icon joins a one-path one, a four-path icon the two-path one).
   */
  sizeRatio: number;
  /** LSH bands (rows per band = 64 / bands). Default 16. */
  bands: number;
}

/** Defaults of {@link ClusterOptions}. */
export const DEFAULT_CLUSTER: ClusterOptions = { minTokens: 30, minExactTokens: 20, minMembers: 3, threshold: 0.5, containment: 0.65, sizeRatio: 3, bands: 16 };

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
  const sets = new Map<number, Uint32Array>();
  const sizes = new Map<number, number>();
  for (const c of classes) {
    if (c.size < opts.minTokens) continue;
    const set = shingles(normalizedTokens(c));
    const sig = minhash(set);
    sets.set(c.index, set);
    sizes.set(c.index, c.size);
    lsh.add(c.index, sig, find, (other) => {
      const o = sets.get(other)!;
      const common = intersectionSize(set, o);
      const j = common / (set.length + o.length - common);
      // Sizes in tokens, not shingles: a file that repeats one part many times has few distinct shingles.
      const comparable = Math.max(c.size, sizes.get(other)!) <= opts.sizeRatio * Math.min(c.size, sizes.get(other)!);
      const contained = common / Math.min(set.length, o.length);
      if (comparable && (j >= opts.threshold || contained >= opts.containment)) {
        const a = find(c.index);
        const b = find(other);
        if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
      }
    });
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
  return { clusters, comparisons: lsh.comparisons, hashed: sets.size };
}
