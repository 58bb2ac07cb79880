import { describe, expect, it } from 'vitest';
import { clusterShapes } from '../../../src/patterns/cluster.js';
import type { ShapeClass } from '../../../src/patterns/fingerprint.js';
import { estimatedJaccard, intersectionSize, LshIndex, minhash, shingles } from '../../../src/patterns/minhash.js';

/** A deterministic token sequence: `n` tokens drawn from a small vocabulary by a linear congruential generator. */
function tokens(n: number, seed: number): number[] {
  let x = seed;
  return Array.from({ length: n }, () => (x = (x * 1103515245 + 12345) % 2147483648) % 97);
}

/** A stand-in shape class whose representative's tokens are `seq` (only what clustering reads). */
function shapeClass(index: number, seq: number[], members = 1): ShapeClass {
  const file = { path: `f${index}.ts`, abs: '', language: 'typescript', tokens: { trivia: [], texts: [], trailing: [], shapes: seq }, packageDir: '' };
  const units = Array.from({ length: members }, (_, k) => ({ index: index * 100 + k, file, first: 0, count: seq.length, shape: index, key: `f${index}`, size: seq.length }));
  return { index, shape: index, units, size: seq.length };
}

function jaccard(a: Uint32Array, b: Uint32Array): number {
  const common = intersectionSize(a, b);
  return common / (a.length + b.length - common);
}

describe('MinHash', () => {
  it('estimates the Jaccard similarity of shingle sets within sampling error', () => {
    const base = tokens(400, 7);
    const edited = [...base.slice(0, 150), ...tokens(60, 99), ...base.slice(150)];
    const a = shingles(base);
    const b = shingles(edited);
    expect(Math.abs(estimatedJaccard(minhash(a), minhash(b)) - jaccard(a, b))).toBeLessThan(0.15);
    expect(estimatedJaccard(minhash(a), minhash(a))).toBe(1);
    expect(estimatedJaccard(minhash(a), minhash(shingles(tokens(400, 12345))))).toBeLessThan(0.2);
  });

  it('shingles are ordered windows: the same tokens in another order are another set', () => {
    const seq = tokens(50, 3);
    expect(jaccard(shingles(seq), shingles([...seq].reverse()))).toBeLessThan(0.2);
    expect(shingles([1, 2])).toHaveLength(1);
  });
});

describe('LSH index', () => {
  it('proposes an earlier item whose signature shares a band, once, and never one of the same group', () => {
    const lsh = new LshIndex(16);
    const sig = minhash(shingles(tokens(200, 5)));
    const seen: number[] = [];
    lsh.add(0, sig, (i) => i, (o) => seen.push(o));
    lsh.add(1, sig, (i) => i, (o) => seen.push(o));
    lsh.add(2, sig, () => 7, (o) => seen.push(o)); // same group as everything: nothing to compare
    lsh.add(3, minhash(shingles(tokens(200, 777))), (i) => i, (o) => seen.push(o));
    expect(seen).toEqual([0]);
    expect(lsh.comparisons).toBe(1);
  });
});

describe('near-miss clustering of shape classes', () => {
  it('joins near-miss classes, keeps unrelated ones apart, and lets small exact classes stand alone', () => {
    const base = tokens(120, 11);
    const classes = [
      shapeClass(0, base, 2),
      shapeClass(1, [...base.slice(0, 60), 5, 6, 7, ...base.slice(60)], 1), // one inserted statement
      shapeClass(2, [...base, ...base.slice(0, 30)], 1), // a repeated part: contained in the union
      shapeClass(3, tokens(120, 4242), 5), // unrelated
      shapeClass(4, tokens(25, 8), 4), // below the size floor, exact clones
      shapeClass(5, tokens(25, 9), 2), // below the floor, too few members
    ];
    const r = clusterShapes(classes, { minMembers: 3 });
    expect(r.clusters.map((c) => c.map((s) => s.index))).toEqual([[0, 1, 2], [3], [4]]);
    expect(r.hashed).toBe(4);
  });

  it('compares a bounded number of candidates per class, so comparisons grow linearly', () => {
    const count = (n: number) => {
      const families = Array.from({ length: n / 10 }, (_, f) => tokens(150, f + 1));
      const classes = Array.from({ length: n }, (_, i) => {
        const base = families[i % families.length];
        return shapeClass(i, [...base.slice(0, 40 + (i % 7)), i % 97, ...base.slice(40 + (i % 7))]);
      });
      return clusterShapes(classes).comparisons;
    };
    const small = count(200);
    const large = count(800);
    expect(large).toBeLessThanOrEqual(small * 4 * 1.2);
    expect(large).toBeLessThanOrEqual(800 * 16 * 4);
  });
});
