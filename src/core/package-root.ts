import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const compiled = here.includes(`${path.sep}dist${path.sep}`);

/** Absolute path of the package root (the folder holding package.json, meta-models/, templates/). */
export const PACKAGE_ROOT = path.resolve(here, compiled ? '../../..' : '../..');

/** Where the code runs from: `<package>/dist` when built, the package root under vitest (TS sources). */
export const CODE_ROOT = compiled ? path.join(PACKAGE_ROOT, 'dist') : PACKAGE_ROOT;

/** File extension of runnable modules under {@link CODE_ROOT}. */
export const CODE_EXT = compiled ? '.js' : '.ts';

/** Absolute path of one of metarepo's own meta-models, e.g. `meta-models/workspace/1.0.0.schema.json`. */
export function metaModelPath(name: string, version: string): string {
  return path.join(PACKAGE_ROOT, 'meta-models', name, `${version}.schema.json`);
}
