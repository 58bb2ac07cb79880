import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { describeError, toolError, toolResult } from './result.js';
import type { WorkspaceSession } from './session.js';
import type { ToolSpec } from './tool.js';

/** Registers one {@link ToolSpec}: progress goes out as notifications when the client sent a progress token. */
export function registerTool(server: McpServer, session: WorkspaceSession, tool: ToolSpec): void {
  server.registerTool(
    tool.name,
    { title: tool.title, description: tool.description, inputSchema: tool.input, outputSchema: tool.output, annotations: { title: tool.title, ...tool.hints } },
    async (args: Record<string, unknown>, extra) => {
      const token = extra._meta?.progressToken;
      const progress = (done: number, total: number, message?: string) => {
        if (token === undefined) return;
        void extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: done, total, ...(message ? { message } : {}) } }).catch(() => undefined);
      };
      try {
        const { data, summary } = await tool.run(args as never, { session, progress, signal: extra.signal });
        return toolResult(data as Record<string, unknown>, summary);
      } catch (e) {
        if (process.env.METAREPO_MCP_VERBOSE) process.stderr.write(`metarepo mcp: ${tool.name}: ${describeError(e)}\n${(e as Error).stack ?? ''}\n`);
        return toolError(e);
      }
    },
  );
}
