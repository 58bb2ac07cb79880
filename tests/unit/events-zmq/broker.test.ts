// The broker and ZmqBus with real sockets: a broker process per test on ipc:// endpoints in a temp workspace.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../../src/events/envelope.js';
import { readEvents } from '../../../src/events/log.js';
import { brokerStatus, startBroker, stopBroker } from '../../../src/events/zmq/client.js';
import { readBrokerInfo } from '../../../src/events/zmq/info.js';
import { ZmqBus, subscribeFrom } from '../../../src/events/zmq/zmq-bus.js';
import { eventsDir } from '../../../src/events/dir.js';
import { broker, range, sleep, tempRoot, track, until } from './helpers.js';

const seqs = (events: EventEnvelope[]) => events.map((e) => e.sequence!);

describe('broker: live pub/sub', () => {
  it('delivers matching events once, in sequence order, and logs every event before publishing it', async () => {
    const root = tempRoot();
    await broker(root);
    const subscriber = track(await ZmqBus.connect(root));
    const files: EventEnvelope[] = [];
    subscriber.subscribe('zt:file:*', (e) => void files.push(e));
    await subscriber.ready();
    const publisher = track(await ZmqBus.connect(root));
    const sent = range(1, 60).map((i) => publisher.publish(i % 2 ? 'zt:file:created' : 'zt:model:loaded', { path: `f${i}` }));
    expect(await publisher.flush(5000)).toBe(true);
    expect(seqs(sent)).toEqual(range(1, 60)); // stamped from the acknowledgements
    await until(() => files.length === 30, 30_000, '30 file events');
    await sleep(300); // a few heartbeats: nothing more may arrive
    expect(files.map((e) => e.type).every((t) => t === 'zt:file:created')).toBe(true);
    expect(seqs(files)).toEqual(range(1, 60).filter((i) => i % 2));
    expect(subscriber.stats.follower!.recovered).toBe(0);
    expect(seqs([...readEvents(eventsDir(root))])).toEqual(range(1, 60));
    const status = await brokerStatus(root);
    expect(status).toMatchObject({ running: true, responding: true, stats: { published: 60, latest: 60, rejected: 0 } });
  });

  it('catches up from sequence N then follows live with no gap and no duplicate while events keep flowing', async () => {
    const root = tempRoot();
    await broker(root);
    const publisher = track(await ZmqBus.connect(root));
    let publishing = true;
    const flow = (async () => {
      for (let i = 0; publishing; i++) {
        publisher.publish(i % 3 ? 'zt:file:written' : 'zt:run:tick', { i });
        if (i % 10 === 9) await sleep(2);
      }
    })();
    await until(() => (readBrokerInfo(root) ? [...readEvents(eventsDir(root))].length > 200 : false), 30_000, '200 logged events');
    const got: EventEnvelope[] = [];
    const sub = track(await subscribeFrom(root, { since: 50 }, (e) => void got.push(e)));
    await sub.ready;
    expect(got.length).toBeGreaterThan(150); // the catch-up came from the log / memory
    await sleep(300); // live events arrive meanwhile
    publishing = false;
    await flow;
    expect(await publisher.flush(5000)).toBe(true);
    const latest = [...readEvents(eventsDir(root))].length;
    await until(() => sub.position === latest, 30_000, 'the follower to reach the latest sequence');
    expect(seqs(got)).toEqual(range(51, latest));
    expect(sub.stats.live).toBeGreaterThan(0); // part of it really came live
  });
});

describe('broker: failures', () => {
  it('broker SIGKILLed while publishing: the publisher falls back to the log, nothing is lost or doubled', async () => {
    const root = tempRoot();
    const info = await broker(root);
    const publisher = track(await ZmqBus.connect(root, { ackTimeoutMs: 300 }));
    const stderr = process.stderr.write;
    process.stderr.write = (() => true) as typeof process.stderr.write; // the fall-back notice
    const sent: EventEnvelope[] = [];
    try {
      for (let i = 0; i < 400; i++) {
        sent.push(publisher.publish('zt:file:created', { path: `f${i}` }));
        if (i === 150) process.kill(info.pid, 'SIGKILL');
        if (i % 20 === 19) await sleep(5);
      }
      await publisher.close();
    } finally {
      process.stderr.write = stderr;
    }
    expect(publisher.stats.publisher.loggedDirectly).toBeGreaterThan(0);
    const logged = [...readEvents(eventsDir(root))];
    expect(logged.map((e) => e.id)).toEqual(sent.map((e) => e.id)); // each once, in publish order
    expect(seqs(logged)).toEqual(range(1, 400));
    expect(seqs(sent)).toEqual(range(1, 400)); // every returned envelope got its sequence
  });

  it('a restarted broker continues the sequence, after a clean stop and after a crash', async () => {
    const root = tempRoot();
    await broker(root);
    const first = await ZmqBus.connect(root);
    for (let i = 0; i < 5; i++) first.publish('zt:test:one', { i });
    await first.close();
    await stopBroker(root);
    expect(fs.existsSync(path.join(root, '.metarepo/broker.json'))).toBe(false);

    const second = await broker(root);
    const bus = await ZmqBus.connect(root);
    const e = bus.publish('zt:test:two', {});
    await bus.close();
    expect(e.sequence).toBe(6);
    process.kill(second.pid, 'SIGKILL'); // leaves broker.json and the log lock behind
    await until(() => readBrokerInfo(root) === null, 30_000, 'the killed broker to be gone');

    await broker(root);
    const third = await ZmqBus.connect(root);
    const f = third.publish('zt:test:three', {});
    await third.close();
    expect(f.sequence).toBe(7);
    expect(seqs([...readEvents(eventsDir(root))])).toEqual(range(1, 7));
  });

  it('refuses a second broker on the same workspace', async () => {
    const root = tempRoot();
    const info = await broker(root);
    await expect(startBroker(root)).rejects.toThrow(`A broker already runs for this workspace (pid ${info.pid})`);
  });

  it('a slow subscriber falls behind the high-water mark, is told, and recovers every event by replay', async () => {
    const root = tempRoot();
    await broker(root, { publishHwm: 10 });
    const told: number[] = [];
    const subscriber = track(await ZmqBus.connect(root, { receiveHwm: 10, onFellBehind: (r) => void told.push(r.missed) }));
    const got: number[] = [];
    subscriber.subscribe('zt:*', async (e) => {
      got.push(e.sequence!);
      if (got.length <= 20) await sleep(20); // slow at first, while the burst passes
    });
    await subscriber.ready();
    const publisher = track(await ZmqBus.connect(root));
    const pad = 'x'.repeat(8192);
    for (let i = 0; i < 1500; i++) publisher.publish('zt:load:tick', { i, pad });
    expect(await publisher.flush(8000)).toBe(true);
    await until(() => got.length === 1500, 30_000, 'all 1500 events');
    expect(got).toEqual(range(1, 1500));
    expect(subscriber.stats.follower!.recovered).toBeGreaterThan(0);
    expect(told.reduce((a, b) => a + b, 0)).toBe(subscriber.stats.follower!.recovered);
  });
});
