import { MetarepoError, type SourceLocation } from '../core/errors.js';
import { parseJsonWithPositions, type JsonWithPositions, type TextPosition } from '../core/json-positions.js';
import { isObjectSchema } from './keywords.js';
import { DEPTH_HINT, MAX_MODEL_DEPTH, abbreviatePointer, findTooDeepInText, isTextTooDeep } from './limits.js';
import { SUPPORTED_SCHEMA_URIS, checkMetaSchema, detectDraft, type Draft } from './meta-schema.js';

/** Why a text is not a usable schema document, with where (1-based) when known. */
export interface SchemaDocumentProblem {
  message: string;
  hint: string;
  position?: TextPosition;
}

/** A text that is a valid schema document. */
export interface ValidSchemaDocument {
  json: JsonWithPositions;
  schema: Record<string, unknown>;
  draft: Draft;
}

/**
 * Checks that `text` is a JSON Schema document metarepo accepts as a model: objects and arrays nested at most
 * {@link MAX_MODEL_DEPTH} levels deep (checked on the text first, so no recursive walk, parser or ajv ever sees a
 * deeper document), valid JSON, an object, a supported `$schema` (see {@link SUPPORTED_SCHEMA_URIS}; draft-07 when
 * absent) and valid against that draft's meta-schema.
 * @param displayName - how messages name the document (e.g. the workspace-relative path).
 * @returns the parsed document, or every problem found (one per offending keyword; for a document nested too deep,
 *   one problem at the first object or array beyond the limit, with its JSON pointer in the message).
 */
export function validateSchemaDocument(
  text: string,
  displayName: string,
): ValidSchemaDocument | { problems: SchemaDocumentProblem[] } {
  if (isTextTooDeep(text)) {
    const excess = findTooDeepInText(text);
    const where = excess ? ` (at ${abbreviatePointer(excess.pointer)})` : '';
    return {
      problems: [{ message: `${displayName} nests objects and arrays deeper than ${MAX_MODEL_DEPTH} levels${where}.`, hint: DEPTH_HINT, position: excess?.position }],
    };
  }
  let json: JsonWithPositions;
  try {
    json = parseJsonWithPositions(text, displayName);
  } catch (err) {
    if (!(err instanceof MetarepoError)) throw err;
    const { line, column } = err.location ?? {};
    const position = line !== undefined && column !== undefined ? { line, column } : undefined;
    return { problems: [{ message: err.message, hint: err.hint ?? '', position }] };
  }
  const schema = json.value;
  if (!isObjectSchema(schema)) {
    return {
      problems: [
        {
          message: `${displayName} must hold a JSON object (a schema), not ${Array.isArray(schema) ? 'an array' : typeof schema}.`,
          hint: 'Wrap the schema in { ... }, e.g. { "type": "object", "properties": { ... } }.',
          position: json.locate(''),
        },
      ],
    };
  }
  const draft = detectDraft(schema);
  if (!draft) {
    return {
      problems: [
        {
          message: `${displayName} declares an unsupported $schema ${JSON.stringify(schema.$schema)}.`,
          hint: `Use one of ${Object.values(SUPPORTED_SCHEMA_URIS).join(', ')}, or omit $schema for draft-07.`,
          position: json.locate('/$schema'),
        },
      ],
    };
  }
  const problems = checkMetaSchema(schema, draft);
  if (problems.length > 0) {
    return {
      problems: problems.map((p) => ({
        message: `${displayName} is not a valid JSON Schema (${draft}): ${p.message}.`,
        hint: `Give that keyword a value the ${draft} meta-schema allows (see https://json-schema.org/understanding-json-schema/reference).`,
        position: json.locate(p.pointer),
      })),
    };
  }
  return { json, schema, draft };
}

/** A problem tied to a file: `location.file` as errors carry it, `displayFile` as messages name it. */
export interface LocatedProblem {
  message: string;
  hint: string;
  location: SourceLocation;
  displayFile: string;
}

/**
 * One MetarepoError (exit 2) for a list of problems, sorted by file, line and column: the first
 * problem's message, location and hint, and every problem in `details` as `file:line:column: message`.
 */
export function problemsError(unsorted: LocatedProblem[]): MetarepoError {
  const problems = [...unsorted].sort(
    (a, b) =>
      (a.displayFile < b.displayFile ? -1 : a.displayFile > b.displayFile ? 1 : 0) ||
      (a.location.line ?? 0) - (b.location.line ?? 0) ||
      (a.location.column ?? 0) - (b.location.column ?? 0),
  );
  const details = problems.map((p) => {
    const where = [p.displayFile, p.location.line, p.location.column].filter((x) => x !== undefined).join(':');
    return `${where}: ${p.message}`;
  });
  const first = problems[0]!;
  if (problems.length === 1) return new MetarepoError(first.message, { location: first.location, hint: first.hint, details });
  const files = new Set(problems.map((p) => p.displayFile)).size;
  return new MetarepoError(
    `${problems.length} problems in ${files} file${files === 1 ? '' : 's'}; the first: ${first.message}`,
    { location: first.location, hint: `Fix each problem listed. The first: ${first.hint}`, details },
  );
}
