import type { WorkspaceConfig } from '../generated/workspace.js';
import { scanGeneratedImports, type GeneratedImport } from '../models/usage.js';
import { readManifest } from './manifest.js';

/** The imports, by the projects of `config`, of files generated from model `name` (per the manifest). */
export async function modelImports(root: string, config: WorkspaceConfig, name: string): Promise<GeneratedImport[]> {
  const manifest = readManifest(root);
  const generated = Object.keys(manifest.files).filter((f) => manifest.files[f].model.startsWith(`${name}@`));
  if (generated.length === 0) return [];
  return scanGeneratedImports(root, config.projects ?? [], generated);
}
