import fs from 'node:fs';
import path from 'node:path';
import { MetarepoError } from '../core/errors.js';
import type { EventEnvelope } from '../events/envelope.js';
import { formatCorruptLine, lastSequence, lineNumberAt, locator, parseLines, setAsideFiles, type CorruptLine } from '../events/log.js';
import { eventMatches, queryEvents, queryLines, type EventQuery } from '../events/query.js';
import { LIVE_SEGMENT, eventsDir } from '../events/dir.js';
import type { PluginTypeSchema } from '../events/types.js';
import type { PluginManifest } from '../plugins/manifest.js';
import { requireWorkspaceRoot } from '../workspace/root.js';
import { emit, type GlobalOptions } from './output.js';

/** The options of `metarepo events`, as given on the command line. */
export interface EventsOptions {
  type?: string;
  /** A sequence number, an RFC 3339 date or time, or an age like `2h` (see {@link parseBound}). */
  since?: string;
  until?: string;
  run?: string;
  source?: string;
  /** Only the newest this many (≥ 1, checked by the option's parser). */
  limit?: number;
  follow?: boolean;
}

/**
 * `metarepo events`: prints logged events, one per line (JSON lines with --json), filtered by type, run, source and a
 * range of sequences or times, optionally only the newest `--limit`. Reading publishes nothing. Lines of the log that
 * are no events, and events set aside as cut off by a crash, are reported as warnings on stderr (never on stdout).
 * @throws MetarepoError (exit 2) for an unreadable `--since` or `--until`, or `--until` with `--follow`.
 */
export async function eventsCommand(g: GlobalOptions, opts: EventsOptions): Promise<number> {
  const root = requireWorkspaceRoot(g.cwd);
  const dir = eventsDir(root);
  const query = toQuery(opts, Date.now());
  if (opts.follow && (query.until !== undefined || query.untilTime !== undefined)) {
    throw new MetarepoError('--until and --follow contradict each other: --follow prints events as they come.', { hint: 'Drop one of them.' });
  }
  const warnCorrupt = (c: CorruptLine) => process.stderr.write(`metarepo: warning: skipped a corrupt line of the event log: ${formatCorruptLine(c, root)}\n`);
  // Output is gathered and written in chunks of ~64 KiB: one write per event made the writes cost more than the query.
  let pending: string[] = [];
  let pendingLength = 0;
  const flush = () => {
    if (pending.length > 0) process.stdout.write(pending.join(''));
    pending = [];
    pendingLength = 0;
  };
  const print = (e: EventEnvelope, line?: string) => {
    if (!eventMatches(e, query)) return;
    const text = g.json ? `${line ?? JSON.stringify(e)}\n` : `${String(e.sequence).padStart(6)} ${e.time} ${e.type} ${JSON.stringify(e.data)}\n`;
    pending.push(text);
    pendingLength += text.length;
    if (pendingLength >= 65_536) flush();
  };
  // With --follow, the history is read up to the latest sequence now, and following starts right after it: in the
  // live segment from its size before that sequence was read (anything appended later lies beyond).
  const liveSize = size(path.join(dir, LIVE_SEGMENT));
  const latest = opts.follow ? lastSequence(dir) : undefined;
  for (const aside of setAsideFiles(dir)) {
    if (aside.sequence <= (query.since ?? 0) || aside.sequence > (query.until ?? latest ?? Infinity)) continue;
    process.stderr.write(
      `metarepo: warning: sequence ${aside.sequence} has no event: it was cut off by a crash; its partial line is in ${path.relative(root, aside.file)}\n`,
    );
  }
  const stats = { segments: 0, read: 0, parsed: 0, bytes: 0 };
  for (const found of queryLines(dir, { ...query, until: latest ?? query.until, onCorrupt: warnCorrupt }, stats)) print(found.event, found.line);
  flush();
  if (g.verbose) process.stderr.write(`metarepo: read ${stats.read} of ${stats.segments} log segments (${stats.bytes} bytes), parsed ${stats.parsed} lines\n`);
  if (latest === undefined) return 0;
  const { readBrokerInfo } = await import('../events/zmq/info.js');
  if (readBrokerInfo(root)) {
    // Through the broker: replay after the history printed, then live, with no gap and no duplicate.
    const { subscribeFrom } = await import('../events/zmq/zmq-bus.js');
    await subscribeFrom(root, { since: latest, pattern: query.type ?? '*' }, (e) => {
      print(e);
      flush();
    });
    return new Promise<number>(() => undefined); // until Ctrl-C
  }
  await follow(dir, { offset: liveSize, after: latest }, (e) => print(e), flush, warnCorrupt);
  return 0;
}

/** 60 s, 60 min, 24 h, 7 d in ms, by unit letter. */
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * Reads a `--since`/`--until` value: a whole number is a sequence; `YYYY-MM-DD[THH:MM[:SS[.sss]]][Z|±HH:MM]` is a
 * time (a date or a time without offset is UTC, as `Date.parse` reads an ISO date); `<n>s|m|h|d|w` is that long
 * before `now`.
 * @returns the sequence or the time in ms since the epoch.
 * @throws MetarepoError (exit 2) naming the flag and the accepted forms.
 */
