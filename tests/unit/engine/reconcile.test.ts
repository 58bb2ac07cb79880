// reconcile (plan → render → reconcile → commit) on an in-memory disk: what to write, merge, delete, refuse.
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../../src/core/hash.js';
import type { Manifest } from '../../../src/engine/manifest.js';
import { DuplicateOutputError, reconcile, type DiskView, type RenderedTarget } from '../../../src/engine/reconcile.js';

/** An in-memory disk: files by path, merge bases by hash. */
function memoryDisk(files: Record<string, string>, bases: string[] = []): DiskView {
  const byHash = new Map(bases.map((b) => [sha256(b), b]));
  return {
    read: (rel) => files[rel] ?? null,
    hash: (rel) => (rel in files ? sha256(files[rel]) : null),
    base: (hash) => byHash.get(hash) ?? null,
  };
}

const V1 = 'line 1\nline 2\nline 3\nline 4\nline 5\n';
const V2 = 'line 1 (new)\nline 2\nline 3\nline 4\nline 5\n';

function manifestOf(entries: Record<string, { output: string; base?: string; target?: string }>): Manifest {
  return {
    version: 1,
    files: Object.fromEntries(
      Object.entries(entries).map(([p, e]) => [
        p,
        { target: e.target ?? 't', generator: 'g', model: 'm@1.0.0', inputHash: 'old', outputHash: sha256(e.output), ...(e.base ? { baseHash: sha256(e.base) } : {}) },
      ]),
    ),
  };
}

const rendered = (files: Record<string, string>, name = 't'): RenderedTarget => ({ name, generator: 'g', model: 'm@1.1.0', inputHash: 'new', files: Object.entries(files).map(([path, content]) => ({ path, content })) });

