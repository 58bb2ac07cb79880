import pc from 'picocolors';
import { commitTree } from '../engine/commit.js';
import { Tree } from '../engine/tree.js';
import { MetarepoError } from '../core/errors.js';
import { displayState, type PluginRecord } from '../plugins/host.js';
import { fetchPlugin, removeFetched } from '../plugins/install.js';
import { updatePluginEntry } from '../engine/plugin-entries.js';
import { closeWorkspace, openWorkspace } from '../workspace/open.js';
import { type Workspace } from '../workspace/workspace.js';
import { emit, type GlobalOptions } from './output.js';

async function withWorkspace(g: GlobalOptions, command: string, fn: (ws: Workspace) => Promise<number>): Promise<number> {
  // install, uninstall, enable and disable write metarepo.yaml: they take the writer lock.
  const ws = await openWorkspace(g.cwd, command, { strict: g.strict, write: /^plugin (install|uninstall|enable|disable)$/.test(command) });
  let code = 1;
  try {
    code = await fn(ws);
    return code;
  } finally {
    await closeWorkspace(ws, code);
  }
}

/** A plugin as `plugin list` and `plugin info` print it. */
function describe(r: PluginRecord) {
  const m = r.manifest;
  return {
    name: m.name,
    version: m.version,
    source: m.source,
    dir: m.dir,
    state: displayState(r),
    ...(r.lifecycle.reason ? { reason: r.lifecycle.reason } : {}),
    isolation: m.isolation,
    contributes: {
      generators: m.contributes.generators,
      scaffolds: m.contributes.scaffolds,
      checks: m.contributes.checks,
      commands: m.contributes.commands.map((c) => c.name),
      events: m.contributes.events,
      patterns: m.contributes.patterns,
    },
  };
}

export async function pluginListCommand(g: GlobalOptions): Promise<number> {
  return withWorkspace(g, 'plugin list', async (ws) => {
    const host = await ws.plugins();
    await host.activateAll(); // a plugin's config and setup fail only when it loads: load each to tell the truth
    const plugins = host.list().map(describe);
    const problems = host.problems.map((p) => ({ name: p.name, source: p.source, dir: p.dir, reason: p.error.message }));
    emit(g, { plugins, problems }, () => {
      const lines = plugins.map((p) => {
        const c = Object.entries(p.contributes).filter(([, v]) => v.length).map(([k, v]) => `${k}: ${v.join(', ')}`).join('; ');
        const state = p.state === 'failed' ? pc.red(`failed: ${p.reason}`) : p.state === 'disabled' ? pc.yellow('disabled') : p.state;
        return `${p.name}@${p.version}  ${pc.dim(p.source)}  ${state}${c ? `\n    ${c}` : ''}`;
      });
      for (const p of problems) lines.push(`${pc.red('not loaded')} ${p.name ?? p.dir}: ${p.reason}`);
      return lines.join('\n');
    });
    return problems.length > 0 || plugins.some((p) => p.state === 'failed') ? 1 : 0;
  });
}

export async function pluginInfoCommand(g: GlobalOptions, name: string): Promise<number> {
  return withWorkspace(g, 'plugin info', async (ws) => {
    const host = await ws.plugins();
    const record = host.get(name);
    await host.activate(name);
    const m = record.manifest;
    const info = {
      ...describe(record),
      engines: m.engines,
      dependencies: m.dependencies,
      optionalDependencies: m.optionalDependencies,
      permissions: m.permissions,
      activationEvents: m.activationEvents,
      configSchema: m.configSchema ?? null,
    };
    emit(g, info, () => JSON.stringify(info, null, 2));
    return info.state === 'failed' ? 1 : 0;
  });
}

export async function pluginInstallCommand(g: GlobalOptions, spec: string): Promise<number> {
  return withWorkspace(g, 'plugin install', async (ws) => {
    const host = await ws.plugins();
    const { manifest, entry } = await fetchPlugin(ws.root, spec, g.cwd);
    const existing = host.records.get(manifest.name);
    if (existing && existing.manifest.source !== manifest.source) {
      throw new MetarepoError(`A plugin called ${manifest.name} is already there (${existing.manifest.source}, ${existing.manifest.dir}).`, {
        hint: 'Uninstall it first, or give the new plugin another name.',
      });
    }
    const tree = new Tree(ws.root);
    updatePluginEntry(tree, manifest.name, (current) => ({ ...current, ...entry }));
    await commitTree(ws, { command: 'plugin install', changes: tree.changes(), skipChecks: true });
    ws.bus.publish('core:plugin:installed', { plugin: manifest.name, version: manifest.version, source: manifest.source });
    emit(g, { installed: manifest.name, version: manifest.version, entry }, () => `Installed ${manifest.name}@${manifest.version} (${manifest.source}); recorded in metarepo.yaml`);
    return 0;
  });
}

export async function pluginUninstallCommand(g: GlobalOptions, name: string): Promise<number> {
  return withWorkspace(g, 'plugin uninstall', async (ws) => {
    const entry = ws.config.plugins?.[name];
    if (!entry || !(entry.git || entry.path || entry.package)) {
      const record = (await ws.plugins()).records.get(name);
      throw new MetarepoError(`Plugin ${name} was not installed with \`metarepo plugin install\`${record ? ` (it is a ${record.manifest.source} plugin)` : ''}.`, {
        hint: record?.manifest.source === 'workspace' ? `Delete its folder ${record.manifest.dir}, or disable it: metarepo plugin disable ${name}.` : `Disable it instead: metarepo plugin disable ${name}.`,
      });
    }
    const tree = new Tree(ws.root);
    updatePluginEntry(tree, name, () => undefined);
    await commitTree(ws, { command: 'plugin uninstall', changes: tree.changes(), skipChecks: true });
    removeFetched(ws.root, name, entry);
    ws.bus.publish('core:plugin:uninstalled', { plugin: name });
    emit(g, { uninstalled: name }, () => `Uninstalled ${name}`);
    return 0;
  });
}

/** `plugin enable` / `plugin disable`: sets `plugins.<name>.enabled` in metarepo.yaml (absent means enabled). */
export function pluginToggleCommand(enabled: boolean) {
  return async (g: GlobalOptions, name: string): Promise<number> =>
    withWorkspace(g, enabled ? 'plugin enable' : 'plugin disable', async (ws) => {
      (await ws.plugins()).get(name);
      const tree = new Tree(ws.root);
      updatePluginEntry(tree, name, (current) => {
        const { enabled: _old, ...rest } = current ?? {};
        return enabled ? rest : { ...rest, enabled: false };
      });
      await commitTree(ws, { command: enabled ? 'plugin enable' : 'plugin disable', changes: tree.changes(), skipChecks: true });
      emit(g, { plugin: name, enabled }, () => `${enabled ? 'Enabled' : 'Disabled'} ${name}`);
      return 0;
    });
}
