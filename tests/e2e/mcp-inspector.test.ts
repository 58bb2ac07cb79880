// The official MCP Inspector in CLI mode (`@modelcontextprotocol/inspector --cli`, a devDependency; it runs offline)
// against `metarepo mcp` on stdio: it lists tools, resources, templates and prompts, and calls a tool.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, REPO_ROOT, runAsync } from './cli.js';
import { realWorkspace } from './mcp-workspace.js';

const INSPECTOR = path.join(REPO_ROOT, 'node_modules/@modelcontextprotocol/inspector/package.json');
const installed = fs.existsSync(INSPECTOR);

describe.skipIf(!installed)('MCP Inspector --cli against metarepo mcp', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await realWorkspace();
  });
  const inspect = async (...args: string[]) => {
    const bin = path.join(REPO_ROOT, 'node_modules/.bin/mcp-inspector');
    const r = await runAsync(bin, ['--cli', process.execPath, BIN, 'mcp', ...args], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as Record<string, unknown>;
  };

  it('lists tools, resources, resource templates and prompts', async () => {
    const tools = (await inspect('--method', 'tools/list')).tools as Array<{ name: string; outputSchema?: unknown }>;
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['status', 'generate', 'model_show']));
    expect(tools.every((t) => t.outputSchema)).toBe(true);
    const resources = (await inspect('--method', 'resources/list')).resources as Array<{ uri: string }>;
    expect(resources.map((r) => r.uri)).toContain('metarepo://manifest');
    const templates = (await inspect('--method', 'resources/templates/list')).resourceTemplates as unknown[];
    expect(templates).toHaveLength(3);
    const prompts = (await inspect('--method', 'prompts/list')).prompts as Array<{ name: string }>;
    expect(prompts.map((p) => p.name)).toEqual(['add_data_model', 'scaffold_subproject', 'evolve_model']);
  });

  it('calls a tool with arguments and gets structured content', async () => {
    const r = await inspect('--method', 'tools/call', '--tool-name', 'model_show', '--tool-arg', 'spec=openapi@~3.1');
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toMatchObject({ name: 'openapi', version: '3.1.0' });
  });
});
