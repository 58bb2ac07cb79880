// Issue 13 item 2 through the built CLI: a garbage line and a cut-off last line in events.jsonl are reported by
// `metarepo events` (stderr, never in --json stdout) and by `metarepo health`; the next writer sets the cut-off line
// aside, and its sequence is never reused, with the in-process bus and with the broker.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { metarepoAsync, tempDir } from './cli.js';

const LOG = '.metarepo/events/events.jsonl';
const CUT = '{"specversion":"1.0","id":"cut-off","source":"core","type":"core:file:created","time":"2026-';

const started: string[] = [];
afterEach(async () => {
  for (const dir of started.splice(0)) await metarepoAsync(dir, ['broker', 'stop']);
});

/** A workspace whose log holds a garbage line among events and ends with a cut-off line. */
async function corruptWorkspace() {
  const dir = tempDir();
  expect((await metarepoAsync(dir, ['init'])).code).toBe(0);
  const live = path.join(dir, LOG);
  const garbage = { line: lines(live) + 1, offset: fs.statSync(live).size };
  fs.appendFileSync(live, 'this line is garbage\n');
  expect((await metarepoAsync(dir, ['status'])).code).toBe(0);
  const cut = { line: lines(live) + 1, offset: fs.statSync(live).size };
  fs.appendFileSync(live, CUT);
  const last = Math.max(...fs.readFileSync(live, 'utf8').split('\n').flatMap((l) => (l.startsWith('{"specversion"') && l.endsWith('}') ? [JSON.parse(l).sequence] : [])));
  return { dir, live, garbage, cut, last };
}

const lines = (file: string) => fs.readFileSync(file, 'utf8').split('\n').length - 1;
const sequences = async (dir: string) =>
  (await metarepoAsync(dir, ['events', '--json'])).stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l).sequence as number);

describe('a corrupt event log', () => {
  it('metarepo events warns on stderr about each corrupt line (file, line, byte offset); --json stdout stays clean', async () => {
    const { dir, garbage, cut, last } = await corruptWorkspace();
    for (const args of [['events', '--json'], ['events']]) {
      const r = await metarepoAsync(dir, args);
      expect(r.code).toBe(0);
      expect(r.stderr).toContain(`${LOG}:${garbage.line} (byte ${garbage.offset})`);
      expect(r.stderr).toContain(`${LOG}:${cut.line} (byte ${cut.offset})`);
      expect(r.stderr).toMatch(/warning/);
      if (args.includes('--json')) {
        const out = r.stdout.trim().split('\n');
        expect(out.map((l) => JSON.parse(l).sequence)).toEqual(Array.from({ length: last }, (_, i) => i + 1));
      }
    }
  });

  it('health fails naming both; the cut-off line is set aside (not deleted) and its sequence never reused', async () => {
    const { dir, live, garbage, cut, last } = await corruptWorkspace();
    const r = await metarepoAsync(dir, ['health', '--json']);
    expect(r.code).toBe(1);
    const events = JSON.parse(r.stdout).checks.find((c: { name: string }) => c.name === 'events');
    expect(events.ok).toBe(false);
    expect(events.reason).toContain(`${LOG}:${garbage.line} (byte ${garbage.offset})`);
    // health's own ping was the first event written since: it set the cut-off line aside, reserving its sequence.
    const aside = `${LOG}.truncated-${cut.offset}-seq-${last + 1}`;
    expect(events.reason).toContain(aside);
    expect(fs.readFileSync(path.join(dir, aside), 'utf8')).toBe(CUT);
    expect(fs.readFileSync(live, 'utf8').endsWith('\n')).toBe(true);

    expect((await metarepoAsync(dir, ['status'])).code).toBe(0);
    const seqs = await sequences(dir);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs).not.toContain(last + 1);
    expect(seqs.filter((s) => s > last)[0]).toBe(last + 2); // health's ping
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it('with a broker: it restarts on the corrupt log, reports the latest sequence past the cut-off event, reuses none', async () => {
    const { dir, last } = await corruptWorkspace();
    const start = await metarepoAsync(dir, ['broker', 'start', '--json']);
    expect(start.code).toBe(0);
    started.push(dir);
    // The broker starts past the cut-off event (the events its hosted plugins then publish come after it).
    expect(fs.readFileSync(path.join(dir, '.metarepo/broker.log'), 'utf8')).toMatch(new RegExp(`info started pid \\d+, latest sequence ${last + 1},`));
    expect((await metarepoAsync(dir, ['status'])).code).toBe(0);
    expect((await metarepoAsync(dir, ['broker', 'stop'])).code).toBe(0);
    expect((await metarepoAsync(dir, ['broker', 'start'])).code).toBe(0);
    const seqs = await sequences(dir);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs).not.toContain(last + 1);
    expect(seqs.filter((s) => s > last)[0]).toBe(last + 2);
    // The broker's latest is the log's: polled, as the plugins it hosts keep publishing for a moment after it starts.
    const latestOfBoth = async () => {
      const latest = JSON.parse((await metarepoAsync(dir, ['broker', 'status', '--json'])).stdout).stats.latest;
      return latest === (await sequences(dir)).at(-1);
    };
    await expect.poll(latestOfBoth, { timeout: 30_000, interval: 500 }).toBe(true);
    const health = JSON.parse((await metarepoAsync(dir, ['health', '--json'])).stdout);
    expect(health.checks.find((c: { name: string }) => c.name === 'events')).toMatchObject({ ok: false, reason: expect.stringContaining('truncated-') });
  });
});
