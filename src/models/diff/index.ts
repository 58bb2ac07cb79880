/**
 * Schema diff: breaking-change rules between two versions of a model, compatibility policies,
 * semver bumps, and Markdown changelogs and reference pages. Pure functions over parsed schemas;
 * no file system, no registry.
 */
export { diffSchemas } from './diff.js';
export { RULES, isRuleId, type RuleId, type RuleInfo, type RuleKind, type Severity } from './rules.js';
export {
  COMPATIBILITY_POLICIES,
  breaksPolicy,
  checkDeclaredVersion,
  checkTransitive,
  isTransitive,
  nextVersion,
  requiredBump,
  violations,
  type BreaksCode,
  type CompatibilityPolicy,
  type CompatibilityResult,
  type SemverBump,
  type VersionedSchema,
} from './compat.js';
export { renderRulesTable } from './rules-table.js';
export { changelogSection, renderChangelog, type ChangelogEntry, type ChangelogSection } from './changelog.js';
export type { DiffOptions, Impacts, JsonSchema, OpenContentPolicy, SchemaChange } from './types.js';
