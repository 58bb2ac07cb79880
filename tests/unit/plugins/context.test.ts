import type { ChildProcess } from 'node:child_process';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { MetarepoError } from '../../../src/core/errors.js';
import { InProcessBus } from '../../../src/events/in-process-bus.js';
import type { EventEnvelope } from '../../../src/events/envelope.js';
import type { Check, CodegenGenerator, PluginCommand, ScaffoldGenerator } from '../../../src/plugins/api.js';
import { createPluginContext, type PluginContextOptions } from '../../../src/plugins/context.js';
import { ContributionRegistry } from '../../../src/plugins/contributions.js';
import { errorOf, manifest } from './helpers.js';

const declared = manifest('demo', {
  contributes: { generators: ['gen'], scaffolds: ['scaf'], checks: ['chk'], commands: [{ name: 'cmd', description: 'a command' }], events: [], patterns: [], pages: [] },
});

function context(overrides: Partial<PluginContextOptions> = {}) {
  const bus = new InProcessBus();
  const sink = new ContributionRegistry();
  const logged: string[] = [];
  const ctx = createPluginContext({ manifest: declared, config: {}, root: '/ws', bus, sink, log: (l) => logged.push(l), ...overrides });
  return { ...ctx, bus, sink, logged };
}

const gen: CodegenGenerator = { name: 'gen', version: '1.0.0', module: 'file:///gen.js' };
const scaf: ScaffoldGenerator = { name: 'scaf', description: 's', templatesDir: '/t', prompts: [], actions: [] };
const chk: Check = { name: 'chk', description: 'c', run: () => [] };
const cmd: PluginCommand = { name: 'cmd', description: 'c', run: () => 0 };

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts a child through the api and waits until it has printed its first line (its handlers are installed). */
async function spawnReady(spawn: (c: string, a: string[]) => ChildProcess, script: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', script]);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('error', reject);
  });
  return child;
}

