// Issue 13 item 6b in the broker: the broker is a long-running metarepo process, so `metarepo broker start` hosts the
// workspace's plugins and fs-watch runs in it: an edit by hand becomes a core:file:* event with origin "outside",
// logged by the broker, with no `metarepo watch` running. Polls and counts, no timing assertions.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { metarepoAsync, tempDir } from './cli.js';

const started: string[] = [];
afterEach(async () => {
  for (const dir of started.splice(0)) await metarepoAsync(dir, ['broker', 'stop']);
});

interface Logged {
  type: string;
  source: string;
  sequence: number;
  data: { path?: string; origin?: string; command?: string };
}

const events = async (dir: string, type: string): Promise<Logged[]> => {
  const r = await metarepoAsync(dir, ['events', '--type', type, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Logged);
};

describe('fs-watch in the broker process', () => {
  it('an edit by hand while only the broker runs is logged as core:file:* with origin "outside"; broker stop ends it cleanly', async () => {
    const dir = tempDir();
    expect((await metarepoAsync(dir, ['init', '--name', 'fswb'])).code).toBe(0);
    // A long quiet period, so that the writes below stay one burst on a loaded machine.
    fs.appendFileSync(path.join(dir, 'metarepo.yaml'), 'plugins:\n  fs-watch:\n    config:\n      debounceMs: 500\n');
    const start = await metarepoAsync(dir, ['broker', 'start']);
    expect(start.code, start.stderr).toBe(0);
    started.push(dir);
    const info = JSON.parse(fs.readFileSync(path.join(dir, '.metarepo/broker.json'), 'utf8'));

    await expect.poll(async () => (await events(dir, 'fs-watch:watcher:ready')).length, { timeout: 60_000, interval: 250 }).toBe(1);
    const longRunning = await events(dir, 'core:system:long-running');
    expect(longRunning.map((e) => e.data)).toEqual([{ command: 'broker', pid: info.pid }]);

    fs.writeFileSync(path.join(dir, 'notes.md'), '# notes\n');
    const outside = async () => (await events(dir, 'core:file:*')).filter((e) => e.data.origin === 'outside').map((e) => `${e.source} ${e.type} ${e.data.path}`);
    await expect.poll(outside, { timeout: 60_000, interval: 250 }).toEqual(['fs-watch core:file:created notes.md']);

    expect((await metarepoAsync(dir, ['broker', 'stop'])).code).toBe(0);
    started.pop();
    // The hosted workspace closed through the broker before it stopped: its shutdown event is logged, and the log
    // stays gap-free.
    const all = await events(dir, '*');
    expect(all.filter((e) => e.type === 'core:system:shutdown').length).toBeGreaterThanOrEqual(1);
    expect(all.at(-1)!.type).toBe('core:system:shutdown');
    expect(all.map((e) => e.sequence)).toEqual(all.map((_, i) => i + 1));
    expect(fs.readFileSync(path.join(dir, '.metarepo/broker.log'), 'utf8')).not.toMatch(/error/);
  });
});
