import { RULES, isRuleId, type Impacts, type SchemaChange } from '../../../src/models/diff/index.js';

/** Impacts as letters, `B` backward, `F` forward, `S` source (`''` for none). */
export function letters(impacts: Impacts): string {
  return `${impacts.backward ? 'B' : ''}${impacts.forward ? 'F' : ''}${impacts.source ? 'S' : ''}`;
}

/** A change as `RULE:letters`, the form the rules table states its expectations in. */
export function summary(change: SchemaChange): string {
  return `${change.rule}:${letters(change.impacts)}`;
}

/**
 * Problems with a change against the catalog: an unknown rule, or impacts the rule never has
 * (outside its fixed impacts and the ones that vary) or lacking one it always has.
 */
export function catalogProblems(change: SchemaChange): string[] {
  if (!isRuleId(change.rule)) return [`${change.rule} is not in RULES`];
  const rule = RULES[change.rule];
  const problems: string[] = [];
  for (const key of ['backward', 'forward', 'source'] as const) {
    if (rule.impacts[key] && !change.impacts[key]) problems.push(`${change.rule} at ${change.path} lacks ${key}, which the rule always has`);
    if (!rule.impacts[key] && !rule.varies.includes(key) && change.impacts[key]) problems.push(`${change.rule} at ${change.path} has ${key}, which the rule never has`);
  }
  return problems;
}
