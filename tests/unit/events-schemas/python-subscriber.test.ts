// examples/python-subscriber against a stand-in broker: an XPUB socket (a PUB that also reports subscriptions, so
// the test publishes only once the subscriber's prefix has arrived, never losing events to the joining window).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../e2e/cli.js';

const SCRIPT = path.join(REPO_ROOT, 'examples/python-subscriber/subscriber.py');

// `python3` on PATH may be a pyenv or virtualenv interpreter that does not see Debian's python3-zmq.
const CANDIDATES = ['python3', '/usr/bin/python3'];
const runs = (python: string, code: string) => spawnSync(python, ['-c', code], { encoding: 'utf8' }).status === 0;
const PYTHON = CANDIDATES.find((p) => runs(p, 'import sys; assert sys.version_info >= (3, 8)'));
const PYZMQ_PYTHON = CANDIDATES.find((p) => runs(p, 'import zmq'));

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** A temp workspace whose .metarepo/broker.json points at a fresh XPUB socket bound on ipc://. */
async function fakeBroker() {
  const zmq = await import('zeromq');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metarepo-pysub-'));
  const publish = `ipc://${path.join(dir, 'pub.sock')}`;
  const pub = new zmq.XPublisher();
  await pub.bind(publish);
  fs.mkdirSync(path.join(dir, '.metarepo'));
  const endpoints = { publish, ingest: `ipc://${path.join(dir, 'in.sock')}`, replay: `ipc://${path.join(dir, 'replay.sock')}` };
  fs.writeFileSync(path.join(dir, '.metarepo/broker.json'), JSON.stringify({ endpoints, pid: process.pid, version: '0.1.0' }));
  const envelope = (sequence: number, type: string, data: Record<string, unknown>) =>
    JSON.stringify({ specversion: '1.0', id: `id-${sequence}`, source: 'core', type, time: new Date().toISOString(), datacontenttype: 'application/json', data, runid: 'r', sequence });
  /** One message: the type, then one envelope per `data` (consecutive sequences from `sequence`), as the broker groups them. */
  const send = (sequence: number, type: string, ...data: Array<Record<string, unknown>>) => pub.send([type, ...data.map((d, i) => envelope(sequence + i, type, d))]);
  return { dir, pub, send };
}

/** Starts the subscriber and resolves once the broker has seen its subscription (its first XPUB message). */
async function startSubscriber(python: string, broker: Awaited<ReturnType<typeof fakeBroker>>, args: string[]) {
  const child = spawn(python, [SCRIPT, '--workspace', broker.dir, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const subscribed = broker.pub.receive().then(([msg]) => msg!);
  const first = await Promise.race([subscribed, exited.then(() => new Error(`the subscriber exited early: ${stderr}`))]);
  if (first instanceof Error) throw first;
  return { child, first, exited, output: () => ({ stdout, stderr }) };
}

describe('examples/python-subscriber', () => {
  // Without an interpreter (or pyzmq, below) these show as skipped in vitest's summary; .ci/run installs
  // Debian's python3-zmq.
  it.skipIf(!PYTHON)('is valid Python 3', () => {
    const cfile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'metarepo-pyc-')), 'subscriber.pyc');
    const r = spawnSync(PYTHON!, ['-c', 'import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)', SCRIPT, cfile], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it.skipIf(!PYZMQ_PYTHON)('subscribes to core:file: and prints sequence, type and path of exactly those events', async () => {
    const broker = await fakeBroker();
    try {
      const sub = await startSubscriber(PYZMQ_PYTHON!, broker, ['--count', '4']);
      expect(sub.first.toString('latin1')).toBe('\x01core:file:');
      await broker.send(1, 'core:file:created', { path: 'src/a.ts', target: 'src/a.ts' });
      await broker.send(2, 'core:generate:finished', { path: 'not/a/file/event' });
      await broker.send(3, 'core:file:deleted', { path: 'src/b.ts', target: 'src/b.ts' });
      await broker.send(4, 'core:file:created', { path: 'src/c.ts', target: 'src/c.ts' }, { path: 'src/d.ts', target: 'src/d.ts' });
      const code = await sub.exited;
      const { stdout, stderr } = sub.output();
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(stdout).toBe('1 core:file:created src/a.ts\n3 core:file:deleted src/b.ts\n4 core:file:created src/c.ts\n5 core:file:created src/d.ts\n');
    } finally {
      broker.pub.close();
    }
  });

  it.skipIf(!PYZMQ_PYTHON)('exits cleanly on Ctrl-C (SIGINT) while waiting', async () => {
    const broker = await fakeBroker();
    try {
      const sub = await startSubscriber(PYZMQ_PYTHON!, broker, []);
      sub.child.kill('SIGINT');
      expect(await sub.exited).toBe(0);
      expect(sub.output()).toEqual({ stdout: '', stderr: '' });
    } finally {
      broker.pub.close();
    }
  });
});
