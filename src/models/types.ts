import type { Draft } from './meta-schema.js';

/**
 * One model version as loaded from `models/<name>/<version>.schema.json`. Records are immutable
 * once the registry is loaded; treat `schema` as read-only.
 */
export interface ModelRecord {
  /** Model name: lowercase kebab-case, the folder name (`user-profile`). */
  name: string;
  /** Exact semver version, the file name without `.schema.json` (`1.2.0`). */
  version: string;
  /** Absolute path of the schema file. */
  file: string;
  /** Path of the schema file relative to the workspace root, `/`-separated. */
  relFile: string;
  /** The parsed schema document. */
  schema: Record<string, unknown>;
  /** The document's `$id` (`id` in draft-04), when it has one. */
  id?: string;
  /** The JSON Schema draft the document is written in (from `$schema`, draft-07 when absent). */
  draft: Draft;
  /** Raw file text, for hashing. */
  text: string;
}
