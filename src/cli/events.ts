import fs from 'node:fs';
import path from 'node:path';
import { matchesType, type EventEnvelope } from '../events/envelope.js';
import { formatCorruptLine, lineNumberAt, locator, parseLines, readEvents, setAsideFiles, type CorruptLine } from '../events/log.js';
import { eventsDir } from '../events/dir.js';
import { requireWorkspaceRoot } from '../workspace/root.js';
import { emit, type GlobalOptions } from './output.js';

/**
 * `metarepo events`: prints logged events, one per line (JSON lines with --json). Reading publishes nothing. Lines of
 * the log that are no events, and events set aside as cut off by a crash, are reported as warnings on stderr (never
 * on stdout).
 */
export async function eventsCommand(g: GlobalOptions, opts: { type?: string; since?: number; follow?: boolean }): Promise<number> {
  const root = requireWorkspaceRoot(g.cwd);
  const dir = eventsDir(root);
  const warnCorrupt = (c: CorruptLine) => process.stderr.write(`metarepo: warning: skipped a corrupt line of the event log: ${formatCorruptLine(c, root)}\n`);
  let last = opts.since ?? 0;
  const print = (e: EventEnvelope) => {
    last = Math.max(last, e.sequence ?? 0);
    if (opts.type && !matchesType(opts.type, e.type)) return;
    process.stdout.write(g.json ? `${JSON.stringify(e)}\n` : `${String(e.sequence).padStart(6)} ${e.time} ${e.type} ${JSON.stringify(e.data)}\n`);
  };
  const { readBrokerInfo } = await import('../events/zmq/info.js');
  if (opts.follow && readBrokerInfo(root)) {
    // Through the broker: replay from the sequence asked for, then live, with no gap and no duplicate.
    const { subscribeFrom } = await import('../events/zmq/zmq-bus.js');
    await subscribeFrom(root, { since: last, pattern: opts.type ?? '*' }, (e) => print(e));
    return new Promise<number>(() => undefined); // until Ctrl-C
  }
  for (const aside of setAsideFiles(dir)) {
    if (aside.sequence <= last) continue;
    process.stderr.write(
      `metarepo: warning: sequence ${aside.sequence} has no event: it was cut off by a crash; its partial line is in ${path.relative(root, aside.file)}\n`,
    );
  }
  for (const e of readEvents(dir, { since: last, onCorrupt: warnCorrupt })) print(e);
  if (!opts.follow) return 0;
  await follow(dir, () => last, print, warnCorrupt);
  return 0;
}

/** Polls the live segment for appended lines (and notices rotation) until the process is stopped. */
async function follow(dir: string, since: () => number, print: (e: EventEnvelope) => void, onCorrupt: (c: CorruptLine) => void): Promise<never> {
  const live = path.join(dir, 'events.jsonl');
  let offset = size(live);
  for (;;) {
    await new Promise((r) => setTimeout(r, 200));
    const now = size(live);
    if (now < offset) {
      // Rotated: everything after our last sequence is in the segments now.
      for (const e of readEvents(dir, { since: since(), onCorrupt })) print(e);
      offset = size(live);
      continue;
    }
    if (now === offset) continue;
    const fd = fs.openSync(live, 'r');
    const buf = Buffer.alloc(now - offset);
    fs.readSync(fd, buf, 0, buf.length, offset);
    fs.closeSync(fd);
    const complete = buf.lastIndexOf(0x0a) + 1; // keep a half-written line for the next poll
    const from = offset;
    offset += complete;
    const report = (index: number, reason: string) => locator(live, buf, from, lineNumberAt(live, from), onCorrupt)(index, reason);
    for (const e of parseLines(buf.toString('utf8', 0, complete), since(), report)) print(e);
  }
}

function size(f: string): number {
  try {
    return fs.statSync(f).size;
  } catch {
    return 0;
  }
}

/** `metarepo events types`: every core type with its schema, and the types plugins declare. */
export async function eventTypesCommand(g: GlobalOptions): Promise<number> {
  const { closeWorkspace, openWorkspace } = await import('../workspace/open.js');
  const { coreEventTypes, eventTypeTable } = await import('../events/types.js');
  const ws = await openWorkspace(g.cwd, 'events types', { strict: g.strict });
  try {
    const rows = eventTypeTable(coreEventTypes(), (await ws.plugins()).list().map((r) => r.manifest));
    const out = rows.map(({ type, version, dataschema, description, declaredBy }) => ({ type, version, dataschema, description, declaredBy }));
    emit(g, { types: out }, () => out.map((r) => `${r.type.padEnd(28)} ${r.declaredBy.padEnd(16)} ${r.dataschema ?? '(no schema)'}`).join('\n'));
    return 0;
  } finally {
    await closeWorkspace(ws, 0);
  }
}
