import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SubscribeRequestSchema, UnsubscribeRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { TOOL_VERSION } from '../core/version.js';
import { registerPluginTools } from './plugin-tools.js';
import { registerPrompts } from './prompts.js';
import { registerResources } from './resources.js';
import { registerTool } from './register.js';
import type { WorkspaceSession } from './session.js';
import type { ToolSpec } from './tool.js';
import { READ_TOOLS } from './tools-read.js';
import { WRITE_TOOLS } from './tools-write.js';

/** Options of {@link createMcpServer}. */
export interface ServerOptions {
  session: WorkspaceSession;
  /** Offer no tool that writes (`--read-only`). */
  readOnly: boolean;
  /** Subscribes to changed resource URIs (the file watcher and writes); @returns a function that unsubscribes. */
  onResourcesChanged(listener: (uris: string[]) => void): () => void;
}

/**
 * Every tool the server offers, in the order clients list them: the read tools, then (unless read-only) the write
 * tools. Plugin commands are added per workspace by {@link createMcpServer}.
 */
export function builtinTools(readOnly: boolean): ToolSpec[] {
  return readOnly ? READ_TOOLS : [...READ_TOOLS, ...WRITE_TOOLS];
}

/**
 * One MCP server over the workspace of `session` (one per connection: stdio has one, Streamable HTTP one per
 * session): its tools (read, write unless read-only, plugin commands), resources with templates and subscriptions,
 * and prompts. A tool that fails answers with an MCP tool error (`isError`), never by crashing the server.
 */
export async function createMcpServer(opts: ServerOptions): Promise<{ server: McpServer; close(): void; addPluginTools(): Promise<void> }> {
  const server = new McpServer(
    { name: 'metarepo', version: TOOL_VERSION },
    {
      capabilities: { tools: {}, resources: { subscribe: true, listChanged: true }, prompts: {}, logging: {} },
      instructions:
        'metarepo: versioned JSON Schema models, codegen targets and scaffold generators of a monorepo. Read with status, models_list, model_show, targets_list, generators_list; write tools (new, generate, model_draft, model_bump, pattern_adopt, template_test_update) are dry runs returning the diff unless called with apply: true.',
    },
  );
  for (const tool of builtinTools(opts.readOnly)) registerTool(server, opts.session, tool);
  registerResources(server, opts.session);
  registerPrompts(server, opts.session);

  // Subscriptions: the client names resource URIs; a change to one sends notifications/resources/updated.
  const subscribed = new Set<string>();
  server.server.setRequestHandler(SubscribeRequestSchema, (req) => {
    subscribed.add(req.params.uri);
    return {};
  });
  server.server.setRequestHandler(UnsubscribeRequestSchema, (req) => {
    subscribed.delete(req.params.uri);
    return {};
  });
  const unsubscribe = opts.onResourcesChanged((uris) => {
    for (const uri of uris) if (subscribed.has(uri)) void server.server.sendResourceUpdated({ uri }).catch(() => undefined);
  });
  // Plugin commands need plugin discovery: added once connected (clients hear notifications/tools/list_changed), so
  // the first answer does not wait for it.
  return { server, close: unsubscribe, addPluginTools: () => registerPluginTools(server, opts.session, opts.readOnly) };
}
