// Issue 13, item 12: quality gates keep libraries of distinct functions in one style from coming out as families.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_GATES, fixedShare, resolveGates } from '../../../src/patterns/gates.js';
import { REPO_ROOT } from '../../e2e/cli.js';
import { detectIn } from './helpers.js';

const read = (folder: string, filter: RegExp) => {
  const dir = path.join(REPO_ROOT, 'tests/fixtures', folder);
  return Object.fromEntries(fs.readdirSync(dir).filter((f) => filter.test(f)).map((f) => [`lib/${f}`, fs.readFileSync(path.join(dir, f), 'utf8')]));
};
const lodash = read('patterns-lodash', /\.js$/);
const handlers = read('patterns/handlers', /\.ts$/);

describe('quality gates', () => {
  it('proposes no family for twenty distinct lodash functions, and says which gates they fail', async () => {
    const r = await detectIn(lodash);
    expect(r.proposals).toEqual([]);
    const rejected = r.rejected.find((x) => x.members.length >= 10);
    expect(rejected?.reason).toMatch(/^below the quality gates: it saves -?\d+ %, less than 25 % \(patterns\.gates\.minSavings, --min-savings\)/);
    expect(rejected?.reason).toContain('more than 2 per member (patterns.gates.maxVariablesPerMember');
  });

  it('still proposes a real family, and the gates are configurable', async () => {
    expect((await detectIn(handlers)).proposals).toHaveLength(1);
    expect((await detectIn(handlers, { gates: { minSavings: 0.99 } })).proposals).toEqual([]);
    const open = await detectIn(lodash, { gates: { minSavings: 0, maxVariablesPerMember: 1000, minFixedShare: 0 } });
    expect(open.proposals.some((p) => p.members.length >= 5)).toBe(true);
  });

  it('measures the fixed share on the Handlebars syntax tree and checks settings', () => {
    expect(fixedShare('abcd{{x}}efgh')).toBeCloseTo(8 / 13);
    expect(fixedShare('{{#if a}}{{b}}{{/if}}')).toBe(0);
    expect(fixedShare('plain')).toBe(1);
    expect(resolveGates(undefined, { minSavings: 0.5 })).toEqual({ ...DEFAULT_GATES, minSavings: 0.5 });
    expect(() => resolveGates({ minFixedShare: 2 })).toThrow('--min-fixed-share (patterns.gates.minFixedShare) must be a number from 0 to 1 (got 2).');
    expect(() => resolveGates({ maxVariablesPerMember: -1 })).toThrow('of at least 0');
  });
});
