import { MetarepoError } from '../core/errors.js';
import { idKeyword } from './schema-index.js';
import { MODEL_FILE_SUFFIX, MODEL_NAME_PATTERN, type ModelRegistry } from './registry.js';
import { problemsError, validateSchemaDocument } from './validate.js';

/** A file to create: path relative to the workspace root (`/`-separated) and its content. */
export interface PlannedModelFile {
  path: string;
  content: string;
}

/**
 * Plans adding a new model at version 1.0.0 from an existing JSON Schema file. Writes nothing: the
 * caller writes the result through the Tree.
 * @param name - the new model's name, lowercase kebab-case.
 * @param sourceText - the schema text; kept as written (a missing final newline is added).
 * @param sourceFile - how errors name the source (the path the user gave).
 * @returns `{ path: '<modelsDir>/<name>/1.0.0.schema.json', content }`.
 * @throws MetarepoError (exit 2) for a bad name, a model that already exists, invalid JSON or an
 *   invalid schema (located by line and column in `sourceFile`), or an `$id` another model has.
 */
export function prepareModelAdd(
  registry: ModelRegistry,
  name: string,
  sourceText: string,
  sourceFile: string,
): PlannedModelFile {
  if (!MODEL_NAME_PATTERN.test(name)) {
    throw new MetarepoError(`Model name "${name}" is not lowercase kebab-case.`, {
      hint: 'Use lowercase letters, digits and single hyphens, starting with a letter, e.g. "order-line".',
    });
  }
  const existing = registry.versions(name);
  if (existing.length > 0) {
    throw new MetarepoError(`Model "${name}" already exists (versions ${existing.join(', ')}).`, {
      hint: `Run \`metarepo model bump ${name}\` to add a new version, or choose another name.`,
    });
  }
  const checked = validateSchemaDocument(sourceText, sourceFile);
  if ('problems' in checked) {
    throw problemsError(
      checked.problems.map((p) => ({
        message: p.message,
        hint: p.hint,
        displayFile: sourceFile,
        location: { file: sourceFile, line: p.position?.line, column: p.position?.column },
      })),
    );
  }
  const id = checked.schema[idKeyword(checked.draft)];
  const clash = typeof id === 'string' ? registry.list().find((r) => sameId(r.id, id)) : undefined;
  if (clash) {
    const { line, column } = checked.json.locate(`/${idKeyword(checked.draft)}`);
    throw new MetarepoError(`${sourceFile} has the $id "${id}" of model ${clash.name}@${clash.version}.`, {
      location: { file: sourceFile, line, column },
      hint: `Give the new model its own $id, or add it as a version of ${clash.name} with \`metarepo model bump ${clash.name}\`.`,
    });
  }
  const body = sourceText.replace(/^\uFEFF/, '');
  return {
    path: `${registry.modelsDir}/${name}/1.0.0${MODEL_FILE_SUFFIX}`,
    content: body.endsWith('\n') ? body : body + '\n',
  };
}

/** `$id`s compare equal regardless of an empty trailing fragment (`...schema#`). */
function sameId(a: string | undefined, b: string): boolean {
  return a !== undefined && a.replace(/#$/, '') === b.replace(/#$/, '');
}
