/**
 * Reading the sources of `metarepo model infer`: sample documents (JSON or YAML) and TypeScript types
 * (`file.ts#Type`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadDocument } from '../../core/document.js';
import { MetarepoError } from '../../core/errors.js';
import { parseJsonWithPositions } from '../../core/json-positions.js';

/** One sample document: the name errors use (the path as the user gave it) and its parsed value. */
export interface Sample {
  file: string;
  value: unknown;
}

/** One `--from` source: a sample document file, or a TypeScript type named `<file.ts>#<Type>`. */
export type InferSource = { kind: 'sample'; file: string } | { kind: 'type'; file: string; type: string };

const TS_FILE = /\.(c|m)?tsx?$/;

/**
 * Classifies the `--from` arguments. `x.ts#Type` (also .tsx, .mts, .cts) is a TypeScript type; anything else a
 * sample document.
 * @throws MetarepoError (exit 2) for a TypeScript file without `#Type`, or no source at all.
 */
export function classifySources(from: string[]): InferSource[] {
  if (from.length === 0) throw new MetarepoError('No --from source given.', { hint: 'Pass sample files (JSON or YAML) or a TypeScript type: --from a.json b.yaml, --from src/types.ts#Order.' });
  return from.map((spec) => {
    const hash = spec.lastIndexOf('#');
    const file = hash < 0 ? spec : spec.slice(0, hash);
    if (TS_FILE.test(file)) {
      const type = hash < 0 ? '' : spec.slice(hash + 1);
      if (!type) throw new MetarepoError(`--from ${spec} names a TypeScript file but no type.`, { hint: `Name the type after a #: --from ${file}#Order.` });
      return { kind: 'type', file, type };
    }
    return { kind: 'sample', file: spec };
  });
}

/**
 * Reads and parses sample documents: `.json` strictly (`JSON.parse`), anything else as YAML 1.2 (one document per
 * file; JSON is YAML too).
 * @param cwd - what relative paths are resolved against.
 * @throws MetarepoError (exit 2) for a file that cannot be read, or that is not valid JSON/YAML (with
 *   file:line:column of the syntax error).
 */
export function readSamples(cwd: string, files: string[]): Sample[] {
  return files.map((file) => {
    let text: string;
    try {
      text = fs.readFileSync(path.resolve(cwd, file), 'utf8');
    } catch {
      throw new MetarepoError(`Cannot read sample ${file}.`, { location: { file }, hint: 'Pass --from with existing JSON or YAML files.' });
    }
    return { file, value: /\.json$/i.test(file) ? parseJson(text, file) : loadDocument(text.replace(/^\uFEFF/, ''), file, 'yaml').value };
  });
}

/**
 * Strict JSON. Node 20's `JSON.parse` names no position for an unexpected token ("Unexpected token ',', … is not
 * valid JSON"), so `parseJsonWithPositions` can only point at the end of the text then; the YAML parser (JSON is
 * YAML 1.2) locates most such errors exactly, and its error is preferred when it finds one.
 */
function parseJson(text: string, file: string): unknown {
  try {
    return parseJsonWithPositions(text, file).value;
  } catch (jsonError) {
    loadDocument(text.replace(/^\uFEFF/, ''), file, 'json');
    throw jsonError;
  }
}
