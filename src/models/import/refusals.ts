import type { JsonWithPositions } from '../../core/json-positions.js';
import type { ModelRegistry } from '../registry.js';
import { idKeyword } from '../schema-index.js';
import type { ModelRecord } from '../types.js';
import type { LocatedProblem } from '../validate.js';
import type { NameCollision } from './naming.js';
import type { ImportSource } from './sources.js';

/** A source file that is a valid schema, with its root `$id` (draft-04 `id`) if it declares one. */
export interface ParsedSource {
  source: ImportSource;
  json: JsonWithPositions;
  schema: Record<string, unknown>;
  draft: ModelRecord['draft'];
  id?: string;
}

/** A problem located in a source file (`display` as its name, as messages and errors name it). */
export function sourceProblem(source: ImportSource, message: string, hint: string, pos?: { line: number; column: number }): LocatedProblem {
  return { message, hint, displayFile: source.display, location: { file: source.display, line: pos?.line, column: pos?.column } };
}

/**
 * Why files cannot be added under the names they got, every one: names that collide or cannot be derived, a model
 * name that exists already (never overwritten), a root `$id` a model of the workspace declares, or another imported
 * file (both located at the `$id`). `$id`s compare equal regardless of an empty trailing fragment.
 * @param names - the model name of each file of `parsed`, in order.
 */
export function refusals(registry: ModelRegistry, parsed: ParsedSource[], names: string[], collisions: NameCollision[]): LocatedProblem[] {
  const problems: LocatedProblem[] = [];
  for (const c of collisions) {
    const source = parsed.find((p) => p.source.display === c.files[0])!.source;
    problems.push(
      c.name === ''
        ? sourceProblem(source, `No model name can be derived from ${c.files[0]}.`, 'Give the file an $id whose last path segment is a name (e.g. ".../order-line.json"), or rename it to start with a letter.')
        : sourceProblem(source, `${c.files.join(', ')} would all be model "${c.name}".`, 'Give the files $ids that end differently, or import them separately with `metarepo model add <name> --from <file>`.'),
    );
  }
  const bare = (id: string) => id.replace(/#$/, '');
  const workspaceIds = new Map(registry.list().flatMap((r) => (r.id === undefined ? [] : [[bare(r.id), r] as const])));
  const importedIds = new Map<string, string>();
  parsed.forEach((p, i) => {
    const name = names[i]!;
    const versions = name ? registry.versions(name) : [];
    if (versions.length > 0) {
      problems.push(sourceProblem(p.source, `Model "${name}" already exists (versions ${versions.join(', ')}).`, `Run \`metarepo model bump ${name}\` to add a new version, or choose another name.`));
    }
    if (p.id === undefined) return;
    const at = p.json.locate(`/${idKeyword(p.draft)}`);
    const clash = workspaceIds.get(bare(p.id));
    if (clash) {
      problems.push(
        sourceProblem(p.source, `${p.source.display} has the $id "${p.id}" of model ${clash.name}@${clash.version}.`, `Give the new model its own $id, or add it as a version of ${clash.name} with \`metarepo model bump ${clash.name}\`.`, at),
      );
    }
    const twin = importedIds.get(bare(p.id));
    if (twin) problems.push(sourceProblem(p.source, `${p.source.display} has the $id "${p.id}" of ${twin}, which is imported too.`, 'Give each imported file its own $id, or leave one of them out.', at));
    importedIds.set(bare(p.id), p.source.display);
  });
  return problems;
}
