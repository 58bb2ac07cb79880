// Shared set-up of the process-plugin tests: fixture plugins read through the real manifest loader, a temp
// workspace per test, and plugin processes that afterEach stops. The child entry is the compiled one
// (dist/src/plugins/process/child.js, built by the vitest globalSetup): a forked Node process cannot load `.ts`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect } from 'vitest';
import { MetarepoError } from '../../../src/core/errors.js';
import type { CheckContext } from '../../../src/plugins/api.js';
import { readPluginManifest } from '../../../src/plugins/manifest.js';
import { ProcessPlugin, type ProcessPluginOptions } from '../../../src/plugins/process/host.js';

export const childUrl = new URL('../../../dist/src/plugins/process/child.js', import.meta.url);

/** Absolute folder of a fixture plugin. */
export function fixtureDir(name: string): string {
  return fileURLToPath(new URL(`./fixtures/${name}/`, import.meta.url));
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A fresh temp folder, removed after the test. */
export function tempDir(prefix = 'metarepo-process-'): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A ProcessPlugin for the plugin in `dir` (a temp workspace as root unless given), stopped after the test. */
export async function processPlugin(dir: string, options: Partial<Omit<ProcessPluginOptions, 'manifest'>> = {}): Promise<ProcessPlugin> {
  const plugin = new ProcessPlugin({
    manifest: await readPluginManifest(dir, 'path'),
    root: tempDir('metarepo-workspace-'),
    childUrl,
    graceMs: 500,
    log: () => undefined,
    ...options,
  });
  cleanups.push(() => plugin.stop());
  return plugin;
}

/** Registers an extra cleanup (watchers). */
export function onCleanup(fn: () => Promise<void> | void): void {
  cleanups.push(fn);
}

/** A check context for `root` whose pending changes create `paths`. */
export function checkContext(root: string, paths: string[] = []): CheckContext {
  const changes = paths.map((p) => ({ type: 'create' as const, path: p, content: 'x' }));
  return { root, workspace: {}, models: [], targets: [], changes, releases: [], command: 'check' };
}

/** The rejection of `promise`, which must be a MetarepoError of exit code 1. */
export async function failure(promise: Promise<unknown>): Promise<MetarepoError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MetarepoError);
  expect((error as MetarepoError).exitCode).toBe(1);
  return error as MetarepoError;
}
