import path from 'node:path';
import pc from 'picocolors';
import type { LlmReport } from '../patterns/llm.js';
import type { PatternProposal } from '../patterns/propose.js';
import { closeWorkspace, openWorkspace } from '../workspace/open.js';
import { emit, type GlobalOptions } from './output.js';
import { progressFor } from './progress.js';

interface DetectOptions {
  unit?: string;
  minMembers?: number;
  minSavings?: number;
  maxVariablesPerMember?: number;
  minFixedShare?: number;
  llm?: boolean;
}

/** Families shown in full by the human report; the rest are listed by id. */
const SHOWN = 10;
/** Template lines previewed per family. */
const PREVIEW_LINES = 6;
/** Longest `metarepo new … --set …` example `adopt` prints; a longer one is shown as a pipe from `patterns show`. */
const EXAMPLE_LIMIT = 2000;

/**
 * `metarepo patterns detect <path…>`: finds families, verifies a template for each, stores them, prints a ranked
 * report. `--json` leaves out the wall time (it is in `core:patterns:finished`), so one input gives one output, and
 * `--llm` without an endpoint prints exactly what a run without it prints.
 * @throws MetarepoError (exit 2) for a path that does not exist, an unknown unit kind, `--min-members` below 3, a
 *   quality gate out of range;
 *   `core:patterns:failed` is published first.
 */
export async function patternsDetectCommand(g: GlobalOptions, paths: string[], opts: DetectOptions): Promise<number> {
  const ws = await openWorkspace(g.cwd, 'patterns detect', { strict: g.strict });
  let code = 1;
  try {
    const [{ detectPatterns }, { writeProposals, summarize }] = await Promise.all([import('../patterns/detect.js'), import('../patterns/store.js')]);
    const contributions = await (await ws.plugins()).patterns();
    const unit = opts.unit ?? 'file';
    const rel = paths.map((p) => path.relative(ws.root, path.resolve(g.cwd, p)).split(path.sep).join('/') || '.');
    ws.bus.publish('core:patterns:started', { paths: rel, unit, llm: !!opts.llm });
    const bar = progressFor(g);
    const result = await detectPatterns({
      root: ws.root,
      paths: paths.map((p) => path.resolve(g.cwd, p)),
      unit,
      minMembers: opts.minMembers,
      // Flags override metarepo.yaml's patterns.gates, which overrides the defaults (checked in resolveGates).
      gates: { ...ws.config.patterns?.gates, ...definedOnly({ minSavings: opts.minSavings, maxVariablesPerMember: opts.maxVariablesPerMember, minFixedShare: opts.minFixedShare }) },
      languages: contributions.flatMap((c) => c.contribution.languages ?? []),
      unitKinds: contributions.flatMap((c) => c.contribution.unitKinds ?? []),
      onProgress: (phase, done, total) => bar.update(phase === 'read' ? 'reading' : 'generalising', done, total),
    }).finally(() => bar.done());
    let proposals = result.proposals;
    let llm: LlmReport | undefined;
    if (opts.llm) {
      const { enhanceProposals } = await import('../patterns/llm.js');
      const enhanced = await enhanceProposals(proposals, { root: ws.root, config: ws.config, warn: (m) => process.stderr.write(`${pc.yellow('warning')} ${m}\n`), concurrency: ws.config.patterns?.llm?.concurrency });
      proposals = enhanced.proposals;
      // No endpoint: nothing was asked, so the output is the deterministic run's, byte for byte.
      if (enhanced.report.endpoint !== null) llm = enhanced.report;
    }
    writeProposals(ws.root, { unit, paths: rel }, proposals);
    for (const p of proposals) {
      const s = summarize(p);
      ws.bus.publish('core:patterns:detected', { id: s.id, name: s.name, unit: s.unit, members: s.members, candidates: s.candidates, coverage: s.coverage, savings: s.savings, variables: s.variables });
    }
    const { stats } = result;
    ws.bus.publish('core:patterns:finished', { proposals: proposals.length, files: stats.files, units: stats.units, shapes: stats.shapes, comparisons: stats.comparisons, durationMs: stats.milliseconds });
    code = 0;
    const { milliseconds: _time, ...figures } = stats;
    emit(
      g,
      {
        proposals: proposals.map((p) => ({ ...summarize(p), template: p.template, variables: p.variables, fidelity: fidelity(p), sections: p.sections, shapes: p.shapes })),
        rejected: result.rejected,
        stats: figures,
        ...(llm ? { llm } : {}),
      },
      () => detectReport(proposals, result.stats, result.rejected.length),
    );
    return code;
  } catch (e) {
    ws.bus.publish('core:patterns:failed', { command: 'detect', reason: (e as Error).message });
    throw e;
  } finally {
    await closeWorkspace(ws, code);
  }
}

