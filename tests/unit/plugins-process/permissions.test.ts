import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MetarepoError } from '../../../src/core/errors.js';
import { permissionFlags } from '../../../src/plugins/process/permissions.js';

const root = path.resolve('/ws');
const plugin = (write: string[], childProcess = false) => ({ name: 'p', permissions: { write, childProcess, network: true } });

/** The flags other than the permission switch and the warning filter, which depend on the Node version. */
function grants(flags: string[]): string[] {
  return flags.filter((f) => f.startsWith('--allow-'));
}

describe('permissionFlags', () => {
  it('turns the permission model on, allows reading everything and writing nothing by default', () => {
    const flags = permissionFlags(plugin([]), root);
    expect(flags[0]).toMatch(/^--(experimental-)?permission$/);
    expect(grants(flags)).toEqual(['--allow-fs-read=*']);
  });

  it('grants each declared write path and its subtree with one wildcard grant, resolved against the workspace root', () => {
    expect(grants(permissionFlags(plugin(['out/reports', './gen/']), root))).toEqual([
      '--allow-fs-read=*',
      `--allow-fs-write=${path.join(root, 'out/reports', '*')}`,
      `--allow-fs-write=${path.join(root, 'gen', '*')}`,
    ]);
  });

  it('grants a path declared twice once: Node 20 aborts on a repeated grant', () => {
    expect(grants(permissionFlags(plugin(['gen', './gen/', 'gen/../gen']), root))).toEqual(['--allow-fs-read=*', `--allow-fs-write=${path.join(root, 'gen', '*')}`]);
  });

  it('allows child processes only when declared, and never workers or addons', () => {
    expect(grants(permissionFlags(plugin([], true), root))).toEqual(['--allow-fs-read=*', '--allow-child-process']);
    expect(permissionFlags(plugin([], true), root).some((f) => f === '--allow-worker' || f === '--allow-addons')).toBe(false);
  });

  it('grants no write path outside a workspace', () => {
    expect(grants(permissionFlags(plugin(['out']), null))).toEqual(['--allow-fs-read=*']);
  });

  it('refuses a write path that leaves the workspace', () => {
    expect(() => permissionFlags(plugin(['../elsewhere']), root)).toThrow(MetarepoError);
    expect(() => permissionFlags(plugin(['/etc']), root)).toThrow(/absolute/);
  });
});
