/**
 * Definitions (`definitions` and `$defs` of the root, read as one namespace so moving between them
 * changes nothing): each is a generated type, so additions, removals and renames are reported even
 * when no reference changed, and same-named definitions are compared even when unreachable.
 */
import type { DiffContext } from './context.js';
import type { Located, SchemaDocument } from './document.js';
import type { StructuralEquality } from './equal.js';
import { pairRenames } from './renames.js';
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
 * schemas pair up as a rename when the pairing is unique both ways (and `detectRenames` is on; see
 * {@link pairRenames}).
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
  if (detectRenames) {
    const renamed = pairRenames({
      removed,
      added,
      exact: equality.exact,
      verify: (key) => equality.needsCheck(key),
      key: (name, side) => {
        const at = (side === 'old' ? before : after).get(name)!;
        return acceptsAll(at.node) || at.node === false ? undefined : equality.bucketKey(side, at);
      },
      equal: (from, to) => equality.equal(before.get(from)!, after.get(to)!),
    });
    for (const [from, to] of renamed) {
      plan.renames.set(from, to);
      plan.pairs.push({ old: before.get(from)!, new: after.get(to)! });
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
