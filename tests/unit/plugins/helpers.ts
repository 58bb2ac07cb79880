import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MetarepoError } from '../../../src/core/errors.js';
import type { PluginManifest } from '../../../src/plugins/manifest.js';

/** A fresh temporary folder. */
export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'metarepo-plugins-'));
}

/** Writes `<dir>/package.json` (an object is pretty-printed with two spaces; a string is written as is). */
export function writePackage(dir: string, pkg: Record<string, unknown> | string): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), typeof pkg === 'string' ? pkg : JSON.stringify(pkg, null, 2));
  return dir;
}

/** Writes a minimal valid plugin package named `name` into `dir`. */
export function writePlugin(dir: string, name: string, metarepo: Record<string, unknown> = {}, version = '1.0.0'): string {
  return writePackage(dir, { name, version, metarepo: { engines: { metarepo: '^0.1.0' }, ...metarepo } });
}

/** An in-memory manifest for resolution and context tests. */
export function manifest(name: string, overrides: Partial<PluginManifest> = {}): PluginManifest {
  return {
    name,
    version: '1.0.0',
    dir: `/plugins/${name}`,
    source: 'workspace',
    main: `/plugins/${name}/index.js`,
    engines: { metarepo: '^0.1.0' },
    dependencies: {},
    optionalDependencies: {},
    contributes: { generators: [], scaffolds: [], checks: [], commands: [], events: [], patterns: [], pages: [] },
    activationEvents: [],
    permissions: { write: [], childProcess: false, network: false },
    isolation: 'in-process',
    ...overrides,
  };
}

/** The MetarepoError `fn` throws or rejects with (fails the test if it does not). */
export async function errorOf(fn: () => unknown): Promise<MetarepoError> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof MetarepoError) return e;
    throw e;
  }
  throw new Error('expected a MetarepoError');
}
