/**
 * `metarepo update <project>` (copier's `update`): re-renders a project's generator with the answers it was
 * scaffolded with, then 3-way merges each file — base: what the generator wrote last time (`.metarepo/base/`),
 * ours: the project as it is, theirs: the new rendering.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MetarepoError } from '../../core/errors.js';
import { answersFile, type AnswersRecord } from './projects.js';
import { sha256 } from '../../core/hash.js';
import { readBase } from '../../engine/merge/base-store.js';
import { mergeThreeWay, type FileConflict } from '../../engine/merge/three-way.js';
import { Tree } from '../../engine/tree.js';
import { runScaffold, templateOf, workspaceConfigAt, type ScaffoldGeneratorEntry } from './run.js';

/** Options of {@link planUpdate}. */
export interface UpdateOptions {
  root: string;
  /** The project's answers record (see {@link readAnswersRecord}). */
  record: AnswersRecord;
  /** Its generator (`findScaffoldGenerator(root, record.generator, …)`). */
  entry: ScaffoldGeneratorEntry;
  /** Answers that replace recorded ones (`--set`). */
  set?: Record<string, unknown>;
  /** Ask new questions through inquirer; otherwise they take their defaults. */
  interactive?: boolean;
  /** `report`: conflicting files stay untouched; `markers`: written with conflict markers. */
  conflicts?: 'report' | 'markers';
}

/** What an update will do; nothing is written until the caller commits `tree`. */
export interface UpdatePlan {
  generator: string;
  fromVersion?: string;
  toVersion?: string;
  /** Names of the questions the recorded answers did not answer (asked now, or defaulted). */
  newQuestions: string[];
  /** Holds every file change of the update and the new answers record. */
  tree: Tree;
  /** Files whose edits were merged with the new rendering without conflict. */
  merged: string[];
  conflicts: FileConflict[];
  /** Files left alone on purpose, with why (a person deleted a file the template still has...). */
  notes: string[];
  /** The answers record to write. */
  record: AnswersRecord;
  /** Contents to keep as merge bases once the update is committed (the new rendering of each recorded file). */
  bases: string[];
}

/**
 * Plans the update of one project.
 * @throws MetarepoError any error of rendering the generator (see {@link runScaffold}), e.g. exit 2 for an
 *   answer that no longer fits a question.
 */
export async function planUpdate(opts: UpdateOptions): Promise<UpdatePlan> {
  const { root, record: old, entry } = opts;
  const template = await templateOf(root, entry.generator);
  const toVersion = template?.version;
  const workspace = await workspaceConfigAt(root);

  // Render afresh into an empty scratch folder: every file of the new template version, nothing of the project.
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'metarepo-update-'));
  let rendered: Map<string, string>;
  let answers: Record<string, unknown>;
  try {
    const result = await runScaffold({
      root: scratch,
      tree: new Tree(scratch),
      generator: entry.generator,
      answers: { ...old.answers, ...opts.set },
      interactive: opts.interactive,
      // The scratch folder is not the workspace: its template and configuration are passed in.
      ...(template ? { template } : {}),
      workspace,
      // Recorded answers a newer generator no longer asks are kept as before; a --set no question asks is refused.
      keepUnasked: Object.keys(old.answers).filter((k) => !(opts.set && k in opts.set)),
    });
    rendered = new Map(result.changes.filter((c) => c.content !== undefined).map((c) => [c.path, c.content!]));
    answers = result.answers;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }

  const tree = new Tree(root);
  const plan: UpdatePlan = {
    generator: entry.name,
    ...(old.templateVersion ? { fromVersion: old.templateVersion } : {}),
    ...(toVersion ? { toVersion } : {}),
    newQuestions: Object.keys(answers).filter((k) => !(k in old.answers)).sort(),
    tree,
    merged: [],
    conflicts: [],
    notes: [],
    record: { ...old, answers, ...(toVersion ? { templateVersion: toVersion } : {}), files: {} },
    bases: [],
  };
  const recorded = old.files ?? {};
  for (const file of [...new Set([...rendered.keys(), ...Object.keys(recorded)])].sort()) {
    updateFile(plan, file, rendered.get(file), recorded[file], opts.conflicts ?? 'report');
  }
  return plan;
}

/** Decides one file: take theirs, keep ours, merge, delete, or report a conflict; fills `plan`. */
function updateFile(plan: UpdatePlan, file: string, theirs: string | undefined, baseHash: string | undefined, mode: 'report' | 'markers'): void {
  const { tree } = plan;
  const ours = tree.read(file);
  const base = baseHash === undefined ? null : readBase(tree.root, baseHash);
  const record = (content: string) => {
    plan.record.files![file] = sha256(content);
    plan.bases.push(content);
  };
  const keepBase = () => {
    if (baseHash !== undefined) plan.record.files![file] = baseHash; // the next update starts from the same base
  };
  if (theirs === undefined) {
    // The new template no longer has the file: remove it unless the person changed it.
    if (ours !== null && ours === base) tree.delete(file, { origin: 'update' });
    else if (ours !== null) plan.notes.push(`${file}: no longer in the template; kept because it was edited`);
    return;
  }
  if (ours === null) {
    if (baseHash === undefined) tree.write(file, theirs, { origin: 'update' }); // new in the template
    else plan.notes.push(`${file}: deleted in the project; left deleted`);
    record(theirs);
    return;
  }
  if (baseHash !== undefined && base === null && ours !== theirs) {
    plan.conflicts.push({ file, resolution: 'no-base', hunks: [] });
    keepBase();
    return;
  }
  const result = mergeThreeWay(base ?? '', ours, theirs);
  if (result.clean) {
    if (result.text !== theirs) plan.merged.push(file);
    tree.write(file, result.text, { overwrite: true, origin: 'update' });
    record(theirs);
    return;
  }
  plan.conflicts.push({ file, resolution: mode === 'markers' ? 'markers' : baseHash === undefined ? 'both-added' : 'untouched', hunks: result.conflicts });
  if (mode === 'markers') {
    tree.write(file, result.text, { overwrite: true, origin: 'update' });
    record(theirs);
  } else keepBase();
}

/**
 * The answers record of a project.
 * @throws MetarepoError (exit 2) when it is missing or unreadable, naming the projects that have one.
 */
export function readAnswersRecord(root: string, project: string): AnswersRecord {
  const file = path.join(root, answersFile(project));
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    const dir = path.dirname(file);
    const known = fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -5)) : [];
    throw new MetarepoError(`Project "${project}" has no answers record (${answersFile(project)}).`, {
      hint: known.length ? `Projects scaffolded by metarepo: ${known.join(', ')}.` : 'Only projects scaffolded with `metarepo new` can be updated.',
    });
  }
  try {
    const record = JSON.parse(text) as AnswersRecord;
    if (typeof record.generator !== 'string' || typeof record.answers !== 'object' || record.answers === null) throw new Error('generator or answers missing');
    return record;
  } catch (e) {
    throw new MetarepoError(`${answersFile(project)} is not a valid answers record: ${(e as Error).message}.`, {
      location: { file: answersFile(project) },
      hint: 'Restore it from git; it records the generator, the answers and the files of the project.',
    });
  }
}
