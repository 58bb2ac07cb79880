import { randomUUID } from 'node:crypto';
import type { Bus, EventHandler } from './bus.js';
import { createEnvelope, matchesType, type EventEnvelope } from './envelope.js';
import type { EventLog } from './log.js';

/**
 * The default bus: delivers events synchronously to subscribers in this process and appends each one to the
 * event log (when given) so `metarepo events` and later replays see it.
 */
export class InProcessBus implements Bus {
  readonly runid = randomUUID();
  private readonly subscriptions = new Set<{ pattern: string; handler: EventHandler }>();

  constructor(private readonly log?: EventLog) {}

  publish<T>(type: string, data: T, source = 'core'): EventEnvelope<T> {
    const envelope = createEnvelope(type, data, source, this.runid);
    this.log?.append(envelope);
    for (const sub of this.subscriptions) {
      if (!matchesType(sub.pattern, type)) continue;
      try {
        const r = sub.handler(envelope);
        if (r && typeof (r as Promise<void>).catch === 'function') (r as Promise<void>).catch((e) => reportHandlerError(type, e));
      } catch (e) {
        reportHandlerError(type, e);
      }
    }
    return envelope;
  }

  subscribe(pattern: string, handler: EventHandler): () => void {
    const sub = { pattern, handler };
    this.subscriptions.add(sub);
    return () => this.subscriptions.delete(sub);
  }

  async close(): Promise<void> {
    this.subscriptions.clear();
    this.log?.close();
  }
}

function reportHandlerError(type: string, e: unknown): void {
  process.stderr.write(`metarepo: a subscriber of ${type} failed: ${e instanceof Error ? e.message : String(e)}\n`);
}
