import { EXIT_BAD_INPUT, MetarepoError } from '../core/errors.js';
import { requireWorkspaceRoot } from '../workspace/root.js';
import type { GlobalOptions } from './output.js';

interface McpOptions {
  http?: boolean;
  port?: string;
  readOnly?: boolean;
}

/**
 * `metarepo mcp [--http [--port N]] [--read-only]`: the MCP server over the workspace, on stdio (until stdin ends)
 * or on Streamable HTTP at 127.0.0.1 (until SIGINT/SIGTERM), its URL and bearer token in .metarepo/mcp.json.
 * The SDK loads only here. @throws MetarepoError (exit 2) outside a workspace or for a bad --port.
 */
export async function mcpCommand(g: GlobalOptions, opts: McpOptions): Promise<number> {
  const root = requireWorkspaceRoot(g.cwd);
  if (g.verbose) process.env.METAREPO_MCP_VERBOSE = '1';
  const base = { root, readOnly: !!opts.readOnly, strict: g.strict, notice: (line: string) => process.stderr.write(`${line}\n`) };
  if (!opts.http) {
    if (opts.port !== undefined) throw new MetarepoError('--port needs --http.', { hint: 'Run `metarepo mcp --http --port 8765`, or `metarepo mcp` for stdio.', exitCode: EXIT_BAD_INPUT });
    await (await import('../mcp/serve.js')).serveStdio(base);
    return 0;
  }
  const port = opts.port === undefined ? 0 : Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new MetarepoError(`--port ${opts.port} is not a TCP port.`, { hint: 'Give a whole number from 1 to 65535, or leave --port out to let the system pick one.' });
  const serving = await (await import('../mcp/http.js')).serveHttp({ ...base, port });
  process.stderr.write(`metarepo mcp: listening on ${serving.info.url} (bearer token in .metarepo/mcp.json)${opts.readOnly ? ', read-only' : ''}\n`);
  const stop = () => void serving.close();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await serving.closed;
  return 0;
}
