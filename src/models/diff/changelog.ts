/**
 * Markdown changelog of a model: one section per version, newest first, its changes grouped as
 * Breaking, Added, Changed, and Annotations and deprecations.
 */
import semver from 'semver';
import { RULES, isRuleId } from './rules.js';
import type { Impacts, SchemaChange } from './types.js';

/** The changes from one version to the next. */
export interface ChangelogEntry {
  /** The earlier version. */
  from: string;
  /** The later version (or a label such as `draft`). */
  to: string;
  changes: SchemaChange[];
}

/** Where a change goes in a changelog. */
export type ChangelogSection = 'breaking' | 'added' | 'changed' | 'annotations';

const HEADINGS: Record<ChangelogSection, string> = {
  breaking: 'Breaking',
  added: 'Added',
  changed: 'Changed',
  annotations: 'Annotations and deprecations',
};

/**
 * The section of a change: `breaking` when it breaks old data or writers, or generated code
 * (BACKWARD or SOURCE: the changes no consumer can absorb without work); otherwise by its rule's
 * kind: additions under `added`, annotations under `annotations`, the rest (relaxations,
 * FORWARD-only changes such as a loosened bound) under `changed`.
 */
export function changelogSection(change: SchemaChange): ChangelogSection {
  if (change.impacts.backward || change.impacts.source) return 'breaking';
  const kind = isRuleId(change.rule) ? RULES[change.rule].kind : 'change';
  return kind === 'addition' ? 'added' : kind === 'annotation' ? 'annotations' : 'changed';
}

/**
 * Renders a changelog. Entries are ordered newest first by `to`: semver versions by precedence,
 * and labels that are not semver (a working draft) before them, in the order given. Within a
 * section changes keep their order (`diffSchemas` sorts by pointer). Deterministic: no dates.
 * Each line is `` - `RULE_ID` `/pointer` — message (breaks: …) ``.
 */
export function renderChangelog(modelName: string, entries: ReadonlyArray<ChangelogEntry>): string {
  const labels = entries.filter((e) => !semver.valid(e.to));
  const versions = entries.filter((e) => semver.valid(e.to)).sort((a, b) => semver.rcompare(a.to, b.to));
  const lines = [`# ${modelName} changelog`, ''];
  if (entries.length === 0) lines.push('No versions to compare yet.', '');
  for (const entry of [...labels, ...versions]) {
    lines.push(`## ${entry.to}`, '');
    if (entry.changes.length === 0) {
      lines.push(`No schema changes from ${entry.from}.`, '');
      continue;
    }
    lines.push(`Changes from ${entry.from}.`, '');
    for (const section of Object.keys(HEADINGS) as ChangelogSection[]) {
      const inSection = entry.changes.filter((c) => changelogSection(c) === section);
      if (inSection.length === 0) continue;
      lines.push(`### ${HEADINGS[section]}`, '', ...inSection.map(changeLine), '');
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

function changeLine(change: SchemaChange): string {
  const broken = (Object.keys(change.impacts) as Array<keyof Impacts>).filter((k) => change.impacts[k]);
  const breaks = broken.length > 0 ? ` (breaks: ${broken.join(', ')})` : '';
  return `- ${code(change.rule)} ${code(change.path || '/')} — ${change.message}${breaks}`;
}

/** Inline code that survives backticks in the text. */
function code(text: string): string {
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}
