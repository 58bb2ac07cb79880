import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { STATE_DIR } from '../core/layout.js';
import { startServing, type ServeOptions } from './serve.js';

/** Where a running HTTP server writes its URL and bearer token, relative to the workspace root (mode 0600). */
export const MCP_INFO_FILE = `${STATE_DIR}/mcp.json`;

/** What `.metarepo/mcp.json` holds. */
export interface McpInfo {
  url: string;
  token: string;
  pid: number;
}

/** A running Streamable HTTP server. */
export interface HttpServing {
  info: McpInfo;
  /** Resolves when the server stopped (after {@link HttpServing.close}). */
  closed: Promise<void>;
  close(): Promise<void>;
}

/**
 * Serves MCP over Streamable HTTP on 127.0.0.1 only, at `/mcp`, one MCP session per client (`Mcp-Session-Id`).
 * Every request must carry `Authorization: Bearer <token>`, the random token (256 bits) written with the URL to
 * `.metarepo/mcp.json` (mode 0600, readable only by its owner; removed on close); anything else gets 401. Host
 * headers other than 127.0.0.1/localhost are refused (DNS rebinding).
 * @param port - the TCP port; 0 lets the OS pick one.
 * @throws the listen error (e.g. EADDRINUSE) as a MetarepoError-free Node error; MetarepoError for a bad workspace.
 */
export async function serveHttp(opts: ServeOptions & { port: number }): Promise<HttpServing> {
  const { StreamableHTTPServerTransport } = await import('@modelcontextprotocol/sdk/server/streamableHttp.js');
  const served = await startServing(opts);
  const token = randomBytes(32).toString('base64url');
  const sessions = new Map<string, { transport: StreamableHTTPServerTransport; close(): void }>();
  let port = opts.port;
  const hosts = () => [`127.0.0.1:${port}`, `localhost:${port}`];

  const handler = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (!authorized(req.headers.authorization, token)) {
      res.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="metarepo"', 'Content-Type': 'application/json' }).end(JSON.stringify({ error: 'a bearer token from .metarepo/mcp.json is required' }));
      return;
    }
    if (new URL(req.url ?? '/', 'http://127.0.0.1').pathname !== '/mcp') {
      res.writeHead(404).end();
      return;
    }
    const id = req.headers['mcp-session-id'];
    const known = typeof id === 'string' ? sessions.get(id) : undefined;
    if (known) return known.transport.handleRequest(req, res);
    if (id !== undefined) {
      res.writeHead(404, { 'Content-Type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null }));
      return;
    }
    // No session yet: a new transport, which accepts only an initialize request.
    const { server, close, addPluginTools } = await served.connectServer();
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      enableDnsRebindingProtection: true,
      allowedHosts: hosts(),
      onsessioninitialized: (sid) => void sessions.set(sid, { transport, close }),
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
      close();
    };
    await server.connect(transport);
    await transport.handleRequest(req, res);
    if (!transport.sessionId) await transport.close();
    else void addPluginTools().catch((e: Error) => opts.notice(`metarepo mcp: plugin commands are not offered: ${e.message}`));
  };

  const httpServer = http.createServer((req, res) => {
    handler(req, res).catch((e: Error) => {
      opts.notice(`metarepo mcp: ${e.message}`);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(opts.port, '127.0.0.1', () => resolve());
  });
  port = (httpServer.address() as { port: number }).port;
  const info: McpInfo = { url: `http://127.0.0.1:${port}/mcp`, token, pid: process.pid };
  writePrivate(path.join(opts.root, MCP_INFO_FILE), `${JSON.stringify(info, null, 2)}\n`);

  let stop: Promise<void> | undefined;
  let done!: () => void;
  const closed = new Promise<void>((resolve) => (done = resolve));
  return {
    info,
    closed,
    close: () =>
      (stop ??= (async () => {
        fs.rmSync(path.join(opts.root, MCP_INFO_FILE), { force: true });
        for (const s of sessions.values()) await s.transport.close().catch(() => undefined);
        httpServer.closeAllConnections();
        await new Promise<void>((resolve) => httpServer.close(() => resolve()));
        await served.close();
        done();
      })()),
  };
}

/** Whether an `Authorization` header carries the token (compared in constant time). */
function authorized(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!m) return false;
  const given = Buffer.from(m[1]);
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}

/**
 * Writes `file` readable by its owner only: the temp file is created with mode 0600 before the token is in it,
 * then renamed over (writeFileAtomic in src/core makes files with the default mode, which would show the token to
 * other users for a moment).
 */
function writePrivate(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.rmSync(tmp, { force: true });
  const fd = fs.openSync(tmp, 'wx', 0o600);
  try {
    fs.writeFileSync(fd, text);
  } finally {
    fs.closeSync(fd);
  }
  fs.chmodSync(tmp, 0o600); // whatever the umask made of it
  fs.renameSync(tmp, file);
}
