// Malformed input to a real broker process: rejected, counted, logged, and the broker keeps serving.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { brokerStatus } from '../../../src/events/zmq/client.js';
import { brokerLogPath } from '../../../src/events/zmq/info.js';
import { ZmqBus } from '../../../src/events/zmq/zmq-bus.js';
import { broker, tempRoot, track } from './helpers.js';

const valid = (id: string) =>
  JSON.stringify({ specversion: '1.0', id, source: 'test', type: 'zt:x:y', time: new Date().toISOString(), datacontenttype: 'application/json', data: {}, runid: 'r' });

describe('broker: garbage', () => {
  it('survives wrong frame counts, invalid JSON, wrong shapes and bad requests, and counts each', async () => {
    const root = tempRoot();
    const info = await broker(root);
    const zmq = await import('zeromq');
    const ingest = new zmq.Dealer({ linger: 0 });
    ingest.connect(info.endpoints.ingest);
    const replay = new zmq.Dealer({ linger: 0 });
    replay.connect(info.endpoints.replay);
    try {
      const garbage: string[][] = [
        [''], // one empty frame
        ['\n\n'], // blank lines only
        ['{not json'],
        ['[1,2]'],
        [JSON.stringify({ specversion: '1.0', source: 's', type: 'zt:x:y' })], // no id
        [JSON.stringify({ specversion: '0.3', id: 'b', source: 's', type: 'zt:x:y', time: 't', runid: 'r', data: 1 })],
        [JSON.stringify({ specversion: '1.0', id: 'c', source: 's', type: 'zt:x:y', time: 't', runid: 'r' })], // no data
        [valid('d').replace('zt:x:y', 'nocolons')],
        [valid('line\nbreak')], // an id an acknowledgement line could not carry
      ];
      for (const frames of garbage) await ingest.send(frames);
      const naks: string[][] = [];
      for (let i = 0; i < garbage.length; i++) naks.push((await ingest.receive()).map((f) => f.toString()));
      expect(naks.every((f) => f[0] === 'NAK')).toBe(true);
      expect(naks.find((f) => f[1] === 'b')?.[2]).toBe('specversion must be "1.0"');
      expect(naks.find((f) => f[1] === 'line\nbreak')?.[2]).toContain('line break');

      await replay.send(['BOGUS', 'r1']);
      expect((await replay.receive()).map(String)).toEqual(['ERROR', 'r1', 'unknown request "BOGUS"']);
      await replay.send(['REPLAY', 'r2', 'x', '10']);
      expect((await replay.receive()).map(String).slice(0, 2)).toEqual(['ERROR', 'r2']);

      // Still serving: valid lines are acknowledged (a bad line among them only refused), and a normal bus works.
      await ingest.send([`${valid('ok 1')}\n{oops`]);
      expect((await ingest.receive()).map(String)).toEqual(['ACK', 'ok 1 1']);
      expect((await ingest.receive()).map(String).slice(0, 2)).toEqual(['NAK', '']);
      const bus = track(await ZmqBus.connect(root));
      const e = bus.publish('zt:x:y', { fine: true });
      expect(await bus.flush(3000)).toBe(true);
      expect(e.sequence).toBe(2);

      // Resends are logged once, whichever copy arrives first; each copy is acknowledged with the one sequence.
      await ingest.send([valid('twice-a')]);
      expect((await ingest.receive()).map(String)).toEqual(['ACK', 'twice-a 3']);
      await ingest.send(['RESEND', valid('twice-a')]);
      expect((await ingest.receive()).map(String)).toEqual(['ACK', 'twice-a 3']);
      await ingest.send(['RESEND', valid('twice-b')]);
      expect((await ingest.receive()).map(String)).toEqual(['ACK', 'twice-b 4']);
      await ingest.send([valid('twice-b')]);
      expect((await ingest.receive()).map(String)).toEqual(['ACK', 'twice-b 4']);

      // A broker of another wire protocol is refused at once, naming the fix, instead of being resent to forever.
      await expect(ZmqBus.connect(root, { info: { ...info, protocol: 1 } })).rejects.toThrow(/speaks wire protocol 1; this metarepo speaks 2/);
      const status = await brokerStatus(root);
      expect(status).toMatchObject({ running: true, responding: true, stats: { rejected: garbage.length + 3, published: 4, duplicates: 2 } });
      const log = fs.readFileSync(brokerLogPath(root), 'utf8');
      expect(log.match(/ warn rejected/g)?.length).toBe(garbage.length + 3);
      expect(log).toContain('envelope is not JSON');
      expect(fs.existsSync(path.join(root, '.metarepo/broker.json'))).toBe(true);
    } finally {
      ingest.close();
      replay.close();
    }
  });

  it('answers a REQ client (empty delimiter) and replays with prefixes and chunks', async () => {
    const root = tempRoot();
    const info = await broker(root);
    const bus = track(await ZmqBus.connect(root));
    for (let i = 0; i < 30; i++) bus.publish(i % 2 ? 'zt:a:b' : 'zt:c:d', { i });
    expect(await bus.flush(3000)).toBe(true);
    const zmq = await import('zeromq');
    const req = new zmq.Request({ linger: 0 });
    req.connect(info.endpoints.replay);
    try {
      await req.send(['REPLAY', 'q', '4', '5', 'zt:a:']);
      const [status, id, upTo, latest, first, ...events] = (await req.receive()).map(String);
      expect([status, id, latest, first]).toEqual(['MORE', 'q', '30', '1']);
      const got = events.map((j) => JSON.parse(j) as { sequence: number; type: string });
      expect(got.map((e) => e.sequence)).toEqual([6, 8, 10, 12, 14]);
      expect(Number(upTo)).toBe(14);
    } finally {
      req.close();
    }
  });
});
