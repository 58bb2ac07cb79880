import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InProcessBus } from '../../../src/events/in-process-bus.js';
import type { EventEnvelope } from '../../../src/events/envelope.js';
import { PluginHost, displayState } from '../../../src/plugins/host.js';
import { tempDir, writePlugin } from './helpers.js';
import { checkContext } from '../../support/plugin-api.js';
import type { WorkspaceConfig } from '../../../src/generated/workspace.js';

/** A workspace with plugins under plugins/<name> (index.mjs given) and an empty built-in folder. */
function workspace(plugins: Record<string, { metarepo: Record<string, unknown>; index: string }>): { root: string; builtinDir: string } {
  const root = tempDir();
  const builtinDir = tempDir();
  for (const [name, p] of Object.entries(plugins)) {
    const dir = path.join(root, 'plugins', name);
    writePlugin(dir, name, { main: 'index.mjs', ...p.metarepo });
    fs.writeFileSync(path.join(dir, 'index.mjs'), p.index);
  }
  return { root, builtinDir };
}

const marker = (root: string, name: string) => path.join(root, `${name}.loaded`);
const loadingPlugin = (name: string, body = '') =>
  // Importing the module leaves a marker file: the test can see whether plugin code was loaded at all.
  `import fs from 'node:fs';\nfs.writeFileSync(process.env.HOST_TEST_ROOT + '/${name}.loaded', '');\nexport default { name: '${name}', setup(api) { ${body} } };\n`;

async function open(root: string, builtinDir: string) {
  process.env.HOST_TEST_ROOT = root;
  const bus = new InProcessBus();
  const events: EventEnvelope[] = [];
  bus.subscribe('core:plugin:*', (e) => void events.push(e));
  const host = await PluginHost.open({ root, builtinDir, bus, config: { version: 1, name: 'w' } });
  return { host, bus, events };
}

