import { randomUUID } from 'node:crypto';
import { dataschemaFor } from './validate.js';

/**
 * A CloudEvents 1.0 envelope in its JSON format (https://github.com/cloudevents/spec, v1.0.2),
 * with two extension attributes: `sequence` (monotonic, gap-free per log, stamped when logged)
 * and `runid` (one id per CLI run).
 */
export interface EventEnvelope<T = unknown> {
  specversion: '1.0';
  /** Unique per event (UUID v4). */
  id: string;
  /** `core` or the publishing plugin's name. */
  source: string;
  /** `domain:entity:action`, e.g. `core:file:created`. */
  type: string;
  /** RFC 3339 timestamp. */
  time: string;
  datacontenttype: 'application/json';
  /** URI of the JSON Schema `data` follows (core types; see meta-models/events/). */
  dataschema?: string;
  data: T;
  runid: string;
  sequence?: number;
}

/** Builds an envelope (without `sequence`; the log stamps it). */
export function createEnvelope<T>(type: string, data: T, source: string, runid: string): EventEnvelope<T> {
  const dataschema = dataschemaFor(type);
  const time = new Date().toISOString();
  // Two literals rather than a spread: this runs for every event, and the key order is part of the JSON.
  return dataschema
    ? { specversion: '1.0', id: randomUUID(), source, type, time, datacontenttype: 'application/json', dataschema, data, runid }
    : { specversion: '1.0', id: randomUUID(), source, type, time, datacontenttype: 'application/json', data, runid };
}

/**
 * Whether an event type matches a pattern. `*` matches any run of characters (so `core:*` matches every core
 * event and `core:file:*` every file event); anything else matches literally. Like ZeroMQ's prefix filters, plus
 * wildcards in the middle (`core:*:failed`).
 */
export function matchesType(pattern: string, type: string): boolean {
  if (!pattern.includes('*')) return pattern === type;
  let re = compiled.get(pattern);
  if (!re) {
    re = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`);
    compiled.set(pattern, re);
  }
  return re.test(type);
}

/** Wildcard patterns compiled once: a subscriber tests every event it receives. Patterns are few per process. */
const compiled = new Map<string, RegExp>();

function escapeRegExp(s: string): string {
  return s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}
