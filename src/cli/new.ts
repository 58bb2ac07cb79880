import fs from 'node:fs';
import path from 'node:path';
import pc from 'picocolors';
import { MetarepoError } from '../core/errors.js';
import { describeFinding } from '../engine/commit.js';
import { findScaffoldGenerator, listScaffoldGenerators } from '../templates/scaffold/run.js';
import { scaffoldNew } from '../templates/scaffold/new.js';
import { closeWorkspace, openWorkspace } from '../workspace/open.js';
import { emit, type GlobalOptions } from './output.js';

interface NewOptions {
  set: string[];
  /** `--answers <file.json|->`: answers as a JSON object, from a file or stdin. */
  answers?: string;
  dryRun?: boolean;
  yes?: boolean;
}

/** `metarepo new [generator] [name]`: lists generators, or runs one into a Tree and commits it. */
export async function newCommand(g: GlobalOptions, generatorName: string | undefined, name: string | undefined, opts: NewOptions): Promise<number> {
  const ws = await openWorkspace(g.cwd, 'new', { strict: g.strict, write: !opts.dryRun });
  let code = 1;
  try {
    // The built-in generators' plugins activate only when needed: a workspace plopfile's generator replaces a
    // built-in of its name, so running one needs none of them.
    const builtins = async () => (await ws.plugins()).scaffolds();
    if (!generatorName) {
      const all = await listScaffoldGenerators(ws.root, await builtins());
      emit(g, { generators: all.map(({ name, description, source }) => ({ name, description, source })) }, () =>
        ['Scaffold generators (metarepo new <generator> [name] --set key=value):', ...all.map((e) => `  ${e.name.padEnd(16)} ${e.description}${e.source === 'workspace' ? pc.dim(' (workspace)') : ''}`)].join('\n'),
      );
      code = 0;
      return code;
    }
    const entry = await findScaffoldGenerator(ws.root, generatorName, builtins);
    // --answers first, then --set over it for the keys it names (and the positional name over both).
    const answers = { ...(opts.answers !== undefined ? await readAnswers(opts.answers, g.cwd) : {}), ...parseSets(opts.set) };
    if (name !== undefined) {
      const key = ('positional' in entry.generator && entry.generator.positional) || 'name';
      answers[key] = name;
    }
    const { result, changes, findings } = await scaffoldNew(ws, {
      entry,
      answers,
      interactive: !!process.stdin.isTTY && !opts.yes && !g.json && opts.answers !== '-',
      dryRun: opts.dryRun,
    });
    const errors = findings.filter((f) => f.severity === 'error');
    code = errors.length ? 1 : 0; // a dry run exits as the real run would: a failing check vetoes it
    const describeChanges = opts.dryRun && !g.json ? (await import('./diff.js')).describeChanges : undefined;
    emit(g, { generator: entry.name, answers: result.answers, project: result.project, changes: changes.map((c) => ({ type: c.type, path: c.path })), dryRun: !!opts.dryRun, messages: result.messages }, () =>
      opts.dryRun ? [describeChanges!(changes), ...errors.map((f) => `${pc.red('error')} ${describeFinding(f)}`), pc.dim('dry run: nothing was written')].join('\n') : changes.map((c) => `  ${c.type === 'create' ? 'create' : c.type === 'modify' ? 'update' : 'remove'} ${c.path}`).join('\n'),
    );
    return code;
  } finally {
    await closeWorkspace(ws, code);
  }
}

/** Parses `--set key=value` flags. @throws MetarepoError (exit 2) for a flag without `=`. */
export function parseSets(sets: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const s of sets) {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new MetarepoError(`--set ${s} is not of the form key=value.`, { hint: 'Write --set name=value, e.g. --set description="My library".' });
    out[s.slice(0, eq)] = s.slice(eq + 1);
  }
  return out;
}

/** What `--answers -` reads, named in messages. */
const STDIN_LABEL = '<stdin>';

/**
 * Reads `--answers <file.json|->`: a JSON object of answers (question name → value, typed as JSON: `true`, numbers,
 * arrays and objects are taken as they are; strings are converted per question as `--set` values are). `-` reads
 * stdin to its end; a file name is relative to `cwd`.
 * @throws MetarepoError (exit 2) when the file cannot be read, is not valid JSON (file, line, column), or holds
 *   anything but an object (file and the value's line and column).
 */
export async function readAnswers(source: string, cwd: string): Promise<Record<string, unknown>> {
  const label = source === '-' ? STDIN_LABEL : source;
  let text: string;
  try {
    if (source === '-') {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
      text = Buffer.concat(chunks).toString('utf8');
    } else {
      text = fs.readFileSync(path.resolve(cwd, source), 'utf8');
    }
  } catch (e) {
    throw new MetarepoError(`Cannot read the answers in ${label}: ${(e as Error).message}`, {
      location: { file: label },
      hint: 'Pass a JSON file of answers, e.g. --answers answers.json, or - to read them from stdin.',
      cause: e,
    });
  }
  const { parseJsonWithPositions } = await import('../core/json-positions.js');
  const parsed = parseJsonWithPositions(text, label);
  const value = parsed.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    const { line, column } = parsed.locate('');
    throw new MetarepoError(`${label} must hold a JSON object of answers (question name → value), not ${kind} (line ${line}, column ${column}).`, {
      location: { file: label, line, column },
      hint: 'Write the answers as one object, e.g. {"name": "payments", "withTests": true}; metarepo patterns show <id> --answers <member> prints one.',
    });
  }
  return value as Record<string, unknown>;
}
