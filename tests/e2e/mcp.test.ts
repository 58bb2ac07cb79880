// `metarepo mcp` over stdio, driven by the MCP SDK's own Client against the built CLI in a workspace of real-world
// models: every read tool, write tools with and without apply, resources, prompts, errors as tool errors, path
// guards, read-only mode, reload on change, subscriptions and progress.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { TARGET_OUTPUT, realWorkspace, stdioClient, text } from './mcp-workspace.js';

const READ_TOOLS = ['status', 'health', 'models_list', 'model_show', 'model_diff', 'model_impact', 'generators_list', 'targets_list', 'check', 'events_query', 'patterns_list', 'pattern_show', 'docs_search'];
const WRITE_TOOLS = ['new', 'generate', 'model_draft', 'model_bump', 'pattern_adopt', 'template_test_update'];

describe('metarepo mcp (stdio)', () => {
  let dir: string;
  let client: Client;
  let stderr: () => string;
  beforeAll(async () => {
    dir = await realWorkspace();
    ({ client, stderr } = await stdioClient(dir));
  });
  afterAll(async () => {
    await client?.close();
  });

  it('lists every read and write tool with input and output schemas and annotations', async () => {
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    for (const n of [...READ_TOOLS, ...WRITE_TOOLS]) expect(names).toContain(n);
    for (const t of tools) {
      expect(t.inputSchema.type).toBe('object');
      expect(t.outputSchema?.type, t.name).toBe('object');
      expect(typeof t.annotations?.readOnlyHint, t.name).toBe('boolean');
      expect(typeof t.annotations?.destructiveHint, t.name).toBe('boolean');
      expect(typeof t.annotations?.idempotentHint, t.name).toBe('boolean');
    }
    expect(tools.find((t) => t.name === 'status')!.annotations!.readOnlyHint).toBe(true);
    expect(tools.find((t) => t.name === 'generate')!.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(tools.find((t) => t.name === 'generate')!.inputSchema.properties).toHaveProperty('apply');
  });

  it('answers every read tool on the real-world models with structured content and a text summary', async () => {
    const status = await client.callTool({ name: 'status', arguments: {} });
    expect(status.isError).toBeFalsy();
    const s = status.structuredContent as { models: Array<{ name: string }>; targets: Array<{ output: string; state: string }> };
    expect(s.models.map((m) => m.name)).toEqual(expect.arrayContaining(['openapi', 'webhooks', 'webhooks-push']));
    expect(s.targets).toEqual([expect.objectContaining({ output: TARGET_OUTPUT, state: 'never-generated' })]);
    expect(text(status)).toContain('1 target(s) (1 not up to date)');

    const list = (await client.callTool({ name: 'models_list', arguments: {} })).structuredContent as { models: Array<{ name: string; versions: string[] }> };
    expect(list.models.find((m) => m.name === 'openapi')!.versions).toEqual(['2.0.0', '3.0.0', '3.1.0']);

    const show = await client.callTool({ name: 'model_show', arguments: { spec: 'openapi@~3.0' } });
    expect(show.structuredContent).toMatchObject({ name: 'openapi', version: '3.0.0', file: 'models/openapi/3.0.0.schema.json' });
    const bundled = await client.callTool({ name: 'model_show', arguments: { spec: 'webhooks-push', bundled: true } });
    expect(JSON.stringify((bundled.structuredContent as { schema: unknown }).schema)).not.toContain('"$ref":"../');

    const diff = await client.callTool({ name: 'model_diff', arguments: { name: 'openapi', from: '3.0.0', to: '3.1.0' } });
    expect(diff.isError, text(diff)).toBeFalsy();
    const d = diff.structuredContent as { from: string; to: string; changes: unknown[]; required: string };
    expect([d.from, d.to]).toEqual(['3.0.0', '3.1.0']);
    expect(d.changes.length).toBeGreaterThan(0);
    expect(d.required).not.toBe('none');

    const impact = await client.callTool({ name: 'model_impact', arguments: { spec: 'webhooks-push@1.0.0' } });
    expect(impact.structuredContent).toMatchObject({ model: 'webhooks-push', version: '1.0.0', targets: [expect.objectContaining({ output: TARGET_OUTPUT })] });

    const gens = (await client.callTool({ name: 'generators_list', arguments: {} })).structuredContent as { generators: Array<{ name: string; variables: { properties?: Record<string, unknown> } }> };
    const model = gens.generators.find((g) => g.name === 'model');
    expect(model?.variables.properties).toHaveProperty('name');

    const targets = (await client.callTool({ name: 'targets_list', arguments: {} })).structuredContent as { targets: Array<{ resolved: string }> };
    expect(targets.targets.map((t) => t.resolved)).toEqual(['webhooks-push@1.0.0']);

    const check = await client.callTool({ name: 'check', arguments: {} });
    expect((check.structuredContent as { checks: unknown[] }).checks.length).toBeGreaterThan(0);

    const health = await client.callTool({ name: 'health', arguments: {} });
    expect((health.structuredContent as { checks: Array<{ name: string }> }).checks.map((c) => c.name)).toEqual(expect.arrayContaining(['config', 'models', 'templates', 'events']));

    const events = await client.callTool({ name: 'events_query', arguments: { type: 'core:workspace:*', limit: 5 } });
    const ev = (events.structuredContent as { events: Array<{ type: string }> }).events;
    expect(ev.length).toBeGreaterThan(0);
    expect(ev.every((e) => e.type.startsWith('core:workspace:'))).toBe(true);

    const patterns = await client.callTool({ name: 'patterns_list', arguments: {} });
    expect(patterns.structuredContent).toEqual({ paths: [], patterns: [] });
    const pattern = await client.callTool({ name: 'pattern_show', arguments: { id: 'nope' } });
    expect(pattern.isError).toBe(true);
    expect(text(pattern)).toContain('patterns detect');

    const docs = (await client.callTool({ name: 'docs_search', arguments: { query: 'pusher', limit: 5 } })).structuredContent as { hits: Array<{ title: string; path: string; snippet: string }> };
    expect(docs.hits.length).toBeGreaterThan(0);
    expect(docs.hits[0]!.path).toMatch(/^models\/webhooks-push\//);
    expect(docs.hits[0]!.snippet.toLowerCase()).toContain('pusher');
  });

  it('returns a failing tool as an MCP tool error and keeps serving', async () => {
    const bad = await client.callTool({ name: 'model_show', arguments: { spec: 'no-such-model' } });
    expect(bad.isError).toBe(true);
    expect(text(bad)).toContain('Unknown model "no-such-model"');
    expect(text(bad)).toContain('hint:');
    expect(text(bad)).not.toContain('internal error');
    expect(text(bad)).not.toMatch(/\n\s+at /); // no stack trace
    const invalid = await client.callTool({ name: 'events_query', arguments: { limit: -3 } });
    expect(invalid.isError).toBe(true);
    const after = await client.callTool({ name: 'models_list', arguments: {} });
    expect(after.isError).toBeFalsy();
  });

  it('generate is a dry run returning the diff, and writes through the pipeline only with apply', async () => {
    const progress: number[] = [];
    const dry = await client.callTool({ name: 'generate', arguments: {} }, undefined, { onprogress: (p) => progress.push(p.progress) });
    expect(dry.isError, text(dry)).toBeFalsy();
    const r = dry.structuredContent as { applied: boolean; changes: Array<{ path: string; type: string }>; diff: string };
    expect(r.applied).toBe(false);
    expect(r.changes).toEqual([{ type: 'create', path: TARGET_OUTPUT }]);
    expect(r.diff).toContain(`diff --git a/${TARGET_OUTPUT} b/${TARGET_OUTPUT}`);
    expect(r.diff).toContain('+export interface');
    expect(fs.existsSync(path.join(dir, TARGET_OUTPUT))).toBe(false);
    expect(progress).toEqual([1]); // one target rendered

    const updates: string[] = [];
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void updates.push(n.params.uri));
    await client.subscribeResource({ uri: 'metarepo://manifest' });
    const real = await client.callTool({ name: 'generate', arguments: { apply: true } });
    expect(real.isError, text(real)).toBeFalsy();
    expect((real.structuredContent as { applied: boolean }).applied).toBe(true);
    expect(fs.readFileSync(path.join(dir, TARGET_OUTPUT), 'utf8')).toContain('export interface');
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, '.metarepo/manifest.json'), 'utf8')) as { files: Record<string, unknown> };
    expect(Object.keys(manifest.files)).toContain(TARGET_OUTPUT);
    await expect.poll(() => updates).toContain('metarepo://manifest');
    const status = await client.callTool({ name: 'targets_list', arguments: {} });
    expect((status.structuredContent as { targets: Array<{ state: string }> }).targets[0].state).toBe('up-to-date');
  });

  it('new: refuses a path that leaves the workspace, and scaffolds only with apply', async () => {
    const escape = await client.callTool({ name: 'new', arguments: { generator: 'model', answers: { name: '../../escaped' }, apply: true } });
    expect(escape.isError).toBe(true);
    expect(fs.existsSync(path.join(dir, '..', 'escaped'))).toBe(false);

    const dry = await client.callTool({ name: 'new', arguments: { generator: 'model', answers: { name: 'invoice' } } });
    expect(dry.isError, text(dry)).toBeFalsy();
    const changes = (dry.structuredContent as { changes: Array<{ path: string }> }).changes.map((c) => c.path);
    expect(changes).toEqual(['models/invoice/1.0.0.schema.json']);
    expect(fs.existsSync(path.join(dir, changes[0]))).toBe(false);
    const real = await client.callTool({ name: 'new', arguments: { generator: 'model', answers: { name: 'invoice' }, apply: true } });
    expect(real.isError, text(real)).toBeFalsy();
    expect(fs.existsSync(path.join(dir, changes[0]))).toBe(true);
    // The server reloads after its own write: the new model is listed.
    const list = (await client.callTool({ name: 'models_list', arguments: {} })).structuredContent as { models: Array<{ name: string }> };
    expect(list.models.map((m) => m.name)).toContain('invoice');
  });

  it('evolves a model: draft with apply, bump as a dry run', async () => {
    const draft = await client.callTool({ name: 'model_draft', arguments: { name: 'invoice', apply: true } });
    expect(draft.isError, text(draft)).toBeFalsy();
    const file = path.join(dir, 'models/invoice/draft.schema.json');
    const schema = JSON.parse(fs.readFileSync(file, 'utf8')) as { properties: Record<string, unknown> };
    schema.properties.note = { type: 'string' };
    fs.writeFileSync(file, JSON.stringify(schema, null, 2));
    const bump = await client.callTool({ name: 'model_bump', arguments: { name: 'invoice' } });
    expect(bump.isError, text(bump)).toBeFalsy();
    expect(bump.structuredContent).toMatchObject({ version: '1.1.0', required: 'minor', applied: false });
    expect(fs.existsSync(path.join(dir, 'models/invoice/1.1.0.schema.json'))).toBe(false);
  });

  it('reloads the workspace when a model file changes on disk', async () => {
    const src = path.join(dir, 'models/invoice/1.0.0.schema.json');
    fs.mkdirSync(path.join(dir, 'models/receipt'));
    fs.copyFileSync(src, path.join(dir, 'models/receipt/1.0.0.schema.json'));
    await expect
      .poll(async () => ((await client.callTool({ name: 'models_list', arguments: {} })).structuredContent as { models: Array<{ name: string }> }).models.map((m) => m.name))
      .toContain('receipt');
  });

  it('lists and reads resources and templates, and refuses a docs path that escapes', async () => {
    const { resources } = await client.listResources();
    const uris = resources.map((r) => r.uri);
    expect(uris).toEqual(expect.arrayContaining(['metarepo://manifest', 'metarepo://events/recent', 'metarepo://models/openapi/3.1.0', 'metarepo://models/openapi/3.1.0/bundled', 'metarepo://docs/guide.md']));
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toEqual(['metarepo://models/{name}/{version}', 'metarepo://models/{name}/{version}/bundled', 'metarepo://docs/{+path}']);
    const model = await client.readResource({ uri: 'metarepo://models/webhooks-push/1.0.0' });
    expect(JSON.parse((model.contents[0] as { text: string }).text)).toHaveProperty('$schema');
    const doc = await client.readResource({ uri: 'metarepo://docs/guide.md' });
    expect((doc.contents[0] as { text: string }).text).toBe('# Guide\n\nHow we work.\n');
    await expect(client.readResource({ uri: 'metarepo://docs/..%2Fmetarepo.yaml' })).rejects.toThrow(/leaves the workspace/);
    await expect(client.readResource({ uri: 'metarepo://docs/%2Fetc%2Fpasswd' })).rejects.toThrow(/absolute/);
    const events = await client.readResource({ uri: 'metarepo://events/recent' });
    expect((JSON.parse((events.contents[0] as { text: string }).text) as unknown[]).length).toBeGreaterThan(0);
  });

  it('offers prompts filled from the workspace', async () => {
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(['add_data_model', 'scaffold_subproject', 'evolve_model']);
    const evolve = await client.getPrompt({ name: 'evolve_model', arguments: { name: 'openapi' } });
    const body = (evolve.messages[0].content as { text: string }).text;
    expect(body).toContain('Versions: 2.0.0, 3.0.0, 3.1.0');
    expect(body).toMatch(/model_draft[\s\S]*model_diff[\s\S]*model_bump/);
    const scaffold = await client.getPrompt({ name: 'scaffold_subproject', arguments: { name: 'api' } });
    expect((scaffold.messages[0].content as { text: string }).text).toContain('- model (builtin)');
  });

  it('reported no internal error on stderr through all of the above', () => {
    expect(stderr()).not.toContain('internal error');
  });
});

