import path from 'node:path';
import { STATE_DIR } from '../core/layout.js';
import type { Bus } from '../events/bus.js';
import { closeWorkspace, openWorkspace } from '../workspace/open.js';
import type { Workspace } from '../workspace/workspace.js';

/** Options of {@link WorkspaceSession}. */
export interface SessionOptions {
  /** Event payloads that break their schema are errors (`--strict`). */
  strict?: boolean;
  /** Where one-line notices go (waiting for the writer lock, recovered commits). Never stdout: stdio is the protocol. */
  notice: (line: string) => void;
}

/** An opened reader workspace and how many calls use it now. */
interface Reader {
  ws: Promise<Workspace>;
  users: number;
  stale: boolean;
}

/**
 * The workspace as a long-running MCP server sees it. Reads share one opened workspace (config, models and plugin
 * discovery are loaded once, so a warm `status` costs only what changed on disk); it is reopened on the next read
 * after {@link WorkspaceSession.invalidate} (metarepo.yaml, a model or a plugin changed). Every write opens its own
 * workspace as a writer — taking the lock, finishing an interrupted commit — exactly as a CLI command does, and
 * closes it afterwards; the readers are invalidated then, so the next read sees what was written.
 */
export class WorkspaceSession {
  private reader: Reader | undefined;

  /** Called with each event published by a write (the MCP server turns file and model events into notifications). */
  onEvent: ((type: string, data: unknown) => void) | undefined;

  constructor(
    readonly root: string,
    private readonly options: SessionOptions,
  ) {}

  /**
   * Runs `fn` on the shared reader workspace (opened on first use, or anew after a change).
   * @throws what `fn` or opening the workspace throws (a bad metarepo.yaml: MetarepoError exit 2).
   */
  async read<T>(fn: (ws: Workspace) => Promise<T> | T): Promise<T> {
    if (!this.reader || this.reader.stale) {
      this.reader = { ws: openWorkspace(this.root, 'mcp', { strict: this.options.strict, notice: this.options.notice }), users: 0, stale: false };
    }
    const reader = this.reader;
    reader.users++;
    try {
      return await fn(await reader.ws);
    } catch (e) {
      // A workspace that failed to open is not kept: the next call tries again (after the user fixed the config).
      if (this.reader === reader && (await reader.ws.then(() => false, () => true))) this.reader = undefined;
      throw e;
    } finally {
      reader.users--;
      if (reader.stale && reader.users === 0) await closeReader(reader);
    }
  }

  /**
   * Runs `fn` on a workspace opened as a writer for `command` (taking the writer lock; see `openWorkspace`), and
   * closes it with the outcome. Events it publishes reach {@link WorkspaceSession.onEvent}.
   */
  async write<T>(command: string, fn: (ws: Workspace) => Promise<T>): Promise<T> {
    const ws = await openWorkspace(this.root, `mcp ${command}`, { strict: this.options.strict, write: true, notice: this.options.notice });
    const unsubscribe = this.forward(ws.bus);
    let code = 1;
    try {
      const result = await fn(ws);
      code = 0;
      return result;
    } finally {
      unsubscribe();
      await closeWorkspace(ws, code);
      this.invalidate();
    }
  }

  /** Marks the shared reader stale: the next read opens the workspace again; the old one closes once unused. */
  invalidate(): void {
    const reader = this.reader;
    if (!reader) return;
    reader.stale = true;
    this.reader = undefined;
    if (reader.users === 0) void closeReader(reader);
  }

  /** Closes the shared reader. */
  async close(): Promise<void> {
    const reader = this.reader;
    this.reader = undefined;
    if (reader) await closeReader(reader);
  }

  /**
   * Paths a running server watches to reload the workspace: metarepo.yaml, the models folder and the plugins,
   * templates and generators folders (absolute). The models folder is read from the config as loaded last.
   */
  watchedPaths(modelsDir = 'models'): string[] {
    return ['metarepo.yaml', modelsDir, 'plugins', 'templates', 'generators', `${STATE_DIR}/manifest.json`].map((p) => path.join(this.root, p));
  }

  private forward(bus: Bus): () => void {
    return bus.subscribe('core:*', (e) => this.onEvent?.(e.type, e.data));
  }
}

async function closeReader(reader: Reader): Promise<void> {
  try {
    await closeWorkspace(await reader.ws, 0);
  } catch {
    // It never opened: nothing to close.
  }
}
