import { Writable } from 'node:stream';
import { loadConfig } from '../workspace/config.js';
import { createMcpServer } from './server.js';
import { WorkspaceSession } from './session.js';
import { watchWorkspace, type ChangeListener } from './watch.js';

/** Options of {@link serveStdio} and `serveHttp`. */
export interface ServeOptions {
  /** The workspace root. */
  root: string;
  readOnly: boolean;
  strict: boolean;
  /** One-line notices (stderr). */
  notice: (line: string) => void;
}

/** A running server's shared parts: the session, the watcher and the listeners of changed resources. */
export interface Served {
  session: WorkspaceSession;
  listeners: Set<ChangeListener>;
  /** Builds the MCP server of one connection. */
  connectServer(): ReturnType<typeof createMcpServer>;
  close(): Promise<void>;
}

/**
 * Opens the session over `root` and starts watching it.
 * @throws MetarepoError (exit 2) when metarepo.yaml is invalid.
 */
export async function startServing(opts: ServeOptions): Promise<Served> {
  const { config } = await loadConfig(opts.root);
  const session = new WorkspaceSession(opts.root, { strict: opts.strict, notice: opts.notice });
  const listeners = new Set<ChangeListener>();
  const stopWatching = await watchWorkspace(session, config.modelsDir ?? 'models', listeners);
  return {
    session,
    listeners,
    connectServer: () =>
      createMcpServer({
        session,
        readOnly: opts.readOnly,
        onResourcesChanged: (l) => {
          listeners.add(l);
          return () => listeners.delete(l);
        },
      }),
    async close() {
      await stopWatching();
      await session.close();
    },
  };
}

/**
 * Serves MCP on stdin/stdout until stdin ends. stdout carries the protocol only: anything else the process would
 * print there (a plopfile's `console.log`, a plugin's output) goes to stderr.
 */
export async function serveStdio(opts: ServeOptions): Promise<void> {
  const { StdioServerTransport } = await import('@modelcontextprotocol/sdk/server/stdio.js');
  const write = process.stdout.write.bind(process.stdout);
  const protocolOut = new Writable({ write: (chunk, _enc, cb) => void write(chunk, cb) });
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  const served = await startServing(opts);
  const { server, close, addPluginTools } = await served.connectServer();
  const transport = new StdioServerTransport(process.stdin, protocolOut);
  const closed = new Promise<void>((resolve) => {
    transport.onclose = resolve;
    process.stdin.once('end', resolve);
  });
  await server.connect(transport);
  void addPluginTools().catch((e: Error) => opts.notice(`metarepo mcp: plugin commands are not offered: ${e.message}`));
  await closed;
  close();
  await server.close().catch(() => undefined);
  await served.close();
}
