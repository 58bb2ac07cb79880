/**
 * Alignment of child sequences for hedge anti-unification: which children of one node correspond to which children
 * of the medoid's node. The longest common subsequence plays the part of the "rigidity function" of Kutsia, Levy &
 * Villaret, "Anti-unification for unranked terms and hedges" (JAR 2014): children it matches are generalised
 * recursively, the rest become optional or repeated sections.
 *
 * Three passes, each inside the stretches the previous one left between two matches: equal text (so an inserted
 * line of the same shape as its neighbour does not take the neighbour's place), then exact shape (identical
 * structure), then coarse key (same node kind), so that `f(a)` still meets `f(a, b)` and the difference becomes an
 * optional argument. The LCS is jsdiff's Myers diff (`diffArrays`).
 */
import { diffArrays } from 'diff';
import { isToken, type SyntaxTree } from './syntax.js';

/** A matched pair of positions: `[medoid index, other index]`, increasing in both. */
export type Match = [number, number];

/**
 * The alignment of `other` against `medoid` (see the module comment).
 * @param textKey - a number per child that is equal for equal text (of the class representative's tokens).
 */
export function alignChildren(medoid: SyntaxTree[], other: SyntaxTree[], textKey: (t: SyntaxTree, side: 0 | 1) => number): Match[] {
  const keys: Array<(t: SyntaxTree, side: 0 | 1) => number> = [textKey, exactKey, coarseKey];
  let matches: Match[] = [];
  for (const key of keys) {
    const out: Match[] = [];
    let am = 0;
    let ao = 0;
    for (const m of [...matches, [medoid.length, other.length] as Match]) {
      if (m[0] > am && m[1] > ao) out.push(...lcs(medoid, other, am, m[0], ao, m[1], key));
      if (m[0] < medoid.length) out.push(m);
      am = m[0] + 1;
      ao = m[1] + 1;
    }
    matches = out;
  }
  return matches;
}

function exactKey(t: SyntaxTree): number {
  return t.shape;
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
