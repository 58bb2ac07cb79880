import { describe, expect, it } from 'vitest';
import { MetarepoError } from '../../../src/core/errors.js';
import {
  checkDeclaredVersion,
  checkTransitive,
  diffSchemas,
  nextVersion,
  requiredBump,
  violations,
  type CompatibilityPolicy,
  type JsonSchema,
  type SchemaChange,
} from '../../../src/models/diff/index.js';

const change = (rule: string, letters: string): SchemaChange => ({
  rule,
  path: `/${rule.toLowerCase()}`,
  message: rule,
  impacts: { backward: letters.includes('B'), forward: letters.includes('F'), source: letters.includes('S') },
});
const narrowed = change('STRING_LENGTH_TIGHTENED', 'B');
const relaxed = change('STRING_LENGTH_RELAXED', 'F');
const enumAdded = change('ENUM_VALUE_ADDED', 'F');
const nullable = change('NULLABLE_ADDED', 'FS');
const described = change('ANNOTATION_CHANGED', '');
const deprecated = change('DEPRECATED_ADDED', '');
const defaulted = change('DEFAULT_CHANGED', '');

describe('violations', () => {
  const all = [narrowed, relaxed, nullable, described];
  it.each([
    ['backward', [narrowed]],
    ['backward_transitive', [narrowed]],
    ['forward', [relaxed, nullable]],
    ['forward_transitive', [relaxed, nullable]],
    ['full', [narrowed, relaxed, nullable]],
    ['full_transitive', [narrowed, relaxed, nullable]],
    ['none', []],
  ] as Array<[CompatibilityPolicy, SchemaChange[]]>)('%s', (policy, expected) => {
    expect(violations(all, policy)).toEqual(expected);
  });

  it('rejects an unknown policy', () => {
    expect(() => violations(all, 'sideways' as CompatibilityPolicy)).toThrow(MetarepoError);
  });
});

describe('checkTransitive', () => {
  // v1 has a string `a`; v2 drops it (open object); the candidate brings it back as an integer.
  const v1: JsonSchema = { type: 'object', properties: { a: { type: 'string' } } };
  const v2: JsonSchema = { type: 'object', properties: {} };
  const candidate: JsonSchema = { type: 'object', properties: { a: { type: 'integer' } } };
  const versions = [
    { version: '2.0.0', schema: v2 },
    { version: '1.0.0', schema: v1 },
  ];

  it('checks only the newest earlier version for a non-transitive policy', () => {
    const results = checkTransitive(versions, candidate, 'backward');
    expect(results.map((r) => r.against)).toEqual(['2.0.0']);
    expect(results[0]!.violations).toEqual([]);
    expect(results[0]!.changes.map((c) => c.rule)).toEqual(['PROPERTY_ADDED_OPTIONAL_OPEN']);
  });

  it('checks every earlier version, oldest first, for a transitive policy', () => {
    const results = checkTransitive(versions, candidate, 'backward_transitive');
    expect(results.map((r) => [r.against, r.violations.map((c) => c.rule)])).toEqual([
      ['1.0.0', ['TYPE_CHANGED']],
      ['2.0.0', []],
    ]);
  });

  it('checks nothing under none, and rejects versions that are not semver', () => {
    expect(checkTransitive(versions, candidate, 'none')).toEqual([]);
    expect(() => checkTransitive([{ version: 'v1', schema: v1 }], candidate, 'full')).toThrow('"v1" is not a semver version.');
  });

  it('passes diff options on', () => {
    const [strict] = checkTransitive([{ version: '2.0.0', schema: v2 }], candidate, 'backward', { openContent: 'strict' });
    expect(strict!.violations.map((c) => c.rule)).toEqual(['PROPERTY_ADDED_OPTIONAL_OPEN']);
  });
});

