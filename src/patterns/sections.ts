/**
 * Alignment of child sequences for hedge anti-unification: which children of one node correspond to which children
 * of the medoid's node. The alignment plays the part of the "rigidity function" of Kutsia, Levy & Villaret,
 * "Anti-unification for unranked terms and hedges" (JAR 2014): children it matches are generalised recursively,
 * the rest become optional or repeated sections.
 *
 * Two passes. First the longest common subsequence of equal texts, the member's own name aside (jsdiff's Myers
 * diff, `diffArrays`), so an inserted line never takes the place of the identical line beside it. Then, inside
 * each stretch between two such matches, a weighted alignment (Needleman–Wunsch without gap costs) of children of
 * the same node kind that maximises their summed word similarity: `f(a)` still meets `f(a, b)` (the
 * difference becomes an optional argument), and of two candidates of the same kind and shape the more similar one
 * wins — the `protocols` import meets the other `protocols` import, not the `models` import of the same shape.
 * Stretches too long for the quadratic table fall back to the longest common subsequence of node kinds.
 */
import { diffArrays } from 'diff';
import { isToken, type SyntaxTree } from './syntax.js';

/** A matched pair of positions: `[medoid index, other index]`, increasing in both. */
export type Match = [number, number];

/** What the alignment knows about a child (`side` 0: the medoid's, 1: the other's). */
export interface ChildKeys {
  /** A number that is equal for equal text. */
  text(t: SyntaxTree, side: 0 | 1): number;
  /** The child's words with their counts, for similarity. */
  words(t: SyntaxTree, side: 0 | 1): Map<string, number>;
}

/** Word similarity below which two children of one kind are different children, not variants of one. */
const MIN_SIMILARITY = 0.5;

/** Largest stretch (medoid × other children) aligned by similarity; longer ones use node kinds only. */
const MAX_WEIGHTED = 4096;

/** The alignment of `other` against `medoid` (see the module comment). */
export function alignChildren(medoid: SyntaxTree[], other: SyntaxTree[], keys: ChildKeys): Match[] {
  const exact = lcs(medoid, other, 0, medoid.length, 0, other.length, keys.text);
  const out: Match[] = [];
  let am = 0;
  let ao = 0;
  for (const m of [...exact, [medoid.length, other.length] as Match]) {
    if (m[0] > am && m[1] > ao) {
      const stretch = (m[0] - am) * (m[1] - ao) <= MAX_WEIGHTED ? weighted(medoid, other, am, m[0], ao, m[1], keys) : lcs(medoid, other, am, m[0], ao, m[1], coarseKey);
      out.push(...stretch);
    }
    if (m[0] < medoid.length) out.push(m);
    am = m[0] + 1;
    ao = m[1] + 1;
  }
  return out;
}

function coarseKey(t: SyntaxTree): number {
  return isToken(t) ? t.shape : t.coarse;
}

/** LCS of `a[a0..a1)` and `b[b0..b1)` under `key`, as absolute index pairs. */
function lcs(a: SyntaxTree[], b: SyntaxTree[], a0: number, a1: number, b0: number, b1: number, key: (t: SyntaxTree, side: 0 | 1) => number): Match[] {
  const out: Match[] = [];
  let i = a0;
  let j = b0;
  for (const change of diffArrays(a.slice(a0, a1).map((t) => key(t, 0)), b.slice(b0, b1).map((t) => key(t, 1)))) {
    const n = change.count ?? change.value.length;
    if (change.added) j += n;
    else if (change.removed) i += n;
    else for (let k = 0; k < n; k++) out.push([i++, j++]);
  }
  return out;
}

/**
 * Monotone matching of `a[a0..a1)` with `b[b0..b1)` maximising the summed score. Only children of one node kind
 * may match, and only when their word similarity (Dice coefficient of the word multisets) reaches
 * {@link MIN_SIMILARITY} or each is the only child of its kind in the stretch; an equal shape adds a little, to
 * break ties. Children that match nothing become sections rather than holes.
 */
function weighted(a: SyntaxTree[], b: SyntaxTree[], a0: number, a1: number, b0: number, b1: number, keys: ChildKeys): Match[] {
  const n = a1 - a0;
  const m = b1 - b0;
  const score = (i: number, j: number): number => {
    const x = a[a0 + i];
    const y = b[b0 + j];
    if (coarseKey(x) !== coarseKey(y)) return 0;
    const similarity = dice(keys.words(x, 0), keys.words(y, 1));
    // Dissimilar children still meet when each is the only one of its kind in the stretch: the same slot.
    if (similarity < MIN_SIMILARITY && (kinds[0].get(coarseKey(x))! > 1 || kinds[1].get(coarseKey(y))! > 1)) return 0;
    return 0.05 + similarity + (x.shape === y.shape ? 0.05 : 0);
  };
  const kinds = [new Map<number, number>(), new Map<number, number>()];
  for (let i = 0; i < n; i++) kinds[0].set(coarseKey(a[a0 + i]), (kinds[0].get(coarseKey(a[a0 + i])) ?? 0) + 1);
  for (let j = 0; j < m; j++) kinds[1].set(coarseKey(b[b0 + j]), (kinds[1].get(coarseKey(b[b0 + j])) ?? 0) + 1);
  // best[i][j]: best total for a[i..), b[j..).
  const best = Array.from({ length: n + 1 }, () => new Float64Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      const s = score(i, j);
      best[i][j] = Math.max(best[i + 1][j], best[i][j + 1], s > 0 ? s + best[i + 1][j + 1] : 0);
    }
  }
  const out: Match[] = [];
  for (let i = 0, j = 0; i < n && j < m; ) {
    const s = score(i, j);
    if (s > 0 && best[i][j] === s + best[i + 1][j + 1]) out.push([a0 + i++, b0 + j++]);
    else if (best[i][j] === best[i + 1][j]) i++;
    else j++;
  }
  return out;
}

/** 2·|A ∩ B| / (|A| + |B|) over word multisets; 1 for two empty ones. */
function dice(a: Map<string, number>, b: Map<string, number>): number {
  let common = 0;
  let total = 0;
  for (const [w, n] of a) {
    total += n;
    common += Math.min(n, b.get(w) ?? 0);
  }
  for (const n of b.values()) total += n;
  return total === 0 ? 1 : (2 * common) / total;
}

