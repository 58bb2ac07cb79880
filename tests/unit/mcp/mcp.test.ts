// The MCP server's pure parts: which resources a changed file is, generator questions as JSON Schema, errors as
// tool-error text, the generated tool list of docs/mcp.md, and a cancelled write tool writing nothing.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MetarepoError } from '../../../src/core/errors.js';
import { questionsSchema } from '../../../src/mcp/generators.js';
import { describeError, toolError } from '../../../src/mcp/result.js';
import { WorkspaceSession } from '../../../src/mcp/session.js';
import { withToolList } from '../../../src/mcp/tool-docs.js';
import { WRITE_TOOLS } from '../../../src/mcp/tools-write.js';
import { changedUris } from '../../../src/mcp/watch.js';
import { REPO_ROOT, metarepoAsync, tempDir } from '../../e2e/cli.js';

describe('changedUris', () => {
  it('maps a model file to its schema and bundled URIs, the manifest to metarepo://manifest, anything else to none', () => {
    expect(changedUris('models/user/1.2.0.schema.json', 'models')).toEqual(['metarepo://models/user/1.2.0', 'metarepo://models/user/1.2.0/bundled']);
    expect(changedUris('schemas/user/draft.schema.json', 'schemas/')).toEqual(['metarepo://models/user/draft', 'metarepo://models/user/draft/bundled']);
    expect(changedUris('.metarepo/manifest.json', 'models')).toEqual(['metarepo://manifest']);
    expect(changedUris('models/user/notes.md', 'models')).toEqual([]);
    expect(changedUris('models/a/b/1.0.0.schema.json', 'models')).toEqual([]);
  });
});

describe('questionsSchema', () => {
  it('types confirm, number and list questions and keeps plain defaults', () => {
    const schema = questionsSchema([
      { name: 'name', type: 'input', message: 'Name' },
      { name: 'tests', type: 'confirm', default: true },
      { name: 'port', type: 'number', default: () => 3000 },
      { name: 'kind', type: 'list', choices: ['lib', { name: 'Application', value: 'app' }] },
    ]);
    expect(schema).toEqual({
      type: 'object',
      properties: {
        name: { type: 'string', description: 'Name' },
        tests: { type: 'boolean', default: true },
        port: { type: 'number' },
        kind: { type: 'string', enum: ['lib', 'app'] },
      },
    });
  });
});

describe('tool errors', () => {
  it('say a MetarepoError as the CLI does (location, details, hint), with isError', () => {
    const e = new MetarepoError('Bad value.', { location: { file: 'metarepo.yaml', line: 3, column: 5 }, details: ['more'], hint: 'Fix it.' });
    expect(toolError(e)).toEqual({ isError: true, content: [{ type: 'text', text: 'metarepo.yaml:3:5: Bad value.\n  more\nhint: Fix it.' }] });
    expect(describeError(new TypeError('x is undefined'))).toBe('internal error: x is undefined');
  });
});

describe('docs/mcp.md', () => {
  it("holds the tool list generated from the server's own schemas (node scripts/mcp-tools-doc.mjs)", () => {
    const text = fs.readFileSync(path.join(REPO_ROOT, 'docs/mcp.md'), 'utf8');
    expect(withToolList(text)).toBe(text);
    for (const t of WRITE_TOOLS) expect(text).toContain(`#### \`${t.name}\``);
  });
});

describe('a cancelled write tool', () => {
  it('throws before it opens the workspace as a writer, and writes nothing', async () => {
    const dir = tempDir('metarepo-mcp-unit-');
    expect((await metarepoAsync(dir, ['init'])).code).toBe(0);
    const before = fs.readdirSync(dir, { recursive: true }).length;
    const session = new WorkspaceSession(dir, { notice: () => undefined });
    const controller = new AbortController();
    controller.abort();
    const scaffold = WRITE_TOOLS.find((t) => t.name === 'new')!;
    await expect(scaffold.run({ generator: 'model', answers: { name: 'user' }, apply: true } as never, { session, progress: () => undefined, signal: controller.signal })).rejects.toThrow(/cancelled; nothing was written/);
    expect(fs.existsSync(path.join(dir, 'models/user'))).toBe(false);
    expect(fs.readdirSync(dir, { recursive: true }).length).toBe(before);
    await session.close();
  });
});
