import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, REPO_ROOT, metarepo, tempDir } from './cli.js';

const started: string[] = [];
afterEach(() => {
  for (const dir of started.splice(0)) metarepo(dir, ['broker', 'stop']);
});

function workspaceWithBroker(): string {
  const dir = tempDir();
  expect(metarepo(dir, ['init']).code).toBe(0);
  const start = metarepo(dir, ['broker', 'start', '--json']);
  expect(start.stderr).toBe('');
  expect(start.code).toBe(0);
  started.push(dir);
  return dir;
}

const logged = (dir: string) => metarepo(dir, ['events', '--json']).stdout.trim().split('\n').map((l) => JSON.parse(l));

describe('the broker through the CLI', () => {
  it('start, status, runs publish through it with gap-free sequences, stop removes broker.json', () => {
    const dir = workspaceWithBroker();
    const info = JSON.parse(fs.readFileSync(path.join(dir, '.metarepo/broker.json'), 'utf8'));
    expect(info.endpoints.publish).toMatch(/^ipc:\/\//);
    const status = JSON.parse(metarepo(dir, ['broker', 'status', '--json']).stdout);
    expect(status).toMatchObject({ running: true, responding: true });
    expect(metarepo(dir, ['new', 'model', 'invoice']).code).toBe(0);
    const events = logged(dir);
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['core:file:created', 'core:scaffold:finished']));
    const seqs = events.map((e) => e.sequence);
    expect(seqs).toEqual(seqs.map((_: number, i: number) => i + 1));
    const health = JSON.parse(metarepo(dir, ['health', '--json']).stdout);
    expect(health.checks.find((c: { name: string }) => c.name === 'events')).toMatchObject({ ok: true, reason: expect.stringMatching(/through the broker in [\d.]+ ms/) });
    expect(health.checks.find((c: { name: string }) => c.name === 'broker')).toMatchObject({ ok: true, reason: expect.stringMatching(/answers; latest sequence \d+/) });
    expect(metarepo(dir, ['broker', 'stop']).code).toBe(0);
    expect(fs.existsSync(path.join(dir, '.metarepo/broker.json'))).toBe(false);
    expect(metarepo(dir, ['broker', 'status']).code).toBe(1);
  });

  it('events --since N --follow replays then follows live through the broker', async () => {
    const dir = workspaceWithBroker();
    metarepo(dir, ['status']);
    const before = logged(dir);
    const since = before[1].sequence;
    const child = spawn(process.execPath, [BIN, 'events', '--since', String(since), '--follow', '--json'], { cwd: dir });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    try {
      const waitFor = async (n: number) => {
        const deadline = Date.now() + 15_000;
        while (out.trim().split('\n').filter(Boolean).length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      };
      await waitFor(before.length - 2);
      expect(metarepo(dir, ['status']).code).toBe(0);
      const total = logged(dir).length;
      await waitFor(total - 2);
      const seqs = out.trim().split('\n').map((l) => JSON.parse(l).sequence);
      expect(seqs).toEqual(Array.from({ length: total - since }, (_, i) => since + 1 + i));
    } finally {
      child.kill();
    }
  });

  it('a broker killed mid-run loses no event: the run falls back to the log', () => {
    const dir = workspaceWithBroker();
    const { pid } = JSON.parse(fs.readFileSync(path.join(dir, '.metarepo/broker.json'), 'utf8'));
    process.kill(pid, 'SIGKILL');
    expect(metarepo(dir, ['new', 'model', 'order']).code).toBe(0);
    const seqs = logged(dir).map((e) => e.sequence);
    expect(seqs).toEqual(seqs.map((_: number, i: number) => i + 1));
    expect(logged(dir).some((e) => e.type === 'core:scaffold:finished')).toBe(true);
  });

  it('the Python subscriber example receives core:file:* events (where python3 has pyzmq)', async () => {
    const python = ['python3', '/usr/bin/python3'].find((p) => spawnSync(p, ['-c', 'import zmq']).status === 0);
    if (!python) {
      console.warn('python3 with pyzmq not found (Debian: python3-zmq): the Python subscriber was not run');
      expect(spawnSync('python3', ['-m', 'py_compile', path.join(REPO_ROOT, 'examples/python-subscriber/subscriber.py')]).status).toBe(0);
      return;
    }
    const dir = workspaceWithBroker();
    const sub = spawn(python, [path.join(REPO_ROOT, 'examples/python-subscriber/subscriber.py'), '--workspace', dir, '--count', '2'], { cwd: dir });
    let out = '';
    sub.stdout.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => sub.on('exit', r));
    await new Promise((r) => setTimeout(r, 1000)); // PUB/SUB: let the subscription reach the broker
    expect(metarepo(dir, ['new', 'model', 'invoice']).code).toBe(0);
    expect(metarepo(dir, ['new', 'model', 'order']).code).toBe(0);
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 10_000))]);
    if (code === 'timeout') sub.kill();
    expect(code).toBe(0);
    expect(out).toMatch(/core:file:created models\/invoice\/1\.0\.0\.schema\.json/);
    expect(out).toMatch(/core:file:created models\/order\/1\.0\.0\.schema\.json/);
  });
});
