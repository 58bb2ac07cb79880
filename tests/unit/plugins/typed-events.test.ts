import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MetarepoError } from '../../../src/core/errors.js';
import { InProcessBus } from '../../../src/events/in-process-bus.js';
import { PluginHost } from '../../../src/plugins/host.js';
import { tempDir, writePlugin } from './helpers.js';

const SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  required: ['n'],
  additionalProperties: false,
  properties: { n: { type: 'integer' } },
};

/**
 * A workspace with plugin `typed`, which declares `typed:thing:made` (schema under events/) and publishes what
 * `globalThis.typedPublish` receives through the command `typed-publish`.
 */
function workspace(opts: { schema?: string; events?: string[] } = {}): { root: string; builtinDir: string; dir: string } {
  const root = tempDir();
  const dir = path.join(root, 'plugins', 'typed');
  writePlugin(dir, 'typed', { main: 'index.mjs', contributes: { commands: [{ name: 'typed-publish', description: 'd' }], events: opts.events ?? ['typed:thing:made'] } });
  fs.writeFileSync(
    path.join(dir, 'index.mjs'),
    "export default { name: 'typed', setup(api) { api.registerCommand({ name: 'typed-publish', description: 'd', run: (ctx) => { api.publish(ctx.args[0], JSON.parse(ctx.args[1])); } }); } };\n",
  );
  fs.mkdirSync(path.join(dir, 'events', 'typed.thing.made'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'events', 'typed.thing.made', '1.0.0.schema.json'), opts.schema ?? JSON.stringify(SCHEMA, null, 2));
  return { root, builtinDir: tempDir(), dir };
}

async function publisher(ws: { root: string; builtinDir: string }, strict = false) {
  const bus = new InProcessBus(undefined, { strict });
  const host = await PluginHost.open({ root: ws.root, builtinDir: ws.builtinDir, bus, config: { version: 1, name: 'w' } });
  const publish = async (type: string, data: unknown) => (await host.command('typed-publish'))!.run({ root: ws.root, args: [type, JSON.stringify(data)], options: {}, print: () => undefined });
  return { host, bus, publish };
}

function stderr(): { text: () => string } {
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  return { text: () => spy.mock.calls.map((c) => String(c[0])).join('') };
}

afterEach(() => vi.restoreAllMocks());

describe('typed plugin events', () => {
  it("validates a declared type's payload against the plugin's schema, as core payloads are: a warning", async () => {
    const ws = workspace();
    const { host, publish } = await publisher(ws);
    const err = stderr();
    await publish('typed:thing:made', { n: 1 });
    expect(err.text()).toBe('');
    await publish('typed:thing:made', { n: 'one' });
    expect(err.text()).toMatch(/warning: event typed:thing:made does not match its schema: data\/n must be integer/);
    expect(err.text()).toContain(path.join('typed', 'events', 'typed.thing.made', '1.0.0.schema.json'));
    await host.close();
  });

  it('with --strict an invalid payload is an error thrown to the publishing plugin, and nothing is published', async () => {
    const ws = workspace();
    const { host, bus, publish } = await publisher(ws, true);
    const seen: unknown[] = [];
    bus.subscribe('typed:*', (e) => void seen.push(e.data));
    const e = await publish('typed:thing:made', { n: 1, extra: true }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(MetarepoError);
    expect((e as MetarepoError).message).toMatch(/typed:thing:made does not match its schema: data must NOT have additional properties: extra/);
    expect(seen).toEqual([]);
    await host.close();
  });

  it('publishing a type the manifest does not declare warns once, naming the plugin and where to declare it', async () => {
    const ws = workspace();
    const { host, publish } = await publisher(ws);
    const err = stderr();
    for (let i = 0; i < 3; i++) await publish('typed:other:made', { i });
    const warnings = err.text().split('\n').filter((l) => l.includes('typed:other:made'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/plugin typed publishes typed:other:made, which it does not declare/);
    expect(warnings[0]).toContain(path.join(ws.dir, 'package.json'));
    await host.close();
  });

  it('a schema that is not JSON, or a schema for a type the manifest does not declare, fails the plugin naming the file', async () => {
    const broken = workspace({ schema: '{ "type": "object",\n  oops }' });
    const a = await publisher(broken);
    await expect(a.publish('typed:thing:made', { n: 1 })).rejects.toThrow(/unavailable: plugin typed failed: .*typed\.thing\.made[/\\]1\.0\.0\.schema\.json/);
    await a.host.close();

    const stray = workspace({ events: [] });
    const b = await publisher(stray);
    await expect(b.publish('typed:thing:made', { n: 1 })).rejects.toThrow(/events[/\\]typed\.thing\.made.*does not declare/);
    await b.host.close();
  });
});
