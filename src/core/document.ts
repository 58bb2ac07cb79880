import type { ErrorObject } from 'ajv';
import { parsePointer } from './pointer.js';
import { loadYaml, locateSegments } from './positions.js';
import { MetarepoError, type SourceLocation } from './errors.js';

/** A parsed YAML or JSON document that can say where a value stands in its text. */
export interface PositionedDocument {
  value: unknown;
  file: string;
  /**
   * Position of the value at a JSON pointer (`/targets/0/model`); falls back to the nearest existing parent.
   * With `key: true`, the position of the map key instead of its value (for "unknown property" errors).
   */
  locate(pointer: string, opts?: { key?: boolean }): Required<SourceLocation>;
}

/**
 * Parses YAML (or JSON, which is YAML 1.2) keeping node positions, with the `yaml` package.
 * @param file - the name used in error locations.
 * @param known - the value, when a cache already has it for this exact text: parsing then waits for `locate`.
 * @throws MetarepoError (exit 2) on a syntax error, with the file, line and column the parser reports.
 */
export function loadDocument(text: string, file: string, kind: 'yaml' | 'json', known?: { value: unknown }): PositionedDocument {
  let parsed: ReturnType<typeof parseWithPositions> | undefined;
  const parse = () => (parsed ??= parseWithPositions(text, file, kind));
  // With a value known from a cache, the (slow) parse with positions happens only if an error needs a position.
  const value = known ? known.value : parse().doc.toJS({ maxAliasCount: 100 });
  return {
    value,
    file,
    locate(pointer, opts = {}) {
      const { doc, lineCounter } = parse();
      return { file, ...locateSegments(loadYaml(), doc, lineCounter, parsePointer(pointer), !!opts.key) };
    },
  };
}

function parseWithPositions(text: string, file: string, kind: 'yaml' | 'json') {
  const { LineCounter, parseDocument } = loadYaml();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const err = doc.errors[0];
  if (err) {
    const pos = lineCounter.linePos(err.pos[0]);
    throw new MetarepoError(`${file} is not valid ${kind === 'yaml' ? 'YAML' : 'JSON'}: ${firstLine(err.message)}.`, {
      location: { file, line: pos.line, column: pos.col },
      hint: kind === 'yaml' ? 'Fix the YAML syntax at that position (indentation, quotes, colons).' : 'Fix the JSON syntax at that position (commas, quotes, brackets).',
    });
  }
  return { doc, lineCounter };
}

function firstLine(s: string): string {
  return s.split('\n')[0].replace(/\.$/, '');
}

/**
 * Turns one ajv error into a message and the position of the offending value.
 * For an unknown property the position is its key; for a missing property, the object holding it.
 */
export function describeAjvError(e: ErrorObject, doc: PositionedDocument): { message: string; location: Required<SourceLocation> } {
  const where = e.instancePath || '(root)';
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'additionalProperties') {
    const prop = String(params.additionalProperty);
    return {
      message: `unknown property "${prop}" at ${where}`,
      location: doc.locate(`${e.instancePath}/${prop.replace(/~/g, '~0').replace(/\//g, '~1')}`, { key: true }),
    };
  }
  let message = `${where} ${e.message ?? 'is invalid'}`;
  if (e.keyword === 'enum') message += ` (${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')})`;
  if (e.keyword === 'const') message += ` (${JSON.stringify(params.allowedValue)})`;
  return { message, location: doc.locate(e.instancePath) };
}
