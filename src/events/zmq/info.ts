import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../core/atomic-write.js';
import { MetarepoError } from '../../core/errors.js';
import { STATE_DIR } from '../../core/layout.js';
import { isAlive } from '../../core/process-lock.js';

/** The three broker endpoints (ZeroMQ addresses), see `protocol.ts`. */
export interface BrokerEndpoints {
  ingest: string;
  publish: string;
  replay: string;
}

/** `.metarepo/broker.json`: what clients need to reach a running broker. */
export interface BrokerInfo {
  /** metarepo version of the broker. */
  version: string;
  /** Wire protocol version (`PROTOCOL_VERSION`). */
  protocol: number;
  pid: number;
  /** RFC 3339. */
  startedAt: string;
  endpoints: BrokerEndpoints;
  /** Heartbeat period on the publish socket, ms. */
  heartbeatMs: number;
  /** Whether events are written to `.metarepo/events/` (false only in benchmarks). */
  log: boolean;
}

/** Absolute path of `.metarepo/broker.json`. */
export function brokerInfoPath(root: string): string {
  return path.join(root, STATE_DIR, 'broker.json');
}

/** Absolute path of `.metarepo/broker.log` (start, stop, rejected messages). */
export function brokerLogPath(root: string): string {
  return path.join(root, STATE_DIR, 'broker.log');
}

/** Longest Unix socket path (sun_path is 108 bytes on Linux, 104 on macOS, including the NUL). */
const MAX_IPC_PATH = 103;

/**
 * Default endpoints: `ipc://<root>/.metarepo/broker-<name>.sock`, or `tcp://127.0.0.1:<port>` (port `*`: the OS
 * chooses, read back after binding) when `transport` is `tcp`.
 * @throws MetarepoError (exit 2) when an ipc path is too long for a Unix socket.
 */
export function defaultEndpoints(root: string, transport: 'ipc' | 'tcp', ports: Partial<Record<keyof BrokerEndpoints, number>> = {}): BrokerEndpoints {
  const make = (name: keyof BrokerEndpoints): string => {
    if (transport === 'tcp') return `tcp://127.0.0.1:${ports[name] ? String(ports[name]) : '*'}`;
    const file = path.join(root, STATE_DIR, `broker-${name}.sock`);
    if (Buffer.byteLength(file) > MAX_IPC_PATH) {
      throw new MetarepoError(`The broker's socket path ${file} is too long for a Unix socket (${MAX_IPC_PATH} bytes at most).`, {
        hint: 'Use TCP on localhost instead (broker transport "tcp"), or move the workspace to a shorter path.',
      });
    }
    return `ipc://${file}`;
  };
  return { ingest: make('ingest'), publish: make('publish'), replay: make('replay') };
}

/**
 * Reads `.metarepo/broker.json`.
 * @returns its content when the named process is alive, else null (no file, unreadable, or stale after a crash).
 */
export function readBrokerInfo(root: string): BrokerInfo | null {
  let info: BrokerInfo;
  try {
    info = JSON.parse(fs.readFileSync(brokerInfoPath(root), 'utf8')) as BrokerInfo;
  } catch {
    return null;
  }
  return typeof info.pid === 'number' && isAlive(info.pid) && info.endpoints ? info : null;
}

/** Writes `.metarepo/broker.json` atomically (temp file + rename), keys in a stable order. */
export function writeBrokerInfo(root: string, info: BrokerInfo): void {
  writeFileAtomic(brokerInfoPath(root), `${JSON.stringify(info, null, 2)}\n`);
}

/** Removes `.metarepo/broker.json` if it names `pid` (or any pid when omitted). */
export function removeBrokerInfo(root: string, pid?: number): void {
  const file = brokerInfoPath(root);
  try {
    if (pid !== undefined && (JSON.parse(fs.readFileSync(file, 'utf8')) as BrokerInfo).pid !== pid) return;
  } catch {
    // Unreadable: remove it all the same.
  }
  fs.rmSync(file, { force: true });
}

/** Appends one line to `.metarepo/broker.log`: `<time> <level> <message>`. */
export function logBrokerLine(root: string, level: 'info' | 'warn' | 'error', message: string): void {
  fs.mkdirSync(path.join(root, STATE_DIR), { recursive: true });
  fs.appendFileSync(brokerLogPath(root), `${new Date().toISOString()} ${level} ${message}\n`);
}
