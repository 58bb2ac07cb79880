import { randomUUID } from 'node:crypto';
import type * as Zmq from 'zeromq';
import { TOOL_VERSION } from '../../version.js';
import { eventsDir } from '../../workspace/workspace.js';
import type { EventEnvelope } from '../envelope.js';
import { EventLog, firstSequence, readEvents } from '../log.js';
import { defaultEndpoints, logBrokerLine, removeBrokerInfo, writeBrokerInfo, type BrokerEndpoints, type BrokerInfo } from './info.js';
import { Cmd, HEARTBEAT_TYPE, PROTOCOL_VERSION, parseIngest, type BrokerStats } from './protocol.js';
import { RecentEvents, type RecentEvent } from './recent.js';

/** Broker settings. Times in ms, sizes in bytes, water marks in messages. */
export interface BrokerOptions {
  /** `ipc` (default): Unix sockets in `.metarepo/`; `tcp`: 127.0.0.1. */
  transport?: 'ipc' | 'tcp';
  /** TCP ports; 0 or absent: the OS chooses. */
  ports?: Partial<Record<keyof BrokerEndpoints, number>>;
  /** Heartbeat period. Default 1000. */
  heartbeatMs?: number;
  /** High-water mark of the publish socket per subscriber; beyond it PUB drops (subscribers replay). Default 10 000. */
  publishHwm?: number;
  /** Write events to `.metarepo/events/`. Default true; false only to measure the broker without disk. */
  log?: boolean;
  /** Log rotation size (EventLog `maxBytes`). */
  maxLogBytes?: number;
  /** Log retention (EventLog `keepSegments`). */
  keepSegments?: number;
  /** Events kept in memory for fast replay and duplicate detection. Default 10 000. */
  memoryEvents?: number;
  /** Most events in one replay reply. Default 1000. */
  replayChunk?: number;
}

/** Most ingest messages handled as one batch (one acknowledgement per publisher per batch). */
const MAX_BATCH = 1000;

/**
 * The event broker (ZeroMQ guide, ch. 5 "Clone" for state + replay, ch. 4 "Titanic" for the disk log): stamps
 * each event's `sequence`, appends it to the log, publishes it, then acknowledges it to its publisher. It owns
 * `.metarepo/events/` while it runs (EventLog in exclusive mode), answers replay / ping / stats requests, and
 * sends heartbeats. Wire format: see `protocol.ts`. Bad input is rejected, counted and logged, never fatal.
 */
export class Broker {
  readonly stats: BrokerStats;
  /** Stamped as `runid` on heartbeats: one per broker process. */
  private readonly runid = randomUUID();
  private readonly recent: RecentEvents;
  private sequence: number;
  /** Last sequence handed to the publish socket: heartbeats carry this, never a sequence not yet sent. */
  private publishedUpTo: number;
  private heartbeat?: NodeJS.Timeout;
  private stopped = false;

  private constructor(
    readonly root: string,
    readonly info: BrokerInfo,
    private readonly log: EventLog | null,
    private readonly sockets: { ingest: Zmq.Router; publish: Zmq.Publisher; replay: Zmq.Router },
    private readonly opts: Required<Pick<BrokerOptions, 'replayChunk' | 'memoryEvents'>>,
  ) {
    this.recent = new RecentEvents(opts.memoryEvents);
    this.sequence = log?.lastSequence ?? 0;
    this.publishedUpTo = this.sequence;
    this.stats = { received: 0, published: 0, rejected: 0, duplicates: 0, replays: 0, latest: this.sequence, startedAt: info.startedAt };
  }

