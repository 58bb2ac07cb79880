import fs from 'node:fs';
import path from 'node:path';
import type { Bus } from '../events/bus.js';
import { eventsDir } from '../events/dir.js';
import { InProcessBus } from '../events/in-process-bus.js';
import { EventLog } from '../events/log.js';
import { logSettings } from '../events/retention.js';
import { MetarepoError } from '../core/errors.js';
import { TEMP_FILE_PATTERN } from '../core/atomic-write.js';
import { recoverJournal, sweepStrayTemps } from '../core/journal.js';
import { STATE_DIR } from '../core/layout.js';
import { ProcessLock } from '../core/process-lock.js';
import type { ModelRegistry } from '../models/registry.js';
import { openPluginHost } from '../plugins/open.js';
import { loadConfig, type WorkspaceConfig } from './config.js';
import { requireWorkspaceRoot } from './root.js';
import { stampTree } from '../core/stamps.js';
import type { Workspace } from './workspace.js';

/**
 * Opening a workspace: the one module that wires the layers below together (config, event bus, model registry,
 * plugin host), takes the writer lock, and finishes an interrupted commit. Every command goes through here.
 */

/** The commit journal, relative to the workspace root (see `src/core/journal.ts`). */
export const JOURNAL_FILE = `${STATE_DIR}/journal.json`;
/** The writer lock, relative to the workspace root: `{ pid, role: <command>, token }` while a writer runs. */
export const LOCK_FILE = `${STATE_DIR}/lock`;

/** How long a writer waits for another by default; `METAREPO_LOCK_TIMEOUT` (seconds) overrides it. */
const DEFAULT_LOCK_TIMEOUT_S = 60;

/** Options of {@link openWorkspace}. */
export interface OpenOptions {
  /** Event payloads that break their schema throw instead of warning (`--strict`). */
  strict?: boolean;
  /**
   * The command writes to the workspace: it takes the writer lock (waiting, with a message on stderr, while another
   * writer holds it) and keeps it until {@link closeWorkspace}. Readers never wait.
   */
  write?: boolean;
  /** Where one-line notices go (waiting for the lock, recovered commits). Default: stderr. */
  notice?: (line: string) => void;
}

/** Creates the in-process bus that logs into the workspace's event log. */
export function createBus(root: string, config?: WorkspaceConfig, options: { strict?: boolean } = {}): Bus {
  return new InProcessBus(new EventLog(eventsDir(root), logSettings(config?.events)), options);
}

/**
 * The bus a run publishes on: the ZeroMQ bus when a broker runs for the workspace (`.metarepo/broker.json` names
 * a live process), the in-process bus otherwise — the same events either way.
 */
export async function connectBus(root: string, config?: WorkspaceConfig, options: { strict?: boolean } = {}): Promise<Bus> {
  // No broker.json, no broker (see `brokerInfoPath`): the common case needs not even the module that reads it.
  if (!fs.existsSync(path.join(root, STATE_DIR, 'broker.json'))) return createBus(root, config, options);
  const { readBrokerInfo } = await import('../events/zmq/info.js');
  if (!readBrokerInfo(root)) return createBus(root, config, options);
  const { ZmqBus } = await import('../events/zmq/zmq-bus.js');
  return ZmqBus.connect(root, { strict: options.strict, log: logSettings(config?.events) });
}

/**
 * Finds the workspace at or above `cwd`; for a writer takes the lock; finishes (or undoes) a commit a crash
 * interrupted, saying so in one line; validates `metarepo.yaml`; creates the bus; publishes `core:system:startup`
 * (with the command name) and `core:workspace:loaded`.
 * @throws MetarepoError exit 2 when there is no workspace or the config is invalid; exit 1 when another writer
 *   still holds the lock after the timeout (naming its command and pid).
 */
export async function openWorkspace(cwd: string, command: string, options: OpenOptions = {}): Promise<Workspace> {
  const root = requireWorkspaceRoot(cwd);
  const notice = options.notice ?? ((line: string) => process.stderr.write(`${line}\n`));
  const lock = options.write ? takeWriterLock(root, command, notice) : undefined;
  try {
    recover(root, lock, notice);
    const { config, document, textHash } = await loadConfig(root);
    const bus = await connectBus(root, config, options);
    bus.publish('core:system:startup', { command, pid: process.pid });
    bus.publish('core:workspace:loaded', { root, name: config.name, targets: config.targets?.length ?? 0, projects: config.projects?.length ?? 0 });
    let registry: Promise<ModelRegistry> | undefined;
    const ws: Workspace = {
      root,
      config,
      configHash: textHash,
      document,
      bus,
      plugins: () => (ws.pluginHost ??= openPluginHost({ root, config, document, bus })),
      models: () => (registry ??= loadModels(ws)),
      release: () => lock?.release(),
    };
    return ws;
  } catch (e) {
    lock?.release();
    throw e;
  }
}

