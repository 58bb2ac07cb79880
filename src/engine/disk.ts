import fs from 'node:fs';
import path from 'node:path';
import { sha256 } from '../core/hash.js';
import type { Manifest, ManifestEntry } from './manifest.js';

/** The files the manifest says `target` produced, sorted. */
export function filesOfTarget(m: Manifest, target: string): string[] {
  return Object.keys(m.files).filter((f) => m.files[f].target === target).sort();
}

/** Whether a generated file on disk (`current` hash, `null` if absent) differs from what metarepo wrote. */
export function isEdited(prior: ManifestEntry | undefined, current: string | null): boolean {
  return !!prior && current !== null && current !== prior.outputHash;
}

/** Reads and hashes workspace files once per run. */
export class DiskCache {
  private readonly texts = new Map<string, string | null>();
  constructor(private readonly root: string) {}
  read(rel: string): string | null {
    if (!this.texts.has(rel)) {
      let text: string | null = null;
      try {
        text = fs.readFileSync(path.join(this.root, rel), 'utf8');
      } catch {
        text = null;
      }
      this.texts.set(rel, text);
    }
    return this.texts.get(rel)!;
  }
  hash(rel: string): string | null {
    const t = this.read(rel);
    return t === null ? null : sha256(t);
  }
}
