// Compiled-code locations for tests that start worker threads: a worker cannot load `.ts`, so these
// tests use dist/, which tests/setup/build.ts (the vitest globalSetup) compiles before any test runs.
import { fileURLToPath } from 'node:url';

const distRoot = new URL('../../../dist/', import.meta.url);

/** URL of a compiled file, e.g. `distUrl('src/engine/worker/worker.js')`. */
export function distUrl(relative: string): URL {
  return new URL(relative, distRoot);
}

/** File URL (string) of a test generator module under fixtures/. */
export function fixture(name: string): string {
  return new URL(`./fixtures/${name}.mjs`, import.meta.url).href;
}

/** Absolute path form of {@link fixture}, for the "module may be a path" case. */
export function fixturePath(name: string): string {
  return fileURLToPath(fixture(name));
}
