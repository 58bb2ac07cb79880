import path from 'node:path';
import pc from 'picocolors';
import { buildCheckContext, runChecks } from '../engine/checks.js';
import { ContributionRegistry } from '../plugins/contributions.js';
import { PluginLifecycle, publishTransitions } from '../plugins/lifecycle.js';
import { readPluginManifest } from '../plugins/manifest.js';
import { validatePluginConfig } from '../plugins/config.js';
import { startProcessRuntime } from '../plugins/process-runtime.js';
import { reloadOnChange } from '../plugins/process/reload.js';
import { openWorkspace, closeWorkspace } from '../workspace/open.js';
import { describeFindings } from './check.js';
import type { GlobalOptions } from './output.js';

/**
 * `metarepo plugin dev <path>`: runs a local plugin in its own host process (whatever its declared isolation, the
 * way VS Code runs extensions under development), prints its contributions and what its checks find, and on
 * every change to its files restarts that process and does it again. metarepo itself keeps running; Ctrl-C stops.
 */
export async function pluginDevCommand(g: GlobalOptions, dir: string): Promise<number> {
  const ws = await openWorkspace(g.cwd, 'plugin dev', { strict: g.strict });
  const manifest = { ...(await readPluginManifest(path.resolve(g.cwd, dir), 'path')), isolation: 'process' as const };
  const config = await validatePluginConfig({ manifest, config: ws.config.plugins?.[manifest.name]?.config, document: ws.document });
  const lifecycle = new PluginLifecycle(manifest.name);
  publishTransitions(lifecycle, ws.bus);
  const registry = new ContributionRegistry();
  const runtime = await startProcessRuntime({ manifest, lifecycle, enabledInConfig: true }, config, { root: ws.root, bus: ws.bus, registry });
  const report = async (what: string) => {
    const checks = registry.list('check').map((c) => ({ plugin: c.plugin, check: c.item }));
    const names = (kind: 'check' | 'command' | 'codegen') => registry.list(kind).map((c) => c.item.name).join(', ') || '-';
    process.stdout.write(`${pc.green(what)} ${manifest.name}@${manifest.version}  checks: ${names('check')}  commands: ${names('command')}  generators: ${names('codegen')}\n`);
    if (checks.length) process.stdout.write(`${describeFindings(await runChecks(ws, checks, await buildCheckContext(ws)), checks.length)}\n`);
  };
  const watcher = await reloadOnChange(
    () => runtime.reload(),
    manifest.dir,
    (result) => {
      if (result.ok) void report('reloaded');
      else process.stdout.write(`${pc.red('reload failed')} ${manifest.name}: ${result.error.message}\n`);
    },
  );
  await report('ready'); // after the watcher is up, so a change made on seeing this line is picked up
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await watcher.close();
  await runtime.dispose();
  await closeWorkspace(ws, 0);
  return 0;
}
