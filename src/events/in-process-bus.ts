import { randomUUID } from 'node:crypto';
import type { Bus, EventHandler } from './bus.js';
import { createEnvelope, matchesType, type EventEnvelope } from './envelope.js';
import type { EventLog } from './log.js';
import { MetarepoError } from '../core/errors.js';
import { createPayloadValidator } from './validate.js';

/**
 * The default bus: delivers events synchronously to subscribers in this process and appends each one to the
 * event log (when given) so `metarepo events` and later replays see it.
 */
export class InProcessBus implements Bus {
  readonly runid = randomUUID();
  private readonly subscriptions = new Set<{ pattern: string; handler: EventHandler }>();

  private readonly validate = createPayloadValidator({ ownEnvelopes: true });

  /**
   * @param log - where events are logged (none: delivered only).
   * @param options.strict - an invalid payload throws (development, `--strict`); otherwise it is a warning on stderr.
   */
  constructor(
    private readonly log?: EventLog,
    private readonly options: { strict?: boolean } = {},
  ) {}

  publish<T>(type: string, data: T, source = 'core'): EventEnvelope<T> {
    const envelope = createEnvelope(type, data, source, this.runid);
    checkPayload(this.validate(envelope), type, !!this.options.strict);
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

/**
 * Reports what a payload validator found: with `strict`, a MetarepoError (exit 2); else a warning on stderr.
 * @throws MetarepoError when `strict` and there are problems.
 */
export function checkPayload(problems: string[], type: string, strict: boolean): void {
  if (problems.length === 0) return;
  if (strict) {
    throw new MetarepoError(`Event ${type} does not match its schema: ${problems[0]}.`, {
      details: problems,
      hint: 'Fix the published data, or the event schema in meta-models/events/ (run without --strict to only warn).',
    });
  }
  process.stderr.write(`metarepo: warning: event ${type} does not match its schema: ${problems.join('; ')}\n`);
}

/** Reports a failed subscriber on stderr; it never reaches the publisher. */
export function reportHandlerError(type: string, e: unknown): void {
  process.stderr.write(`metarepo: a subscriber of ${type} failed: ${e instanceof Error ? e.message : String(e)}\n`);
}
