import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { MetarepoError } from '../core/errors.js';
import { registerTool } from './register.js';
import type { WorkspaceSession } from './session.js';
import { defineTool } from './tool.js';

/** A plugin's command as a tool name: `plugin_<plugin>_<command>`, with characters MCP names do not allow as `_`. */
export function pluginToolName(plugin: string, command: string): string {
  return `plugin_${plugin}_${command}`.replace(/[^A-Za-z0-9_.-]/g, '_');
}

/**
 * Offers every enabled plugin's declared commands (`contributes.commands` in its manifest) as tools, unless the
 * command says `mcp: false` there, or the server is read-only (a plugin command may write). The plugin loads only
 * when its tool is called, as on the command line; what it prints is the tool's text, its exit code the outcome
 * (non-zero: a tool error).
 */
export async function registerPluginTools(server: McpServer, session: WorkspaceSession, readOnly: boolean): Promise<void> {
  if (readOnly) return;
  const declared = await session.read(async (ws) =>
    (await ws.plugins()).list().filter((r) => r.enabledInConfig).flatMap((r) => r.manifest.contributes.commands.filter((c) => c.mcp !== false).map((c) => ({ plugin: r.manifest.name, ...c }))),
  );
  for (const d of declared) {
    registerTool(
      server,
      session,
      defineTool({
        name: pluginToolName(d.plugin, d.name),
        title: `${d.name} (plugin ${d.plugin})`,
        description: `${d.description} (the command \`metarepo ${d.name}\` of plugin ${d.plugin})`,
        input: {
          args: z.array(z.string()).default([]).describe('positional arguments'),
          options: z.record(z.string(), z.unknown()).default({}).describe('options by their camelCase name, e.g. {"lang": "ts"} for --lang ts'),
        },
        output: { exitCode: z.number().int(), output: z.string() },
        // A plugin's command may do anything: clients should ask before running it.
        hints: { readOnlyHint: false, destructiveHint: true, idempotentHint: false },
        async run({ args, options }) {
          return session.read(async (ws) => {
            const command = await (await ws.plugins()).command(d.name);
            if (!command) throw new MetarepoError(`No plugin provides the command "${d.name}" any more.`, { hint: 'See `metarepo plugin list`.' });
            const printed: string[] = [];
            const result = await command.run({ root: ws.root, args, options, print: (text) => printed.push(text.endsWith('\n') ? text : `${text}\n`) });
            const exitCode = typeof result === 'number' ? result : 0;
            const output = printed.join('');
            if (exitCode !== 0) throw new MetarepoError(`metarepo ${d.name} exited with ${exitCode}${output ? `:\n${output}` : ''}`, { exitCode });
            return { data: { exitCode, output }, summary: output || `metarepo ${d.name}: done` };
          });
        },
      }),
    );
  }
}
