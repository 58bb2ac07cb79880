// Plugin-declared event types seen from outside a run: `metarepo events types` lists them with their payload schemas,
// and the broker checks what any client publishes against those schemas, as in-process publishing does.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { metarepoAsync, tempDir } from './cli.js';

const started: string[] = [];
afterEach(async () => {
  for (const dir of started.splice(0)) await metarepoAsync(dir, ['broker', 'stop']);
});

const SCHEMA = { $id: 'https://example.test/typed.thing.made/1.1.0.schema.json', description: 'A thing was made.', type: 'object', required: ['n'], properties: { n: { type: 'integer' } } };

/** A workspace with plugin `typed` (in plugins/), declaring `typed:thing:made` (schemas 1.0.0 and 1.1.0) and `typed:thing:gone` (no schema). */
async function workspaceWithTypedPlugin(): Promise<{ dir: string; schemaFile: string }> {
  const dir = tempDir();
  expect((await metarepoAsync(dir, ['init'])).code).toBe(0);
  const folder = path.join(dir, 'plugins/typed');
  fs.mkdirSync(path.join(folder, 'events/typed.thing.made'), { recursive: true });
  const manifest = { engines: { metarepo: '^0.1.0' }, contributes: { events: ['typed:thing:made', 'typed:thing:gone'] } };
  fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ name: 'typed', version: '1.0.0', type: 'module', main: 'index.mjs', metarepo: manifest }));
  fs.writeFileSync(path.join(folder, 'index.mjs'), "export default { name: 'typed', setup() {} };\n");
  fs.writeFileSync(path.join(folder, 'events/typed.thing.made/1.0.0.schema.json'), JSON.stringify({ type: 'object' }));
  const schemaFile = path.join(folder, 'events/typed.thing.made/1.1.0.schema.json');
  fs.writeFileSync(schemaFile, JSON.stringify(SCHEMA));
  return { dir, schemaFile };
}

/** Sends envelopes to the broker's ingest socket as any ZeroMQ client would, and returns the broker's answer to each. */
async function publishRaw(dir: string, envelopes: Array<Record<string, unknown>>): Promise<string[][]> {
  const zmq = await import('zeromq');
  const info = JSON.parse(fs.readFileSync(path.join(dir, '.metarepo/broker.json'), 'utf8'));
  const socket = new zmq.Dealer({ linger: 0, receiveTimeout: 10_000 });
  socket.connect(info.endpoints.ingest);
  try {
    const answers: string[][] = [];
    for (const e of envelopes) {
      await socket.send(JSON.stringify(e));
      answers.push((await socket.receive()).map((f) => f.toString()));
    }
    return answers;
  } finally {
    socket.close();
  }
}

const envelope = (type: string, data: unknown) => ({ specversion: '1.0', id: randomUUID(), source: 'typed', type, time: new Date().toISOString(), datacontenttype: 'application/json', data, runid: 'raw-client' });

async function startBroker(dir: string, ...flags: string[]): Promise<void> {
  const start = await metarepoAsync(dir, [...flags, 'broker', 'start']);
  expect(start.code, start.stderr).toBe(0);
  started.push(dir);
}

describe('plugin event types outside a run', () => {
  it('`events types` lists a plugin type with its newest payload schema, and a declared type without one', async () => {
    const { dir, schemaFile } = await workspaceWithTypedPlugin();
    const r = await metarepoAsync(dir, ['events', 'types', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const types = JSON.parse(r.stdout).types as Array<Record<string, unknown>>;
    expect(types.find((t) => t.type === 'typed:thing:made')).toEqual({
      type: 'typed:thing:made',
      declaredBy: 'typed',
      version: '1.1.0',
      schemaFile: fs.realpathSync(schemaFile),
      dataschema: SCHEMA.$id,
      description: 'A thing was made.',
    });
    expect(types.find((t) => t.type === 'typed:thing:gone')).toEqual({ type: 'typed:thing:gone', declaredBy: 'typed' });
    const text = await metarepoAsync(dir, ['events', 'types']);
    expect(text.stdout).toMatch(/typed:thing:made +typed +1\.1\.0 +https:\/\/example\.test\/typed\.thing\.made\/1\.1\.0\.schema\.json/);
  });

  it('the broker logs an invalid plugin payload with a warning, and warns once about an undeclared type', async () => {
    const { dir } = await workspaceWithTypedPlugin();
    await startBroker(dir);
    const answers = await publishRaw(dir, [
      envelope('typed:thing:made', { n: 1 }),
      envelope('typed:thing:made', { n: 'two' }),
      envelope('typed:stray:one', {}),
      envelope('typed:stray:one', {}),
    ]);
    expect(answers.map((a) => a[0])).toEqual(['ACK', 'ACK', 'ACK', 'ACK']);
    const brokerLog = fs.readFileSync(path.join(dir, '.metarepo/broker.log'), 'utf8');
    expect(brokerLog).toMatch(/warn.*event typed:thing:made \(id [-0-9a-f]+\) does not match its schema: data\/n must be integer \(plugin typed's schema .*1\.1\.0\.schema\.json\)/);
    expect(brokerLog.match(/plugin typed publishes typed:stray:one, which it does not declare/g)).toHaveLength(1);
    const logged = (await metarepoAsync(dir, ['events', '--source', 'typed', '--json'])).stdout.trim().split('\n').map((l) => JSON.parse(l).data.n ?? null);
    expect(logged).toEqual([1, 'two', null, null]);
  });

  it('a --strict broker refuses an invalid plugin payload, telling the publisher why, and logs nothing of it', async () => {
    const { dir } = await workspaceWithTypedPlugin();
    await startBroker(dir, '--strict');
    const [good, bad] = await publishRaw(dir, [envelope('typed:thing:made', { n: 1 }), envelope('typed:thing:made', { n: 'two' })]);
    expect(good![0]).toBe('ACK');
    expect(bad![0]).toBe('NAK');
    expect(bad![2]).toMatch(/^event typed:thing:made does not match its schema: data\/n must be integer \(plugin typed's schema .*1\.1\.0\.schema\.json\)$/);
    const logged = (await metarepoAsync(dir, ['events', '--source', 'typed', '--json'])).stdout.trim().split('\n').map((l) => JSON.parse(l).data.n);
    expect(logged).toEqual([1]);
    expect(JSON.parse((await metarepoAsync(dir, ['broker', 'status', '--json'])).stdout).stats.rejected).toBe(1);
  });
});
