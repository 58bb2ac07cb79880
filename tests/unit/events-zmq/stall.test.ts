// Issue 13 item 5: a stalled subscriber must not make the broker hold an unbounded backlog. The broker's publish
// queue per subscriber is bounded (in messages of at most 16 events), so what it keeps for one that stopped reading is
// bounded too — and a subscriber that stalls still recovers every event through replay once it reads again.
// Counts, not times: the bench (`npm run bench`, bench/events.mjs) measures the broker's memory before and after.
import type * as Zmq from 'zeromq';
import { describe, expect, it } from 'vitest';
import { ZmqBus } from '../../../src/events/zmq/zmq-bus.js';
import type { EventEnvelope } from '../../../src/events/envelope.js';
import { DEFAULT_PUBLISH_HWM } from '../../../src/events/zmq/broker.js';
import { brokerStatus } from '../../../src/events/zmq/client.js';
import { broker, range, tempRoot, track, until } from './helpers.js';

const EVENTS = 40_000;

describe('broker: a stalled subscriber', () => {
  it('is held at most the publish high-water mark of messages, and recovers the rest by replay', async () => {
    const root = tempRoot();
    const info = await broker(root); // the default publish high-water mark
    const zmq = await import('zeromq');
    // A raw subscriber that stops reading: it receives at most a few messages into its own queue.
    const stalled = new zmq.Subscriber({ receiveHighWaterMark: 1, linger: 0 });
    stalled.connect(info.endpoints.publish);
    stalled.subscribe('zt:');
    // A follower that stalls too (its handler does not return for a while), then recovers.
    const follower = track(await ZmqBus.connect(root, { receiveHwm: 1 }));
    const got: EventEnvelope[] = [];
    let release!: () => void;
    const stall = new Promise<void>((r) => (release = r));
    follower.subscribe('zt:*', async (e) => {
      got.push(e);
      if (got.length === 1) await stall;
    });
    await follower.ready();
    await new Promise((r) => setTimeout(r, 300)); // let both subscriptions reach the broker
    try {
      await publishAndDrain(root, stalled);
    } finally {
      release(); // the follower reads again (also when an expectation failed, so that it can close)
    }
    await until(() => got.length === EVENTS, 120_000, `${EVENTS} events after the stall`);
    expect(got.map((e) => e.sequence)).toEqual(range(1, EVENTS));
    // Once the burst is over, the idle broker collects its garbage (memory back to its steady state; the bench
    // measures how much): counted in its stats.
    const collections = async () => {
      const status = await brokerStatus(root);
      return status.running && status.responding ? status.stats.collections : 0;
    };
    await expect.poll(collections, { timeout: 60_000, interval: 200 }).toBeGreaterThanOrEqual(1);
  }, 240_000);
});

/** Publishes EVENTS events, then reads what the broker kept for the stalled socket and checks it is bounded. */
async function publishAndDrain(root: string, stalled: Zmq.Subscriber): Promise<void> {
  const publisher = track(await ZmqBus.connect(root));
  for (let i = 0; i < EVENTS; i++) {
    publisher.publish('zt:stall:tick', { i });
    if (i % 1000 === 999) await new Promise((r) => setImmediate(r));
  }
  expect(await publisher.flush(120_000)).toBe(true);
  // Everything the broker kept for the stalled socket arrives now; the rest was dropped at the mark.
  let messages = 0;
  let events = 0;
  stalled.receiveTimeout = 2000;
  for (;;) {
    try {
      const frames = await stalled.receive();
      messages++;
      events += frames.length - 1;
    } catch {
      break; // nothing more within the timeout: the backlog is drained
    }
  }
  stalled.close();
  // Up to the mark, plus what the socket buffers of the kernel and of both ends hold (a few dozen messages).
  expect(messages).toBeLessThanOrEqual(DEFAULT_PUBLISH_HWM + 200);
  expect(events).toBeLessThan(EVENTS);
  expect(messages).toBeGreaterThan(0);
}
