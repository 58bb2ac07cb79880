/**
 * Model evolution over the registry: diffs between versions (and the working draft), the compatibility policy
 * of each model from metarepo.yaml, and the release steps a policy check walks. The rules themselves are in
 * `./diff/`; this module only picks what to compare.
 */
import { MetarepoError } from '../core/errors.js';
import type { WorkspaceConfig } from '../generated/workspace.js';
import type { GeneratedImport } from './usage.js';
import { checkDeclaredVersion, diffSchemas, requiredBump, violations, type BreaksCode, type CompatibilityPolicy, type OpenContentPolicy, type SchemaChange, type SemverBump } from './diff/index.js';
import { DRAFT_VERSION, type ModelRegistry } from './registry.js';
import { sourceUsage, sourceUsers, type SourceUsage } from './usage-findings.js';

/** A model's policy settings: `models.<name>` of metarepo.yaml over the workspace's `compatibility`. */
export interface ModelPolicy {
  compatibility: CompatibilityPolicy;
  openContent: OpenContentPolicy;
}

/** The default policy (Confluent Schema Registry's default is BACKWARD too). */
export const DEFAULT_COMPATIBILITY: CompatibilityPolicy = 'backward';

/** The policy of model `name`. */
export function modelPolicy(config: WorkspaceConfig, name: string): ModelPolicy {
  const own = config.models?.[name];
  return {
    compatibility: (own?.compatibility ?? config.compatibility ?? DEFAULT_COMPATIBILITY) as CompatibilityPolicy,
    openContent: own?.openContent ?? 'lenient',
  };
}

/** The changes between two versions of one model, judged under its policy. */
export interface ModelDiff {
  model: string;
  /** Earlier version. */
  from: string;
  /** Later version, or `draft`. */
  to: string;
  policy: ModelPolicy;
  changes: SchemaChange[];
  /** The changes that break the policy. */
  violations: SchemaChange[];
  /** The semver bump the changes require under the policy (a SOURCE change: major when `usage` says it reaches code). */
  required: SemverBump;
  /** How the workspace uses the model's generated types, when the caller gave its imports. */
  usage?: SourceUsage;
  /** Whether a SOURCE change breaks code here (from `usage`; absent: every SOURCE change does). */
  breaksCode?: BreaksCode;
}

/** The bundled schema of `name` at `version` (`draft` for the working draft), annotations kept. */
export function schemaAt(registry: ModelRegistry, name: string, version: string): Record<string, unknown> {
  if (version === DRAFT_VERSION) {
    if (!registry.draft(name)) throw new MetarepoError(`Model "${name}" has no working draft.`, { hint: `Start one with \`metarepo model draft ${name}\`.` });
    return registry.bundleDraft(name, { annotations: true }).schema;
  }
  const record = registry.get(name, version);
  if (!record) {
    const known = registry.versions(name);
    throw new MetarepoError(`Model "${name}" has no version ${version}.`, {
      hint: known.length ? `Versions of ${name}: ${known.join(', ')}${registry.draft(name) ? ', draft' : ''}.` : `There is no model "${name}"; \`metarepo model list\` shows the models.`,
    });
  }
  return registry.bundle(record, { annotations: true }).schema;
}

/**
 * The versions `model diff <name>` compares by default: the working draft against the newest version when there
 * is a draft, else the two newest versions.
 * @throws MetarepoError (exit 2) when there is nothing to compare.
 */
export function defaultDiffPair(registry: ModelRegistry, name: string): [string, string] {
  const versions = registry.versions(name);
  if (registry.draft(name) && versions.length > 0) return [versions.at(-1)!, DRAFT_VERSION];
  if (versions.length >= 2) return [versions.at(-2)!, versions.at(-1)!];
  throw new MetarepoError(`Model "${name}" has ${versions.length === 0 ? 'no versions' : 'one version and no draft'}: there is nothing to compare.`, {
    hint: versions.length ? `Start the next version with \`metarepo model draft ${name}\`, edit it, then diff.` : '`metarepo model list` shows the models.',
  });
}

