import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InProcessBus } from '../../../src/events/in-process-bus.js';
import { PluginHost } from '../../../src/plugins/host.js';
import { tempDir, writePlugin } from './helpers.js';

/** A workspace with one plugin under plugins/<name> (index.mjs given) and an empty built-in folder. */
function workspace(name: string, metarepo: Record<string, unknown>, index: string): { root: string; builtinDir: string } {
  const root = tempDir();
  const dir = path.join(root, 'plugins', name);
  writePlugin(dir, name, { main: 'index.mjs', ...metarepo });
  fs.writeFileSync(path.join(dir, 'index.mjs'), index);
  return { root, builtinDir: tempDir() };
}

/** What the plugin received, kept on globalThis under `key` so the test can read it. */
function received(key: string): number[] {
  return ((globalThis as Record<string, unknown>)[key] as number[] | undefined) ?? [];
}

/** A plugin whose setup takes a while (an import, then a timer), then records every bench event it gets. */
const counter = (key: string, pattern: string) => `
globalThis.${key} = [];
export default {
  name: 'counter',
  async setup(api) {
    await import('node:zlib');
    await new Promise((r) => setTimeout(r, 20));
    api.onEvent('${pattern}', (e) => { globalThis.${key}.push(e.data.n); });
  },
};
`;

describe('events that arrive while a plugin activates', () => {
  it('onEvent activation: 300 events published in a tight loop all reach the plugin, in order', async () => {
    const { root, builtinDir } = workspace('counter', { activationEvents: ['onEvent:bench:*'] }, counter('benchTight', 'bench:*'));
    const bus = new InProcessBus();
    const host = await PluginHost.open({ root, builtinDir, bus, config: { version: 1, name: 'w' } });
    for (let n = 0; n < 300; n++) bus.publish('bench:tick', { n });
    await expect.poll(() => host.get('counter').lifecycle.state).toBe('enabled');
    await expect.poll(() => received('benchTight').length).toBe(300);
    expect(received('benchTight')).toEqual(Array.from({ length: 300 }, (_, n) => n));
    // Delivered once: later events go straight to the plugin, after the queued ones.
    bus.publish('bench:tick', { n: 300 });
    expect(received('benchTight')).toEqual(Array.from({ length: 301 }, (_, n) => n));
    await host.close();
  });

  it('events of a type the plugin subscribes to in setup, published while setup runs, are delivered after it', async () => {
    const { root, builtinDir } = workspace('counter', { contributes: { checks: [] }, activationEvents: ['onEvent:start:*'] }, counter('benchLate', 'bench:*'));
    const bus = new InProcessBus();
    const host = await PluginHost.open({ root, builtinDir, bus, config: { version: 1, name: 'w' } });
    bus.publish('start:now:go', {});
    // The plugin's setup is past its subscription but not finished yet: publish while it is still activating.
    await expect.poll(() => (globalThis as Record<string, unknown>).benchLate !== undefined).toBe(true);
    let n = 0;
    while (host.get('counter').lifecycle.state !== 'enabled') {
      bus.publish('bench:tick', { n: n++ });
      await new Promise((r) => setImmediate(r));
    }
    for (let i = 0; i < 50; i++) bus.publish('bench:tick', { n: n++ });
    const got = received('benchLate');
    // Whatever came after the subscription is there, once each, in order: a run of consecutive numbers ending at n - 1.
    expect(got.length).toBeGreaterThanOrEqual(50);
    expect(got).toEqual(Array.from({ length: got.length }, (_, i) => n - got.length + i));
    await host.close();
  });

  it('closing the host waits for an activation in progress, so queued events are delivered', async () => {
    const { root, builtinDir } = workspace('counter', { activationEvents: ['onEvent:bench:*'] }, counter('benchClose', 'bench:*'));
    const bus = new InProcessBus();
    const host = await PluginHost.open({ root, builtinDir, bus, config: { version: 1, name: 'w' } });
    for (let n = 0; n < 10; n++) bus.publish('bench:tick', { n });
    await host.close();
    expect(received('benchClose')).toEqual(Array.from({ length: 10 }, (_, n) => n));
  });
});
