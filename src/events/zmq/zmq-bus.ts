import { randomUUID } from 'node:crypto';
import type * as Zmq from 'zeromq';
import { MetarepoError } from '../../core/errors.js';
import type { Bus, EventHandler } from '../bus.js';
import { createEnvelope, matchesType, type EventEnvelope } from '../envelope.js';
import { reportHandlerError } from '../in-process-bus.js';
import { checkPayload } from '../in-process-bus.js';
import { createPayloadValidator } from '../validate.js';
import { Follower, type FollowerOptions, type FollowerStats } from './follower.js';
import { readBrokerInfo, type BrokerInfo } from './info.js';
import { PROTOCOL_VERSION } from './protocol.js';
import { ReliablePublisher, type PublisherOptions, type PublisherStats } from './publisher.js';

export { readBrokerInfo } from './info.js';

/** ZmqBus settings. Times in ms. */
export interface ZmqBusOptions extends PublisherOptions, Pick<FollowerOptions, 'receiveHwm' | 'requestTimeoutMs' | 'onFellBehind'> {
  /** An invalid payload throws (development, `--strict`); otherwise it is a warning on stderr. */
  strict?: boolean;
  /** The broker to use; default: read `.metarepo/broker.json`. */
  info?: BrokerInfo;
  /** How long `close()` waits for unconfirmed events before writing them to the log itself. Default 5000. */
  closeTimeoutMs?: number;
}

/** A live subscription started by {@link subscribeFrom}. */
export interface Subscription {
  /** Resolves once the catch-up (events after `since` up to the broker's latest) is delivered. */
  readonly ready: Promise<void>;
  /** Last sequence delivered or known not to match. */
  readonly position: number;
  readonly stats: FollowerStats;
  close(): Promise<void>;
}

/**
 * The bus over the broker (DESIGN.md "Bus"; used by the CLI whenever `.metarepo/broker.json` names a live
 * broker). `publish` is synchronous like every Bus: it builds the envelope and queues it; the broker's
 * acknowledgement stamps `sequence` on the returned envelope later (`await flush()` to wait for it). No event is
 * lost when the broker dies: see {@link ReliablePublisher}. Subscribers get every matching event once, in sequence
 * order, from the moment `ready()` resolves: see {@link Follower}. Heartbeats are never delivered to handlers.
 */
export class ZmqBus implements Bus {
  readonly runid = randomUUID();
  private readonly validate = createPayloadValidator({ ownEnvelopes: true });
  private readonly publisher: ReliablePublisher;
  private follower: Follower | null = null;
  private readonly subscriptions = new Set<{ pattern: string; prefix: string; handler: EventHandler }>();

  private constructor(
    private readonly zmq: typeof Zmq,
    private readonly root: string,
    private readonly info: BrokerInfo,
    private readonly opts: ZmqBusOptions,
  ) {
    this.publisher = new ReliablePublisher(zmq, root, info, { ...opts, onLogged: (e) => this.follower?.offer(e) });
  }

  /**
   * Loads zeromq and connects to the workspace's broker.
   * @throws MetarepoError (exit 1) when no broker runs for `root` and none is given.
   */
  static async connect(root: string, opts: ZmqBusOptions = {}): Promise<ZmqBus> {
    const info = usableBroker(root, opts.info);
    return new ZmqBus(await import('zeromq'), root, info, opts);
  }

  publish<T>(type: string, data: T, source = 'core'): EventEnvelope<T> {
    const envelope = createEnvelope(type, data, source, this.runid);
    checkPayload(this.validate(envelope), type, !!this.opts.strict);
    this.publisher.publish(envelope);
    return envelope;
  }

  /** Subscribes on the broker's publish socket with the pattern's prefix (the part before its first `*`). */
  subscribe(pattern: string, handler: EventHandler): () => void {
    this.follower ??= new Follower(this.zmq, this.root, this.info, (e) => this.dispatch(e), this.opts);
    const sub = { pattern, prefix: pattern.split('*')[0]!, handler };
    this.subscriptions.add(sub);
    this.follower.addPrefix(sub.prefix);
    return () => {
      if (this.subscriptions.delete(sub)) this.follower?.removePrefix(sub.prefix);
    };
  }

