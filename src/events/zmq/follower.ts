import type * as Zmq from 'zeromq';
import { eventsDir } from '../dir.js';
import type { EventEnvelope } from '../envelope.js';
import { firstSequence, lastSequence, readEvents } from '../log.js';
import { readBrokerInfo, type BrokerInfo } from './info.js';
import { HEARTBEAT_TYPE } from './protocol.js';
import { Requester, type ReplayChunk } from './requester.js';

/** What a follower reports when live events were missed and then recovered through replay. */
export interface FellBehind {
  /** Events recovered. */
  missed: number;
  /** Sequence range the recovered events came from. */
  from: number;
  to: number;
}

/** Follower settings. Times in ms. */
export interface FollowerOptions {
  /** Deliver every event with a greater sequence first (catch-up); absent: only events after the broker's latest. */
  since?: number;
  /** High-water mark of the SUB socket (messages). Default ZeroMQ's 1000. */
  receiveHwm?: number;
  /** Replay request timeout; past it the log on disk is read instead. Default 2000. */
  requestTimeoutMs?: number;
  /** Told when live events were missed (high-water mark, joining, broker restart) and recovered. */
  onFellBehind?: (report: FellBehind) => void;
}

/** Counters of one follower. */
export interface FollowerStats {
  /** Events received on the SUB socket. */
  live: number;
  /** Events delivered from replay (catch-up and recovery). */
  replayed: number;
  /**
   * Of those, events that were dropped on the way (high-water mark, broker restart): each was published before an
   * event or heartbeat that did arrive (PUB/SUB keeps order), so it should have arrived live too.
   */
  recovered: number;
  /** Repairs started by a gap: a sequence jump, or a heartbeat announcing a sequence not yet covered. */
  repairs: number;
}

const CHUNK = 1000;
/** Deliveries queued before the follower stops reading its socket. */
const MAX_QUEUED = 100;

/**
 * A subscriber that delivers every matching event exactly once and in sequence order (the ZeroMQ guide's Clone
 * pattern, client side): subscribe first, buffer live events, fetch the snapshot (replay) up to the broker's
 * latest, then apply the buffered events newer than the snapshot. The same repair runs whenever a gap shows:
 * a sequence jump, or a heartbeat announcing a sequence not yet covered. A jump is ambiguous when prefixes filter
 * the stream (the missing events may simply not match), so the repair asks the broker, whose replay applies the
 * same prefixes. When the broker does not answer, the log on disk is read instead (it is written before publishing).
 * Delivery is sequential (`deliver` is awaited), so a slow consumer stops reading, the high-water mark drops
 * events, and the next heartbeat or event makes it recover them.
 */
export class Follower {
  readonly stats: FollowerStats = { live: 0, replayed: 0, recovered: 0, repairs: 0 };
  /** Every matching event with a sequence up to this one was delivered; -1 until the starting point is known. */
  private covered = -1;
  /** Highest sequence the broker announced (events, heartbeats, replies). */
  private announced = 0;
  /** Highest sequence announced on the SUB socket itself: anything published up to it reached us or was dropped. */
  private liveMark = 0;
  private readonly buffer = new Map<number, EventEnvelope>();
  private readonly prefixes = new Map<string, number>();
  private repairing = false;
  /** Events waiting for delivery, in order, and the loop delivering them (absent when idle). */
  private readonly deliveries: EventEnvelope[] = [];
  private delivering: Promise<void> | undefined;
  private lastHeard = Date.now();
  private readonly socket: Zmq.Subscriber;
  private readonly requester: Requester;
  private readonly timer: NodeJS.Timeout;
  private closed = false;
  /** Resolves once the starting point is known and the catch-up (if any) was delivered. */
  readonly ready: Promise<void>;

  constructor(
    zmq: typeof Zmq,
    private readonly root: string,
    private info: BrokerInfo,
    private readonly deliver: (event: EventEnvelope) => Promise<void> | void,
    private readonly opts: FollowerOptions = {},
  ) {
    this.socket = new zmq.Subscriber({ linger: 0, ...(opts.receiveHwm ? { receiveHighWaterMark: opts.receiveHwm } : {}) });
    this.socket.connect(info.endpoints.publish);
    this.socket.subscribe(HEARTBEAT_TYPE);
    this.requester = new Requester(zmq, info.endpoints.replay);
    void this.receiveLoop();
    this.timer = setInterval(() => this.tick(), info.heartbeatMs);
    // Start after the caller added its prefixes (right after construction), so the first replay filters by them.
    this.ready = Promise.resolve().then(() => this.begin());
  }

