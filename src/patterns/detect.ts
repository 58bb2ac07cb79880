/**
 * Pattern detection end to end: units → shape classes → near-miss clusters → per-package families → verified
 * proposals, ranked (stages 0–8 of `../shared/reference/pattern-detection.md`). Deterministic: the same files give
 * the same proposals in the same order.
 */
import path from 'node:path';
import { MetarepoError } from '../core/errors.js';
import type { PatternLanguage, PatternNode, PatternTree, PatternUnitKind } from '../plugins/api.js';
import { clusterShapes, DEFAULT_CLUSTER, type ClusterOptions } from './cluster.js';
import { shapeClasses, type ShapeClass } from './fingerprint.js';
import { createTypeScriptLanguage } from './languages/typescript.js';
import { textLanguage } from './languages/text.js';
import { gateFailures, resolveGates, type QualityGates } from './gates.js';
import { draft, familyClasses, propose, type Draft, type PatternProposal } from './propose.js';
import { rankOrder } from './rank.js';
import { ShapeTable } from './syntax.js';
import { BUILTIN_UNIT_KINDS, listFiles, readUnits, type Unit } from './units.js';
import { ROOT_SCOPE } from './variables.js';

/** Options of {@link detectPatterns}. */
export interface DetectOptions {
  /** Absolute folder that paths are reported relative to (the workspace root). */
  root: string;
  /** Files or folders to scan, absolute. */
  paths: string[];
  /** Unit kind name: `file` (default), `declaration`, `member`, or one a plugin adds. */
  unit?: string;
  /** Smallest family: verified members a template needs. Default 3, the least allowed (Method step 7 of issue 7). */
  minMembers?: number;
  /** Languages and unit kinds from plugins (built-ins are always there; a plugin language wins on its extensions). */
  languages?: PatternLanguage[];
  unitKinds?: PatternUnitKind[];
  /** Quality gates a proposal must pass (see `gates.ts`); missing entries take the defaults. */
  gates?: Partial<QualityGates>;
  /** Near-miss grouping parameters (see `cluster.ts`). */
  cluster?: Partial<ClusterOptions>;
  /** Progress, for long runs: phase name, done, total. */
  onProgress?: (phase: 'read' | 'propose', done: number, total: number) => void;
}

/** The least `minMembers`: a template needs three verified members (`../shared/reference/pattern-detection.md`, stage 6). */
export const MIN_MEMBERS = 3;

/** Figures of a detection run. */
export interface DetectStats {
  files: number;
  units: number;
  /** Distinct exact shapes. */
  shapes: number;
  /** Candidate families after near-miss grouping and the package split. */
  candidates: number;
  /** Candidate pairs compared by LSH. */
  comparisons: number;
  skipped: Array<{ path: string; reason: string }>;
  milliseconds: number;
}

/** What {@link detectPatterns} returns. */
export interface DetectResult {
  proposals: PatternProposal[];
  /** Candidate families without a proposal, with the reason. */
  rejected: Array<{ reason: string; members: string[] }>;
  stats: DetectStats;
}

/**
 * Finds families of similar units under `paths` and proposes a verified template for each.
 * @throws MetarepoError (exit 2) for an unknown unit kind, a path that does not exist, `minMembers` below
 *   {@link MIN_MEMBERS}, or a gate out of range.
 */
