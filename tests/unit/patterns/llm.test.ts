import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cachedCompletion, checkedSuggestion, llmEndpoint, LLM_CACHE_DIR, namingRequest, renameReferences } from '../../../src/patterns/llm.js';
import type { PatternProposal } from '../../../src/patterns/propose.js';
import { createHandlebars } from '../../../src/templates/handlebars.js';
import { REPO_ROOT } from '../../e2e/cli.js';
import { detectIn } from './helpers.js';
import type { WorkspaceConfig } from '../../../src/workspace/config.js';

/** A metarepo.yaml with the required fields and `rest`. */
const config = (rest: Partial<WorkspaceConfig>): WorkspaceConfig => ({ version: 1, name: 'test', ...rest });

const hb = createHandlebars();
let proposal: PatternProposal;

beforeAll(async () => {
  const dir = path.join(REPO_ROOT, 'tests/fixtures/patterns/handlers');
  const files = Object.fromEntries(fs.readdirSync(dir).map((f) => [`src/${f}`, fs.readFileSync(path.join(dir, f), 'utf8')]));
  [proposal] = (await detectIn(files)).proposals;
});

const suggestion = (variables: Array<{ from: string; to: string }>, familyName = 'http-handler') =>
  JSON.stringify({ familyName, description: 'An HTTP handler.', variables: variables.map((v) => ({ ...v, description: `the ${v.to}` })) });

describe('renaming a template', () => {
  it('renames references in mustaches, helper arguments, blocks and @root paths, never escaped text or helpers', () => {
    const template = '\\{{name}} {{name}} {{pascalCase name}}{{#if hasX}}x{{/if}}{{#each items}}{{@root.name}}{{this}}{{/each}} {{lowerCase "{"}}';
    expect(renameReferences(hb, template, { name: 'operation', hasX: 'hasExtra', items: 'routes' })).toBe(
      '\\{{name}} {{operation}} {{pascalCase operation}}{{#if hasExtra}}x{{/if}}{{#each routes}}{{@root.operation}}{{this}}{{/each}} {{lowerCase "{"}}',
    );
  });
});

describe('checking a suggestion', () => {
  it('applies valid names to the template, the path, the variables and the answers, rendering as before', async () => {
    const r = await checkedSuggestion(proposal, suggestion([{ from: 'name', to: 'operation' }, { from: 'route', to: 'path' }]), hb);
    if ('reason' in r) throw new Error(r.reason);
    expect(r.renamed).toEqual({ name: 'operation', route: 'path' });
    expect(r.proposal.name).toBe('http-handler');
    expect(r.proposal.pathTemplate).toBe('src/{{operation}}Handler.ts');
    expect(r.proposal.variables.find((v) => v.name === 'path')?.description).toBe('the path');
    expect(r.proposal.answers[0]).toMatchObject({ operation: 'CreateInvoice', path: '/invoices' });
    const before = hb.compile(proposal.template, { noEscape: true, strict: true });
    const after = hb.compile(r.proposal.template, { noEscape: true, strict: true });
    proposal.answers.forEach((a, i) => expect(after(r.proposal.answers[i])).toBe(before(a)));
  });

  it.each([
    ['not JSON', 'Here you go: name → operation', 'it is not JSON'],
    ['off-schema', JSON.stringify({ familyName: 'x', variables: [] }), 'it does not follow the expected schema: / must have required property \'description\''],
    ['an unknown variable', suggestion([{ from: 'nope', to: 'x' }]), 'it renames "nope", which is not a variable of the template'],
    ['an unusable name', suggestion([{ from: 'name', to: 'lowerCase' }]), '"lowerCase" is not a usable variable name'],
    ['a name clash', suggestion([{ from: 'name', to: 'route' }]), 'two variables would have the same name'],
  ])('rejects %s with a reason', async (_what, content, reason) => {
    const r = await checkedSuggestion(proposal, content, hb);
    expect('reason' in r && r.reason).toContain(reason);
  });
});

describe('the LLM endpoint and cache', () => {
  it('takes the base URL from the config, else OPENAI_BASE_URL, and needs a URL or a key', () => {
    expect(llmEndpoint(config({}), {})).toBeUndefined();
    expect(llmEndpoint(config({}), { OPENAI_API_KEY: 'k' })).toEqual({ apiKey: 'k', model: 'gpt-4o-mini' });
    expect(llmEndpoint(config({ patterns: { llm: { baseURL: 'http://a/v1', model: 'm' } } }), { OPENAI_BASE_URL: 'http://b/v1', OPENAI_MODEL: 'n' })).toEqual({ baseURL: 'http://a/v1', apiKey: 'unused', model: 'm' });
    expect(llmEndpoint(config({}), { OPENAI_BASE_URL: 'http://b/v1', OPENAI_MODEL: 'n' })).toEqual({ baseURL: 'http://b/v1', apiKey: 'unused', model: 'n' });
  });

  it('asks once per distinct request and answers repeats from .metarepo/cache/llm/', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'metarepo-llm-'));
    const endpoint = { baseURL: 'http://127.0.0.1:9/v1', apiKey: 'unused', model: 'm' };
    let calls = 0;
    const call = async () => `answer ${++calls}`;
    const request = namingRequest(proposal, 'm');
    expect(await cachedCompletion(root, endpoint, request, call)).toEqual({ content: 'answer 1', cached: false });
    expect(await cachedCompletion(root, endpoint, request, call)).toEqual({ content: 'answer 1', cached: true });
    expect(await cachedCompletion(root, endpoint, namingRequest(proposal, 'other-model'), call)).toEqual({ content: 'answer 2', cached: false });
    for (const entry of fs.readdirSync(path.join(root, LLM_CACHE_DIR))) fs.writeFileSync(path.join(root, LLM_CACHE_DIR, entry), 'not json');
    expect((await cachedCompletion(root, endpoint, request, call)).cached).toBe(false);
    expect(calls).toBe(3);
  });

  it('asks for strict JSON-schema structured output', () => {
    const request = namingRequest(proposal, 'm') as { response_format: { type: string; json_schema: { strict: boolean; schema: { required: string[] } } } };
    expect(request.response_format.type).toBe('json_schema');
    expect(request.response_format.json_schema.strict).toBe(true);
    expect(request.response_format.json_schema.schema.required).toEqual(['familyName', 'description', 'variables']);
  });
});
