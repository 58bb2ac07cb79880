import type { Document } from 'yaml';
import { MetarepoError } from './errors.js';
import { loadYaml, locateSegments, type TextPosition } from './positions.js';
import { parsePointer } from './pointer.js';

export type { TextPosition };

/** Parsed JSON plus a way back from a JSON pointer to where it sits in the text. */
export interface JsonWithPositions {
  /** The parsed value (exactly what `JSON.parse` returns). */
  value: unknown;
  /**
   * Where the value at `pointer` (e.g. `/properties/name/type`) is written. For an object member the
   * position is that of its key, so errors point at the keyword; for an array item, the item itself.
   * A pointer that does not exist falls back to its nearest existing parent (the root is line 1 of
   * the value).
   */
  locate(pointer: string): TextPosition;
}

/**
 * Parses JSON text and keeps the means to name line and column of any member.
 * `JSON.parse` decides validity and produces the value (fast, strict JSON); the position map is a
 * YAML 1.2 parse of the same text (JSON is YAML 1.2), built lazily on the first `locate` call, so
 * documents that never report an error pay nothing for positions.
 * @param text - the JSON text; a leading byte-order mark is ignored.
 * @param file - the file name used in error locations.
 * @throws MetarepoError (exit 2) with file, line and column when the text is not valid JSON.
 */
export function parseJsonWithPositions(text: string, file: string): JsonWithPositions {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (err) {
    throw syntaxError(body, file, err as Error);
  }
  let map: PositionMap | undefined;
  return {
    value,
    locate(pointer) {
      map ??= new PositionMap(body);
      return map.locate(pointer);
    },
  };
}


/** Maps JSON pointers to positions through the YAML node tree of the text. */
class PositionMap {
  private readonly yaml = loadYaml();
  private readonly lines = new this.yaml.LineCounter();
  private readonly doc: Document.Parsed;

  constructor(text: string) {
    this.doc = this.yaml.parseDocument(text, { lineCounter: this.lines, uniqueKeys: false });
  }

  locate(pointer: string): TextPosition {
    return locateSegments(this.yaml, this.doc, this.lines, parsePointer(pointer), true);
  }
}

/** Turns a `JSON.parse` failure into a located MetarepoError. */
function syntaxError(text: string, file: string, err: Error): MetarepoError {
  // V8 names the offending offset ("... in JSON at position 7"); "Unexpected end of JSON input" has none.
  const match = /at position (\d+)/.exec(err.message);
  const offset = match ? Number(match[1]) : text.length;
  const { LineCounter, parseDocument } = loadYaml();
  const lines = new LineCounter();
  parseDocument(text, { lineCounter: lines });
  const { line, col } = lines.linePos(offset);
  const reason = err.message.replace(/\s*\(line \d+ column \d+\)/, '').replace(/ in JSON at position \d+/, '');
  return new MetarepoError(`${file} is not valid JSON: ${reason} (line ${line}, column ${col}).`, {
    location: { file, line, column: col },
    hint: 'Fix the JSON syntax there: a missing comma, quote or bracket, or a trailing comma, is the usual cause.',
    cause: err,
  });
}