export async function detectPatterns(opts: DetectOptions): Promise<DetectResult> {
  const started = performance.now();
  const minMembers = opts.minMembers ?? DEFAULT_CLUSTER.minMembers;
  if (!Number.isInteger(minMembers) || minMembers < MIN_MEMBERS) {
    throw new MetarepoError(`--min-members must be a whole number of at least ${MIN_MEMBERS} (got ${minMembers}).`, {
      hint: `A template is accepted only with at least ${MIN_MEMBERS} verified members: two members cannot tell a variable from a coincidence.`,
    });
  }
  const gates = resolveGates(opts.gates);
  const kinds = [...BUILTIN_UNIT_KINDS, ...(opts.unitKinds ?? [])];
  const unitKind = kinds.find((k) => k.name === (opts.unit ?? 'file'));
  if (!unitKind) {
    throw new MetarepoError(`Unknown unit kind "${opts.unit}".`, { hint: `Use one of: ${kinds.map((k) => k.name).join(', ')}.` });
  }
  const files = listFiles(opts.paths);
  const languages = [await createTypeScriptLanguage(), ...(opts.languages ?? [])];
  const table = new ShapeTable();
  const read = readUnits({ root: opts.root, files, unitKind, languages, table, onFile: (d, t) => opts.onProgress?.('read', d, t) });
  const classes = shapeClasses(read.units);
  const clustered = clusterShapes(classes, { ...opts.cluster, minMembers });
  const tokensOf = (text: string, file: string) => tokenTexts(text, file, languages);
  const ctx = { unitKind: unitKind.name, minMembers, tokensOf };

  const proposals: PatternProposal[] = [];
  const rejected: DetectResult['rejected'] = [];
  let candidates = 0;
  clustered.clusters.forEach((cluster, i) => {
    for (const family of splitByPackage(cluster, minMembers, unitKind.name === 'file')) {
      candidates++;
      const result = propose(family.classes, ctx, family);
      if ('rejected' in result) {
        rejected.push({ reason: result.rejected, members: result.members });
        continue;
      }
      const failures = gateFailures({ ...result, variables: result.variables.length, members: result.members.length }, gates);
      if (failures.length > 0) rejected.push({ reason: `below the quality gates: ${failures.join('; ')}`, members: [...result.members.map((m) => m.path), ...result.ejected.map((e) => e.path)] });
      else proposals.push(result);
    }
    opts.onProgress?.('propose', i + 1, clustered.clusters.length);
  });
  return {
    proposals: uniqueIds(rankOrder(proposals)),
    rejected,
    stats: {
      files: read.files.length,
      units: read.units.length,
      shapes: classes.length,
      candidates,
      comparisons: clustered.comparisons,
      skipped: read.skipped,
      milliseconds: Math.round(performance.now() - started),
    },
  };
}

/**
 * A cluster spanning several packages (nearest package.json) is split into one family per package when some
 * top-level variable is constant inside every package but not across them — the packages were made by one
 * generator with different settings (`AmazonSQS` / `AmazonS3`), and a template per package needs fewer variables.
 * Packages with fewer than `minMembers` members are dropped.
 */
function splitByPackage(cluster: ShapeClass[], minMembers: number, withPaths: boolean): Draft[] {
  const whole = draft(familyClasses(cluster), withPaths);
  const packages = [...new Set(whole.members.map((m) => m.unit.file.packageDir))];
  if (packages.length < 2) return [whole];
  const perPackage = whole.factoring.variables.some((v) => {
    if (v.scope !== ROOT_SCOPE || (v.kind !== 'name' && v.kind !== 'data')) return false;
    const seen = new Map<string, unknown>();
    for (let i = 0; i < whole.members.length; i++) {
      const pkg = whole.members[i].unit.file.packageDir;
      const value = whole.factoring.answers[i][v.name];
      if (value === undefined) return false;
      if (seen.has(pkg) && seen.get(pkg) !== value) return false;
      seen.set(pkg, value);
    }
    return new Set(seen.values()).size > 1;
  });
  if (!perPackage) return [whole];
  return packages
    .map((pkg) => familyClasses(cluster, (u: Unit) => u.file.packageDir === pkg))
    .filter((classes) => classes.reduce((n, c) => n + c.members.length, 0) >= minMembers)
    .map((classes) => draft(classes, withPaths));
}

/** Ids are names; a repeated name gets `-2`, `-3`… in rank order (skipping ids another family already has). */
function uniqueIds(proposals: PatternProposal[]): PatternProposal[] {
  const taken = new Set<string>();
  return proposals.map((p) => {
    let id = p.name;
    for (let n = 2; taken.has(id); n++) id = `${p.name}-${n}`;
    taken.add(id);
    return id === p.id ? p : { ...p, id };
  });
}

/**
 * The token texts of `text` (trivia dropped), parsed as the language of `file` would parse it (plain-text tokens
 * when no language claims the file or its parser throws): what "AST-equal" compares.
 */
export function tokenTexts(text: string, file: string, languages: PatternLanguage[]): string[] {
  const ext = path.posix.extname(file).toLowerCase();
  const language = languages.find((l) => l.extensions.includes(ext)) ?? textLanguage;
  let root: PatternNode;
  try {
    root = language.parse(text, file);
  } catch {
    root = textLanguage.parse(text, file);
  }
  const out: string[] = [];
  const visit = (t: PatternTree): void => {
    if ('text' in t) {
      if (t.text !== '') out.push(t.text);
    } else t.children.forEach(visit);
  };
  visit(root);
  return out;
}
