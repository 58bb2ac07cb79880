import type fs from 'node:fs';
import { sha256 } from '../core/hash.js';
import { statOrUndefined } from '../core/stamps.js';
import type { Workspace } from '../workspace/workspace.js';
import { firstConflictLine } from './conflict-markers.js';
import { FileFacts, type FileFact } from './file-facts.js';
import { isSharedManifest, type Manifest, type ManifestEntry } from './manifest.js';

/** Target → its files, for manifests that do not change (as `readManifest` returns them). */
const byTarget = new WeakMap<Manifest['files'], Map<string, readonly string[]>>();

/**
 * The files the manifest says `target` produced, sorted (a frozen list: copy it to change it). For a manifest
 * `readManifest` returned the index of every target is built once, so asking for each of n targets costs O(n) in
 * all instead of O(n²).
 */
export function filesOfTarget(m: Manifest, target: string): readonly string[] {
  if (!isSharedManifest(m)) return Object.freeze(Object.keys(m.files).filter((f) => m.files[f].target === target).sort());
  let index = byTarget.get(m.files);
  if (!index) {
    const lists = new Map<string, string[]>();
    for (const f of Object.keys(m.files).sort()) {
      const t = m.files[f].target;
      const list = lists.get(t);
      if (list) list.push(f);
      else lists.set(t, [f]);
    }
    for (const list of lists.values()) Object.freeze(list);
    byTarget.set(m.files, (index = lists));
  }
  return index.get(target) ?? NONE;
}

const NONE: readonly string[] = Object.freeze([]);

/** Whether a generated file on disk (`current` hash, `null` if absent) differs from what metarepo wrote. */
export function isEdited(prior: ManifestEntry | undefined, current: string | null): boolean {
  return !!prior && current !== null && current !== prior.outputHash;
}

/**
 * The workspace's files as one run sees them: each is stat'ed, hashed, judged for conflict markers and read at most
 * once per run. Hashes and conflict lines come from the workspace's {@link FileFacts} (a file whose stamp is
 * unchanged since it was last hashed is not read again); texts are read when asked for.
 */
export class DiskCache {
  private readonly stats = new Map<string, { st: fs.Stats | undefined; takenAt: number }>();
  private readonly known = new Map<string, FileFact | null>();
  private readonly texts = new Map<string, string | null>();
  private readonly facts: FileFacts;
  constructor(private readonly root: string) {
    this.facts = FileFacts.of(root);
  }
  /** What `stat` says of `rel` (symbolic links followed); `undefined` when it does not exist. */
  stat(rel: string): fs.Stats | undefined {
    return this.seen(rel).st;
  }
  read(rel: string): string | null {
    if (!this.texts.has(rel)) {
      const text = this.facts.read(rel);
      this.texts.set(rel, text);
      if (!this.known.has(rel)) this.known.set(rel, text === null ? null : { hash: sha256(text), conflictLine: firstConflictLine(text) });
    }
    return this.texts.get(rel)!;
  }
  hash(rel: string): string | null {
    return this.fact(rel)?.hash ?? null;
  }
  /** The first conflict line of the file (0: none), `null` when it does not exist. */
  conflictLine(rel: string): number | null {
    return this.fact(rel)?.conflictLine ?? null;
  }
  /** Stores what was learned (see {@link FileFacts.save}). */
  save(): void {
    this.facts.save();
  }
  private fact(rel: string): FileFact | null {
    if (!this.known.has(rel)) this.known.set(rel, this.facts.get(rel, this.seen(rel)));
    return this.known.get(rel)!;
  }
  private seen(rel: string): { st: fs.Stats | undefined; takenAt: number } {
    let s = this.stats.get(rel);
    if (!s) {
      const takenAt = Date.now();
      this.stats.set(rel, (s = { st: statOrUndefined(`${this.root}/${rel}`), takenAt })); // `rel` is normalised: no join needed
    }
    return s;
  }
}

/** The {@link DiskCache} of the generate run under way in a workspace (see {@link withRunDisk}). */
const current = new WeakMap<Workspace, DiskCache>();

/**
 * The files as the current run sees them: inside {@link withRunDisk} (a generate run, whose plan, reconcile, target
 * statuses and checks all read before its commit writes) that run's cache; elsewhere a new one.
 */
export function diskOf(ws: Workspace): DiskCache {
  return current.get(ws) ?? new DiskCache(ws.root);
}

/** Runs `fn` with `disk` as the workspace's run cache (see {@link diskOf}), then saves what it learned. */
export async function withRunDisk<T>(ws: Workspace, disk: DiskCache, fn: () => Promise<T>): Promise<T> {
  current.set(ws, disk);
  try {
    return await fn();
  } finally {
    current.delete(ws);
    disk.save();
  }
}