  /** Resolves once subscriptions receive every event after the broker's latest sequence at that moment. */
  async ready(): Promise<void> {
    await this.follower?.ready;
  }

  /** Resolves true once every published event is confirmed (sequence stamped), false after `timeoutMs`. */
  flush(timeoutMs = this.opts.closeTimeoutMs ?? 5000): Promise<boolean> {
    return this.publisher.flush(timeoutMs);
  }

  /** Counters: the publisher's, and the subscriber side's when there is one. */
  get stats(): { publisher: PublisherStats; follower?: FollowerStats } {
    return { publisher: this.publisher.stats, follower: this.follower?.stats };
  }

  /** Flushes pending events (bounded by `closeTimeoutMs`, then the log), stops subscriptions, closes sockets. */
  async close(): Promise<void> {
    await this.publisher.close(this.opts.closeTimeoutMs ?? 5000);
    this.subscriptions.clear();
    await this.follower?.close();
  }

  /** Calls the matching handlers in order; a promise only when a handler returned one (most are synchronous). */
  private dispatch(event: EventEnvelope): Promise<void> | void {
    const handlers: EventHandler[] = [];
    for (const sub of this.subscriptions) if (matchesType(sub.pattern, event.type)) handlers.push(sub.handler);
    return deliverTo(handlers, event);
  }
}

/**
 * Catch-up then live (`metarepo events --since N --follow`): delivers every event with `sequence > since` whose
 * type matches `pattern`, in order, with no gap and no duplicate across the switch from replay to live
 * (the Clone pattern: subscribe, buffer, replay, apply the buffer past the replay's end).
 * @throws MetarepoError (exit 1) when no broker runs for `root`.
 */
export async function subscribeFrom(
  root: string,
  opts: { since: number; pattern?: string; info?: BrokerInfo } & Omit<FollowerOptions, 'since'>,
  handler: EventHandler,
): Promise<Subscription> {
  const info = usableBroker(root, opts.info);
  const pattern = opts.pattern ?? '*';
  const follower = new Follower(await import('zeromq'), root, info, (e) => (matchesType(pattern, e.type) ? deliverTo([handler], e) : undefined), opts);
  follower.addPrefix(pattern.split('*')[0]!);
  return follower;
}

/**
 * Runs handlers one after another, each after the previous one's promise settled; a failure is reported on stderr
 * and never reaches the bus (as with InProcessBus). Synchronous handlers run without a promise per event.
 */
function deliverTo(handlers: EventHandler[], event: EventEnvelope, from = 0): Promise<void> | void {
  for (let i = from; i < handlers.length; i++) {
    let result: void | Promise<void>;
    try {
      result = handlers[i]!(event);
    } catch (e) {
      reportHandlerError(event.type, e);
      continue;
    }
    if (result && typeof result.then === 'function') {
      return result.then(
        () => deliverTo(handlers, event, i + 1),
        (e: unknown) => {
          reportHandlerError(event.type, e);
          return deliverTo(handlers, event, i + 1);
        },
      );
    }
  }
}

/**
 * The broker to talk to: `given`, else the one `.metarepo/broker.json` names, if it speaks this version's protocol.
 * @throws MetarepoError (exit 1) when none runs, or when it runs an older or newer wire protocol (its publishers
 *   would be refused every event and resend forever).
 */
function usableBroker(root: string, given?: BrokerInfo): BrokerInfo {
  const info = given ?? readBrokerInfo(root);
  if (!info) throw noBroker(root);
  if (info.protocol !== PROTOCOL_VERSION) {
    throw new MetarepoError(`The event broker for ${root} (pid ${info.pid}, metarepo ${info.version}) speaks wire protocol ${info.protocol}; this metarepo speaks ${PROTOCOL_VERSION}.`, {
      exitCode: 1,
      hint: 'Restart it with this metarepo: `metarepo broker stop`, then `metarepo broker start`.',
    });
  }
  return info;
}

function noBroker(root: string): MetarepoError {
  return new MetarepoError(`No event broker runs for the workspace ${root}.`, {
    exitCode: 1,
    hint: 'Start one with `metarepo broker start`, or use the in-process bus.',
  });
}
