import { MAX_EVENT_BYTES, oversizeBytes } from '../log.js';

/**
 * The broker's wire protocol (version 2). Every frame is UTF-8 text; envelopes are CloudEvents JSON.
 *
 * - **ingest** (broker ROUTER, publishers DEALER): a publisher sends one or more frames, each holding one or more
 *   envelopes (no `sequence`) as JSON lines separated by `\n`; the broker answers `[ACK, "id sequence\n…"]` (one
 *   message per publisher per batch, one line per event) once the events are logged, or `[NAK, id, reason]` for
 *   a rejected one (id empty when unreadable). Unacknowledged events are resent in messages whose first frame is
 *   `RESEND`: for those only, the broker looks each id up among what it logged (memory) and in the same batch,
 *   and acknowledges one it logged already with its first sequence instead of logging it again. A publisher sends
 *   each event once outside RESEND messages, so first sends skip the lookup. Batching events into lines rather than frames matters: each frame costs a native buffer
 *   and a finalizer, which made per-event frames the broker's largest cost.
 * - **publish** (broker PUB, subscribers SUB): `[type, envelope-json, …]`, one or more consecutive events of that
 *   type with their `sequence`, so a SUB prefix filter selects by type; every heartbeat interval `[core:broker:heartbeat, envelope-json]` whose `data.latest` is the
 *   last sequence published (no `sequence` of its own).
 * - **replay** (broker ROUTER, clients DEALER; REQ works too, its empty delimiter is echoed):
 *   `[PING, req]` → `[PONG, req, latest]`; `[STATS, req]` → `[STATS, req, stats-json]`;
 *   `[REPLAY, req, since, limit, prefix…]` → `[MORE|END, req, upTo, latest, first, envelope-json…]`: up to `limit`
 *   events with `sequence > since` whose type starts with one of the prefixes (none: all), `upTo` the last
 *   sequence examined (ask again from there while MORE), `first` the oldest sequence still available (older ones
 *   fell to retention). A malformed request gets `[ERROR, req, reason]`.
 */
export const PROTOCOL_VERSION = 2;

/** Type of the broker's heartbeat events on the publish socket. */
export const HEARTBEAT_TYPE = 'core:broker:heartbeat';

/** Command and reply words (first frame). */
export const Cmd = {
  ack: 'ACK',
  nak: 'NAK',
  resend: 'RESEND',
  ping: 'PING',
  pong: 'PONG',
  stats: 'STATS',
  replay: 'REPLAY',
  more: 'MORE',
  end: 'END',
  error: 'ERROR',
} as const;

/** Counters the broker keeps since it started. */
export interface BrokerStats {
  /** Ingest messages received (valid or not). */
  received: number;
  /** Events stamped, logged and published. */
  published: number;
  /** Messages or envelopes rejected (wrong frame count, invalid JSON, wrong shape). */
  rejected: number;
  /** Resent events already logged (acknowledged again, not logged twice). */
  duplicates: number;
  /** Replay requests answered. */
  replays: number;
  /** Full garbage collections run once a burst was over (memory given back; see the broker's `collectWhenIdle`). */
  collections: number;
  /** Last sequence stamped. */
  latest: number;
  /** When the broker started (RFC 3339). */
  startedAt: string;
  /** The broker's memory when asked (MiB): resident set, V8 heap used / total, outside the heap. In STATS replies only. */
  memory?: { rss: number; heapUsed: number; heapTotal: number; external: number };
}

/** The envelope attributes the broker requires before it stamps and logs an event. */
const REQUIRED_STRINGS = ['id', 'source', 'type', 'time', 'runid'] as const;
const TYPE_SHAPE = /^[A-Za-z0-9_.-]+(:[A-Za-z0-9_.-]+)+$/;

/**
 * Basic shape check of one ingest line (an envelope's JSON): JSON object, `specversion` 1.0, non-empty string
 * `id` (without line breaks), `source`, `type` (`a:b[:c…]`), `time`, `runid`, and a `data` member; at most
 * MAX_EVENT_BYTES of JSON. Payload schemas are not checked here. A `sequence` the publisher set is dropped (the
 * broker stamps its own; the JSON returned is then re-serialised without it).
 * @returns the envelope with its JSON text, or the reason it is rejected (with its `id` when one could be read).
 */
export function parseIngest(json: string): { envelope: Record<string, unknown> & { id: string; type: string }; json: string } | { reason: string; id: string } {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (e) {
    return { reason: `envelope is not JSON: ${(e as Error).message}`, id: '' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { reason: 'envelope is not a JSON object', id: '' };
  const env = value as Record<string, unknown>;
  const id = typeof env.id === 'string' ? env.id : '';
  if (env.specversion !== '1.0') return { reason: 'specversion must be "1.0"', id };
  for (const key of REQUIRED_STRINGS) {
    if (typeof env[key] !== 'string' || env[key] === '') return { reason: `${key} must be a non-empty string`, id };
  }
  if (id.includes('\n')) return { reason: 'id must not contain a line break (acknowledgements are one line per event)', id };
  if (!TYPE_SHAPE.test(env.type as string)) return { reason: `type "${env.type as string}" is not domain:entity:action`, id };
  if (!('data' in env)) return { reason: 'data is missing', id };
  if ('sequence' in env) {
    delete env.sequence;
    json = JSON.stringify(env);
  }
  const over = oversizeBytes(json);
  if (over !== undefined) return { reason: `envelope is ${over} bytes of JSON, over the limit of ${MAX_EVENT_BYTES} bytes for one event`, id };
  return { envelope: env as Record<string, unknown> & { id: string; type: string }, json };
}

/** The lines of ingest frames: envelope JSON texts (JSON.stringify never writes a raw newline). */
export function ingestLines(frames: Buffer[]): string[] {
  return frames.flatMap((f) => f.toString('utf8').split('\n')).filter((line) => line.trim() !== '');
}
