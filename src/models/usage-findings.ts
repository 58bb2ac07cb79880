/**
 * Severity of schema changes in this workspace: a change that breaks the model's policy is an error; a change
 * that breaks only generated code (SOURCE) is an error when a project imports the type it touches, and a warning
 * when none does (GraphQL Inspector's `considerUsage`); anything else is information.
 */
import { readManifest } from '../engine/manifest.js';
import type { WorkspaceConfig } from '../workspace/config.js';
import { scanGeneratedImports, usesType, type GeneratedImport } from '../workspace/usage.js';
import { breaksPolicy, type CompatibilityPolicy, type SchemaChange } from './diff/index.js';

/** A change with its severity in this workspace. */
export type JudgedChange = SchemaChange & {
  severity: 'error' | 'warning' | 'info';
  /** Projects that import the generated type the change touches (SOURCE changes only). */
  usedBy?: string[];
};

/** The imports, by the projects of `config`, of files generated from model `name` (per the manifest). */
export async function modelImports(root: string, config: WorkspaceConfig, name: string): Promise<GeneratedImport[]> {
  const manifest = readManifest(root);
  const generated = Object.keys(manifest.files).filter((f) => manifest.files[f].model.startsWith(`${name}@`));
  if (generated.length === 0) return [];
  return scanGeneratedImports(root, config.projects ?? [], generated);
}

/** Judges each change (see the module comment). A SOURCE change without a `typeName` touches the root type. */
export function judgeChanges(changes: SchemaChange[], policy: CompatibilityPolicy, imports: GeneratedImport[], rootType: string): JudgedChange[] {
  return changes.map((c): JudgedChange => {
    if (breaksPolicy(c, policy)) return { ...c, severity: 'error' };
    if (!c.impacts.source) return { ...c, severity: 'info' };
    const type = c.typeName ?? rootType;
    const usedBy = [...new Set(imports.filter((i) => usesType([i], type)).map((i) => i.project))].sort();
    return { ...c, severity: usedBy.length ? 'error' : 'warning', usedBy };
  });
}
