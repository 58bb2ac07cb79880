import type { EventEnvelope } from './envelope.js';

/** A subscriber callback. Errors it throws are reported on stderr and never reach the publisher. */
export type EventHandler = (event: EventEnvelope) => void | Promise<void>;

/**
 * Publish / subscribe by type pattern (DESIGN.md, "Bus"). Implemented in process by {@link InProcessBus};
 * a ZeroMQ transport implements the same interface.
 */
export interface Bus {
  /** The run id stamped on every envelope this bus publishes. */
  readonly runid: string;
  /**
   * Publishes one event: logs it (stamping `sequence`) and delivers it to matching subscribers.
   * @returns the envelope as logged.
   */
  publish<T>(type: string, data: T, source?: string): EventEnvelope<T>;
  /** Subscribes to types matching `pattern` (see `matchesType`). @returns a function that unsubscribes. */
  subscribe(pattern: string, handler: EventHandler): () => void;
  /**
   * Resolves once the subscriptions made so far receive every event published from then on. The ZeroMQ bus needs this
   * (its subscriber catches up with the broker first); without it (the in-process bus) they always do.
   */
  ready?(): Promise<void>;
  /** Flushes and releases resources. */
  close(): Promise<void>;
}
