import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';

const require = createRequire(import.meta.url);

/**
 * A validator that `scripts/build-validators.mjs` compiled at build time with Ajv's standalone mode
 * (`dist/src/generated/validators/<name>.cjs`), or `undefined` when there is none (running from sources).
 * Loading it skips importing Ajv and compiling the schema: about 100–250 ms of every CLI start.
 */
export function loadPrecompiled(name: string): ValidateFunction | undefined {
  try {
    const mod = require(`./validators/${name}.cjs`) as { default?: ValidateFunction } & ValidateFunction;
    return mod.default ?? mod;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw e;
  }
}
