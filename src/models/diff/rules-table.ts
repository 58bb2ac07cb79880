import { RULES, type RuleInfo } from './rules.js';
import type { Impacts } from './types.js';

/**
 * The rules catalog as a Markdown table: rule id, what it detects, then B (BACKWARD), F (FORWARD)
 * and S (SOURCE) — `✔` when the rule always has the impact, `(✔)` when it depends on the case —
 * then the default severity. Rows in catalog order. For docs (`scripts/rules-table.mjs`) and help.
 */
export function renderRulesTable(): string {
  const mark = (rule: RuleInfo, key: keyof Impacts) => (rule.impacts[key] ? '✔' : rule.varies.includes(key) ? '(✔)' : '');
  const rows = Object.values(RULES).map(
    (rule) => `| \`${rule.id}\` | ${rule.doc.replace(/\|/g, '\\|')} | ${mark(rule, 'backward')} | ${mark(rule, 'forward')} | ${mark(rule, 'source')} | ${rule.severity} |`,
  );
  return ['| Rule | Detects | B | F | S | Severity |', '| --- | --- | :-: | :-: | :-: | --- |', ...rows].join('\n') + '\n';
}
