import type { Workspace } from '../workspace/workspace.js';
import { DiskCache, filesOfTarget, isEdited } from './generate.js';
import { readManifest } from './manifest.js';
import { plan } from './plan.js';

/** State of one target without rendering it. */
export interface TargetStatus {
  target: string;
  model: string;
  generator: string;
  output: string;
  /** `up-to-date`: inputs and output as recorded; `stale`: inputs changed or output missing; `never-generated`. */
  state: 'up-to-date' | 'stale' | 'never-generated';
  /** Files of this target whose content differs from what metarepo wrote. */
  edited: string[];
}

/**
 * Compares each target's input hash and its files on disk with the manifest. Cheap: renders nothing.
 * @throws MetarepoError like {@link plan} (unknown model or generator, unsafe path).
 */
export async function targetStatuses(ws: Workspace): Promise<TargetStatus[]> {
  const manifest = readManifest(ws.root);
  const disk = new DiskCache(ws.root);
  return (await plan(ws)).map((p) => {
    const files = filesOfTarget(manifest, p.name);
    const edited = files.filter((f) => isEdited(manifest.files[f], disk.hash(f)));
    const prior = manifest.files[p.output];
    const state = !prior ? 'never-generated' : prior.inputHash === p.inputHash && disk.hash(p.output) !== null ? 'up-to-date' : 'stale';
    return { target: p.name, model: p.modelId, generator: p.generator.name, output: p.output, state, edited };
  });
}
