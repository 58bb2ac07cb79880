/**
 * Generator names for adopted patterns. A family name comes from scanned code (folder and file names) or from an
 * LLM, and becomes a file name (`generators/<name>.mjs`, `templates/<name>/`) and the word after `metarepo new`, so
 * it is reduced to a safe form: lower-case ASCII letters, digits and single dashes, starting with a letter — no path
 * separator, dot, space or quote can survive.
 */
import { kebabCase } from 'change-case';

/** What a generator name may be: what `metarepo new <name>` accepts comfortably, and a safe file name. */
export const GENERATOR_NAME = /^[a-z][a-z0-9-]*$/;

/** Longest generator name {@link safeGeneratorName} returns. */
export const MAX_GENERATOR_NAME = 64;

/**
 * The safe generator name for `raw` (see the module comment): `HTTP Handler` → `http-handler`,
 * `../../etc/passwd` → `etc-passwd`, `café` → `cafe`; a name starting with a digit gets `gen-` before it
 * (`3d-icons` → `gen-3d-icons`); at most {@link MAX_GENERATOR_NAME} characters.
 * @returns the safe name, or `undefined` when nothing usable is left (`../..`, `日本語`).
 */
export function safeGeneratorName(raw: string): string | undefined {
  // Accents off (é → e), then words split the change-case way (httpHandler → http-handler), then anything else out.
  const ascii = raw.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  let name = kebabCase(ascii)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (name === '') return undefined;
  if (!/^[a-z]/.test(name)) name = `gen-${name}`;
  name = name.slice(0, MAX_GENERATOR_NAME).replace(/-+$/, '');
  return GENERATOR_NAME.test(name) ? name : undefined;
}
