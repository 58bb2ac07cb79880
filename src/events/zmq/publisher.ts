import type * as Zmq from 'zeromq';
import { eventsDir } from '../dir.js';
import type { EventEnvelope } from '../envelope.js';
import { EventLog, eventTooLarge, lastSequence, oversizeBytes, readEvents, type EventLogOptions } from '../log.js';
import { readBrokerInfo, type BrokerInfo } from './info.js';
import { Cmd } from './protocol.js';

/** Publisher settings. Times in ms. */
export interface PublisherOptions {
  /** The broker is presumed gone when unconfirmed events see no acknowledgement for this long. Default 2000. */
  ackTimeoutMs?: number;
  /** Rotation and retention of the log when this publisher writes it itself. */
  log?: Omit<EventLogOptions, 'exclusive' | 'lockTimeoutMs' | 'warn'>;
  /** Called with each event this publisher wrote to the log itself (the broker was down). */
  onLogged?: (event: EventEnvelope) => void;
}

/** Counters of one publisher. */
export interface PublisherStats {
  /** Events confirmed by the broker. */
  acknowledged: number;
  /** Events refused by the broker (NAK), reported on stderr. */
  rejected: number;
  /** Events sent again after a silence (the broker drops the duplicates). */
  resent: number;
  /** Events this publisher appended to the log itself because the broker did not answer. */
  loggedDirectly: number;
}

interface Pending {
  env: EventEnvelope;
  /** The log's last sequence when this event was published: if the broker logged it, it is above this. */
  floor: number;
}

/** Most events sent in one ingest message (one frame of JSON lines). */
const SEND_BATCH = 256;

/** How long a fall-back waits for the log lock held by another writer (a broker holds it for good). */
const LOCK_WAIT_MS = 200;

/**
 * Sends events to the broker's ingest socket without losing any (the ZeroMQ guide's "Titanic" idea: nothing
 * counts as delivered until it is on disk): each event stays pending until the broker acknowledges it, after
 * logging it. When acknowledgements stop for `ackTimeoutMs`, the publisher takes the log's lock itself — which
 * succeeds only if no broker holds it, i.e. the broker is gone — and appends the pending events (those the broker
 * already logged are recognised by id and not written twice); later events go straight to the log until a broker
 * owns it again. If a live broker holds the lock, it was only slow or restarted: everything pending is resent.
 */
export class ReliablePublisher {
  readonly stats: PublisherStats = { acknowledged: 0, rejected: 0, resent: 0, loggedDirectly: 0 };
  private mode: 'broker' | 'log' = 'broker';
  private socket: Zmq.Dealer | null = null;
  private readonly pending = new Map<string, Pending>();
  private readonly queue: string[] = [];
  /** Events sent before and not acknowledged, to go out (before `queue`) in RESEND messages. */
  private readonly resends: string[] = [];
  private pumping = false;
  private lastProgress = Date.now();
  private floor: number;
  private log: EventLog | null = null;
  private waiters: Array<() => void> = [];
  private readonly timer: NodeJS.Timeout;
  private readonly ackTimeoutMs: number;
  private warned = false;

  constructor(
    private readonly zmq: typeof Zmq,
    private readonly root: string,
    private info: BrokerInfo,
    private readonly opts: PublisherOptions = {},
  ) {
    this.ackTimeoutMs = opts.ackTimeoutMs ?? 2000;
    this.floor = lastSequence(eventsDir(root));
    this.connect(info);
    this.timer = setInterval(() => this.watch(), Math.min(250, this.ackTimeoutMs / 4));
  }

  /**
   * Hands one event over: queued for the broker, or (while no broker owns the log) appended to it at once, which
   * stamps its `sequence` now; through the broker, `sequence` is set when the acknowledgement arrives.
   * @throws the JSON.stringify error for data that cannot be serialised; a MetarepoError (exit 2) for an event over
   *   MAX_EVENT_BYTES of JSON (see `eventTooLarge`). Nothing is queued or logged then.
   */
  publish(env: EventEnvelope): void {
    if (this.mode === 'log') {
      if (this.writeToLog([env], false)) return;
      this.mode = 'broker'; // a broker owns the log again
      this.connect(readBrokerInfo(this.root) ?? this.info);
    }
    // Only the queue keeps the JSON, until it is sent: a resend (rare) serialises again, so thousands of events
    // awaiting their acknowledgement do not hold a second copy each through garbage collections.
    const json = JSON.stringify(env);
    const over = oversizeBytes(json);
    if (over !== undefined) throw eventTooLarge(env.type, over);
    if (this.pending.size === 0) this.lastProgress = Date.now();
    this.pending.set(env.id, { env, floor: this.floor });
    this.queue.push(json);
    void this.pump();
  }

  /** Number of events not yet confirmed. */
  get unconfirmed(): number {
    return this.pending.size;
  }