describe('PluginHost', () => {
  it('loads no plugin code until a contribution is needed, then only the plugin that declares it', async () => {
    const { root, builtinDir } = workspace({
      a: { metarepo: { contributes: { checks: ['a-check'] } }, index: loadingPlugin('a', "api.registerCheck({ name: 'a-check', description: 'd', run: () => [] });") },
      b: { metarepo: { contributes: { commands: [{ name: 'b-cmd', description: 'd' }] } }, index: loadingPlugin('b', "api.registerCommand({ name: 'b-cmd', description: 'd', run: () => 7 });") },
    });
    const { host, events } = await open(root, builtinDir);
    expect(host.declaredCommands()).toEqual([{ plugin: 'b', name: 'b-cmd', description: 'd' }]);
    expect(fs.existsSync(marker(root, 'a')) || fs.existsSync(marker(root, 'b'))).toBe(false);
    const cmd = await host.command('b-cmd');
    expect(await cmd!.run({ root, args: [], options: {}, print: () => undefined })).toBe(7);
    expect(fs.existsSync(marker(root, 'b'))).toBe(true);
    expect(fs.existsSync(marker(root, 'a'))).toBe(false);
    expect(events.filter((e) => (e.data as { plugin: string }).plugin === 'b').map((e) => (e.data as { to: string }).to)).toEqual(['resolved', 'loaded', 'enabled']);
    await host.close();
    expect(displayState(host.get('b'))).toBe('unloaded');
  });

  it('activates on a matching event (onEvent) and at start (onStartup)', async () => {
    const { root, builtinDir } = workspace({
      late: { metarepo: { activationEvents: ['onEvent:core:generate:finished'] }, index: loadingPlugin('late') },
      early: { metarepo: { activationEvents: ['onStartup'] }, index: loadingPlugin('early') },
    });
    const { host, bus } = await open(root, builtinDir);
    // Activation is asynchronous (the plugin's module is imported): poll for it rather than sleep a fixed time.
    await expect.poll(() => host.get('early').lifecycle.state).toBe('enabled');
    expect(host.get('late').lifecycle.state).toBe('resolved');
    bus.publish('core:generate:started', { targets: [], dryRun: false, check: false });
    await new Promise((r) => setTimeout(r, 50));
    expect(host.get('late').lifecycle.state).toBe('resolved');
    bus.publish('core:generate:finished', { created: 0, modified: 0, deleted: 0, rendered: 0, skipped: 0, failed: [], written: false, durationMs: 1 });
    await expect.poll(() => host.get('late').lifecycle.state).toBe('enabled');
    await host.close();
  });

  it('a plugin that throws in setup is failed with the reason; the others still work', async () => {
    const { root, builtinDir } = workspace({
      bad: { metarepo: { contributes: { checks: ['bad-check'] } }, index: "export default { name: 'bad', setup() { throw new Error('boom'); } };\n" },
      good: { metarepo: { contributes: { checks: ['good-check'] } }, index: "export default { name: 'good', setup(api) { api.registerCheck({ name: 'good-check', description: 'd', run: () => [] }); } };\n" },
    });
    const { host } = await open(root, builtinDir);
    const checks = await host.checks();
    expect(host.get('bad').lifecycle.state).toBe('failed');
    expect(host.get('bad').lifecycle.reason).toContain('boom');
    expect(checks.map((c) => `${c.plugin}/${c.check.name}`).sort()).toEqual(['bad/plugin-failed', 'good/good-check']);
    const [finding] = await checks.find((c) => c.plugin === 'bad')!.check.run(checkContext(root));
    expect(finding).toMatchObject({ severity: 'error', message: expect.stringContaining('plugin bad failed') });
    await host.close();
  });

  it('disable takes back contributions; enable loads the plugin again', async () => {
    const { root, builtinDir } = workspace({
      t: { metarepo: { contributes: { checks: ['t-check'] } }, index: "export default { name: 't', setup(api) { api.registerCheck({ name: 't-check', description: 'd', run: () => [] }); } };\n" },
    });
    const { host } = await open(root, builtinDir);
    expect((await host.checks()).map((c) => c.check.name)).toEqual(['t-check']);
    await host.disable('t');
    expect(host.registry.list('check')).toEqual([]);
    expect(host.get('t').lifecycle.state).toBe('disabled');
    expect(await host.enable('t')).toBe(true);
    expect(host.registry.list('check').map((c) => c.item.name)).toEqual(['t-check']);
    await host.close();
  });
  it('checks() activates a built-in codegen plugin only when a target uses it or metarepo.yaml configures it; any other codegen plugin always', async () => {
    // A workspace codegen plugin is activated even though no target uses it: its setup may fail, which checks report.
    const { root } = workspace({
      mine: { metarepo: { contributes: { generators: ['mine'] } }, index: loadingPlugin('mine', "api.registerCodegen({ name: 'mine', version: '1.0.0', generate: () => [] });") },
    });
    const states = async (config: WorkspaceConfig) => {
      const host = await PluginHost.open({ root, bus: new InProcessBus(), config });
      await host.checks();
      const state = (name: string) => host.get(name).lifecycle.state;
      const out = { typescript: state('codegen-typescript'), quicktype: state('codegen-quicktype'), checks: state('checks-core'), mine: state('mine') };
      await host.close();
      return out;
    };
    process.env.HOST_TEST_ROOT = root;
    expect(await states({ version: 1, name: 'w' })).toEqual({ typescript: 'resolved', quicktype: 'resolved', checks: 'enabled', mine: 'enabled' });
    const target = { model: 'm@^1', generator: 'typescript', output: 'gen/m.ts' };
    expect(await states({ version: 1, name: 'w', targets: [target] })).toMatchObject({ typescript: 'enabled', quicktype: 'resolved' });
    expect(await states({ version: 1, name: 'w', plugins: { 'codegen-quicktype': { config: {} } } })).toMatchObject({ typescript: 'resolved', quicktype: 'enabled' });
  });
});
