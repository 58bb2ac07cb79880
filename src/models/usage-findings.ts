/**
 * Severity of schema changes in this workspace: a change that breaks the model's policy is an error; a change
 * that breaks only generated code (SOURCE) is an error when a project imports a type it reaches — the type it lies
 * in, or any type holding that one — and a warning when none does (GraphQL Inspector's `considerUsage`); anything
 * else is information. The same judgement decides whether a SOURCE change needs a major version.
 */
import { usesType, type GeneratedImport } from './usage.js';
import { breaksPolicy, type CompatibilityPolicy, type SchemaChange } from './diff/index.js';
import { typesReaching } from './type-graph.js';

/** A change with its severity in this workspace. */
export type JudgedChange = SchemaChange & {
  severity: 'error' | 'warning' | 'info';
  /** Projects that import a generated type the change reaches (SOURCE changes only). */
  usedBy?: string[];
};

/** What a SOURCE change must reach to break code in this workspace. */
export interface SourceUsage {
  /** The projects' imports of the model's generated files. */
  imports: GeneratedImport[];
  /** The name of the root schema's type (its `title`, else the model name). */
  rootType: string;
  /** A type and every type that holds it (see {@link typesReaching}). */
  reaching: (typeName: string) => string[];
}

/** Usage of the types of a diff's two (bundled) schemas by `imports`. */
export function sourceUsage(imports: GeneratedImport[], schemas: unknown[], rootType: string): SourceUsage {
  return { imports, rootType, reaching: typesReaching(schemas, rootType) };
}

/**
 * The projects whose imports a change reaches, sorted: through the type it lies in under its new name and, when
 * renamed, its old one. A change without a `typeName` lies in the root type.
 */
export function sourceUsers(change: SchemaChange, usage: SourceUsage): string[] {
  const names = [change.typeName ?? usage.rootType, ...(change.oldTypeName ? [change.oldTypeName] : [])];
  const types = names.flatMap((n) => usage.reaching(n));
  return [...new Set(usage.imports.filter((i) => types.some((t) => usesType([i], t))).map((i) => i.project))].sort();
}

/** Judges each change (see the module comment). */
export function judgeChanges(changes: SchemaChange[], policy: CompatibilityPolicy, usage: SourceUsage): JudgedChange[] {
  return changes.map((c): JudgedChange => {
    if (breaksPolicy(c, policy)) return { ...c, severity: 'error' };
    if (!c.impacts.source) return { ...c, severity: 'info' };
    const usedBy = sourceUsers(c, usage);
    return { ...c, severity: usedBy.length ? 'error' : 'warning', usedBy };
  });
}