describe('requiredBump', () => {
  it('is none without changes and patch for annotations only', () => {
    expect(requiredBump([], 'full')).toBe('none');
    expect(requiredBump([described, deprecated], 'full')).toBe('patch');
  });

  it('is minor for changes the policy tolerates, and for behaviour changes', () => {
    expect(requiredBump([described, relaxed], 'backward')).toBe('minor');
    expect(requiredBump([enumAdded], 'backward')).toBe('minor');
    expect(requiredBump([defaulted], 'full')).toBe('minor');
    expect(requiredBump([narrowed], 'none')).toBe('minor');
  });

  it('is major for a change that breaks the policy, so the level depends on the policy', () => {
    const closedAdd = diffSchemas({ properties: {}, additionalProperties: false }, { properties: { b: {} }, additionalProperties: false });
    expect(closedAdd.map((c) => c.rule)).toEqual(['PROPERTY_ADDED_OPTIONAL_CLOSED']);
    expect(requiredBump(closedAdd, 'backward')).toBe('minor');
    expect(requiredBump(closedAdd, 'forward')).toBe('major');
    expect(requiredBump(closedAdd, 'full_transitive')).toBe('major');
  });

  it('is major for a SOURCE-breaking change under any policy', () => {
    expect(requiredBump([nullable], 'backward')).toBe('major');
    expect(requiredBump([nullable], 'none')).toBe('major');
  });
});

describe('nextVersion', () => {
  it.each([
    ['1.2.3', 'major', '2.0.0'],
    ['1.2.3', 'minor', '1.3.0'],
    ['1.2.3', 'patch', '1.2.4'],
    ['1.2.3', 'none', '1.2.3'],
    ['0.3.1', 'major', '0.4.0'],
    ['0.3.1', 'minor', '0.3.2'],
    ['0.0.3', 'major', '0.0.4'],
    ['2.0.0-rc.1', 'major', '2.0.0'],
  ] as const)('%s + %s → %s (caret semantics)', (previous, bump, next) => {
    expect(nextVersion(previous, bump)).toBe(next);
  });
});

describe('checkDeclaredVersion', () => {
  it('accepts a version that bumps enough', () => {
    expect(checkDeclaredVersion('1.2.0', '2.0.0', [narrowed], 'backward')).toBeNull();
    expect(checkDeclaredVersion('1.2.0', '3.0.0', [narrowed], 'backward')).toBeNull();
    expect(checkDeclaredVersion('1.2.0', '1.3.0', [relaxed], 'backward')).toBeNull();
    expect(checkDeclaredVersion('1.2.0', '1.2.1', [described], 'full')).toBeNull();
    expect(checkDeclaredVersion('1.2.0', '2.0.0-rc.1', [narrowed], 'backward')).toBeNull();
    expect(checkDeclaredVersion('0.4.0', '0.5.0', [narrowed], 'backward')).toBeNull();
    expect(checkDeclaredVersion('1.2.0', '1.2.0', [], 'full')).toBeNull();
  });

  it('names the required bump, the lowest version and the change when the version understates it', () => {
    expect(checkDeclaredVersion('1.2.0', '1.3.0', [described, narrowed], 'backward')).toBe(
      'Version 1.3.0 understates the change from 1.2.0: STRING_LENGTH_TIGHTENED at /string_length_tightened breaks the backward policy, so a major bump is required (2.0.0 or later).',
    );
    expect(checkDeclaredVersion('1.2.0', '1.2.1', [nullable], 'none')).toContain('NULLABLE_ADDED at /nullable_added breaks generated code, so a major bump is required (2.0.0 or later)');
    expect(checkDeclaredVersion('0.4.0', '0.4.1', [narrowed], 'backward')).toContain('(0.5.0 or later)');
    expect(checkDeclaredVersion('1.2.0', '1.2.5', [relaxed], 'backward')).toContain('a minor bump is required (1.3.0 or later)');
  });

  it('refuses a version that does not move forward', () => {
    expect(checkDeclaredVersion('1.2.0', '1.2.0', [described], 'full')).toBe(
      'Version 1.2.0 must be greater than the previous version 1.2.0: the schema changed (ANNOTATION_CHANGED at /annotation_changed).',
    );
    expect(checkDeclaredVersion('1.2.0', '1.1.0', [], 'full')).toBe('Version 1.1.0 is lower than the previous version 1.2.0.');
  });

  it('rejects versions that are not semver', () => {
    expect(() => checkDeclaredVersion('1.2', '1.3.0', [], 'full')).toThrow(MetarepoError);
  });
});
