// The event log's cross-process lock: concurrent writer processes, stale locks, a live holder.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MetarepoError } from '../../../src/core/errors.js';
import { EventLog, LOCK_FILE, readEvents } from '../../../src/events/log.js';
import { PACKAGE_ROOT } from '../../../src/core/package-root.js';
import { range, tempRoot } from './helpers.js';

const LOG_MODULE = path.join(PACKAGE_ROOT, 'dist/src/events/log.js');

/** A Node process that appends `n` events to the log in `dir`, a few at a time (as CLI runs would). */
function writer(dir: string, name: string, n: number) {
  const code = `
    const { EventLog } = await import(${JSON.stringify(LOG_MODULE)});
    const log = new EventLog(${JSON.stringify(dir)});
    for (let i = 0; i < ${n}; i++) {
      log.append({ specversion: '1.0', id: '${name}-' + i, source: 't', type: 'zt:w:x', time: '', datacontenttype: 'application/json', data: {}, runid: '${name}' });
      if (i % 5 === 4) await new Promise((r) => setTimeout(r, 1));
    }
    log.close();`;
  return spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: 'inherit' });
}

describe('EventLog lock', () => {
  it('three processes appending at once produce one gap-free sequence with every event once', async () => {
    const dir = path.join(tempRoot(), '.metarepo/events');
    const children = ['a', 'b', 'c'].map((name) => writer(dir, name, 200));
    const codes = await Promise.all(children.map((c) => new Promise((r) => c.on('exit', r))));
    expect(codes).toEqual([0, 0, 0]);
    const events = [...readEvents(dir)];
    expect(events.map((e) => e.sequence)).toEqual(range(1, 600));
    expect(new Set(events.map((e) => e.id)).size).toBe(600);
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  });

  it('takes over a lock left by a dead process', () => {
    const dir = path.join(tempRoot(), '.metarepo/events');
    fs.mkdirSync(dir, { recursive: true });
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid: Number(dead.stdout), role: 'broker', token: 'old' }));
    const log = new EventLog(dir);
    log.append({ specversion: '1.0', id: 'x', source: 't', type: 'zt:a:b', time: '', datacontenttype: 'application/json', data: {}, runid: 'r' });
    log.close();
    expect([...readEvents(dir)].map((e) => e.id)).toEqual(['x']);
  });

  it('waits while a live holder keeps the lock, and appends once it lets go', () => {
    const dir = path.join(tempRoot(), '.metarepo/events');
    fs.mkdirSync(dir, { recursive: true });
    const lock = path.join(dir, LOCK_FILE);
    const released = path.join(dir, '..', 'released');
    // The holder waits until the lock names it, keeps it a moment, notes that it lets go, then removes it and
    // stays alive (a dead holder would be a stale lock, taken over without waiting).
    const script = `const fs = require('fs');
      const poll = setInterval(() => {
        if (!fs.existsSync(${JSON.stringify(lock)})) return;
        clearInterval(poll);
        setTimeout(() => { fs.writeFileSync(${JSON.stringify(released)}, 'yes'); fs.rmSync(${JSON.stringify(lock)}); }, 200);
      }, 5);
      setTimeout(() => {}, 60000);`;
    const holder = spawn(process.execPath, ['-e', script]);
    try {
      fs.writeFileSync(lock, JSON.stringify({ pid: holder.pid, role: 'writer', token: 't' }));
      const log = new EventLog(dir, { lockTimeoutMs: 30_000 });
      log.append({ specversion: '1.0', id: 'z', source: 't', type: 'zt:a:b', time: '', datacontenttype: 'application/json', data: {}, runid: 'r' });
      log.close();
      // The append returned only after the holder let go, and the holder was still alive: it waited, it broke nothing.
      expect(fs.readFileSync(released, 'utf8')).toBe('yes');
      expect(holder.exitCode).toBeNull();
      expect([...readEvents(dir)].map((e) => e.id)).toEqual(['z']);
      expect(fs.existsSync(lock)).toBe(false);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('fails with the holder named when a live holder keeps the lock past the wait', async () => {
    const dir = path.join(tempRoot(), '.metarepo/events');
    fs.mkdirSync(dir, { recursive: true });
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)']);
    try {
      fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid: holder.pid, role: 'broker', token: 't' }));
      const log = new EventLog(dir, { lockTimeoutMs: 100 });
      const env = { specversion: '1.0' as const, id: 'y', source: 't', type: 'zt:a:b', time: '', datacontenttype: 'application/json' as const, data: {}, runid: 'r' };
      const error = (() => {
        try {
          log.append(env);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(MetarepoError);
      expect((error as MetarepoError).message).toContain(`locked by a broker (pid ${holder.pid})`);
      expect((error as MetarepoError).hint).toContain('metarepo broker stop');
      expect([...readEvents(dir)]).toEqual([]);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('ends a line cut short by a crash before appending, so the next event stays readable', () => {
    const dir = path.join(tempRoot(), '.metarepo/events');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'events.jsonl'), '{"sequence":1,"id":"a"}\n{"type":"zt:te');
    const log = new EventLog(dir, { warn: () => undefined });
    log.append({ specversion: '1.0', id: 'b', source: 't', type: 'zt:a:b', time: '', datacontenttype: 'application/json', data: {}, runid: 'r' });
    log.close();
    // The cut-off line is set aside beside the log and keeps sequence 2 (issue 13 item 2): b gets 3.
    expect([...readEvents(dir)].map((e) => [e.id, e.sequence])).toEqual([
      ['a', 1],
      ['b', 3],
    ]);
  });
});
