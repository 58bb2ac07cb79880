import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { GetPromptResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { WorkspaceSession } from './session.js';

const user = (text: string): GetPromptResult => ({ messages: [{ role: 'user', content: { type: 'text', text } }] });

/**
 * Registers the prompts, each filled from the workspace as it is when asked: "add a data model" (the models there
 * are), "scaffold a subproject" (the generators and their variables) and "evolve a model safely" (the model's
 * versions and policy; draft → diff → bump).
 */
export function registerPrompts(server: McpServer, session: WorkspaceSession): void {
  server.registerPrompt(
    'add_data_model',
    { title: 'Add a data model', description: 'Add a versioned JSON Schema model to the workspace.', argsSchema: { name: z.string().describe('model name, kebab-case'), description: z.string().optional().describe('what the model describes') } },
    async ({ name, description }) => {
      const { generatorVariables } = await import('./generators.js');
      const { models, generators } = await session.read(async (ws) => ({
        models: [...new Set((await ws.models()).list().map((m) => `${m.name}@${m.version}`))],
        generators: (await generatorVariables(ws)).map((g) => g.name),
      }));
      const viaGenerator = generators.includes('model') ? 'Call the `new` tool with generator "model" and answers {"name": …} (first without apply to see the diff, then with apply: true).' : 'Write the schema to models/<name>/1.0.0.schema.json.';
      return user(
        [
          `Add a data model "${name}" to this metarepo workspace${description ? `: ${description}` : ''}.`,
          `Models there are now: ${models.join(', ') || '(none)'}. Reuse them with $ref where the new model refers to one.`,
          viaGenerator,
          'Then call `model_show` with the name to check the schema loads, and `status` to see which codegen targets it reaches.',
        ].join('\n'),
      );
    },
  );
  server.registerPrompt(
    'scaffold_subproject',
    { title: 'Scaffold a subproject', description: 'Create a project of the monorepo from one of its scaffold generators.', argsSchema: { name: z.string().describe('project name'), generator: z.string().optional().describe('generator to use (default: pick one)') } },
    async ({ name, generator }) => {
      const { generatorVariables } = await import('./generators.js');
      const generators = await session.read((ws) => generatorVariables(ws));
      const chosen = generators.filter((g) => !generator || g.name === generator);
      return user(
        [
          `Scaffold a subproject "${name}" in this metarepo workspace${generator ? ` with the generator "${generator}"` : ''}.`,
          'Generators and the JSON Schema of their answers:',
          ...chosen.map((g) => `- ${g.name} (${g.source}): ${g.description}\n  variables: ${JSON.stringify(g.variables)}`),
          'Call the `new` tool with the generator and the answers, first without apply to review the diff, then with apply: true. Then `status` shows the registered project.',
        ].join('\n'),
      );
    },
  );
  server.registerPrompt(
    'evolve_model',
    { title: 'Evolve a model safely', description: 'Change a model through a draft: draft → edit → diff → bump, within its compatibility policy.', argsSchema: { name: z.string().describe('model name'), change: z.string().optional().describe('the change wanted') } },
    async ({ name, change }) => {
      const { modelPolicy } = await import('../models/evolution.js');
      const info = await session.read(async (ws) => {
        const registry = await ws.models();
        registry.resolve(name); // an unknown model fails here, naming the models
        return { versions: registry.versions(name), draft: registry.draft(name)?.relFile, policy: modelPolicy(ws.config, name).compatibility };
      });
      return user(
        [
          `Evolve the model "${name}"${change ? `: ${change}` : ''}. Versions: ${info.versions.join(', ')}; compatibility policy: ${info.policy}.`,
          info.draft ? `1. A working draft exists: ${info.draft}. Edit it.` : '1. Call `model_draft` with the name (apply: true) to start the working draft, then edit the draft file.',
          '2. Call `model_diff` with the name: it lists every change with its rule and impacts, and the semver bump required.',
          `3. If a change breaks the ${info.policy} policy or a project (see \`model_impact\`), rework the draft.`,
          '4. Call `model_bump` without apply to see the version it would release, then with apply: true. Finally `generate` (dry run first) moves the targets to it.',
        ].join('\n'),
      );
    },
  );
}