describe('reconcile', () => {
  it('creates a new file and records it with the generator output as accepted state', () => {
    const r = reconcile({ version: 1, files: {} }, [rendered({ 'a.ts': V1 })], [], memoryDisk({}));
    expect(r.writes).toEqual([{ path: 'a.ts', content: V1, target: 't' }]);
    expect(r.manifest.files['a.ts']).toMatchObject({ outputHash: sha256(V1), inputHash: 'new' });
    expect(r.manifest.files['a.ts'].baseHash).toBeUndefined();
    expect(r.bases).toEqual([V1]);
  });

  it('replaces an unedited file and writes nothing when the content is the same', () => {
    const disk = memoryDisk({ 'a.ts': V1 });
    expect(reconcile(manifestOf({ 'a.ts': { output: V1 } }), [rendered({ 'a.ts': V2 })], [], disk).writes).toHaveLength(1);
    expect(reconcile(manifestOf({ 'a.ts': { output: V1 } }), [rendered({ 'a.ts': V1 })], [], disk).writes).toEqual([]);
  });

  it('an edited file blocks the run, and the manifest keeps its entry', () => {
    const edited = V1.replace('line 3', 'line 3 (mine)');
    const m = manifestOf({ 'a.ts': { output: V1 } });
    const r = reconcile(m, [rendered({ 'a.ts': V2 })], [], memoryDisk({ 'a.ts': edited }));
    expect(r.blocking).toEqual(['a.ts']);
    expect(r.edited).toEqual(['a.ts']);
    expect(r.manifest.files['a.ts']).toEqual(m.files['a.ts']);
  });

  it('force overwrites an edited file', () => {
    const r = reconcile(manifestOf({ 'a.ts': { output: V1 } }), [rendered({ 'a.ts': V2 })], [], memoryDisk({ 'a.ts': 'mine' }), { force: true });
    expect(r.blocking).toEqual([]);
    expect(r.writes).toEqual([{ path: 'a.ts', content: V2, target: 't' }]);
  });

  it('merge: a clean merge is written and becomes the accepted state, with the output as the next base', () => {
    const mine = V1.replace('line 5', 'line 5 (mine)');
    const r = reconcile(manifestOf({ 'a.ts': { output: V1 } }), [rendered({ 'a.ts': V2 })], [], memoryDisk({ 'a.ts': mine }, [V1]), { merge: true });
    const merged = 'line 1 (new)\nline 2\nline 3\nline 4\nline 5 (mine)\n';
    expect(r.writes).toEqual([{ path: 'a.ts', content: merged, target: 't' }]);
    expect(r.merged).toEqual(['a.ts']);
    expect(r.manifest.files['a.ts']).toMatchObject({ outputHash: sha256(merged), baseHash: sha256(V2) });
  });

  it('an accepted merge takes the next output by merging again, without the merge flag', () => {
    const accepted = 'line 1 (new)\nline 2\nline 3\nline 4\nline 5 (mine)\n';
    const V3 = 'line 0\nline 1 (new)\nline 2\nline 3\nline 4\nline 5\n';
    const m = manifestOf({ 'a.ts': { output: accepted, base: V2 } });
    const r = reconcile(m, [rendered({ 'a.ts': V3 })], [], memoryDisk({ 'a.ts': accepted }, [V2]));
    expect(r.blocking).toEqual([]);
    expect(r.writes[0].content).toBe('line 0\nline 1 (new)\nline 2\nline 3\nline 4\nline 5 (mine)\n');
    expect(r.manifest.files['a.ts'].baseHash).toBe(sha256(V3));
  });

  it('an accepted merge that no longer merges cleanly blocks without --merge, and conflicts with it', () => {
    const accepted = V1.replace('line 3', 'line 3 (mine)');
    const V3 = V1.replace('line 3', 'line 3 (theirs)');
    const m = manifestOf({ 'a.ts': { output: accepted, base: V1 } });
    const disk = memoryDisk({ 'a.ts': accepted }, [V1]);
    expect(reconcile(m, [rendered({ 'a.ts': V3 })], [], disk).blocking).toEqual(['a.ts']);
    const withMarkers = reconcile(m, [rendered({ 'a.ts': V3 })], [], disk, { merge: true, conflicts: 'markers' });
    expect(withMarkers.conflicts).toMatchObject([{ file: 'a.ts', resolution: 'markers' }]);
    expect(withMarkers.writes[0].content).toMatch(/^<<<<<<< /m);
    const untouched = reconcile(m, [rendered({ 'a.ts': V3 })], [], disk, { merge: true });
    expect(untouched.conflicts).toMatchObject([{ file: 'a.ts', resolution: 'untouched' }]);
    expect(untouched.writes).toEqual([]);
    expect(untouched.manifest.files['a.ts']).toEqual(m.files['a.ts']);
  });

  it('merge without a stored base reports no-base and leaves the file alone', () => {
    const r = reconcile(manifestOf({ 'a.ts': { output: V1 } }), [rendered({ 'a.ts': V2 })], [], memoryDisk({ 'a.ts': 'mine' }), { merge: true });
    expect(r.conflicts).toEqual([{ file: 'a.ts', resolution: 'no-base', hunks: [] }]);
    expect(r.writes).toEqual([]);
  });

  it('deletes orphans, keeps the files of targets not rendered, and an edited orphan blocks', () => {
    const m = manifestOf({ 'kept.ts': { output: V1, target: 'k' }, 'gone.ts': { output: V1, target: 'old' }, 'edited.ts': { output: V1, target: 'old' } });
    const r = reconcile(m, [], ['k'], memoryDisk({ 'kept.ts': V1, 'gone.ts': V1, 'edited.ts': 'mine' }));
    expect(r.writes.map((w) => [w.path, w.content])).toEqual([
      ['edited.ts', null],
      ['gone.ts', null],
    ]);
    expect(r.blocking).toEqual(['edited.ts']);
    expect(Object.keys(r.manifest.files)).toEqual(['kept.ts']);
  });

  it('a file that exists but was never generated blocks unless it already holds the output', () => {
    expect(reconcile({ version: 1, files: {} }, [rendered({ 'a.ts': V1 })], [], memoryDisk({ 'a.ts': 'hand written' })).blocking).toEqual(['a.ts']);
    expect(reconcile({ version: 1, files: {} }, [rendered({ 'a.ts': V1 })], [], memoryDisk({ 'a.ts': V1 })).blocking).toEqual([]);
  });

  it('two targets writing one path is an error', () => {
    expect(() => reconcile({ version: 1, files: {} }, [rendered({ 'a.ts': V1 }, 'one'), rendered({ 'a.ts': V2 }, 'two')], [], memoryDisk({}))).toThrow(DuplicateOutputError);
  });
});
