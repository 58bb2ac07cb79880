/**
 * Stage 1: exact structural fingerprints. Units whose trees have the same shape id (see `syntax.ts`: kinds and
 * structure equal, identifiers/strings/numbers abstracted) form one shape class, in one pass over the units.
 * Shape classes are what near-miss grouping compares, so its cost depends on distinct shapes, not on files.
 */
import type { Unit } from './units.js';

/** Units with one exact shape. */
export interface ShapeClass {
  /** Position in the run's class list (classes are ordered by their first unit). */
  index: number;
  shape: number;
  /** Members in unit order; the first is the representative whose tree the anti-unifier walks. */
  units: Unit[];
  /** Significant tokens of one member. */
  size: number;
}

/** Groups units into shape classes, ordered by their first unit (so by path: deterministic). */
export function shapeClasses(units: Unit[]): ShapeClass[] {
  const byShape = new Map<number, ShapeClass>();
  const out: ShapeClass[] = [];
  for (const u of units) {
    let c = byShape.get(u.shape);
    if (!c) {
      c = { index: out.length, shape: u.shape, units: [], size: u.size };
      byShape.set(u.shape, c);
      out.push(c);
    }
    c.units.push(u);
  }
  return out;
}

/** The class-abstracted token sequence of a class (its representative's token shapes), for MinHash shingles. */
export function normalizedTokens(c: ShapeClass): number[] {
  const u = c.units[0];
  return u.file.tokens.shapes.slice(u.first, u.first + u.count);
}
