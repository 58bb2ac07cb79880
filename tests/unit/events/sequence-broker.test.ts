// Issue 13 item 1 through a real broker process: after a 100 KB event, a stopped and restarted broker reports the
// true latest sequence and reuses none; an event over MAX_EVENT_BYTES is refused by the publisher and by the
// broker's ingest, and never reaches the log.
import { describe, expect, it } from 'vitest';
import { MetarepoError } from '../../../src/core/errors.js';
import { eventsDir } from '../../../src/events/dir.js';
import { MAX_EVENT_BYTES, readEvents } from '../../../src/events/log.js';
import { brokerStatus, stopBroker } from '../../../src/events/zmq/client.js';
import { ZmqBus } from '../../../src/events/zmq/zmq-bus.js';
import { broker, range, tempRoot, track } from '../events-zmq/helpers.js';

const seqs = (root: string) => [...readEvents(eventsDir(root))].map((e) => e.sequence);

describe('broker: sequences after a large event', () => {
  it('stop / start after a 100 KB event reports the latest sequence and continues from it', async () => {
    const root = tempRoot();
    await broker(root);
    const first = await ZmqBus.connect(root);
    for (let i = 0; i < 5; i++) first.publish('zt:seq:small', { i });
    first.publish('zt:seq:big', { blob: 'x'.repeat(100 * 1024) });
    await first.close();
    await stopBroker(root);

    await broker(root);
    const status = await brokerStatus(root);
    expect(status).toMatchObject({ running: true, responding: true, stats: { latest: 6 } });
    const second = await ZmqBus.connect(root);
    const next = range(1, 4).map((i) => second.publish('zt:seq:next', { i }));
    await second.close();
    expect(next.map((e) => e.sequence)).toEqual(range(7, 10));
    expect(seqs(root)).toEqual(range(1, 10));
  });
});

describe('broker: the size cap', () => {
  it('the publisher refuses an event over the cap before sending it', async () => {
    const root = tempRoot();
    await broker(root);
    const bus = track(await ZmqBus.connect(root));
    expect(() => bus.publish('zt:seq:huge', { blob: 'x'.repeat(MAX_EVENT_BYTES) })).toThrow(MetarepoError);
    expect(() => bus.publish('zt:seq:huge', { blob: 'x'.repeat(MAX_EVENT_BYTES) })).toThrow(/zt:seq:huge.*\b10\d{5} bytes/);
    const ok = bus.publish('zt:seq:ok', {});
    expect(await bus.flush(5000)).toBe(true);
    expect(ok.sequence).toBe(1);
    expect(seqs(root)).toEqual([1]);
  });

  it("the broker's ingest refuses an envelope over the cap (NAK naming the size) and logs nothing for it", async () => {
    const root = tempRoot();
    const info = await broker(root);
    const zmq = await import('zeromq');
    const ingest = new zmq.Dealer({ linger: 0 });
    ingest.connect(info.endpoints.ingest);
    try {
      const env = (id: string, blob: string) =>
        JSON.stringify({ specversion: '1.0', id, source: 'test', type: 'zt:seq:raw', time: new Date().toISOString(), datacontenttype: 'application/json', data: { blob }, runid: 'r' });
      await ingest.send([env('too-big', 'x'.repeat(MAX_EVENT_BYTES))]);
      const nak = (await ingest.receive()).map(String);
      expect(nak.slice(0, 2)).toEqual(['NAK', 'too-big']);
      expect(nak[2]).toMatch(/\b10\d{5} bytes\b.*1048576/);
      await ingest.send([env('fine', 'y')]);
      expect((await ingest.receive()).map(String)).toEqual(['ACK', 'fine 1']);
    } finally {
      ingest.close();
    }
    expect(seqs(root)).toEqual([1]);
    expect(await brokerStatus(root)).toMatchObject({ stats: { rejected: 1, published: 1 } });
  });
});
