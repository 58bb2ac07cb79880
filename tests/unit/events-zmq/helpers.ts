// Shared set-up of the broker tests: a temp workspace with a short path (ipc socket paths are limited), a real
// broker process per test, and clean-up of every process and bus a test started.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect } from 'vitest';
import type { Bus } from '../../../src/events/bus.js';
import { startBroker, stopBroker } from '../../../src/events/zmq/client.js';
import type { BrokerOptions } from '../../../src/events/zmq/broker.js';
import type { BrokerInfo } from '../../../src/events/zmq/info.js';
import { isAlive } from '../../../src/core/process-lock.js';

const roots: string[] = [];
const pids = new Set<number>();
const closers: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
  for (const root of roots.splice(0)) await stopBroker(root, { timeoutMs: 2000 }).catch(() => undefined);
  for (const pid of pids) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  pids.clear();
});

/** A temp workspace root (with metarepo.yaml). */
export function tempRoot(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mzq-'));
  fs.writeFileSync(path.join(root, 'metarepo.yaml'), 'name: zmq-test\n');
  roots.push(root);
  return root;
}

/** Starts a broker process for `root` with fast heartbeats; it is stopped (or killed) after the test. */
export async function broker(root: string, opts: BrokerOptions = {}): Promise<BrokerInfo> {
  const info = await startBroker(root, { heartbeatMs: 100, ...opts });
  pids.add(info.pid);
  return info;
}

/** Registers a bus (or anything closable) to close after the test. */
export function track<T extends Pick<Bus, 'close'>>(thing: T): T {
  closers.push(() => thing.close());
  return thing;
}

/** Waits until `check` holds, polling every 10 ms; fails the test after `ms`. */
export async function until(check: () => boolean, ms = 30_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) expect.fail(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** 1, 2, …, n. */
export const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