  /**
   * Opens the log (exclusively), binds the sockets, writes `.metarepo/broker.json` and starts serving.
   * @throws MetarepoError (exit 1) when another live process holds the log (e.g. a broker already runs);
   *   MetarepoError (exit 2) for an ipc path too long; the ZeroMQ error when an endpoint cannot be bound.
   */
  static async start(root: string, opts: BrokerOptions = {}): Promise<Broker> {
    const zmq = await import('zeromq');
    const log = opts.log === false ? null : new EventLog(eventsDir(root), { exclusive: true, maxBytes: opts.maxLogBytes, keepSegments: opts.keepSegments });
    const sockets = {
      ingest: new zmq.Router({ linger: 0 }),
      publish: new zmq.Publisher({ linger: 100, sendHighWaterMark: opts.publishHwm ?? 10_000 }),
      replay: new zmq.Router({ linger: 0 }),
    };
    try {
      const wanted = defaultEndpoints(root, opts.transport ?? 'ipc', opts.ports);
      const endpoints = {} as BrokerEndpoints;
      for (const name of ['ingest', 'publish', 'replay'] as const) {
        await sockets[name].bind(wanted[name]);
        endpoints[name] = sockets[name].lastEndpoint ?? wanted[name];
      }
      const info: BrokerInfo = {
        version: TOOL_VERSION,
        protocol: PROTOCOL_VERSION,
        pid: process.pid,
        startedAt: new Date().toISOString(),
        endpoints,
        heartbeatMs: opts.heartbeatMs ?? 1000,
        log: log !== null,
      };
      const broker = new Broker(root, info, log, sockets, { replayChunk: opts.replayChunk ?? 1000, memoryEvents: opts.memoryEvents ?? 10_000 });
      broker.remember();
      writeBrokerInfo(root, info);
      logBrokerLine(root, 'info', `started pid ${process.pid}, latest sequence ${broker.sequence}, endpoints ${Object.values(endpoints).join(' ')}`);
      void broker.ingestLoop();
      void broker.replayLoop();
      broker.heartbeat = setInterval(() => void broker.beat(), info.heartbeatMs);
      return broker;
    } catch (e) {
      for (const s of Object.values(sockets)) s.close();
      log?.close();
      throw e;
    }
  }

  /** Last sequence stamped. */
  get latest(): number {
    return this.sequence;
  }

  /** Stops serving: closes the sockets, releases the log, removes `broker.json`. Idempotent. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.heartbeat);
    for (const s of Object.values(this.sockets)) s.close();
    this.log?.close();
    removeBrokerInfo(this.root, process.pid);
    logBrokerLine(this.root, 'info', `stopped pid ${process.pid}, latest sequence ${this.sequence}, ${JSON.stringify(this.stats)}`);
  }

  /** Loads the end of the log into memory, so replays start fast and resent events are recognised after a restart. */
  private remember(): void {
    if (!this.log) return;
    for (const e of readEvents(this.log.dir, { since: Math.max(0, this.sequence - this.opts.memoryEvents) })) {
      this.recent.add({ sequence: e.sequence!, id: e.id, type: e.type, json: JSON.stringify(e) });
    }
  }

  private async ingestLoop(): Promise<void> {
    const socket = this.sockets.ingest;
    while (!this.stopped) {
      const batch: Buffer[][] = [];
      try {
        batch.push(await socket.receive());
        while (socket.readable && batch.length < MAX_BATCH) batch.push(await socket.receive());
      } catch (e) {
        if (this.stopped) return;
        this.warn(`ingest receive failed: ${(e as Error).message}`);
      }
      await this.guard('ingest', () => this.handleBatch(batch));
    }
  }

  /** Stamps and logs every valid event of the batch, publishes them, then acknowledges per publisher. */
  private async handleBatch(batch: Buffer[][]): Promise<void> {
    const acks = new Map<string, { peer: Buffer; frames: string[] }>();
    const ack = (peer: Buffer, id: string, sequence: number) => {
      const key = peer.toString('hex');
      let entry = acks.get(key);
      if (!entry) acks.set(key, (entry = { peer, frames: [Cmd.ack] }));
      entry.frames.push(id, String(sequence));
    };
    const fresh: RecentEvent[] = [];
    for (const [peer, ...frames] of batch) {
      this.stats.received++;
      const parsed = parseIngest(frames);
      if ('reason' in parsed) {
        this.reject(peer!, parsed.id, parsed.reason);
        continue;
      }
      const env = parsed.envelope as unknown as EventEnvelope;
      const known = this.recent.sequenceOf(env.id);
      if (known !== undefined) {
        this.stats.duplicates++;
        ack(peer!, env.id, known);
        continue;
      }
      const json = this.stamp(env);
      const e = { sequence: env.sequence!, id: env.id, type: env.type, json };
      this.recent.add(e);
      fresh.push(e);
      ack(peer!, env.id, e.sequence);
    }
    for (const e of fresh) {
      await this.sockets.publish.send([e.type, e.json]);
      this.publishedUpTo = e.sequence;
      this.stats.published++;
    }
    for (const { peer, frames } of acks.values()) await this.sockets.ingest.send([peer, ...frames]);
  }

