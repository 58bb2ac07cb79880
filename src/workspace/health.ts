import { MetarepoError, formatLocation } from '../core/errors.js';
import { InProcessBus } from '../events/in-process-bus.js';
import path from 'node:path';
import { formatCorruptLine, readEvents, setAsideFiles, type CorruptLine } from '../events/log.js';
import type { EventEnvelope } from '../events/envelope.js';
import { ModelRegistry } from '../models/registry.js';
import { loadConfig } from './config.js';
import { requireWorkspaceRoot } from './root.js';
import { connectBus } from './open.js';
import { eventsDir } from '../events/dir.js';

/** One health check's verdict. */
export interface HealthResult {
  name: 'config' | 'models' | 'templates' | 'events' | 'broker';
  ok: boolean;
  /** Why it failed, or a short summary when it passed. */
  reason?: string;
}

/**
 * Runs every health check, each independently (a failing config does not hide a broken model):
 * config (metarepo.yaml validates), models (every model loads and validates), templates (every Handlebars file
 * in built-in and workspace templates compiles), events (an event published on the bus reaches a subscriber
 * and is read back from the log — through the broker when one runs, with the latency — and the log holds no corrupt
 * line and no cut-off event set aside: each is named with its file, line and byte offset), broker (when one runs:
 * it answers, with its latest sequence).
 * @param lintTemplates - compiles every template file of the workspace and returns how many compiled; throws on the
 *   first that does not (passed in by the caller: templates are a layer above the workspace).
 */
export async function runHealthChecks(cwd: string, lintTemplates: (root: string) => Promise<number>): Promise<HealthResult[]> {
  const root = requireWorkspaceRoot(cwd);
  let modelsDir: string | undefined;
  const config = await attempt('config', async () => {
    const { config: c } = await loadConfig(root);
    modelsDir = c.modelsDir;
    return `${c.name}: ${c.targets?.length ?? 0} targets, ${c.projects?.length ?? 0} projects`;
  });
  const models = await attempt('models', async () => `${(await ModelRegistry.load(root, { modelsDir })).list().length} model versions valid`);
  const templates = await attempt('templates', async () => `${await lintTemplates(root)} template files compile`);
  const events = await attempt('events', async () => eventRoundTrip(root));
  const broker = await attempt('broker', async () => brokerLiveness(root));
  return [config, models, templates, events, broker];
}

async function attempt(name: HealthResult['name'], fn: () => Promise<string>): Promise<HealthResult> {
  try {
    return { name, ok: true, reason: await fn() };
  } catch (e) {
    const where = e instanceof MetarepoError && e.location ? `${formatLocation(e.location)}: ` : '';
    return { name, ok: false, reason: `${where}${(e as Error).message}` };
  }
}

async function eventRoundTrip(root: string): Promise<string> {
  const dir = eventsDir(root);
  const bus = await connectBus(root); // the bus a run would use: through the broker when one runs
  const through = bus instanceof InProcessBus ? 'in-process bus' : 'broker';
  let sent: EventEnvelope | undefined;
  let latencyMs = 0;
  try {
    // The in-process bus delivers during publish, before `sent` is known: collect ids, compare afterwards.
    const ids: string[] = [];
    const received = new Promise<void>((resolve) =>
      bus.subscribe('core:health:ping', (e) => {
        ids.push(e.id);
        resolve();
      }),
    );
    if ('ready' in bus && typeof bus.ready === 'function') await (bus.ready as () => Promise<void>)();
    const started = process.hrtime.bigint();
    sent = bus.publish('core:health:ping', { at: Date.now() });
    await Promise.race([received, new Promise((_, reject) => setTimeout(() => reject(new Error(`no subscriber received the ping through the ${through} within 2 s`)), 2000))]);
    latencyMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (!ids.includes(sent.id)) throw new Error('the subscriber received another ping than the one sent');
  } finally {
    await bus.close();
  }
  const corrupt: CorruptLine[] = [];
  let found = false;
  for (const e of readEvents(dir, { onCorrupt: (c) => void corrupt.push(c) })) found ||= e.id === sent!.id;
  if (!found) throw new Error(`the ping was not found in ${dir}`);
  const passed = `publish → subscribe through the ${through} in ${latencyMs.toFixed(2)} ms, and logged`;
  const problems = logProblems(root, corrupt, setAsideFiles(dir));
  if (problems) throw new Error(`${passed}, but ${problems}`);
  return passed;
}

/** How many corrupt lines and set-aside cut-off events to name before "and N more". */
const NAMED = 5;

/**
 * What is wrong with the log, in one sentence, or '' when nothing is: corrupt lines (`file:line (byte offset): why`)
 * and cut-off events set aside by a writer (their file and reserved sequence). Paths relative to `root`.
 */
function logProblems(root: string, corrupt: CorruptLine[], aside: ReturnType<typeof setAsideFiles>): string {
  const parts: string[] = [];
  const list = (items: string[]) => items.slice(0, NAMED).join('; ') + (items.length > NAMED ? `; and ${items.length - NAMED} more` : '');
  if (corrupt.length > 0) {
    parts.push(`the event log holds ${corrupt.length} corrupt line${corrupt.length === 1 ? '' : 's'}, skipped by readers: ${list(corrupt.map((c) => formatCorruptLine(c, root)))}`);
  }
  if (aside.length > 0) {
    parts.push(
      `${aside.length} event${aside.length === 1 ? ' was' : 's were'} cut off by a crash and set aside: ` +
        list(aside.map((f) => `${path.relative(root, f.file)} (sequence ${f.sequence} reserved)`)),
    );
  }
  if (parts.length === 0) return '';
  return `${parts.join('; ')}. Look at them; then, with no broker running, delete the corrupt lines and the set-aside files (docs/events.md, "Corruption")`;
}

async function brokerLiveness(root: string): Promise<string> {
  const { brokerStatus } = await import('../events/zmq/client.js');
  const status = await brokerStatus(root);
  if (!status.running) return 'no broker running: events use the in-process bus and the log';
  if (!status.responding) throw new Error(`the broker (pid ${status.info.pid}) does not answer on ${status.info.endpoints.replay}`);
  return `broker pid ${status.info.pid} answers; latest sequence ${status.stats.latest}, ${status.stats.rejected} rejected`;
}
