import type { ErrorObject } from 'ajv';
import type { Alias, Document, LineCounter, Node } from 'yaml';
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
 * Most alias expansions a document may make, counted as the `yaml` package counts them (its `maxAliasCount`
 * option, whose default this is): beyond it, a few lines could expand to gigabytes ("billion laughs").
 */
export const YAML_MAX_ALIAS_COUNT = 100;

/**
 * Parses YAML (or JSON, which is YAML 1.2) keeping node positions, with the `yaml` package.
 * @param file - the name used in error locations.
 * @param known - the value, when a cache already has it for this exact text: parsing then waits for `locate`.
 * @throws MetarepoError (exit 2) with the file, line and column, and a hint: on a syntax error (where the parser
 *   reports it); on an alias that names no earlier anchor, or that stands inside the node it refers to (a cycle);
 *   on aliases that expand beyond {@link YAML_MAX_ALIAS_COUNT} (at the alias that crosses the limit).
 */
export function loadDocument(text: string, file: string, kind: 'yaml' | 'json', known?: { value: unknown }): PositionedDocument {
  let parsed: ReturnType<typeof parseWithPositions> | undefined;
  const parse = () => (parsed ??= parseWithPositions(text, file, kind));
  // With a value known from a cache, the (slow) parse with positions happens only if an error needs a position.
  const value = known ? known.value : toValue(parse(), file);
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
  // logLevel 'error': the parser's warnings (a collection used as a key, an unknown tag) would go to
  // process.emitWarning, that is to stderr with a Node.js banner; the values are still what the schema checks.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
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

const ALIAS_HINT = 'An alias (*name) repeats the node its anchor (&name) marks: the anchor must come first and must not contain the alias.';

/**
 * The plain value of a parsed document (`toJS` with {@link YAML_MAX_ALIAS_COUNT}), after checking its aliases:
 * each names an earlier anchor and stands outside the node it repeats (else the value would be cyclic).
 */
function toValue({ doc, lineCounter }: { doc: Document.Parsed; lineCounter: LineCounter }, file: string): unknown {
  const yaml = loadYaml();
  const fail = (message: string, node: Node | undefined, hint: string): never => {
    const pos = lineCounter.linePos(node?.range?.[0] ?? 0);
    throw new MetarepoError(`${file} ${message}.`, { location: { file, line: pos.line, column: pos.col }, hint });
  };
  yaml.visit(doc, {
    Alias(_key, alias, ancestors) {
      const source = alias.resolve(doc);
      if (!source) fail(`has an alias *${alias.source} with no anchor &${alias.source} before it`, alias, ALIAS_HINT);
      if (ancestors.includes(source as never)) fail(`has an alias *${alias.source} inside the node it repeats (a cycle)`, alias, ALIAS_HINT);
    },
  });
  try {
    return doc.toJS({ maxAliasCount: YAML_MAX_ALIAS_COUNT });
  } catch (err) {
    // The aliases are known to resolve, so what remains is the expansion limit (or another conversion error).
    return fail(
      `expands its aliases too many times (more than the limit of ${YAML_MAX_ALIAS_COUNT}): ${firstLine((err as Error).message)}`,
      aliasOverLimit(doc),
      'Write the repeated values out, or repeat fewer nested aliases (a YAML alias bomb is refused).',
    );
  }
}

/**
 * The alias at which `toJS` crosses the alias limit: the yaml package counts expansions in document order and
 * throws without saying where, so the culprit is found by bisection over copies of the document that keep only
 * the first k aliases (the rest become null). Cheap: each try stops at the limit.
 */
function aliasOverLimit(doc: Document.Parsed): Alias | undefined {
  const yaml = loadYaml();
  const aliases: Alias[] = [];
  yaml.visit(doc, { Alias: (_key, alias) => void aliases.push(alias) });
  const failsWithFirst = (k: number): boolean => {
    const copy = doc.clone();
    let seen = 0;
    yaml.visit(copy, { Alias: () => (seen++ < k ? undefined : new yaml.Scalar(null)) });
    try {
      copy.toJS({ maxAliasCount: YAML_MAX_ALIAS_COUNT });
      return false;
    } catch {
      return true;
    }
  };
  let lo = 1;
  let hi = aliases.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (failsWithFirst(mid)) hi = mid;
    else lo = mid + 1;
  }
  return aliases[lo - 1];
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