  /** Adds a type prefix to the subscription (counted: the same prefix may be added by several subscribers). */
  addPrefix(prefix: string): void {
    const n = this.prefixes.get(prefix) ?? 0;
    this.prefixes.set(prefix, n + 1);
    if (n === 0) this.socket.subscribe(prefix);
  }

  /** Removes one use of a prefix; the SUB filter goes when its last use does. */
  removePrefix(prefix: string): void {
    const n = this.prefixes.get(prefix) ?? 0;
    if (n > 1) this.prefixes.set(prefix, n - 1);
    else if (n === 1) {
      this.prefixes.delete(prefix);
      this.socket.unsubscribe(prefix);
    }
  }

  /** Takes an event that did not come through the broker (a publisher of this process wrote it to the log). */
  offer(event: EventEnvelope): void {
    this.onEvent(event);
  }

  /** Last sequence delivered or known not to match (-1 before the start). */
  get position(): number {
    return this.covered;
  }

  /** Stops; deliveries already queued still run (awaited here). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    this.socket.close();
    this.requester.close();
    await this.delivering;
  }

  private async begin(): Promise<void> {
    if (this.opts.since !== undefined) this.covered = this.opts.since;
    else {
      try {
        this.covered = await this.requester.ping(this.timeout);
      } catch {
        this.covered = lastSequence(eventsDir(this.root)); // the broker is down: the log is the truth
      }
    }
    await this.repair(false);
    await this.delivering;
  }

  private get timeout(): number {
    return this.opts.requestTimeoutMs ?? 2000;
  }

  private async receiveLoop(): Promise<void> {
    while (!this.closed) {
      let frames: Buffer[];
      try {
        frames = await this.socket.receive();
      } catch {
        continue; // closed (the loop ends) or interrupted
      }
      this.lastHeard = Date.now();
      // [type, envelope-json, …]: one or more events of that type, in sequence order.
      for (let i = 1; i < frames.length; i++) this.onFrame(frames[i]!);
      // Back-pressure: with too many deliveries queued, stop reading until they are done, so a slow consumer
      // leaves events to the water marks (and recovers them by replay) instead of growing memory without bound.
      if (this.deliveries.length >= MAX_QUEUED) await this.delivering;
    }
  }

  private onFrame(frame: Buffer): void {
    let env: EventEnvelope;
    try {
      env = JSON.parse(frame.toString('utf8')) as EventEnvelope;
    } catch {
      return; // not ours to judge: the broker validated what it published
    }
    if (env.type === HEARTBEAT_TYPE) {
      const latest = (env.data as { latest?: number }).latest ?? 0;
      this.liveMark = Math.max(this.liveMark, latest);
      this.announce(latest);
      return;
    }
    this.liveMark = Math.max(this.liveMark, env.sequence ?? 0);
    this.stats.live++;
    this.onEvent(env);
  }

  private onEvent(env: EventEnvelope): void {
    const seq = env.sequence;
    if (typeof seq !== 'number') return;
    this.announced = Math.max(this.announced, seq);
    if (seq <= this.covered) return; // already delivered (came through replay)
    if (this.covered >= 0 && !this.repairing && seq === this.covered + 1) {
      this.covered = seq;
      this.emit(env);
      return;
    }
    this.buffer.set(seq, env);
    if (this.covered >= 0 && !this.repairing) {
      this.stats.repairs++;
      void this.repair(true);
    }
  }

  private announce(latest: number): void {
    this.announced = Math.max(this.announced, latest);
    if (this.covered >= 0 && !this.repairing && latest > this.covered) {
      this.stats.repairs++;
      void this.repair(true);
    }
  }

  private emit(env: EventEnvelope): void {
    this.deliveries.push(env);
    this.delivering ??= this.deliverAll();
  }

  /** Delivers queued events one at a time; a handler's promise is awaited before the next event. */
  private async deliverAll(): Promise<void> {
    // Start on a later turn, as a promise chain would: the caller goes on queueing first.
    await undefined;
    try {
      for (let env = this.deliveries.shift(); env; env = this.deliveries.shift()) {
        const pending = this.deliver(env);
        if (pending) await pending;
      }
    } finally {
      this.delivering = undefined;
    }
  }

