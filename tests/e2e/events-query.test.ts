// Issue 13 item 4 through the built CLI: `metarepo events` filters by run, source, sequence or time range, and prints
// only the newest --limit; bad values are clear errors (exit 2).
import { describe, expect, it } from 'vitest';
import { metarepoAsync, tempDir } from './cli.js';

type Logged = { sequence: number; runid: string; source: string; type: string; time: string };

const json = (stdout: string): Logged[] =>
  stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Logged);

describe('metarepo events queries', () => {
  it('--run, --source, --until, --since (sequence and time) and --limit select exactly the events asked for', async () => {
    const dir = tempDir();
    expect((await metarepoAsync(dir, ['init'])).code).toBe(0);
    expect((await metarepoAsync(dir, ['status'])).code).toBe(0);
    expect((await metarepoAsync(dir, ['status'])).code).toBe(0);
    const all = json((await metarepoAsync(dir, ['events', '--json'])).stdout);
    const runs = [...new Set(all.map((e) => e.runid))];
    expect(runs.length).toBeGreaterThanOrEqual(3);

    const second = await metarepoAsync(dir, ['events', '--json', '--run', runs[1]!]);
    expect(second.code).toBe(0);
    expect(json(second.stdout)).toEqual(all.filter((e) => e.runid === runs[1]));

    const core = json((await metarepoAsync(dir, ['events', '--json', '--source', 'core'])).stdout);
    expect(core).toEqual(all.filter((e) => e.source === 'core'));
    expect(json((await metarepoAsync(dir, ['events', '--json', '--source', 'nobody'])).stdout)).toEqual([]);

    const until = json((await metarepoAsync(dir, ['events', '--json', '--since', '2', '--until', '5'])).stdout);
    expect(until.map((e) => e.sequence)).toEqual([3, 4, 5]);

    const limited = json((await metarepoAsync(dir, ['events', '--json', '--limit', '2', '--type', 'core:system:*'])).stdout);
    expect(limited).toEqual(all.filter((e) => e.type.startsWith('core:system:')).slice(-2));

    const pivot = all[Math.floor(all.length / 2)]!;
    const byTime = json((await metarepoAsync(dir, ['events', '--json', '--since', pivot.time])).stdout);
    expect(byTime).toEqual(all.filter((e) => Date.parse(e.time) >= Date.parse(pivot.time)));
    expect(json((await metarepoAsync(dir, ['events', '--json', '--since', '1d'])).stdout)).toEqual(all);
    expect(json((await metarepoAsync(dir, ['events', '--json', '--until', '1d'])).stdout)).toEqual([]);
  });

  it('a value that is neither a sequence, a time nor an age is a clear error (exit 2)', async () => {
    const dir = tempDir();
    expect((await metarepoAsync(dir, ['init'])).code).toBe(0);
    const bad = await metarepoAsync(dir, ['events', '--since', 'yesterday']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--since "yesterday" is neither a sequence number, a date or time, nor an age');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    const limit = await metarepoAsync(dir, ['events', '--limit', '0']);
    expect(limit.code).toBe(2);
    const both = await metarepoAsync(dir, ['events', '--until', '3', '--follow']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--until and --follow');
  });
});