export function parseBound(flag: string, value: string, now: number): { sequence: number } | { time: number } {
  if (/^\d+$/.test(value)) return { sequence: Number(value) };
  const age = /^(\d+)([smhdw])$/.exec(value);
  if (age) return { time: now - Number(age[1]) * UNIT_MS[age[2]!]! };
  const time = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/.test(value) ? Date.parse(value.replace(' ', 'T')) : NaN;
  if (!Number.isNaN(time)) return { time };
  throw new MetarepoError(`${flag} ${JSON.stringify(value)} is neither a sequence number, a date or time, nor an age.`, {
    hint: `Give a sequence (${flag} 1200), an RFC 3339 date or time (${flag} 2026-12-07 or ${flag} 2026-12-07T10:30:00Z), or an age (${flag} 2h; s, m, h, d, w).`,
  });
}

/** The query for the command's options. */
function toQuery(opts: EventsOptions, now: number): EventQuery {
  const q: EventQuery = { type: opts.type, source: opts.source, runid: opts.run, limit: opts.limit };
  if (opts.since !== undefined) {
    const b = parseBound('--since', opts.since, now);
    if ('sequence' in b) q.since = b.sequence;
    else q.sinceTime = b.time;
  }
  if (opts.until !== undefined) {
    const b = parseBound('--until', opts.until, now);
    if ('sequence' in b) q.until = b.sequence;
    else q.untilTime = b.time;
  }
  return q;
}

/** Polls the live segment for appended lines (and notices rotation) until the process is stopped. */
async function follow(dir: string, from: { offset: number; after: number }, print: (e: EventEnvelope) => void, flush: () => void, onCorrupt: (c: CorruptLine) => void): Promise<never> {
  const live = path.join(dir, LIVE_SEGMENT);
  let last = from.after;
  const since = () => last;
  const show = (e: EventEnvelope) => {
    last = Math.max(last, e.sequence ?? 0);
    print(e);
  };
  let offset = from.offset;
  for (;;) {
    await new Promise((r) => setTimeout(r, 200));
    const now = size(live);
    if (now < offset) {
      // Rotated: everything after our last sequence is in the segments now.
      for (const e of queryEvents(dir, { since: since(), onCorrupt })) show(e);
      flush();
      offset = size(live);
      continue;
    }
    if (now === offset) continue;
    const fd = fs.openSync(live, 'r');
    const buf = Buffer.alloc(now - offset);
    fs.readSync(fd, buf, 0, buf.length, offset);
    fs.closeSync(fd);
    const complete = buf.lastIndexOf(0x0a) + 1; // keep a half-written line for the next poll
    const at = offset;
    offset += complete;
    const report = (index: number, reason: string) => locator(live, buf, at, lineNumberAt(live, at), onCorrupt)(index, reason);
    for (const e of parseLines(buf.toString('utf8', 0, complete), since(), report)) show(e);
    flush();
  }
}

function size(f: string): number {
  try {
    return fs.statSync(f).size;
  } catch {
    return 0;
  }
}

/** `metarepo events types`: every core type with its schema, and the types plugins declare with the schemas they ship. */
export async function eventTypesCommand(g: GlobalOptions): Promise<number> {
  const { closeWorkspace, openWorkspace } = await import('../workspace/open.js');
  const { coreEventTypes, eventTypeTable } = await import('../events/types.js');
  const ws = await openWorkspace(g.cwd, 'events types', { strict: g.strict });
  try {
    const rows = eventTypeTable(coreEventTypes(), await pluginEventTypes((await ws.plugins()).list().map((r) => r.manifest)));
    const out = rows.map(({ type, version, schemaFile, dataschema, description, declaredBy }) => ({ type, version, schemaFile, dataschema, description, declaredBy }));
    const text = (r: (typeof out)[number]) =>
      `${r.type.padEnd(28)} ${r.declaredBy.padEnd(16)} ${(r.version ?? '').padEnd(7)} ${r.dataschema ?? (r.schemaFile ? path.relative(ws.root, r.schemaFile) : '(no schema)')}`;
    emit(g, { types: out }, () => out.map(text).join('\n'));
    return 0;
  } finally {
    await closeWorkspace(ws, 0);
  }
}

/** A workspace plugin's event types: its name, folder, declared types (`contributes.events`) and the schemas it ships. */
export interface PluginEventTypes {
  name: string;
  dir: string;
  contributes: { events: readonly string[] };
  schemas: PluginTypeSchema[];
}

/**
 * The event types of plugins, with the payload schemas each ships (read, not compiled). A plugin whose schemas cannot
 * be read (see `readPluginEventSchemas`) is listed without schemas, with a warning on stderr.
 */
export async function pluginEventTypes(manifests: readonly PluginManifest[]): Promise<PluginEventTypes[]> {
  const { readPluginEventSchemas } = await import('../plugins/events.js');
  return Promise.all(
    manifests.map(async ({ name, dir, contributes }) => {
      let schemas: PluginTypeSchema[] = [];
      try {
        schemas = await readPluginEventSchemas({ name, dir, contributes });
      } catch (e) {
        process.stderr.write(`metarepo: warning: the event schemas of plugin ${name} are not used: ${(e as Error).message}\n`);
      }
      return { name, dir, contributes, schemas };
    }),
  );
}