describe('createPluginContext', () => {
  it('sends declared contributions to the sink, tagged with the plugin, and removes them on dispose', async () => {
    const { api, dispose, sink } = context();
    api.registerCodegen(gen);
    api.registerScaffold(scaf);
    api.registerCheck(chk);
    api.registerCommand(cmd);
    expect(sink.get('codegen', 'gen')).toEqual({ kind: 'codegen', plugin: 'demo', item: gen });
    expect(sink.list('check').map((c) => c.item)).toEqual([chk]);
    expect(sink.get('scaffold', 'scaf')?.plugin).toBe('demo');
    expect(sink.get('command', 'cmd')?.item).toBe(cmd);
    expect(await dispose()).toEqual([]);
    expect([sink.list('codegen'), sink.list('scaffold'), sink.list('check'), sink.list('command')]).toEqual([[], [], [], []]);
  });

  it('rejects a contribution the manifest does not declare, naming the plugin and the contribution', async () => {
    const { api, sink } = context();
    const e = await errorOf(() => api.registerCheck({ ...chk, name: 'sneaky' }));
    expect(e.message).toBe('Plugin demo registers check "sneaky", which its manifest does not declare in metarepo.contributes.checks.');
    expect(e.location?.file).toBe('/plugins/demo/package.json');
    expect(sink.list('check')).toEqual([]);
  });

  it('passes on the sink refusing a duplicate name from another plugin', async () => {
    const { api, sink } = context();
    sink.add({ kind: 'codegen', plugin: 'other', item: gen });
    const e = await errorOf(() => api.registerCodegen(gen));
    expect(e.message).toMatch(/Plugin demo contributes codegen "gen", which plugin other already contributes/);
  });

  it('delivers events until dispose, then unsubscribes', async () => {
    const { api, dispose, bus } = context();
    const got: string[] = [];
    api.onEvent('test:file:*', (e) => void got.push(e.type));
    bus.publish('test:file:created', {});
    bus.publish('test:run:started', {});
    await dispose();
    bus.publish('test:file:deleted', {});
    expect(got).toEqual(['test:file:created']);
  });

  it('contains a handler that throws or rejects: the publisher never sees it, the log does', async () => {
    const { api, bus, logged } = context();
    api.onEvent('x:y:*', () => {
      throw new Error('sync boom');
    });
    api.onEvent('x:y:*', async () => {
      throw new Error('async boom');
    });
    expect(() => bus.publish('x:y:z', {})).not.toThrow();
    await sleep(10);
    expect(logged).toEqual(['handler of x:y:* failed: sync boom', 'handler of x:y:* failed: async boom']);
  });

  it('publishes with the plugin name as source', () => {
    const { api, bus } = context();
    const seen: EventEnvelope[] = [];
    bus.subscribe('demo:*', (e) => void seen.push(e));
    api.publish('demo:thing:done', { n: 1 });
    expect(seen.map((e) => [e.source, e.type, e.data])).toEqual([['demo', 'demo:thing:done', { n: 1 }]]);
  });

  it('clears its timers on dispose: an interval counter stops increasing, a pending timeout never fires', async () => {
    const { api, dispose } = context();
    let ticks = 0;
    let fired = false;
    api.setInterval(() => ticks++, 5);
    api.setTimeout(() => (fired = true), 80);
    await sleep(50);
    expect(ticks).toBeGreaterThan(0);
    await dispose();
    const atDispose = ticks;
    await sleep(100);
    expect(ticks).toBe(atDispose);
    expect(fired).toBe(false);
  });

  it('contains a timer callback that throws', async () => {
    const { api, logged } = context();
    api.setTimeout(() => {
      throw new Error('tick failed');
    }, 1);
    await sleep(20);
    expect(logged).toEqual(['timeout callback failed: tick failed']);
  });

  it('refuses spawn without permissions.childProcess', async () => {
    const { api } = context();
    const e = await errorOf(() => api.spawn(process.execPath, ['-v']));
    expect(e.message).toBe(`Plugin demo may not start child processes (it tried to run ${process.execPath}).`);
    expect(e.hint).toMatch(/"childProcess": true/);
  });

  it('kills its child processes on dispose', async () => {
    const { api, dispose } = context({ manifest: { ...declared, permissions: { write: [], childProcess: true, network: false } }, root: os.tmpdir() });
    const child = await spawnReady(api.spawn, 'console.log("ready"); setInterval(() => {}, 1000)');
    expect(alive(child.pid!)).toBe(true);
    expect(await dispose()).toEqual([]);
    expect(child.signalCode).toBe('SIGTERM');
    expect(alive(child.pid!)).toBe(false);
  });

  it('escalates to SIGKILL when a child ignores SIGTERM for the grace period', async () => {
    // The grace period is long enough for the child to handle SIGTERM on a busy machine: it says so, so the test
    // sees SIGTERM come first and SIGKILL only after it was ignored (no wall-clock measurement).
    const { api, dispose } = context({ manifest: { ...declared, permissions: { write: [], childProcess: true, network: false } }, root: os.tmpdir(), killGraceMs: 1000 });
    const child = await spawnReady(api.spawn, 'process.on("SIGTERM", () => console.log("got SIGTERM")); console.log("ready"); setInterval(() => {}, 1000)');
    let stdout = '';
    child.stdout!.on('data', (d) => (stdout += d));
    const closed = new Promise((resolve) => child.stdout!.once('close', resolve));
    expect(await dispose()).toEqual([]);
    expect(child.signalCode).toBe('SIGKILL');
    expect(alive(child.pid!)).toBe(false);
    await closed;
    expect(stdout).toBe('got SIGTERM\n');
  });

  it('contains a spawn that fails to start', async () => {
    const { api, logged } = context({ manifest: { ...declared, permissions: { write: [], childProcess: true, network: false } }, root: os.tmpdir() });
    api.spawn('/no/such/program', []);
    await sleep(50);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/^child process \/no\/such\/program failed: .*ENOENT/);
  });

  it('runs dispose callbacks last, in reverse order, collecting errors instead of throwing', async () => {
    const { api, dispose, sink } = context();
    const order: string[] = [];
    api.registerCheck(chk);
    api.onDispose(() => void order.push(`first (check still registered: ${sink.list('check').length})`));
    api.onDispose(() => {
      order.push('second');
      throw new Error('cleanup failed');
    });
    api.onDispose(async () => void order.push('third'));
    const errors = await dispose();
    expect(order).toEqual(['third', 'second', 'first (check still registered: 0)']);
    expect(errors.map((e) => e.message)).toEqual(['Plugin demo: a dispose callback failed: cleanup failed']);
    expect(errors[0]).toBeInstanceOf(MetarepoError);
    expect(await dispose()).toEqual([]);
    expect(order).toHaveLength(3);
  });

  it('refuses registrations after dispose', async () => {
    const { api, dispose } = context();
    await dispose();
    for (const call of [() => api.registerCheck(chk), () => api.onEvent('a:b:c', () => {}), () => api.setInterval(() => {}, 10), () => api.onDispose(() => {})]) {
      expect((await errorOf(call)).message).toMatch(/^Plugin demo is disposed and can no longer /);
    }
  });

  it('hands out a frozen copy of the config, and the root', () => {
    const config = { level: 1 };
    const { api } = context({ config });
    expect(api.config).toEqual({ level: 1 });
    expect(Object.isFrozen(api.config)).toBe(true);
    expect(api.config).not.toBe(config);
    expect(api.root).toBe('/ws');
  });
});
