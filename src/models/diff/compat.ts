/**
 * Compatibility policies and semver: which changes a policy forbids, the version bump a set of
 * changes requires, and whether a declared version says enough.
 *
 * Policies are Confluent Schema Registry's compatibility types (docs.confluent.io, "Schema
 * Evolution and Compatibility"): BACKWARD forbids changes that break old data or writers, FORWARD
 * changes that break old readers, FULL both, NONE nothing; the `_transitive` variants check a
 * candidate against every earlier version instead of the newest only. The bump follows Nakadi's
 * schema evolution (nakadi.io: MAJOR for incompatible, MINOR for compatible additions, PATCH for
 * descriptions) and oasdiff's levels (breaking → major), made policy-dependent as Nakadi does.
 */
import semver from 'semver';
import { MetarepoError } from '../../core/errors.js';
import { diffSchemas } from './diff.js';
import { RULES, isRuleId } from './rules.js';
import type { DiffOptions, JsonSchema, SchemaChange } from './types.js';

/** A model's compatibility policy (Confluent's compatibility types, lowercase). */
export type CompatibilityPolicy = 'backward' | 'forward' | 'full' | 'none' | 'backward_transitive' | 'forward_transitive' | 'full_transitive';

/** Every policy, for config schemas and CLI choices. */
export const COMPATIBILITY_POLICIES: readonly CompatibilityPolicy[] = ['backward', 'forward', 'full', 'none', 'backward_transitive', 'forward_transitive', 'full_transitive'];

/** A semver bump level; `none` when nothing changed. */
export type SemverBump = 'major' | 'minor' | 'patch' | 'none';

/** Whether a policy checks against every earlier version (the `_transitive` variants). */
export function isTransitive(policy: CompatibilityPolicy): boolean {
  return policy.endsWith('_transitive');
}

/** Whether one change breaks a policy: BACKWARD impacts for `backward*`, FORWARD for `forward*`, either for `full*`, never for `none`. */
export function breaksPolicy(change: SchemaChange, policy: CompatibilityPolicy): boolean {
  const base = policy.replace(/_transitive$/, '');
  if (base === 'backward') return change.impacts.backward;
  if (base === 'forward') return change.impacts.forward;
  if (base === 'full') return change.impacts.backward || change.impacts.forward;
  return false;
}

/** The changes (of one diff) that break a policy, in their order. */
export function violations(changes: readonly SchemaChange[], policy: CompatibilityPolicy): SchemaChange[] {
  assertPolicy(policy);
  return changes.filter((c) => breaksPolicy(c, policy));
}

/** A released version of a model. */
export interface VersionedSchema {
  /** Exact semver version. */
  version: string;
  schema: JsonSchema;
}

/** The outcome of checking a candidate against one earlier version. */
export interface CompatibilityResult {
  /** The earlier version the candidate was compared with. */
  against: string;
  /** Every change from that version to the candidate. */
  changes: SchemaChange[];
  /** The changes that break the policy. */
  violations: SchemaChange[];
}

/**
 * Checks a candidate schema against earlier versions: all of them for a `_transitive` policy,
 * the newest (by semver) otherwise, none for `none` (an empty result).
 * @param versions - the released versions, in any order.
 * @returns one result per version compared, oldest first; the candidate is compatible when every
 *   `violations` list is empty.
 * @throws MetarepoError (exit 2) for a version that is not semver, an unknown policy, or a schema
 *   {@link diffSchemas} rejects.
 */
export function checkTransitive(
  versions: readonly VersionedSchema[],
  candidate: JsonSchema,
  policy: CompatibilityPolicy,
  options?: DiffOptions,
): CompatibilityResult[] {
  assertPolicy(policy);
  for (const v of versions) if (!semver.valid(v.version)) throw badVersion(v.version);
  if (policy === 'none' || versions.length === 0) return [];
  const sorted = [...versions].sort((a, b) => semver.compare(a.version, b.version));
  const against = isTransitive(policy) ? sorted : sorted.slice(-1);
  return against.map((v) => {
    const changes = diffSchemas(v.schema, candidate, options);
    return { against: v.version, changes, violations: violations(changes, policy) };
  });
}

/**
 * Whether a SOURCE change breaks code that uses the generated types. Without one, every SOURCE change does (the
 * conservative reading: generated code may be used outside the workspace).
 */
export type BreaksCode = (change: SchemaChange) => boolean;

