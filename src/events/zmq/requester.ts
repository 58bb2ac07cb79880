import { randomUUID } from 'node:crypto';
import type * as Zmq from 'zeromq';
import { Cmd } from './protocol.js';

/** Parsed reply to a REPLAY request (see `protocol.ts`). */
export interface ReplayChunk {
  /** false while the broker has more events after `upTo`. */
  end: boolean;
  /** Last sequence the reply covers: ask again from here. */
  upTo: number;
  /** Last sequence published when the broker answered. */
  latest: number;
  /** Oldest sequence still available (older events fell to retention). */
  first: number;
  /** Matching events, in sequence order. */
  events: string[];
}

/**
 * Request / reply with the broker's replay socket over one DEALER: every request carries a fresh id and its
 * reply is matched by it, so a late reply to a timed-out request is ignored instead of answering the next one.
 * Sends go one at a time (a zeromq v6 socket refuses overlapping sends).
 */
export class Requester {
  private readonly socket: Zmq.Dealer;
  private readonly waiting = new Map<string, (frames: string[]) => void>();
  private sending: Promise<unknown> = Promise.resolve();
  private endpoint: string;

  constructor(zmq: typeof Zmq, endpoint: string) {
    this.socket = new zmq.Dealer({ linger: 0 });
    this.endpoint = endpoint;
    this.socket.connect(endpoint);
    void this.receiveLoop();
  }

  /** Points the socket at another endpoint (a restarted broker on a new TCP port). */
  retarget(endpoint: string): void {
    if (endpoint === this.endpoint) return;
    this.socket.disconnect(this.endpoint);
    this.socket.connect(endpoint);
    this.endpoint = endpoint;
  }

  /**
   * Sends `[cmd, id, ...args]` and resolves with the reply frames after the id.
   * @throws Error when no reply arrives within `timeoutMs`, or the broker answers ERROR.
   */
  async request(cmd: string, args: string[], timeoutMs: number): Promise<string[]> {
    const id = randomUUID();
    const reply = new Promise<string[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`the broker did not answer ${cmd} within ${timeoutMs} ms (${this.endpoint})`));
      }, timeoutMs);
      this.waiting.set(id, (frames) => {
        clearTimeout(timer);
        if (frames[0] === Cmd.error) reject(new Error(`the broker refused ${cmd}: ${frames[2] ?? ''}`));
        else resolve(frames);
      });
    });
    this.sending = this.sending.then(() => this.socket.send([cmd, id, ...args])).catch(() => undefined);
    return reply;
  }

  /** Asks for the latest sequence. */
  async ping(timeoutMs: number): Promise<number> {
    return Number((await this.request(Cmd.ping, [], timeoutMs))[2]);
  }

  /** Asks for events after `since` whose type starts with one of `prefixes` (none: all). */
  async replay(since: number, limit: number, prefixes: string[], timeoutMs: number): Promise<ReplayChunk> {
    const [status, , upTo, latest, first, ...events] = await this.request(Cmd.replay, [String(since), String(limit), ...prefixes], timeoutMs);
    return { end: status === Cmd.end, upTo: Number(upTo), latest: Number(latest), first: Number(first), events };
  }

  close(): void {
    this.socket.close();
  }

  private async receiveLoop(): Promise<void> {
    for (;;) {
      let msg: Buffer[];
      try {
        msg = await this.socket.receive();
      } catch {
        if (this.socket.closed) return;
        continue;
      }
      const frames = msg.map((f) => f.toString('utf8'));
      this.waiting.get(frames[1] ?? '')?.(frames);
      this.waiting.delete(frames[1] ?? '');
    }
  }
}
