/**
 * Definitions (`definitions` and `$defs` of the root, read as one namespace so moving between them
 * changes nothing): each is a generated type, so additions, removals and renames are reported even
 * when no reference changed, and same-named definitions are compared even when unreachable.
 */
import type { DiffContext } from './context.js';
import type { Located, SchemaDocument } from './document.js';
import type { StructuralEquality } from './equal.js';
import { acceptsAll } from './vocabulary.js';

/** How the definitions of two documents correspond. */
export interface DefinitionPlan {
  /** Definitions to compare: same name, or renamed. */
  pairs: Array<{ old: Located; new: Located }>;
  /** Old name → new name, for definitions detected as renamed. */
  renames: Map<string, string>;
  removed: Array<{ name: string; at: Located }>;
  added: Array<{ name: string; at: Located }>;
}

/**
 * Matches definitions by name; a removed and an added one with structurally equal, non-trivial
 * schemas pair up as a rename when the pairing is unique both ways (and `detectRenames` is on).
 */
export function planDefinitions(oldDoc: SchemaDocument, newDoc: SchemaDocument, equality: StructuralEquality, detectRenames: boolean): DefinitionPlan {
  const before = oldDoc.definitions();
  const after = newDoc.definitions();
  const plan: DefinitionPlan = { pairs: [], renames: new Map(), removed: [], added: [] };
  const removed = [...before.keys()].filter((name) => !after.has(name));
  const added = [...after.keys()].filter((name) => !before.has(name));
  for (const [name, at] of before) {
    const other = after.get(name);
    if (other) plan.pairs.push({ old: at, new: other });
  }
  if (detectRenames && removed.length > 0 && added.length > 0) {
    const buckets = new Map<string, string[]>();
    for (const name of added) {
      const signature = equality.signature('new', after.get(name)!);
      buckets.set(signature, [...(buckets.get(signature) ?? []), name]);
    }
    const candidates = new Map<string, string[]>();
    const claims = new Map<string, number>();
    for (const name of removed) {
      const at = before.get(name)!;
      if (acceptsAll(at.node) || at.node === false) continue;
      const found = (buckets.get(equality.signature('old', at)) ?? []).filter((other) => equality.equal(at, after.get(other)!));
      candidates.set(name, found);
      for (const other of found) claims.set(other, (claims.get(other) ?? 0) + 1);
    }
    for (const [name, found] of candidates) {
      if (found.length !== 1 || claims.get(found[0]!) !== 1) continue;
      plan.renames.set(name, found[0]!);
      plan.pairs.push({ old: before.get(name)!, new: after.get(found[0]!)! });
    }
  }
  const renamedTo = new Set(plan.renames.values());
  for (const name of removed) if (!plan.renames.has(name)) plan.removed.push({ name, at: before.get(name)! });
  for (const name of added) if (!renamedTo.has(name)) plan.added.push({ name, at: after.get(name)! });
  return plan;
}

/** Reports the definitions a plan found added, removed or renamed. */
export function reportDefinitions(ctx: DiffContext, plan: DefinitionPlan): void {
  for (const { name, at } of plan.removed) {
    ctx.emit({ rule: 'DEFINITION_REMOVED', old: at.pointer, message: `definition \`${name}\` removed`, impacts: { source: true } });
  }
  for (const { name, at } of plan.added) {
    ctx.emit({ rule: 'DEFINITION_ADDED', new: at.pointer, message: `definition \`${name}\` added` });
  }
  const before = ctx.oldDoc.definitions();
  const after = ctx.newDoc.definitions();
  for (const [from, to] of plan.renames) {
    ctx.emit({
      rule: 'DEFINITION_RENAMED',
      old: before.get(from)?.pointer,
      new: after.get(to)?.pointer,
      message: `definition \`${from}\` renamed to \`${to}\` (removed and added with an equal schema)`,
      impacts: { source: true },
      before: from,
      after: to,
    });
  }
}
