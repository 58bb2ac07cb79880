import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { MetarepoError } from '../../core/errors.js';
import { PACKAGE_ROOT } from '../../core/package-root.js';
import { isAlive } from '../../core/process-lock.js';
import type { BrokerOptions } from './broker.js';
import { brokerLogPath, readBrokerInfo, removeBrokerInfo, type BrokerInfo } from './info.js';
import { Cmd, type BrokerStats } from './protocol.js';
import { Requester } from './requester.js';

/**
 * The compiled plain broker entry (the broker always runs from dist, also when metarepo runs from sources); `metarepo
 * broker start` passes its own entry, which hosts plugins too (see {@link startBroker}'s `main`).
 */
export const BROKER_MAIN = path.join(PACKAGE_ROOT, 'dist/src/events/zmq/broker-main.js');

/** What `brokerStatus` finds. */
export type BrokerStatus =
  | { running: false }
  | { running: true; info: BrokerInfo; responding: true; stats: BrokerStats }
  | { running: true; info: BrokerInfo; responding: false };

const POLL_MS = 25;

/**
 * Starts the broker as a detached background process (`node --expose-gc dist/src/events/zmq/broker-main.js <root> <options>`)
 * and waits until it has written `.metarepo/broker.json` and answers a ping.
 * @param opts.timeoutMs - how long to wait for that. Default 10 000.
 * @param opts.main - the process's entry script (it calls `runBrokerProcess`). Default {@link BROKER_MAIN}.
 * @returns the broker's `broker.json` content.
 * @throws MetarepoError (exit 1) when a broker already runs, when the process exits early (its reason, from
 *   `.metarepo/broker.log`, is in the message) or does not answer in time (it is then killed).
 */
export async function startBroker(root: string, opts: BrokerOptions & { timeoutMs?: number; main?: string } = {}): Promise<BrokerInfo> {
  const running = readBrokerInfo(root);
  if (running) {
    throw new MetarepoError(`A broker already runs for this workspace (pid ${running.pid}).`, { exitCode: 1, hint: 'Stop it first with `metarepo broker stop`.' });
  }
  const { timeoutMs = 10_000, main = BROKER_MAIN, ...brokerOpts } = opts;
  if (!fs.existsSync(main)) {
    throw new MetarepoError(`The broker's entry ${main} is missing.`, { exitCode: 1, hint: 'Build metarepo first: `npm run build`.' });
  }
  removeBrokerInfo(root); // a stale file left by a crash
  // --expose-gc: the broker collects its garbage once a burst is over, so its memory returns to its steady state.
  const child = spawn(process.execPath, ['--expose-gc', main, root, JSON.stringify(brokerOpts)], { detached: true, stdio: 'ignore' });
  let exited: number | null = null;
  child.once('exit', (code, signal) => (exited = code ?? (signal ? 128 : 1)));
  child.unref();
  const deadline = Date.now() + timeoutMs;
  const zmq = await import('zeromq');
  while (Date.now() < deadline) {
    if (exited !== null) {
      throw new MetarepoError(`The broker exited at start (code ${exited}): ${lastError(root) ?? 'no reason logged'}.`, {
        exitCode: 1,
        hint: `See ${brokerLogPath(root)}.`,
      });
    }
    const info = readBrokerInfo(root);
    if (info && info.pid === child.pid) {
      const requester = new Requester(zmq, info.endpoints.replay);
      try {
        await requester.ping(Math.max(POLL_MS, Math.min(1000, deadline - Date.now())));
        return info;
      } catch {
        // Not answering yet: poll again.
      } finally {
        requester.close();
      }
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  child.kill('SIGKILL');
  throw new MetarepoError(`The broker did not answer within ${timeoutMs} ms; it was stopped.`, { exitCode: 1, hint: `See ${brokerLogPath(root)}.` });
}

/**
 * Stops the workspace's broker: SIGTERM, wait for its exit (SIGKILL after `timeoutMs`, default 5000), and
 * remove a `broker.json` left behind.
 * @returns whether a broker was running, and its pid.
 */
export async function stopBroker(root: string, opts: { timeoutMs?: number } = {}): Promise<{ stopped: boolean; pid?: number }> {
  const info = readBrokerInfo(root);
  if (!info) {
    removeBrokerInfo(root);
    return { stopped: false };
  }
  process.kill(info.pid, 'SIGTERM');
  if (!(await exitWithin(info.pid, opts.timeoutMs ?? 5000))) {
    process.kill(info.pid, 'SIGKILL');
    await exitWithin(info.pid, 2000);
  }
  removeBrokerInfo(root, info.pid);
  return { stopped: true, pid: info.pid };
}

/**
 * Whether a broker runs, its `broker.json`, and its counters (latest sequence included) from a STATS request.
 * @param opts.timeoutMs - how long to wait for the answer. Default 1000; past it `responding` is false.
 */
export async function brokerStatus(root: string, opts: { timeoutMs?: number } = {}): Promise<BrokerStatus> {
  const info = readBrokerInfo(root);
  if (!info) return { running: false };
  const requester = new Requester(await import('zeromq'), info.endpoints.replay);
  try {
    const [, , json] = await requester.request(Cmd.stats, [], opts.timeoutMs ?? 1000);
    return { running: true, info, responding: true, stats: JSON.parse(json!) as BrokerStats };
  } catch {
    return { running: true, info, responding: false };
  } finally {
    requester.close();
  }
}

async function exitWithin(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (isAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  return true;
}

/** The last `error` line of `.metarepo/broker.log`, without its time stamp. */
function lastError(root: string): string | undefined {
  let text: string;
  try {
    text = fs.readFileSync(brokerLogPath(root), 'utf8');
  } catch {
    return undefined;
  }
  const line = text.trimEnd().split('\n').reverse().find((l) => / error /.test(l));
  return line?.replace(/^\S+ error /, '');
}
