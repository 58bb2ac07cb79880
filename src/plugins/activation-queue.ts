import type { Bus, EventHandler } from '../events/bus.js';
import { matchesType, type EventEnvelope } from '../events/envelope.js';
import { reportHandlerError } from '../events/in-process-bus.js';

/**
 * Holds the events a plugin should see while it activates, and hands them over in order once its setup is done
 * (issue 13, item 3: a plugin activated by `onEvent:bench:*` used to miss the very events that activated it).
 *
 * The plugin gets {@link ActivationQueue.bus} instead of the workspace bus. Until {@link release}, every event that
 * reaches one of its subscriptions — or that the host {@link offer}s, such as the activating events — is queued
 * (once per event id) instead of delivered. `release` then delivers the queue in arrival order to every subscription
 * of the plugin whose pattern matches; events published meanwhile (say by a handler) join the end of the queue, so
 * the plugin sees one ordered stream, each event once. Afterwards the bus passes events straight through.
 *
 * The queue is in memory and bounded only by how long setup takes (setup itself is bounded by the plugin's
 * runtime); {@link discard} drops it when activation fails.
 */
export class ActivationQueue {
  private holding = true;
  private readonly queue: EventEnvelope[] = [];
  /** Ids of queued events: an event matching several subscriptions, or offered and subscribed, is queued once. */
  private readonly ids = new Set<string>();
  private readonly subscriptions = new Set<{ pattern: string; handler: EventHandler }>();

  /** The bus to hand to the plugin: the workspace bus, with its subscriptions held until {@link release}. */
  readonly bus: Bus;

  constructor(target: Bus) {
    const subscribe = (pattern: string, handler: EventHandler): (() => void) => {
      const sub = { pattern, handler };
      this.subscriptions.add(sub);
      const off = target.subscribe(pattern, (event) => (this.holding ? this.offer(event) : handler(event)));
      return () => {
        this.subscriptions.delete(sub);
        off();
      };
    };
    this.bus = {
      runid: target.runid,
      publish: (type, data, source) => target.publish(type, data, source),
      subscribe,
      // The workspace bus belongs to the workspace: a plugin cannot close it.
      close: async () => undefined,
    };
  }

  /** Queues `event` while holding (once per id); afterwards does nothing. */
  offer(event: EventEnvelope): void {
    if (!this.holding || this.ids.has(event.id)) return;
    this.ids.add(event.id);
    this.queue.push(event);
  }

  /**
   * Delivers the queue, in order, to the plugin's matching subscriptions, then lets events through. A handler's
   * error (or rejection) is reported on stderr as the buses do, and never stops the delivery.
   */
  release(): void {
    // An index, not shift(): the queue may hold thousands of events, and handlers may append to it.
    for (let i = 0; i < this.queue.length; i++) {
      const event = this.queue[i]!;
      for (const { pattern, handler } of [...this.subscriptions]) {
        if (matchesType(pattern, event.type)) deliver(handler, event);
      }
    }
    this.discard();
  }

  /** Drops what is queued and lets events through (activation failed: nobody is there to receive them). */
  discard(): void {
    this.holding = false;
    this.queue.length = 0;
    this.ids.clear();
  }
}

function deliver(handler: EventHandler, event: EventEnvelope): void {
  try {
    const r = handler(event);
    if (r && typeof r.catch === 'function') r.catch((e: unknown) => reportHandlerError(event.type, e));
  } catch (e) {
    reportHandlerError(event.type, e);
  }
}
