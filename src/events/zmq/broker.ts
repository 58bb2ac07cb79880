import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type * as Zmq from 'zeromq';
import { TOOL_VERSION } from '../../core/version.js';
import { STATE_DIR } from '../../core/layout.js';
import { eventsDir } from '../dir.js';
import { EventLog, firstSequence, formatCorruptLine, readEvents } from '../log.js';
import type { RetentionPolicy } from '../retention.js';
import { declarePluginEventSchemas, pluginDataProblems } from '../validate.js';
import { defaultEndpoints, logBrokerLine, removeBrokerInfo, writeBrokerInfo, type BrokerEndpoints, type BrokerInfo } from './info.js';
import { Cmd, HEARTBEAT_TYPE, PROTOCOL_VERSION, ingestLines, parseIngest, type BrokerStats } from './protocol.js';
import { RecentEvents } from './recent.js';

/** Broker settings. Times in ms, sizes in bytes, water marks in messages. Retention: see {@link RetentionPolicy}. */
export interface BrokerOptions extends Partial<RetentionPolicy> {
  /** `ipc` (default): Unix sockets in `.metarepo/`; `tcp`: 127.0.0.1. */
  transport?: 'ipc' | 'tcp';
  /** TCP ports; 0 or absent: the OS chooses. */
  ports?: Partial<Record<keyof BrokerEndpoints, number>>;
  /** Heartbeat period. Default 1000. */
  heartbeatMs?: number;
  /**
   * High-water mark of the publish socket per subscriber, in messages (each of up to 16 events of one type); beyond
   * it PUB drops (subscribers replay). Default {@link DEFAULT_PUBLISH_HWM}.
   */
  publishHwm?: number;
  /** Write events to `.metarepo/events/`. Default true; false only to measure the broker without disk. */
  log?: boolean;
  /** Log rotation size (EventLog `maxBytes`). */
  maxLogBytes?: number;
  /**
   * Events kept in memory for fast replay and duplicate detection. Default 50 000: several times the publish
   * high-water mark, because a subscriber that hit the mark is already that far behind when it asks for what was
   * dropped, and a replay from memory costs about what publishing did, one from disk far more.
   */
  memoryEvents?: number;
  /** Most events in one replay reply. Default 1000. */
  replayChunk?: number;
  /**
   * The workspace's plugins: an event whose `source` is one of them is checked as in-process publishing checks it —
   * an undeclared type is warned about once (in `.metarepo/broker.log`), a payload that does not match the plugin's
   * schema for its type is refused (`strict`) or logged with a warning.
   */
  plugins?: BrokerPlugin[];
  /** Refuse (NAK) a plugin event whose payload does not match its schema, instead of logging it with a warning. */
  strict?: boolean;
}

/** A plugin as the broker checks its events: name, folder, declared types and the payload schema files it ships. */
export interface BrokerPlugin {
  name: string;
  dir: string;
  events: string[];
  schemas: Array<{ type: string; file: string }>;
}

/**
 * Default publish high-water mark: 1000 messages per subscriber, so one that stops reading holds at most 16 000
 * events (~16 MiB at 1 KB an event) in the broker — 10 000 held ~170 MiB that stayed with the process after the
 * backlog drained. A subscriber past the mark recovers from the broker's memory ({@link BrokerOptions.memoryEvents}).
 */
export const DEFAULT_PUBLISH_HWM = 1000;

/** The process's memory in MiB, rounded: resident set, V8 heap used and total, memory outside the heap. */
function memoryMiB(): NonNullable<BrokerStats['memory']> {
  const m = process.memoryUsage();
  const mib = (n: number) => Math.round(n / 1048576);
  return { rss: mib(m.rss), heapUsed: mib(m.heapUsed), heapTotal: mib(m.heapTotal), external: mib(m.external + m.arrayBuffers) };
}

/**
 * Renders an envelope with its sequence: the JSON (without `sequence`: `parseIngest` drops one a publisher set) with
 * the sequence spliced in before the closing brace (valid: it parsed as a non-empty object), saving a stringify per
 * event, and putting `sequence` last in every line as readers expect.
 */
function stamper(json: string): (sequence: number) => string {
  const head = json.slice(0, json.lastIndexOf('}'));
  return (sequence) => `${head},"sequence":${sequence}}`;
}

/**
 * Bounds of one batch (one log write, one acknowledgement per publisher): ingest messages, and bytes. A message
 * holds many events, so without the byte bound a backlog becomes one huge batch, published as one burst that
 * overruns subscribers' high-water marks.
 */