/**
 * The semver bump a set of changes requires under a policy:
 * - `major` when a change breaks the policy, or breaks generated code (SOURCE, as `breaksCode` tells), whatever
 *   the policy;
 * - `minor` when a change alters the set of valid instances, adds something, or changes behaviour
 *   (any rule that is not an annotation) without breaking the policy;
 * - `patch` when every change is an annotation (descriptions, examples, deprecation, extensions);
 * - `none` when there are no changes.
 * So the level depends on the policy, as in Nakadi: a property added to a closed object is minor
 * under `backward` and major under `forward` or `full`.
 */
export function requiredBump(changes: readonly SchemaChange[], policy: CompatibilityPolicy, breaksCode?: BreaksCode): SemverBump {
  return reasonFor(changes, policy, breaksCode).bump;
}

/** The required bump and the first change that requires it. */
function reasonFor(changes: readonly SchemaChange[], policy: CompatibilityPolicy, breaksCode: BreaksCode = () => true): { bump: SemverBump; change?: SchemaChange; why?: string } {
  assertPolicy(policy);
  if (changes.length === 0) return { bump: 'none' };
  const breaking = changes.find((c) => breaksPolicy(c, policy));
  if (breaking) return { bump: 'major', change: breaking, why: `breaks the ${policy} policy` };
  const source = changes.find((c) => c.impacts.source && breaksCode(c));
  if (source) return { bump: 'major', change: source, why: 'breaks generated code' };
  const substantive = changes.find((c) => !isRuleId(c.rule) || RULES[c.rule].kind !== 'annotation');
  if (substantive) return { bump: 'minor', change: substantive, why: 'is not an annotation' };
  return { bump: 'patch', change: changes[0], why: 'is an annotation' };
}

/**
 * The version after `previous` at a bump level, read the way caret ranges read versions (npm's
 * `^`, which is how consumers name models: `user@^1.2`): below 1.0.0 the leftmost non-zero part
 * acts as major, so in 0.y.z a major bump raises y and a minor one raises z, and in 0.0.z every
 * bump raises z. `none` returns `previous`.
 * @throws MetarepoError (exit 2) when `previous` is not semver.
 */
export function nextVersion(previous: string, bump: SemverBump): string {
  const v = semver.parse(previous);
  if (!v) throw badVersion(previous);
  if (bump === 'none') return v.version;
  const level = v.major > 0 ? bump : v.minor > 0 ? (bump === 'major' ? 'minor' : 'patch') : 'patch';
  return semver.inc(v.version, level)!;
}

/**
 * Checks that a declared version says at least as much as the changes require (oasdiff-style):
 * it must be above `previousVersion` (or equal when nothing changed) and at or above
 * {@link nextVersion} of the required bump (see {@link requiredBump}; `breaksCode` as there), comparing
 * release numbers only (so `2.0.0-rc.1` declares a major bump of `1.4.0`).
 * @returns `null` when the declared version is enough, else one sentence naming the required bump,
 *   the lowest acceptable version and the change that requires it.
 * @throws MetarepoError (exit 2) when either version is not semver or the policy is unknown.
 */
export function checkDeclaredVersion(
  previousVersion: string,
  declaredVersion: string,
  changes: readonly SchemaChange[],
  policy: CompatibilityPolicy,
  breaksCode?: BreaksCode,
): string | null {
  const previous = semver.parse(previousVersion);
  if (!previous) throw badVersion(previousVersion);
  const declared = semver.parse(declaredVersion);
  if (!declared) throw badVersion(declaredVersion);
  const { bump, change, why } = reasonFor(changes, policy, breaksCode);
  const order = semver.compare(declared, previous);
  if (bump === 'none') return order >= 0 ? null : `Version ${declared.version} is lower than the previous version ${previous.version}.`;
  if (order <= 0) {
    return `Version ${declared.version} must be greater than the previous version ${previous.version}: the schema changed (${describe(change!)}).`;
  }
  const minimum = nextVersion(previous.version, bump);
  const release = `${declared.major}.${declared.minor}.${declared.patch}`;
  if (semver.gte(release, minimum)) return null;
  return `Version ${declared.version} understates the change from ${previous.version}: ${describe(change!)} ${why}, so a ${bump} bump is required (${minimum} or later).`;
}

function describe(change: SchemaChange): string {
  return `${change.rule} at ${change.path || '/'}`;
}

function assertPolicy(policy: string): asserts policy is CompatibilityPolicy {
  if (!(COMPATIBILITY_POLICIES as readonly string[]).includes(policy)) {
    throw new MetarepoError(`Unknown compatibility policy "${policy}".`, { hint: `Use one of: ${COMPATIBILITY_POLICIES.join(', ')}.` });
  }
}

function badVersion(version: string): MetarepoError {
  return new MetarepoError(`"${version}" is not a semver version.`, { hint: 'Write versions as MAJOR.MINOR.PATCH, e.g. 1.2.0.' });
}