  /**
   * Replays from `covered` to the end of the gap (catch-up: to the broker's latest), then applies buffered live
   * events that follow on; repeats while a buffered event is still ahead of a gap. `recovery`: the events
   * replayed were missed live.
   */
  private async repair(recovery: boolean): Promise<void> {
    if (this.repairing || this.closed) return;
    this.repairing = true;
    try {
      for (;;) {
        await this.fill(recovery ? this.gapEnd() : Infinity, recovery);
        if (!this.drain()) break;
      }
    } catch {
      // Neither the broker nor the log could be read now; the next tick retries.
    } finally {
      this.repairing = false;
    }
  }

  /**
   * The last sequence a recovery must replay: just before the oldest buffered live event, or the last one the SUB
   * socket announced. Events after it are still on their way (PUB/SUB keeps order): replaying them too would
   * deliver nothing new and, for a subscriber that lags, double the work that made it lag.
   */
  private gapEnd(): number {
    let next = Infinity;
    for (const seq of this.buffer.keys()) next = Math.min(next, seq);
    return next === Infinity ? this.liveMark : next - 1;
  }

  /**
   * Replays events after `covered` up to about `until` (or the broker's latest, whichever comes first): the limit
   * asked for counts events matching the prefixes, so with prefixes a chunk may reach past `until`, never short of it.
   */
  private async fill(until: number, recovery: boolean): Promise<void> {
    const start = this.covered;
    let missed = 0;
    while (this.covered < until) {
      const since = this.covered;
      const limit = Math.min(CHUNK, until - since);
      const chunk = await this.requester.replay(since, limit, this.replayPrefixes(), this.timeout).catch(() => this.fromLog(since, limit));
      if (chunk.first > since + 1 && chunk.first <= chunk.latest) {
        process.stderr.write(`metarepo: events ${since + 1}..${chunk.first - 1} are no longer in the log (retention); continuing from ${chunk.first}\n`);
      }
      for (const json of chunk.events) {
        const env = JSON.parse(json) as EventEnvelope;
        if (env.sequence! <= this.covered) continue;
        this.covered = env.sequence!;
        this.stats.replayed++;
        if (recovery && env.sequence! <= this.liveMark && !this.buffer.has(env.sequence!)) missed++;
        this.emit(env);
      }
      this.covered = Math.max(this.covered, chunk.upTo);
      this.announced = Math.max(this.announced, chunk.latest);
      if (chunk.end || this.closed) break;
    }
    if (missed > 0) {
      this.stats.recovered += missed;
      this.opts.onFellBehind?.({ missed, from: start + 1, to: this.covered });
    }
  }

  /** Delivers buffered events that follow `covered` without a gap. @returns whether one is left behind a gap. */
  private drain(): boolean {
    for (const seq of [...this.buffer.keys()].sort((a, b) => a - b)) {
      if (seq > this.covered + 1) return true;
      const env = this.buffer.get(seq)!;
      this.buffer.delete(seq);
      if (seq === this.covered + 1) {
        this.covered = seq;
        this.emit(env);
      }
    }
    return false;
  }

  /** The broker did not answer: read the same range from the log on disk. */
  private fromLog(since: number, limit: number): ReplayChunk {
    const dir = eventsDir(this.root);
    const prefixes = this.replayPrefixes();
    const events: string[] = [];
    let upTo = since;
    for (const e of readEvents(dir, { since })) {
      if (events.length === limit) return { end: false, upTo, latest: upTo, first: since + 1, events };
      upTo = e.sequence!;
      if (prefixes.length === 0 || prefixes.some((p) => e.type.startsWith(p))) events.push(JSON.stringify(e));
    }
    return { end: true, upTo, latest: upTo, first: events.length || upTo > since ? since + 1 : firstSequence(dir) || since + 1, events };
  }

  /** The prefixes a replay must match: none (everything) when one subscription takes all types. */
  private replayPrefixes(): string[] {
    const list = [...this.prefixes.keys()];
    return list.includes('') ? [] : list;
  }

  /** Every heartbeat period: retry a repair that failed, and look for a broker that moved (new TCP ports). */
  private tick(): void {
    if (Date.now() - this.lastHeard > 3 * this.info.heartbeatMs) {
      const info = readBrokerInfo(this.root);
      if (info && info.endpoints.publish !== this.info.endpoints.publish) {
        this.socket.disconnect(this.info.endpoints.publish);
        this.socket.connect(info.endpoints.publish);
      }
      if (info) {
        this.requester.retarget(info.endpoints.replay);
        this.info = info;
      }
      this.lastHeard = Date.now();
    }
    if (this.covered >= 0 && !this.repairing && (this.buffer.size > 0 || this.announced > this.covered)) void this.repair(true);
  }
}
