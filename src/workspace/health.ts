import { MetarepoError, formatLocation } from '../errors.js';
import { InProcessBus } from '../events/in-process-bus.js';
import { EventLog, readEvents } from '../events/log.js';
import { ModelRegistry } from '../models/registry.js';
import { lintTemplates } from '../templates/health.js';
import { loadConfig } from './config.js';
import { requireWorkspaceRoot } from './root.js';
import { eventsDir } from './workspace.js';

/** One health check's verdict. */
export interface HealthResult {
  name: 'config' | 'models' | 'templates' | 'events';
  ok: boolean;
  /** Why it failed, or a short summary when it passed. */
  reason?: string;
}

/**
 * Runs every health check, each independently (a failing config does not hide a broken model):
 * config (metarepo.yaml validates), models (every model loads and validates), templates (every Handlebars file
 * in built-in and workspace templates compiles), events (an event published on the bus reaches a subscriber
 * and is read back from the log).
 */
export async function runHealthChecks(cwd: string): Promise<HealthResult[]> {
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
  return [config, models, templates, events];
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
  const bus = new InProcessBus(new EventLog(dir));
  const started = process.hrtime.bigint();
  const received = new Promise<string>((resolve) => bus.subscribe('core:health:*', (e) => resolve(e.id)));
  const sent = bus.publish('core:health:ping', { at: Date.now() });
  const id = await Promise.race([received, new Promise<string>((_, reject) => setTimeout(() => reject(new Error('no subscriber received the ping within 1 s')), 1000))]);
  await bus.close();
  if (id !== sent.id) throw new Error('the subscriber received a different event');
  const logged = [...readEvents(dir, { since: (sent.sequence ?? 1) - 1 })].some((e) => e.id === sent.id);
  if (!logged) throw new Error(`the ping was not found in ${dir}`);
  const micros = Number(process.hrtime.bigint() - started) / 1000;
  return `publish → subscribe → log round trip in ${micros.toFixed(0)} µs`;
}
