import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, metarepo, setTargets, tempDir, writeModel } from './cli.js';

const OUT = 'projects/api/src/user.ts';

function user(props: Record<string, unknown>): Record<string, unknown> {
  return { $schema: 'http://json-schema.org/draft-07/schema#', title: 'User', description: 'A user.', type: 'object', properties: props };
}

/** A running `metarepo watch` whose stdout and stderr are collected. */
class WatchProcess {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  constructor(dir: string) {
    this.child = spawn(process.execPath, [BIN, 'watch', '--debounce', '50'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
    this.child.stdout!.on('data', (d) => (this.stdout += d));
    this.child.stderr!.on('data', (d) => (this.stderr += d));
  }
  /** Waits until `stream` (stdout by default) holds `count` lines matching `re`. */
  async lines(re: RegExp, count: number, stream: 'stdout' | 'stderr' = 'stdout', timeoutMs = 20_000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hits = this[stream].split('\n').filter((l) => re.test(l));
      if (hits.length >= count) return hits;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${count}× ${re}\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  stop(): Promise<number | null> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null) return resolve(this.child.exitCode);
      this.child.once('exit', (code) => resolve(code));
      this.child.kill('SIGTERM');
    });
  }
}

/** Polls until `file` satisfies `test`; returns the milliseconds it took. */
async function until(file: string, test: (text: string) => boolean, timeoutMs: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    if (test(text)) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`${file} did not change within ${timeoutMs} ms:\n${text}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

let running: WatchProcess | undefined;

/** A workspace with one model and one target, and `metarepo watch` running in it past its first run. */
async function watching(): Promise<{ dir: string; w: WatchProcess }> {
  const dir = tempDir();
  expect(metarepo(dir, ['init', '--name', 'demo']).code).toBe(0);
  writeModel(dir, 'user', '1.0.0', user({ id: { type: 'string' } }));
  setTargets(dir, ['  - model: user', '    generator: typescript', `    output: ${OUT}`]);
  const w = (running = new WatchProcess(dir));
  await w.lines(/^watching /, 1);
  return { dir, w };
}
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

describe('metarepo watch', () => {
  it('regenerates within 2 s of a model edit, publishes events, survives a broken model and recovers', async () => {
    const { dir, w } = await watching();
    const out = path.join(dir, OUT);
    expect(fs.readFileSync(out, 'utf8')).toMatch(/id\?: string/);
    expect(w.stdout).toMatch(/run 1: 1 rendered, 0 up to date, 1 file\(s\) written/);

    writeModel(dir, 'user', '1.0.0', user({ id: { type: 'string' }, email: { type: 'string' } }));
    const latency = await until(out, (t) => /email\?: string/.test(t), 2000);
    expect(latency).toBeLessThan(2000);
    await w.lines(/run 2 \(models\/user\/1\.0\.0\.schema\.json\): 1 rendered/, 1);
    const events = fs.readFileSync(path.join(dir, '.metarepo/events/events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(events.filter((e) => e.type === 'core:file:modified' && e.data.path === OUT)).toHaveLength(1);
    expect(events.filter((e) => e.type === 'core:generate:finished').length).toBeGreaterThanOrEqual(2);

    fs.writeFileSync(path.join(dir, 'models/user/1.0.0.schema.json'), '{ "type": "object", "properties": { "id": ');
    await w.lines(/run \d+ \(models\/user\/1\.0\.0\.schema\.json\): failed .*models\/user\/1\.0\.0\.schema\.json:1:\d+/, 1);
    // stderr is a separate pipe: its report may arrive after the stdout line.
    const [report] = await w.lines(/^error /, 1, 'stderr');
    expect(report).toContain('models/user/1.0.0.schema.json');
    expect(w.child.exitCode).toBeNull();
    expect(fs.readFileSync(out, 'utf8')).toMatch(/email\?: string/);

    writeModel(dir, 'user', '1.0.0', user({ id: { type: 'string' }, age: { type: 'integer' } }));
    await until(out, (t) => /age\?: number/.test(t) && !/email/.test(t), 2000);
    expect(await w.stop()).toBe(0);
  });

  it('runs once per burst of saves and never overlaps runs', async () => {
    const { dir, w } = await watching();
    for (let i = 0; i < 5; i++) writeModel(dir, 'user', '1.0.0', user({ id: { type: 'string' }, [`p${i}`]: { type: 'string' } }));
    await until(path.join(dir, OUT), (t) => /p4\?: string/.test(t), 5000);
    await w.lines(/^\d\d:\d\d:\d\d run 2 /, 1);
    await new Promise((r) => setTimeout(r, 400));
    // The five writes land within the debounce window: one run, not five (a second may follow if a write
    // straddles it, never more).
    const runs = w.stdout.split('\n').filter((l) => / run \d+/.test(l));
    expect(runs.length).toBeLessThanOrEqual(3);
    // Runs never overlap: in the event log every generate run finishes before the next one starts.
    const phases = fs
      .readFileSync(path.join(dir, '.metarepo/events/events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).type)
      .filter((t: string) => t === 'core:generate:started' || t === 'core:generate:finished');
    expect(phases.length).toBe(runs.length * 2);
    phases.forEach((t: string, i: number) => expect(t).toBe(i % 2 === 0 ? 'core:generate:started' : 'core:generate:finished'));
  });
});