  /** Stamps the next sequence: through the log (which writes the line) or, without a log, here. */
  private stamp(env: EventEnvelope): string {
    delete env.sequence; // a publisher does not choose its sequence
    let json: string;
    if (this.log) {
      json = this.log.append(env);
    } else {
      env.sequence = this.sequence + 1;
      json = JSON.stringify(env);
    }
    this.sequence = env.sequence!;
    this.stats.latest = this.sequence;
    return json;
  }

  private reject(peer: Buffer, id: string, reason: string): void {
    this.stats.rejected++;
    this.warn(`rejected an ingest message${id ? ` (id ${id})` : ''}: ${reason}`);
    void this.sockets.ingest.send([peer, Cmd.nak, id, reason]).catch(() => undefined);
  }

  private async replayLoop(): Promise<void> {
    const socket = this.sockets.replay;
    while (!this.stopped) {
      let msg: Buffer[];
      try {
        msg = await socket.receive();
      } catch (e) {
        if (this.stopped) return;
        this.warn(`replay receive failed: ${(e as Error).message}`);
        continue;
      }
      await this.guard('replay', async () => {
        const [peer, ...rest] = msg;
        // A REQ client puts an empty delimiter first; echo it so its reply is routed back the same way.
        const envelope = rest[0]?.length === 0 ? [peer!, rest.shift()!] : [peer!];
        await socket.send([...envelope, ...this.answer(rest.map((f) => f.toString('utf8')))]);
      });
    }
  }

  /** The reply frames to one replay-socket request. */
  private answer([cmd, req = '', ...args]: string[]): string[] {
    switch (cmd) {
      case Cmd.ping:
        return [Cmd.pong, req, String(this.sequence)];
      case Cmd.stats:
        return [Cmd.stats, req, JSON.stringify(this.stats)];
      case Cmd.replay: {
        const [since, limit, ...prefixes] = args;
        const from = Number(since);
        const max = Math.min(Number(limit), this.opts.replayChunk);
        if (!Number.isInteger(from) || from < 0 || !Number.isInteger(max) || max < 0) {
          return this.refuse(req, `REPLAY needs integer since and limit, got ${String(since)} ${String(limit)}`);
        }
        this.stats.replays++;
        return this.replay(req, from, max, prefixes);
      }
      default:
        return this.refuse(req, `unknown request ${JSON.stringify(cmd ?? '')}`);
    }
  }

  private refuse(req: string, reason: string): string[] {
    this.stats.rejected++;
    this.warn(`rejected a replay-socket request: ${reason}`);
    return [Cmd.error, req, reason];
  }

  /** Events after `since` from memory when it reaches back far enough, else from the log on disk. */
  private replay(req: string, since: number, limit: number, prefixes: string[]): string[] {
    const latest = this.publishedUpTo;
    const wanted = (type: string) => prefixes.length === 0 || prefixes.some((p) => type.startsWith(p));
    const fromMemory = since + 1 >= this.recent.oldest || !this.log;
    const first = fromMemory ? Math.min(this.recent.oldest, since + 1) : firstSequence(this.log!.dir);
    const source: Iterable<{ sequence: number; type: string; json: string }> = fromMemory ? this.recent.after(since) : this.fromDisk(since);
    const events: string[] = [];
    let upTo = latest;
    for (const e of source) {
      if (e.sequence > latest) break;
      if (events.length === limit) {
        upTo = e.sequence - 1;
        break;
      }
      if (wanted(e.type)) events.push(e.json);
    }
    return [upTo >= latest ? Cmd.end : Cmd.more, req, String(upTo), String(latest), String(Number.isFinite(first) ? first : latest + 1), ...events];
  }

  private *fromDisk(since: number): Generator<{ sequence: number; type: string; json: string }> {
    for (const e of readEvents(this.log!.dir, { since })) yield { sequence: e.sequence!, type: e.type, json: JSON.stringify(e) };
  }

  private async beat(): Promise<void> {
    const env = {
      specversion: '1.0',
      id: randomUUID(),
      source: 'core',
      type: HEARTBEAT_TYPE,
      time: new Date().toISOString(),
      datacontenttype: 'application/json',
      data: { latest: this.publishedUpTo },
      runid: this.runid,
    };
    await this.guard('heartbeat', () => this.sockets.publish.send([HEARTBEAT_TYPE, JSON.stringify(env)]));
  }

  /** Runs one unit of work; an unexpected error is logged, never fatal (the broker keeps serving). */
  private async guard(what: string, work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (e) {
      if (!this.stopped) this.warn(`${what} failed: ${(e as Error).message}`);
    }
  }

  private warn(message: string): void {
    logBrokerLine(this.root, 'warn', message);
  }
}
