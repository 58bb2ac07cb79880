/**
 * The proposals of the last detection run, kept under `.metarepo/patterns/` for `patterns show` and `patterns
 * adopt`: `index.json` (the ranked list), and per proposal `<id>/proposal.json`, `<id>/template.hbs`,
 * `<id>/answers.json` (each verified member's path and answers; {@link memberAnswers} picks one) and
 * `<id>/verification.log`. A run replaces the
 * folder as a whole (written beside it, then renamed), so readers never see half of one run and half of another.
 */
import fs from 'node:fs';
import path from 'node:path';
import { EXIT_FAILURE, MetarepoError } from '../core/errors.js';
import { STATE_DIR } from '../core/layout.js';
import type { PatternProposal } from './propose.js';

/** Folder of the proposals, relative to the workspace root. */
export const PATTERNS_DIR = `${STATE_DIR}/patterns`;

/** One row of `index.json`. */
export interface StoredSummary {
  id: string;
  name: string;
  description: string;
  unit: string;
  members: number;
  candidates: number;
  coverage: number;
  savings: number;
  variables: number;
  pathTemplate?: string;
}

/** `index.json`. */
export interface StoredIndex {
  /** Format version of the folder. */
  version: 1;
  unit: string;
  /** The scanned paths, relative to the workspace root. */
  paths: string[];
  proposals: StoredSummary[];
}

/** The summary of a proposal, as `index.json` and `patterns detect --json` list it. */
export function summarize(p: PatternProposal): StoredSummary {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    unit: p.unit,
    members: p.members.length,
    candidates: p.candidates,
    coverage: p.coverage,
    savings: p.savings,
    variables: p.variables.length,
    ...(p.pathTemplate !== undefined ? { pathTemplate: p.pathTemplate } : {}),
  };
}

/**
 * Replaces `.metarepo/patterns/` with the proposals of one run.
 * @throws the I/O error (exit 1) when the folder cannot be written; the previous run's folder is then kept.
 */
export function writeProposals(root: string, index: Omit<StoredIndex, 'version' | 'proposals'>, proposals: PatternProposal[]): void {
  const dir = path.join(root, PATTERNS_DIR);
  const staging = `${dir}.${process.pid}.tmp`;
  fs.rmSync(staging, { recursive: true, force: true });
  try {
    fs.mkdirSync(staging, { recursive: true });
    const stored: StoredIndex = { version: 1, ...index, proposals: proposals.map(summarize) };
    fs.writeFileSync(path.join(staging, 'index.json'), json(stored));
    for (const p of proposals) {
      const pdir = path.join(staging, p.id);
      fs.mkdirSync(pdir);
      const { template, answers, ...rest } = p;
      fs.writeFileSync(path.join(pdir, 'proposal.json'), json(rest));
      fs.writeFileSync(path.join(pdir, 'template.hbs'), template);
      fs.writeFileSync(path.join(pdir, 'answers.json'), json(p.members.map((m, i) => ({ path: m.path, key: m.key, answers: answers[i] }))));
      fs.writeFileSync(path.join(pdir, 'verification.log'), verificationLog(p));
    }
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw new MetarepoError(`Could not write ${PATTERNS_DIR}: ${(e as Error).message}`, { exitCode: EXIT_FAILURE, cause: e });
  }
  const old = `${dir}.${process.pid}.old`;
  if (fs.existsSync(dir)) fs.renameSync(dir, old);
  fs.renameSync(staging, dir);
  fs.rmSync(old, { recursive: true, force: true });
}

/**
 * The stored index, or `undefined` when no detection ran yet.
 * @throws MetarepoError (exit 1) when the index is not readable JSON.
 */
export function readIndex(root: string): StoredIndex | undefined {
  const file = path.join(root, PATTERNS_DIR, 'index.json');
  if (!fs.existsSync(file)) return undefined;
  return readJson(file) as StoredIndex;
}

/**
 * A stored proposal, template and answers included.
 * @throws MetarepoError (exit 2) naming the stored ids when there is no proposal `id`; (exit 1) for damaged files.
 */
export function readProposal(root: string, id: string): PatternProposal {
  const index = readIndex(root);
  const dir = path.join(root, PATTERNS_DIR, id);
  if (!index || !index.proposals.some((p) => p.id === id) || !fs.existsSync(dir)) {
    throw new MetarepoError(`There is no pattern "${id}".`, {
      hint: index
        ? `Patterns of the last run: ${index.proposals.map((p) => p.id).join(', ') || '(none)'}.`
        : 'Run "metarepo patterns detect <path>" first.',
    });
  }
  const rest = readJson(path.join(dir, 'proposal.json')) as Omit<PatternProposal, 'template' | 'answers'>;
  const answers = (readJson(path.join(dir, 'answers.json')) as Array<{ answers: Record<string, unknown> }>).map((a) => a.answers);
  return { ...rest, template: fs.readFileSync(path.join(dir, 'template.hbs'), 'utf8'), answers };
}

/** Members listed by name in the message of {@link memberAnswers} before the rest are counted. */
const LISTED_MEMBERS = 10;

/**
 * The answers that render one member of `p` (what `patterns show <id> --answers <member>` prints, and
 * `metarepo new <generator> --answers -` takes), the member named by its path (relative to the workspace root) or,
 * when no path matches, by its key (file name without extensions, or declared name).
 * @throws MetarepoError (exit 2) when no member matches (listing members), or a key names several (listing their
 *   paths).
 */
export function memberAnswers(p: PatternProposal, member: string): Record<string, unknown> {
  let index = p.members.findIndex((m) => m.path === member);
  if (index < 0) {
    const byKey = p.members.flatMap((m, i) => (m.key === member ? [i] : []));
    if (byKey.length > 1) {
      throw new MetarepoError(`"${member}" is the key of ${byKey.length} members of pattern "${p.id}".`, {
        hint: `Name one by its path: ${byKey.map((i) => p.members[i].path).join(', ')}.`,
      });
    }
    index = byKey[0] ?? -1;
  }
  if (index < 0) {
    const listed = p.members.slice(0, LISTED_MEMBERS).map((m) => (p.unit === 'file' ? m.path : `${m.path} (${m.key})`));
    const more = p.members.length - listed.length;
    throw new MetarepoError(`Pattern "${p.id}" has no member "${member}".`, {
      hint: `Name a member by its path or key: ${listed.join(', ')}${more > 0 ? `, and ${more} more (see ${PATTERNS_DIR}/${p.id}/answers.json)` : ''}.`,
    });
  }
  return p.answers[index];
}

/** One line per candidate member: `exact`, `ast-equal` or `failed`, with the first difference for the latter two. */
export function verificationLog(p: PatternProposal): string {
  const lines = [
    ...p.members.map((m) => ({ path: m.path, line: `exact      ${m.path}${p.unit === 'file' ? '' : ` ${m.key}`}` })),
    ...p.ejected.map((e) => ({ path: e.path, line: `${e.status.padEnd(10)} ${e.path}${p.unit === 'file' ? '' : ` ${e.key}`}: ${e.detail}` })),
  ].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return `${lines.map((l) => l.line).join('\n')}\n`;
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new MetarepoError(`Cannot read ${file}: ${(e as Error).message}`, {
      location: { file },
      hint: 'Run "metarepo patterns detect" again to rewrite it.',
      exitCode: EXIT_FAILURE,
      cause: e,
    });
  }
}
