import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { ScaffoldGeneratorEntry } from './run.js';

/**
 * The `version` of a generator's template.yaml: in a built-in's templates folder, or for a workspace plopfile
 * generator in `templates/<generator name>/` (where `metarepo new generator` puts it). `undefined` when there is
 * none or it has no string `version`.
 */
export function templateVersionOf(root: string, entry: ScaffoldGeneratorEntry): string | undefined {
  const dir = 'templatesDir' in entry.generator ? entry.generator.templatesDir : path.join(root, 'templates', entry.name);
  try {
    const version = (parse(fs.readFileSync(path.join(dir, 'template.yaml'), 'utf8')) as { version?: unknown } | null)?.version;
    return typeof version === 'string' ? version : undefined;
  } catch {
    return undefined;
  }
}