/**
 * `metarepo patterns show <id> [--answers <member>]`: one stored proposal in full, or with `--answers` one member's
 * answers as JSON (with or without `--json`), for `metarepo new <generator> --answers -`.
 * @throws MetarepoError (exit 2) for an unknown id or member.
 */
export async function patternsShowCommand(g: GlobalOptions, id: string, opts: { answers?: string } = {}): Promise<number> {
  const ws = await openWorkspace(g.cwd, 'patterns show', { strict: g.strict });
  let code = 1;
  try {
    const { readProposal, memberAnswers, PATTERNS_DIR } = await import('../patterns/store.js');
    const p = readProposal(ws.root, id);
    if (opts.answers !== undefined) {
      // A member path may be given relative to the current folder, like every path argument.
      const asPath = path.relative(ws.root, path.resolve(g.cwd, opts.answers)).split(path.sep).join('/');
      const answers = memberAnswers(p, p.members.some((m) => m.path === asPath) ? asPath : opts.answers);
      code = 0;
      emit(g, answers, () => JSON.stringify(answers, null, 2));
      return code;
    }
    code = 0;
    emit(g, { ...p, fidelity: fidelity(p) }, () => {
      const lines = [
        `${pc.bold(p.id)}: ${printable(p.description)}`,
        ...facts(p),
        '',
        pc.bold('variables'),
        ...p.variables.map((v) => `  ${v.name.padEnd(20)} ${v.kind.padEnd(5)} ${v.list ? `(in ${v.list}) ` : ''}${v.requires.length ? `(when ${v.requires.join(', ')}) ` : ''}${printable(v.description)}`),
        '',
        pc.bold('template'),
        ...p.template.split('\n').map((l) => `  ${printable(l.replace(/\r$/, ''))}`),
        pc.bold('members'),
        ...p.members.map((m) => `  exact      ${m.path}`),
        ...p.ejected.map((e) => `  ${e.status.padEnd(10)} ${e.path}: ${e.detail}`),
        '',
        pc.dim(`Stored in ${PATTERNS_DIR}/${p.id}/. Adopt it with: metarepo patterns adopt ${p.id} [--name <generator>]`),
      ];
      return lines.join('\n');
    });
    return code;
  } finally {
    await closeWorkspace(ws, code);
  }
}

/**
 * `metarepo patterns adopt <id> [--name]`: writes the generator, its template and snapshots.
 * @throws MetarepoError (exit 2) for an unknown id, a bad name, a file that exists, a fixture member that is gone;
 *   `core:patterns:failed` is published first.
 */
export async function patternsAdoptCommand(g: GlobalOptions, id: string, opts: { name?: string }): Promise<number> {
  const ws = await openWorkspace(g.cwd, 'patterns adopt', { strict: g.strict, write: true });
  let code = 1;
  try {
    const { adoptPattern } = await import('../patterns/adopt-commit.js');
    const { proposal: p, result, changes } = await adoptPattern(ws, id, { name: opts.name });
    code = 0;
    // Answers too long for a command line (one argument may hold 128 KiB on Linux) go through a pipe instead.
    const example = result.example.map(shellQuote).join(' ');
    const piped = `metarepo patterns show ${shellQuote(p.id)} --answers ${shellQuote(result.exampleMember)} | metarepo new ${result.name} --answers -${p.unit === 'file' ? '' : ` --set file=${shellQuote(result.exampleMember)}`}`;
    emit(g, { id: p.id, generator: result.name, files: changes.map((c) => c.path), example: result.example }, () =>
      [...changes.map((c) => `  create ${c.path}`), '', `Scaffold the next member with:`, `  ${example.length > EXAMPLE_LIMIT ? piped : example}`].join('\n'),
    );
    return code;
  } finally {
    await closeWorkspace(ws, code);
  }
}