  /** Resolves true once every event is confirmed (or logged directly), false after `timeoutMs`. */
  async flush(timeoutMs: number): Promise<boolean> {
    if (this.pending.size === 0) return true;
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(this.pending.size === 0), timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /**
   * Flushes (waiting up to `timeoutMs`), falls back to the log for whatever is still unconfirmed, and closes.
   * Events that could be neither confirmed nor logged (a live broker holds the log but does not answer) are
   * reported on stderr — never dropped silently.
   */
  async close(timeoutMs: number): Promise<void> {
    if (!(await this.flush(timeoutMs))) this.fallBack();
    clearInterval(this.timer);
    if (this.pending.size > 0) {
      process.stderr.write(
        `metarepo: ${this.pending.size} events were not confirmed by the broker (pid ${this.info.pid}), which holds the event log; they may be missing from it\n`,
      );
    }
    this.closeSocket();
    this.log?.close();
  }

  private connect(info: BrokerInfo): void {
    this.closeSocket();
    this.info = info;
    const socket = new this.zmq.Dealer({ linger: 0 });
    socket.connect(info.endpoints.ingest);
    this.socket = socket;
    void this.ackLoop(socket);
  }

  /** Closes with linger 0, so frames still queued cannot reach a broker after we decided otherwise. */
  private closeSocket(): void {
    this.socket?.close();
    this.socket = null;
    this.queue.length = 0;
    this.resends.length = 0;
  }

  /** Sends queued frames one at a time (zeromq v6 refuses overlapping sends on one socket). */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    const socket = this.socket;
    try {
      // Up to SEND_BATCH events per message and frame: one send and one receive instead of one per event.
      while (socket && socket === this.socket && this.resends.length + this.queue.length > 0) {
        if (this.resends.length > 0) await socket.send([Cmd.resend, this.resends.splice(0, SEND_BATCH).join('\n')]);
        else await socket.send(this.queue.splice(0, SEND_BATCH).join('\n'));
      }
    } catch {
      // The socket was closed by a fall-back; pending events are handled there.
    } finally {
      this.pumping = false;
    }
    if (this.socket !== socket && this.resends.length + this.queue.length > 0) void this.pump();
  }

  private async ackLoop(socket: Zmq.Dealer): Promise<void> {
    while (!socket.closed) {
      let frames: string[];
      try {
        frames = (await socket.receive()).map((f) => f.toString('utf8'));
      } catch {
        continue;
      }
      if (frames[0] === Cmd.ack) {
        this.lastProgress = Date.now();
        for (const line of (frames[1] ?? '').split('\n')) {
          const space = line.lastIndexOf(' '); // an id may hold spaces; the sequence never does
          this.confirm(line.slice(0, space), Number(line.slice(space + 1)));
        }
      } else if (frames[0] === Cmd.nak) {
        const p = this.pending.get(frames[1] ?? '');
        if (!p) continue;
        this.pending.delete(p.env.id);
        this.stats.rejected++;
        process.stderr.write(`metarepo: the broker rejected event ${p.env.type} (${p.env.id}): ${frames[2] ?? ''}\n`);
        this.settle();
      }
    }
  }

  private confirm(id: string, sequence: number): void {
    const p = this.pending.get(id);
    if (!p) return;
    p.env.sequence = sequence;
    this.pending.delete(id);
    this.floor = Math.max(this.floor, sequence);
    this.stats.acknowledged++;
    this.settle();
  }

  private settle(): void {
    if (this.pending.size > 0) return;
    for (const wake of this.waiters.splice(0)) wake();
  }

  private watch(): void {
    if (this.mode === 'broker' && this.pending.size > 0 && Date.now() - this.lastProgress > this.ackTimeoutMs) this.fallBack();
  }

  /** No acknowledgement for too long: write the pending events to the log if no broker holds it, else resend. */
  private fallBack(): void {
    const pending = [...this.pending.values()];
    if (pending.length === 0) return;
    this.closeSocket();
    if (this.writeToLog(pending.map((p) => p.env), true)) {
      this.mode = 'log';
      this.stats.loggedDirectly += pending.length;
      this.pending.clear();
      if (!this.warned) {
        this.warned = true;
        process.stderr.write(`metarepo: the broker did not answer for ${this.ackTimeoutMs} ms; events are written to the log directly\n`);
      }
      this.settle();
      return;
    }
    this.connect(readBrokerInfo(this.root) ?? this.info);
    for (const p of pending) this.resends.push(JSON.stringify(p.env));
    this.stats.resent += pending.length;
    this.lastProgress = Date.now();
    void this.pump();
  }

  /**
   * Appends events to the log under its lock. `dedupe`: skip (and take the sequence of) events the broker logged
   * before it died — they are after the oldest pending event's floor.
   * @returns false when another live process (a broker) holds the log.
   */
  private writeToLog(envs: EventEnvelope[], dedupe: boolean): boolean {
    this.log ??= new EventLog(eventsDir(this.root), { ...this.opts.log });
    if (!this.log.acquire(LOCK_WAIT_MS)) return false;
    const logged = new Map<string, number>();
    if (dedupe) {
      const since = Math.min(...[...this.pending.values()].map((p) => p.floor));
      for (const e of readEvents(this.log.dir, { since })) logged.set(e.id, e.sequence!);
    }
    for (const env of envs) {
      const known = logged.get(env.id);
      if (known !== undefined) env.sequence = known;
      else this.log.append(env);
      this.opts.onLogged?.(env);
    }
    this.floor = this.log.lastSequence;
    return true;
  }
}
