import pc from 'picocolors';
import { MetarepoError, formatLocation } from '../core/errors.js';
import { startWatch, type WatchRun } from '../engine/watch.js';
import { closeWorkspace, openWorkspace } from '../workspace/open.js';
import { requireWorkspaceRoot } from '../workspace/root.js';
import { reportError, type GlobalOptions } from './output.js';

interface WatchFlags {
  debounce: string;
  merge?: boolean;
  conflicts?: 'report' | 'markers';
  force?: boolean;
}

/**
 * `metarepo watch`: one line per run on stdout (`--json`: one JSON object per line); a failed run also prints
 * its error to stderr and the watcher carries on. Stops on SIGINT or SIGTERM with exit code 0.
 */
export async function watchCommand(g: GlobalOptions, flags: WatchFlags): Promise<number> {
  const debounceMs = Number(flags.debounce);
  if (!Number.isFinite(debounceMs) || debounceMs < 0) {
    throw new MetarepoError(`--debounce ${flags.debounce} is not a number of milliseconds.`, { hint: 'Write e.g. --debounce 100.' });
  }
  const root = requireWorkspaceRoot(g.cwd);
  const watcher = await startWatch(root, {
    debounceMs,
    strict: g.strict,
    generate: { merge: flags.merge, conflicts: flags.conflicts, force: flags.force },
    onRun: (r) => print(g, r),
  });
  await watcher.ready;
  // The session's own workspace and plugin host, for plugins that live as long as it does (fs-watch).
  const session = await openWorkspace(root, 'watch', { strict: g.strict });
  await session.plugins();
  await session.bus.ready?.(); // through a broker, plugins that activate on the event subscribe through it first
  session.bus.publish('core:system:long-running', { command: 'watch', pid: process.pid });
  if (!g.json) process.stdout.write(pc.dim(`watching ${root} for changes to metarepo.yaml, models, templates, generators and plugins (Ctrl-C to stop)\n`));
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await watcher.close();
  await closeWorkspace(session, 0);
  return 0;
}

function print(g: GlobalOptions, r: WatchRun): void {
  const time = new Date().toTimeString().slice(0, 8);
  const cause = r.changed.length ? ` (${r.changed.length > 3 ? `${r.changed.slice(0, 3).join(', ')}, …` : r.changed.join(', ')})` : '';
  if (g.json) {
    process.stdout.write(`${JSON.stringify(toJson(r))}\n`);
    return;
  }
  if (r.error !== undefined) {
    process.stdout.write(`${time} run ${r.run}${cause}: ${pc.red('failed')} ${oneLine(r.error)} — still watching\n`);
    reportError(g, r.error);
    return;
  }
  const rep = r.report!;
  const rendered = rep.targets.filter((t) => t.status === 'rendered').length;
  const failed = rep.targets.filter((t) => t.status === 'failed');
  const parts = [`${rendered} rendered`, `${rep.targets.length - rendered - failed.length} up to date`];
  if (failed.length) parts.push(pc.red(`${failed.length} failed: ${failed.map((t) => `${t.target}: ${t.reason}`).join('; ')}`));
  if (rep.conflicts.length) parts.push(pc.red(`${rep.conflicts.length} conflict(s): ${rep.conflicts.map((c) => c.file).join(', ')}`));
  process.stdout.write(`${time} run ${r.run}${cause}: ${parts.join(', ')}, ${rep.changes.length} file(s) written (${r.durationMs} ms)\n`);
}

function oneLine(e: unknown): string {
  if (e instanceof MetarepoError) return `${e.location ? `${formatLocation(e.location)}: ` : ''}${e.message}`;
  return e instanceof Error ? e.message : String(e);
}

function toJson(r: WatchRun) {
  const base = { run: r.run, changed: r.changed, durationMs: r.durationMs };
  if (r.error !== undefined) return { ...base, ok: false, error: oneLine(r.error) };
  const rep = r.report!;
  return {
    ...base,
    ok: !rep.targets.some((t) => t.status === 'failed') && rep.conflicts.length === 0,
    targets: rep.targets.map(({ target, status, reason }) => ({ target, status, ...(reason ? { reason } : {}) })),
    changes: rep.changes.map((c) => ({ type: c.type, path: c.path })),
    conflicts: rep.conflicts.map((c) => c.file),
  };
}