describe('metarepo mcp --read-only', () => {
  it('offers no write tool', async () => {
    const dir = await realWorkspace();
    const { client } = await stdioClient(dir, ['--read-only']);
    try {
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names).toEqual(expect.arrayContaining(READ_TOOLS));
      for (const w of WRITE_TOOLS) expect(names).not.toContain(w);
      const call = await client.callTool({ name: 'generate', arguments: { apply: true } });
      expect(call.isError).toBe(true);
      expect(fs.existsSync(path.join(dir, TARGET_OUTPUT))).toBe(false);
    } finally {
      await client.close();
    }
  });
});

describe('metarepo mcp: plugin commands as tools', () => {
  it('offers a plugin command as plugin_<plugin>_<command> with its output, and leaves out one with mcp: false', async () => {
    const dir = await realWorkspace();
    const folder = path.join(dir, 'plugins', 'hello');
    fs.mkdirSync(folder, { recursive: true });
    const manifest = { engines: { metarepo: '^0.1.0' }, contributes: { commands: [{ name: 'hello', description: 'says hello' }, { name: 'secret', description: 'not for assistants', mcp: false }] } };
    fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ name: 'hello', version: '1.0.0', type: 'module', main: 'index.mjs', metarepo: manifest }));
    fs.writeFileSync(
      path.join(folder, 'index.mjs'),
      `export default { name: 'hello', setup(api) {
  api.registerCommand({ name: 'hello', description: 'says hello', run: (ctx) => { ctx.print('hello ' + ctx.args.join(' ') + (ctx.options.loud ? '!' : '')); return ctx.args[0] === 'fail' ? 3 : 0; } });
  api.registerCommand({ name: 'secret', description: 'x', run: () => 0 });
} };\n`,
    );
    const { client } = await stdioClient(dir);
    try {
      // Added once connected (notifications/tools/list_changed): poll the list.
      await expect.poll(async () => (await client.listTools()).tools.map((t) => t.name)).toContain('plugin_hello_hello');
      const tools = (await client.listTools()).tools;
      expect(tools.map((t) => t.name)).not.toContain('plugin_hello_secret');
      expect(tools.find((t) => t.name === 'plugin_hello_hello')!.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
      const ok = await client.callTool({ name: 'plugin_hello_hello', arguments: { args: ['world'], options: { loud: true } } });
      expect(ok.structuredContent).toEqual({ exitCode: 0, output: 'hello world!\n' });
      const failed = await client.callTool({ name: 'plugin_hello_hello', arguments: { args: ['fail'] } });
      expect(failed.isError).toBe(true);
      expect(text(failed)).toContain('exited with 3');
    } finally {
      await client.close();
    }
    const readOnly = await stdioClient(dir, ['--read-only']);
    try {
      expect((await readOnly.client.listTools()).tools.map((t) => t.name).filter((n) => n.startsWith('plugin_'))).toEqual([]);
    } finally {
      await readOnly.client.close();
    }
  });
});
