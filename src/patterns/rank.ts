/**
 * Stage 7: ranking by savings, a minimum-description-length flavour: how much smaller the family is as one
 * template plus its answers than as its members, `1 − (template bytes + answer bytes) / member bytes`. Families
 * whose differences are mostly data rank low. Ties are broken by the first member's path, so the order is
 * deterministic.
 */

/** UTF-8 bytes of the values in a member's answers (keys not counted: they are shared by every member). */
export function answerBytes(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'boolean') return 1;
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + answerBytes(v), 0);
  if (value && typeof value === 'object') return Object.values(value).reduce((n: number, v) => n + answerBytes(v), 0);
  return 0;
}

/** `1 − (template + answers) / members`, in bytes; 0 for an empty family. */
export function savings(templateBytes: number, answers: unknown[], memberBytes: number): number {
  if (memberBytes === 0) return 0;
  return 1 - (templateBytes + answers.reduce((n: number, a) => n + answerBytes(a), 0)) / memberBytes;
}

/** Sorts by savings (highest first), then by first member path. */
export function rankOrder<T extends { savings: number; members: Array<{ path: string }> }>(items: T[]): T[] {
  return [...items].sort((a, b) => b.savings - a.savings || (a.members[0].path < b.members[0].path ? -1 : a.members[0].path > b.members[0].path ? 1 : 0));
}