/**
 * Diffs two versions of a model under its policy.
 * @param imports - the projects' imports of the model's generated files (see `modelImports`): given, a SOURCE
 *   change requires a major version only when it reaches an imported type; absent, always.
 * @throws MetarepoError (exit 2) for an unknown model or version.
 */
export function diffModel(registry: ModelRegistry, config: WorkspaceConfig, name: string, from: string, to: string, imports?: GeneratedImport[]): ModelDiff {
  const policy = modelPolicy(config, name);
  const before = schemaAt(registry, name, from);
  const after = schemaAt(registry, name, to);
  const changes = diffSchemas(before, after, { openContent: policy.openContent });
  const usage = imports && sourceUsage(imports, [after, before], rootTypeName(registry, name, to));
  const breaksCode = usage && ((c: SchemaChange) => sourceUsers(c, usage).length > 0);
  const required = requiredBump(changes, policy.compatibility, breaksCode);
  return { model: name, from, to, policy, changes, violations: violations(changes, policy.compatibility), required, ...(usage ? { usage, breaksCode } : {}) };
}

/** The title of a version's root schema, which the TypeScript generator names the root type after; else the model name. */
export function rootTypeName(registry: ModelRegistry, name: string, version: string): string {
  const record = version === DRAFT_VERSION ? registry.draft(name) : registry.get(name, version);
  return typeof record?.schema.title === 'string' ? record.schema.title : name;
}

/** One release of a model checked against the versions its policy compares it with. */
export interface ReleaseCheck {
  model: string;
  /** The release checked. */
  version: string;
  /** Its file, relative to the workspace root. */
  file: string;
  policy: CompatibilityPolicy;
  /** One line per problem: a declared version that understates the change from an earlier version. */
  problems: string[];
}

/**
 * Checks every release of every model with at least two versions: against the previous version, or under a
 * `*_transitive` policy against every earlier version. A release whose version understates the change from a
 * version it is checked against is a problem (see `checkDeclaredVersion`: a policy-breaking change needs a major
 * bump, as does a SOURCE-breaking one that reaches a type some project imports — judged for the newest release
 * only, since imports change after a release; an addition a minor one). Pre-releases are checked like releases.
 * Models under the `none` policy are not checked (a history written before the policy, such as a third-party
 * schema's).
 * @param importsOf - a model's imports by the projects (`modelImports`); asked only for a release that a SOURCE
 *   change would otherwise fail, since it scans the projects' sources.
 */
export async function checkReleases(registry: ModelRegistry, config: WorkspaceConfig, importsOf: (name: string) => Promise<GeneratedImport[]>): Promise<ReleaseCheck[]> {
  const out: ReleaseCheck[] = [];
  const names = [...new Set(registry.list().map((r) => r.name))];
  for (const name of names) {
    const versions = registry.versions(name);
    const { compatibility } = modelPolicy(config, name);
    if (compatibility === 'none') continue; // Confluent's NONE: no compatibility check at all
    let imports: Promise<GeneratedImport[]> | undefined;
    for (let i = 1; i < versions.length; i++) {
      const version = versions[i];
      const earlier = compatibility.endsWith('_transitive') ? versions.slice(0, i) : [versions[i - 1]];
      const problems: string[] = [];
      // Imports change after a release: only the newest release is judged by today's; an older one's SOURCE
      // changes were judged when it was made, so they are not held against it now.
      const newest = i === versions.length - 1;
      for (const from of earlier) {
        let diff = diffModel(registry, config, name, from, version);
        let problem = checkDeclaredVersion(from, version, diff.changes, compatibility, newest ? undefined : () => false);
        if (problem && newest && diff.changes.some((c) => c.impacts.source)) {
          diff = diffModel(registry, config, name, from, version, await (imports ??= importsOf(name)));
          problem = checkDeclaredVersion(from, version, diff.changes, compatibility, diff.breaksCode);
        }
        if (problem) problems.push(problem);
      }
      out.push({ model: name, version, file: registry.get(name, version)!.relFile, policy: compatibility, problems: [...new Set(problems)] });
    }
  }
  return out;
}