/**
 * Loads the model registry (its module too: a run that needs no model never imports it), stamping the models
 * folder first — before any model file is read — so caches keyed by the models can tell later whether any changed
 * (see `Workspace.modelsStamp`).
 */
async function loadModels(ws: Workspace): Promise<ModelRegistry> {
  const modelsDir = normalizeModelsDir(ws.config.modelsDir);
  const stamp = stampTree(ws.root, modelsDir, (name) => name.endsWith(MODEL_FILE_SUFFIX));
  const { ModelRegistry } = await import('../models/registry.js');
  const registry = await ModelRegistry.load(ws.root, { modelsDir: ws.config.modelsDir });
  ws.modelsStamp = stamp;
  return registry;
}

/** The models folder as the registry resolves it, relative to the root, `/`-separated, without a trailing `/`. */
export function normalizeModelsDir(modelsDir = 'models'): string {
  return path.posix.normalize(modelsDir.replace(/\\/g, '/')).replace(/\/+$/, '');
}

/** The file suffix of a model version (as `MODEL_FILE_SUFFIX` in src/models/registry.ts, without loading it). */
export const MODEL_FILE_SUFFIX = '.schema.json';

/** Publishes `core:system:shutdown`, unloads the plugins that were loaded, closes the bus, releases the lock. */
export async function closeWorkspace(ws: Workspace, exitCode: number): Promise<void> {
  try {
    if (ws.pluginHost) await (await ws.pluginHost).close();
    ws.bus.publish('core:system:shutdown', { exitCode });
    await ws.bus.close();
  } finally {
    ws.release?.();
  }
}

function takeWriterLock(root: string, command: string, notice: (line: string) => void): ProcessLock {
  fs.mkdirSync(path.join(root, STATE_DIR), { recursive: true }); // a workspace made by hand may not have it yet
  const lock = new ProcessLock(path.join(root, LOCK_FILE), command);
  if (lock.acquire(0)) return lock;
  const holder = lock.holder();
  const seconds = lockTimeoutSeconds();
  notice(`metarepo: waiting for ${holder ? `${holder.role}, pid ${holder.pid}` : 'another metarepo command'} to finish (up to ${seconds} s)…`);
  if (lock.acquire(seconds * 1000)) return lock;
  const still = lock.holder() ?? holder;
  throw new MetarepoError(`The workspace is locked by ${still ? `\`${still.role}\` (pid ${still.pid})` : 'another metarepo command'}; gave up after ${seconds} s. Nothing was written.`, {
    exitCode: 1,
    hint: `Wait for it to finish and run the command again (METAREPO_LOCK_TIMEOUT=<seconds> waits longer). A lock whose process is gone is taken over automatically.`,
  });
}

function lockTimeoutSeconds(): number {
  const env = Number(process.env.METAREPO_LOCK_TIMEOUT);
  return Number.isFinite(env) && env >= 0 && process.env.METAREPO_LOCK_TIMEOUT !== '' ? env : DEFAULT_LOCK_TIMEOUT_S;
}

/**
 * Rolls an interrupted commit forward or back. A writer holds the lock already; a reader recovers only when no
 * writer runs (it takes the lock for that moment, never waiting): a live writer's journal is its own business.
 */
function recover(root: string, writerLock: ProcessLock | undefined, notice: (line: string) => void): void {
  const state = path.join(root, STATE_DIR);
  if (!writerLock && !needsRecovery(state)) return;
  const lock = writerLock ?? new ProcessLock(path.join(root, LOCK_FILE), 'recovery');
  if (!writerLock && !lock.acquire(0)) return;
  try {
    const line = recoverJournal(root, JOURNAL_FILE);
    if (line) notice(line);
    // A temp of the journal (or of the manifest) that a process killed before its rename left behind.
    sweepStrayTemps([state]);
  } finally {
    if (!writerLock) lock.release();
  }
}

/** A journal, or a temp file in `.metarepo/` (one readdir of a small folder: cheap enough for every reader). */
function needsRecovery(state: string): boolean {
  try {
    return fs.readdirSync(state).some((name) => name === path.basename(JOURNAL_FILE) || TEMP_FILE_PATTERN.test(name));
  } catch {
    return false;
  }
}