function fidelity(p: PatternProposal): { byteExact: number; astEqual: number; failed: number } {
  return { byteExact: p.members.length, astEqual: p.astEqual, failed: p.ejected.length - p.astEqual };
}

function facts(p: PatternProposal): string[] {
  const f = fidelity(p);
  const kinds = ['name', 'data', 'flag', 'list'].map((k) => [k, p.variables.filter((v) => v.kind === k).length] as const).filter(([, n]) => n > 0);
  return [
    `  members    ${p.members.length}/${p.candidates} byte-exact (${percent(p.coverage)})${f.astEqual ? `, ${f.astEqual} AST-equal` : ''}${f.failed ? `, ${f.failed} failed` : ''}`,
    `  savings    ${percent(p.savings)}`,
    `  variables  ${p.variables.length}${kinds.length ? ` (${kinds.map(([k, n]) => `${n} ${k}`).join(', ')})` : ''}: ${p.variables.slice(0, 8).map((v) => v.name).join(', ')}${p.variables.length > 8 ? ', …' : ''}`,
    `  sections   ${p.sections.optional} optional, ${p.sections.repeated} repeated; ${p.shapes} exact shape${p.shapes === 1 ? '' : 's'}`,
    ...(p.pathTemplate !== undefined ? [`  path       ${p.pathTemplate}`] : []),
  ];
}

function detectReport(proposals: PatternProposal[], stats: { files: number; units: number; shapes: number; comparisons: number; milliseconds: number; skipped: unknown[] }, rejected: number): string {
  const head = `${proposals.length} pattern${proposals.length === 1 ? '' : 's'} in ${stats.files} files (${stats.units} units, ${stats.shapes} shapes, ${stats.comparisons} comparisons, ${(stats.milliseconds / 1000).toFixed(1)} s)${stats.skipped.length ? `; ${stats.skipped.length} files skipped` : ''}`;
  const blocks = proposals.slice(0, SHOWN).map((p, i) => {
    const lines = p.template.split('\n');
    return [
      `${pc.bold(`${i + 1}. ${p.id}`)}: ${printable(p.description)}`,
      ...facts(p),
      ...lines.slice(0, PREVIEW_LINES).map((l) => l.replace(/\r$/, '')).map((l) => pc.dim(`  | ${printable(l.length > 110 ? `${l.slice(0, 110)}…` : l)}`)),
      ...(lines.length > PREVIEW_LINES ? [pc.dim(`  | … ${lines.length - PREVIEW_LINES} more lines`)] : []),
    ].join('\n');
  });
  const rest = proposals.length > SHOWN ? [`… and ${proposals.length - SHOWN} more: ${proposals.slice(SHOWN).map((p) => p.id).join(', ')}`] : [];
  const tail = proposals.length ? [pc.dim('Details: metarepo patterns show <id>. Turn one into a generator: metarepo patterns adopt <id>.')] : [];
  // Families below the quality gates or with too few exact members are not shown; --json says why for each.
  if (rejected > 0) tail.push(pc.dim(`${rejected} candidate ${rejected === 1 ? 'family was' : 'families were'} not proposed (quality gates, or too few members render back); --json lists each with the reason.`));
  return [head, '', ...blocks.flatMap((b) => [b, '']), ...rest, ...tail].join('\n');
}

/**
 * Text from an LLM or from scanned code, for the terminal: line breaks, escape sequences and other control characters
 * (tabs excepted) are shown as escapes (`\n`, `\u001b`), so one description stays one line and cannot move the
 * cursor or recolour the screen. `--json` prints the text itself.
 */
function printable(text: string): string {
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/g, (c) =>
    c === '\n' ? '\\n' : c === '\r' ? '\\r' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function percent(x: number): string {
  return `${Math.round(x * 100)}%`;
}

function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./=:@-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
