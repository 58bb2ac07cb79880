import { describe, expect, it } from 'vitest';
import { resolvePlugins } from '../../../src/plugins/resolution.js';
import { manifest } from './helpers.js';

const resolve = (ms: ReturnType<typeof manifest>[], disabled: string[] = [], metarepoVersion = '0.1.0') =>
  resolvePlugins(ms, { metarepoVersion, disabled: new Set(disabled) });
const names = (r: ReturnType<typeof resolve>) => r.order.map((m) => m.name);

describe('resolvePlugins', () => {
  it('orders dependencies first, ties by name, independent of input order', () => {
    const ms = [
      manifest('zeta'),
      manifest('app', { dependencies: { lib: '^1.0.0', zeta: '1.x' } }),
      manifest('lib', { dependencies: { base: '>=1.0.0' } }),
      manifest('base'),
      manifest('alpha'),
    ];
    const r = resolve(ms);
    expect(r.failed).toEqual([]);
    expect(names(r)).toEqual(['alpha', 'base', 'lib', 'zeta', 'app']);
    expect(names(resolve([...ms].reverse()))).toEqual(names(r));
  });

  it('fails a plugin whose dependency is missing, and only that plugin', () => {
    const r = resolve([manifest('a', { dependencies: { ghost: '^1.0.0' } }), manifest('b')]);
    expect(r.failed).toEqual([{ name: 'a', reason: 'a requires plugin ghost@^1.0.0, which is not installed' }]);
    expect(names(r)).toEqual(['b']);
  });

  it('fails on a version conflict', () => {
    const r = resolve([manifest('a', { dependencies: { b: '^2.0.0' } }), manifest('b', { version: '1.4.0' })]);
    expect(r.failed).toEqual([{ name: 'a', reason: 'a requires plugin b@^2.0.0, but b is version 1.4.0' }]);
    expect(names(r)).toEqual(['b']);
  });

  it("fails when metarepo's version does not satisfy engines.metarepo", () => {
    const r = resolve([manifest('old', { engines: { metarepo: '^2.0.0' } }), manifest('ok', { engines: { metarepo: '>=0.1.0' } })]);
    expect(r.failed).toEqual([{ name: 'old', reason: 'old requires metarepo ^2.0.0, but this is metarepo 0.1.0' }]);
    expect(names(r)).toEqual(['ok']);
  });

  it('accepts a pre-release of metarepo within the range', () => {
    expect(resolve([manifest('p', { engines: { metarepo: '^0.2.0' } })], [], '0.2.1-rc.1').failed).toEqual([]);
  });

  it('reports invalid ranges', () => {
    const r = resolve([manifest('p', { engines: { metarepo: 'soon' }, dependencies: { q: 'latest!' } }), manifest('q')]);
    expect(r.failed[0].reason).toBe('p declares engines.metarepo "soon", which is not a semver range; p declares plugin q@"latest!", which is not a semver range');
  });

  it('reports a cycle with the full chain, for every plugin on it, and fails its dependents', () => {
    const r = resolve([
      manifest('a', { dependencies: { b: '*' } }),
      manifest('b', { dependencies: { c: '*' } }),
      manifest('c', { dependencies: { a: '*' } }),
      manifest('user', { dependencies: { b: '*' } }),
      manifest('free'),
    ]);
    expect(r.failed).toEqual([
      { name: 'a', reason: 'a is in a dependency cycle: a → b → c → a' },
      { name: 'b', reason: 'b is in a dependency cycle: b → c → a → b' },
      { name: 'c', reason: 'c is in a dependency cycle: c → a → b → c' },
      { name: 'user', reason: 'user failed because its dependency b failed: b is in a dependency cycle: b → c → a → b' },
    ]);
    expect(names(r)).toEqual(['free']);
  });

  it('reports a plugin depending on itself', () => {
    expect(resolve([manifest('self', { dependencies: { self: '*' } })]).failed).toEqual([
      { name: 'self', reason: 'self is in a dependency cycle: self → self' },
    ]);
  });

  it('a missing optional dependency is fine; a present one orders first', () => {
    const r = resolve([manifest('a', { optionalDependencies: { ghost: '^1.0.0', b: '^1.0.0' } }), manifest('b')]);
    expect(r.failed).toEqual([]);
    expect(names(r)).toEqual(['b', 'a']);
  });

  it('an optional dependency with the wrong version is a failure', () => {
    const r = resolve([manifest('a', { optionalDependencies: { b: '^3.0.0' } }), manifest('b', { version: '2.0.0' })]);
    expect(r.failed).toEqual([{ name: 'a', reason: 'a requires optional dependency b@^3.0.0, but b is version 2.0.0' }]);
  });

  it('an optional dependency that failed is left out, its dependent still loads', () => {
    const r = resolve([manifest('a', { optionalDependencies: { b: '*' } }), manifest('b', { engines: { metarepo: '^9.0.0' } })]);
    expect(r.failed.map((f) => f.name)).toEqual(['b']);
    expect(names(r)).toEqual(['a']);
  });

  it('a failed dependency propagates with the whole chain', () => {
    const r = resolve([
      manifest('a', { engines: { metarepo: '^9.0.0' } }),
      manifest('b', { dependencies: { a: '*' } }),
      manifest('c', { dependencies: { b: '*' } }),
    ]);
    expect(r.failed).toEqual([
      { name: 'a', reason: 'a requires metarepo ^9.0.0, but this is metarepo 0.1.0' },
      { name: 'b', reason: 'b failed because its dependency a failed: a requires metarepo ^9.0.0, but this is metarepo 0.1.0' },
      {
        name: 'c',
        reason: 'c failed because its dependency b failed: b failed because its dependency a failed: a requires metarepo ^9.0.0, but this is metarepo 0.1.0',
      },
    ]);
    expect(r.order).toEqual([]);
  });

  it('a disabled plugin is neither loaded nor failed; its dependents fail saying so', () => {
    const r = resolve(
      [manifest('x'), manifest('needs-x', { dependencies: { x: '^1.0.0' } }), manifest('likes-x', { optionalDependencies: { x: '*' } }), manifest('z')],
      ['x'],
    );
    expect(r.failed).toEqual([{ name: 'needs-x', reason: 'needs-x depends on disabled plugin x' }]);
    expect(names(r)).toEqual(['likes-x', 'z']);
  });
});