const MAX_BATCH = 1000;
const MAX_BATCH_BYTES = 1024 * 1024;
const RESEND_FRAME = Buffer.from(Cmd.resend);
/**
 * Most events in one publish message. The publish high-water mark counts messages, so a stalled subscriber holds
 * at most `publishHwm` × this many events in the broker (1000 × 16 by default); larger groups measured no faster.
 */
const MAX_GROUP = 16;
/** Events published since the last collection for an idle broker to collect its garbage: ~10 MiB at 1 KB each. */
const COLLECT_AFTER_EVENTS = 10_000;

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
  /** Ids logged from RESEND messages → their sequence (see `handleBatch`). */
  private readonly resentIds = new Map<string, number>();
  private sequence: number;
  /** Last sequence handed to the publish socket: heartbeats carry this, never a sequence not yet sent. */
  private publishedUpTo: number;
  private heartbeat?: NodeJS.Timeout;
  /** `stats.published` at the last heartbeat and at the last idle collection ({@link Broker.collectWhenIdle}). */
  private publishedAtBeat = 0;
  private publishedAtCollection = 0;
  /** A batch is being handled (its publish sends may be pending). */
  private inBatch = false;
  private stopped = false;
  /** Plugins by name → the types each declares; and the undeclared plugin types already warned about. */
  private readonly plugins = new Map<string, { dir: string; declared: Set<string> }>();
  private readonly warnedUndeclared = new Set<string>();

  private constructor(
    readonly root: string,
    readonly info: BrokerInfo,
    private readonly log: EventLog | null,
    private readonly sockets: { ingest: Zmq.Router; publish: Zmq.Publisher; replay: Zmq.Router },
    private readonly opts: Required<Pick<BrokerOptions, 'replayChunk' | 'memoryEvents' | 'strict'>>,
  ) {
    this.recent = new RecentEvents(opts.memoryEvents);
    this.sequence = log?.lastSequence ?? 0;
    this.publishedUpTo = this.sequence;
    this.stats = { received: 0, published: 0, rejected: 0, duplicates: 0, replays: 0, collections: 0, latest: this.sequence, startedAt: info.startedAt };
  }

  /**
   * Opens the log (exclusively), binds the sockets, writes `.metarepo/broker.json` and starts serving.
   * @throws MetarepoError (exit 1) when another live process holds the log (e.g. a broker already runs);
   *   MetarepoError (exit 2) for an ipc path too long; the ZeroMQ error when an endpoint cannot be bound.
   */
  static async start(root: string, opts: BrokerOptions = {}): Promise<Broker> {
    const zmq = await import('zeromq');
    const warn = (message: string) => logBrokerLine(root, 'warn', message);
    const log = opts.log === false ? null : new EventLog(eventsDir(root), {
            exclusive: true,
            maxBytes: opts.maxLogBytes,
            keepSegments: opts.keepSegments,
            keepEvents: opts.keepEvents,
            keepBytes: opts.keepBytes,
            keepMs: opts.keepMs,
            warn,
          });
    const sockets = {
      ingest: new zmq.Router({ linger: 0 }),
      publish: new zmq.Publisher({ linger: 100, sendHighWaterMark: opts.publishHwm ?? DEFAULT_PUBLISH_HWM }),
      replay: new zmq.Router({ linger: 0 }),
    };
    try {
      const wanted = defaultEndpoints(root, opts.transport ?? 'ipc', opts.ports);
      fs.mkdirSync(path.join(root, STATE_DIR), { recursive: true }); // ipc sockets live there
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
      const broker = new Broker(root, info, log, sockets, { replayChunk: opts.replayChunk ?? 1000, memoryEvents: opts.memoryEvents ?? 50_000, strict: !!opts.strict });
      broker.remember();
      for (const plugin of opts.plugins ?? []) broker.declare(plugin);
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

  /**
   * Takes a plugin's declared types and compiles its payload schemas (a schema that cannot be read or compiled is
   * logged, and the plugin's events are then not checked against any of its schemas).
   */
  private declare(plugin: BrokerPlugin): void {
    this.plugins.set(plugin.name, { dir: plugin.dir, declared: new Set(plugin.events) });
    try {
      declarePluginEventSchemas(plugin.name, plugin.schemas.map(({ type, file }) => ({ type, file, schema: JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown> })));
    } catch (e) {
      this.warn(`the event schemas of plugin ${plugin.name} are not used: ${(e as Error).message}`);
    }
  }

  /**
   * What is wrong with a plugin's event (`source` a plugin): its payload by the plugin's schema for its type. An
   * undeclared type is warned about once per plugin and type, and passes.
   */
  private pluginEventProblem(envelope: Record<string, unknown> & { type: string }): string | undefined {
    const source = envelope.source as string;
    const plugin = this.plugins.get(source);
    if (!plugin) return undefined;
    if (!plugin.declared.has(envelope.type)) {
      const key = `${source}\0${envelope.type}`;
      if (!this.warnedUndeclared.has(key)) {
        this.warnedUndeclared.add(key);
        this.warn(`plugin ${source} publishes ${envelope.type}, which it does not declare: add it to metarepo.contributes.events in ${path.join(plugin.dir, 'package.json')}`);
      }
      return undefined;
    }
    const problems = pluginDataProblems(source, envelope.type, envelope.data);
    return problems.length > 0 ? problems.join('; ') : undefined;
  }

  /**
   * Loads the end of the log into memory, so replays start fast and resent events are recognised after a restart.
   * Lines there that are no events are reported in `.metarepo/broker.log`.
   */
  private remember(): void {
    if (!this.log) return;
    const onCorrupt = (c: Parameters<typeof formatCorruptLine>[0]) => this.warn(`corrupt line in the event log, skipped: ${formatCorruptLine(c)}`);
    for (const e of readEvents(this.log.dir, { since: Math.max(0, this.sequence - this.opts.memoryEvents), onCorrupt })) {
      this.recent.add({ sequence: e.sequence!, id: e.id, type: e.type, json: JSON.stringify(e) });
    }
  }

  private async ingestLoop(): Promise<void> {
    const socket = this.sockets.ingest;
    while (!this.stopped) {
      const batch: Buffer[][] = [];
      let bytes = 0;
      const take = (msg: Buffer[]) => {
        batch.push(msg);
        for (const frame of msg) bytes += frame.length;
      };
      try {
        take(await socket.receive());
        while (socket.readable && batch.length < MAX_BATCH && bytes < MAX_BATCH_BYTES) take(await socket.receive());
      } catch (e) {
        if (this.stopped) return;
        this.warn(`ingest receive failed: ${(e as Error).message}`);
      }
      this.inBatch = true;
      await this.guard('ingest', () => this.handleBatch(batch));
      this.inBatch = false;
    }
  }

  /**
   * Stamps and logs every valid event of the batch with one write, publishes them, then acknowledges each
   * publisher once. A resent event whose id was logged already is acknowledged with its first sequence.
   */
  private async handleBatch(batch: Buffer[][]): Promise<void> {
    const fresh: Array<{ id: string; type: string; time: unknown; resent: boolean; render: (sequence: number) => string }> = [];
    // Only with a RESEND message in the batch: ids logged before, and id → index in fresh for this batch.
    const resends = batch.some(([, first]) => first?.equals(RESEND_FRAME));
    const logged = resends ? this.recent.sequencesById() : undefined;
    const seen = resends ? new Map<string, number>() : undefined;
    const replies: Array<{ peer: Buffer; id: string; index?: number; sequence?: number }> = [];
    const refusals: Buffer[][] = [];
    const reject = (peer: Buffer, id: string, reason: string) => {
      this.refuse('an ingest message', id, reason);
      refusals.push([peer, Buffer.from(Cmd.nak), Buffer.from(id), Buffer.from(reason)]);
    };
    for (const [peer, ...frames] of batch) {
      this.stats.received++;
      const resent = frames[0]?.equals(RESEND_FRAME) ?? false;
      const lines = ingestLines(resent ? frames.slice(1) : frames);
      if (lines.length === 0) {
        reject(peer!, '', `expected envelope JSON lines, got ${frames.length} empty frame(s)`);
        continue;
      }
      for (const line of lines) {
        const parsed = parseIngest(line);
        if ('reason' in parsed) {
          reject(peer!, parsed.id, parsed.reason);
          continue;
        }
        const { envelope, json } = parsed;
        // A resend is looked up among all remembered events; a first send only among resends logged before it,
        // since the two travel on different connections and a resend may arrive first.
        const sequence = resent ? logged!.get(envelope.id) : this.resentIds.size > 0 ? this.resentIds.get(envelope.id) : undefined;
        const inBatch = seen?.get(envelope.id);
        if (sequence !== undefined || inBatch !== undefined) {
          this.stats.duplicates++;
          replies.push({ peer: peer!, id: envelope.id, sequence, index: inBatch });
          continue;
        }
        const problem = this.plugins.size > 0 ? this.pluginEventProblem(envelope) : undefined;
        if (problem !== undefined) {
          if (this.opts.strict) {
            reject(peer!, envelope.id, `event ${envelope.type} does not match its schema: ${problem}`);
            continue;
          }
          this.warn(`event ${envelope.type} (id ${envelope.id}) does not match its schema: ${problem}; logged anyway (a broker started with --strict refuses it)`);
        }
        seen?.set(envelope.id, fresh.length);
        replies.push({ peer: peer!, id: envelope.id, index: fresh.length });
        fresh.push({ id: envelope.id, type: envelope.type, time: envelope.time, resent, render: stamper(json) });
      }
    }
    const first = this.sequence + 1;
    const lines = this.log ? this.log.appendAll(fresh) : fresh.map((f, i) => f.render(first + i));
    this.sequence += lines.length;
    this.stats.latest = this.sequence;
    for (let i = 0; i < fresh.length; i++) if (fresh[i]!.resent) this.rememberResent(fresh[i]!.id, first + i);
    // Consecutive events of one type go out as one message, [type, json, json, …]: the SUB prefix filter still
    // selects by type, and a burst costs one send and one receive per group instead of per event.
    for (let i = 0; i < fresh.length; ) {
      const type = fresh[i]!.type;
      const frames = [type];
      let j = i;
      for (; j < fresh.length && j - i < MAX_GROUP && fresh[j]!.type === type; j++) {
        this.recent.add({ sequence: first + j, id: fresh[j]!.id, type, json: lines[j]! });
        frames.push(lines[j]!);
      }
      await this.sockets.publish.send(frames);
      this.publishedUpTo = first + j - 1;
      this.stats.published += j - i;
      i = j;
    }
    const acks = new Map<string, { peer: Buffer; lines: string[] }>(); // by peer identity: one acknowledgement each
    let last: { peer: Buffer; lines: string[] } | undefined;
    for (const r of replies) {
      // A batch mostly comes from one publisher: look its acknowledgement up only when the peer changes.
      if (!last || !r.peer.equals(last.peer)) {
        const key = r.peer.toString('latin1');
        last = acks.get(key) ?? { peer: r.peer, lines: [] };
        acks.set(key, last);
      }
      last.lines.push(`${r.id} ${r.sequence ?? first + r.index!}`);
    }
    // One send at a time: a zeromq v6 socket refuses overlapping sends.
    for (const ack of acks.values()) await this.sockets.ingest.send([ack.peer, Cmd.ack, ack.lines.join('\n')]);
    for (const frames of refusals) await this.sockets.ingest.send(frames);
  }

  /** Remembers a resent event's id (the newest `memoryEvents` of them), for first sends that arrive after it. */
  private rememberResent(id: string, sequence: number): void {
    this.resentIds.set(id, sequence);
    if (this.resentIds.size > this.opts.memoryEvents) this.resentIds.delete(this.resentIds.keys().next().value!);
  }

  /** Counts and logs a rejected message (`what`: which kind). */
  private refuse(what: string, id: string, reason: string): void {
    this.stats.rejected++;
    this.warn(`rejected ${what}${id ? ` (id ${id})` : ''}: ${reason}`);
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
        return [Cmd.stats, req, JSON.stringify({ ...this.stats, memory: memoryMiB() })];
      case Cmd.replay: {
        const [since, limit, ...prefixes] = args;
        const from = Number(since);
        const max = Math.min(Number(limit), this.opts.replayChunk);
        if (!Number.isInteger(from) || from < 0 || !Number.isInteger(max) || max < 0) {
          return this.refuseRequest(req, `REPLAY needs integer since and limit, got ${String(since)} ${String(limit)}`);
        }
        this.stats.replays++;
        return this.replay(req, from, max, prefixes);
      }
      default:
        return this.refuseRequest(req, `unknown request ${JSON.stringify(cmd ?? '')}`);
    }
  }

  private refuseRequest(req: string, reason: string): string[] {
    this.refuse('a replay-socket request', req, reason);
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
    this.collectWhenIdle();
    // A zeromq v6 socket takes one send at a time; while a batch is being published, its events announce the
    // latest sequence anyway, so this beat is skipped.
    if (this.inBatch) return;
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

  /**
   * Gives memory back once a burst is over: when at least {@link COLLECT_AFTER_EVENTS} events were published since the
   * last collection and none during the last heartbeat period, runs a full garbage collection (the broker process is
   * started with `--expose-gc`). V8 collects only when JavaScript allocates, so without this an idle broker kept the
   * garbage of a burst — ~190 MiB after 120 000 events of 1 KB, twice its steady state — until the next burst.
   */
  private collectWhenIdle(): void {
    const published = this.stats.published;
    const idle = published === this.publishedAtBeat && !this.inBatch;
    this.publishedAtBeat = published;
    if (!idle || published - this.publishedAtCollection < COLLECT_AFTER_EVENTS) return;
    const gc = (globalThis as { gc?: () => void }).gc;
    if (!gc) return;
    this.publishedAtCollection = published;
    gc();
    this.stats.collections++;
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
