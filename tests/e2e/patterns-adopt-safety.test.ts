// Issue 13 items 10 and 11 through the built CLI, with a local OpenAI-compatible server giving hostile answers:
// what an LLM writes is data (it never runs in the adopted generator, never breaks `metarepo new`, and comes back
// byte for byte), and an LLM's family name never replaces a generator that exists.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { REPO_ROOT, metarepoAsync, tempDir } from './cli.js';

const HANDLERS = path.join(REPO_ROOT, 'tests/fixtures/patterns/handlers');
const NO_LLM = { OPENAI_BASE_URL: '', OPENAI_API_KEY: '', OPENAI_MODEL: '' };

/** What the server answers for a request's variable table; set per test. */
let reply: (variables: Array<{ name: string; kind: string }>) => unknown = () => ({});
let server: http.Server;
let baseURL = '';

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const request = JSON.parse(body) as { model: string; messages: Array<{ role: string; content: string }> };
      const user = JSON.parse(request.messages.find((m) => m.role === 'user')?.content ?? '{}') as { variables: Array<{ name: string; kind: string }> };
      const content = JSON.stringify(reply(user.variables));
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          id: 'chatcmpl-hostile',
          object: 'chat.completion',
          created: 0,
          model: request.model,
          choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop', logprobs: null }],
          usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** A workspace with the fixture handlers in src/handlers/. */
async function handlerWorkspace(): Promise<string> {
  const dir = tempDir();
  expect((await metarepoAsync(dir, ['init', '--name', 'shop'])).code).toBe(0);
  fs.mkdirSync(path.join(dir, 'src/handlers'), { recursive: true });
  for (const f of fs.readdirSync(HANDLERS)) fs.copyFileSync(path.join(HANDLERS, f), path.join(dir, 'src/handlers', f));
  return dir;
}

/** Detects src/handlers with the server answering `family` and `description` (for the family and every variable). */
async function detectWith(dir: string, family: string, description: string): Promise<{ name: string; variables: Array<{ name: string; description: string }> }> {
  reply = (variables) => ({ familyName: family, description, variables: variables.map((v) => ({ from: v.name, to: v.name, description })) });
  const r = await metarepoAsync(dir, ['patterns', 'detect', 'src/handlers', '--llm', '--json'], { env: { ...NO_LLM, OPENAI_BASE_URL: baseURL, OPENAI_MODEL: 'hostile' } });
  expect(r.code, r.stderr).toBe(0);
  const out = JSON.parse(r.stdout);
  expect(out.llm.families).toEqual([expect.objectContaining({ id: 'handler', status: 'applied' })]);
  return out.proposals[0];
}

/** The answers of CreateInvoiceHandler as --set flags, with another name so a new file is written. */
function setsFor(dir: string, name: string): string[] {
  const [first] = JSON.parse(fs.readFileSync(path.join(dir, '.metarepo/patterns/handler/answers.json'), 'utf8')) as Array<{ answers: Record<string, unknown> }>;
  return Object.entries({ ...first.answers, name }).flatMap(([k, v]) => ['--set', `${k}=${String(v)}`]);
}

describe('patterns adopt: LLM text is data', () => {
  it.each([
    ['code after a line break (the reported reply)', "Icons.\nconsole.log('PW' + 'NED');\n//"],
    ['a comment end, backticks and ${}', "Icons */ console.log('PW' + 'NED'); /* `${console.log('PW' + 'NED')}` ${process.exit(7)}"],
    ['YAML indicators and Handlebars', 'Icons: one per file # not a comment\n- item\n&anchor *alias !tag | > % @ \'single\' "double" {{name}} \\{{raw}} ---\n...'],
    ['line separators and control characters', "Icons.\u2028console.log('PW' + 'NED');\u2029// \r\nconsole.log('PW' + 'NED') \u0000 \u001b[2J"],
  ])('%s: adopt, then new runs the generator without running the text, and gives the text back', async (_label, description) => {
    const dir = await handlerWorkspace();
    const p = await detectWith(dir, 'icon-handler', description);
    expect(p.name).toBe('icon-handler');
    // On the terminal the description is one line, its control characters shown as escapes.
    const show = await metarepoAsync(dir, ['patterns', 'show', 'handler']);
    expect(show.code).toBe(0);
    const firstLine = show.stdout.split('\n')[0];
    expect(firstLine.startsWith('handler: Icons')).toBe(true);
    expect(firstLine.endsWith(description.split(/\r\n|[\n\r\u2028\u2029]/).pop()!.replace(/[\u0000-\u001f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`))).toBe(true);
    expect(show.stdout).not.toMatch(/[\u0000\u001b\u2028\u2029\r]/);

    const adopt = await metarepoAsync(dir, ['patterns', 'adopt', 'handler', '--json']);
    expect(adopt.code, adopt.stderr).toBe(0);
    expect(JSON.parse(adopt.stdout).generator).toBe('icon-handler');

    // Every generator still loads (a broken plopfile fails every `metarepo new`), and the description round-trips.
    const list = await metarepoAsync(dir, ['new', '--json']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout + list.stderr).not.toContain('PWNED');
    const generators = JSON.parse(list.stdout).generators as Array<{ name: string; description: string; source: string }>;
    expect(generators.find((g) => g.name === 'icon-handler')).toEqual({ name: 'icon-handler', description, source: 'workspace' });

    const made = await metarepoAsync(dir, ['new', 'icon-handler', ...setsFor(dir, 'ArchiveInvoice')]);
    expect(made.stdout + made.stderr).not.toContain('PWNED');
    expect(made.code, made.stderr).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'src/handlers/ArchiveInvoiceHandler.ts'), 'utf8')).toContain('export class ArchiveInvoiceHandler');
    const other = await metarepoAsync(dir, ['new', 'model', 'order', '--dry-run']);
    expect(other.stdout + other.stderr).not.toContain('PWNED');
    expect(other.code, other.stderr).toBe(0);

    // The variable descriptions are the prompts' messages: a missing answer lists them.
    const missing = await metarepoAsync(dir, ['new', 'icon-handler', '--set', 'name=Nothing']);
    expect(missing.code).toBe(2);
    expect(missing.stdout + missing.stderr).not.toContain('PWNED');

    const manifest = parseYaml(fs.readFileSync(path.join(dir, 'templates/icon-handler/template.yaml'), 'utf8'));
    expect(manifest.description).toBe(description);
    for (const v of p.variables) expect(manifest.variables.properties[v.name].description.startsWith(description)).toBe(true);
    const test = await metarepoAsync(dir, ['template', 'test', 'icon-handler', '--ci']);
    expect(test.code, test.stdout + test.stderr).toBe(0);
  });
});

describe('patterns adopt: names cannot shadow', () => {
  it('an LLM family name of a built-in generator is refused, naming the built-in; --name picks another', async () => {
    const dir = await handlerWorkspace();
    expect((await detectWith(dir, 'ts-library', 'A handler.')).name).toBe('ts-library');
    const adopt = await metarepoAsync(dir, ['patterns', 'adopt', 'handler']);
    expect(adopt.code).toBe(2);
    expect(adopt.stderr).toContain('The generator name "ts-library" is taken');
    expect(adopt.stderr).toContain('built-in generator');
    expect(adopt.stderr).toContain('--name');
    expect(fs.existsSync(path.join(dir, 'generators/ts-library.mjs'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'templates/ts-library'))).toBe(false);
    const list = JSON.parse((await metarepoAsync(dir, ['new', '--json'])).stdout).generators as Array<{ name: string; source: string }>;
    expect(list.find((g) => g.name === 'ts-library')?.source).toBe('builtin');

    const named = await metarepoAsync(dir, ['patterns', 'adopt', 'handler', '--name', 'api-handler', '--json']);
    expect(named.code, named.stderr).toBe(0);
    expect(JSON.parse(named.stdout).generator).toBe('api-handler');
    // A --name that is taken is refused as well, now naming the workspace generator just adopted.
    const again = await metarepoAsync(dir, ['patterns', 'adopt', 'handler', '--name', 'api-handler']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('workspace generator in generators/api-handler.mjs');
  });

  it('a name that a root plopfile defines is refused, naming the plopfile', async () => {
    const dir = await handlerWorkspace();
    fs.writeFileSync(
      path.join(dir, 'plopfile.mjs'),
      "export default function (plop) {\n  plop.setGenerator('handler', { description: 'hand-written', prompts: [], actions: [] });\n}\n",
    );
    const detect = await metarepoAsync(dir, ['patterns', 'detect', 'src/handlers', '--json'], { env: NO_LLM });
    expect(JSON.parse(detect.stdout).proposals[0].name).toBe('handler');
    const adopt = await metarepoAsync(dir, ['patterns', 'adopt', 'handler']);
    expect(adopt.code).toBe(2);
    expect(adopt.stderr).toContain('workspace generator in plopfile.mjs');
    expect(fs.existsSync(path.join(dir, 'generators/handler.mjs'))).toBe(false);
  });

  it('an LLM family name with path separators becomes a safe generator name', async () => {
    const dir = await handlerWorkspace();
    expect((await detectWith(dir, '../../generators/Evil Twin', 'A handler.')).name).toBe('generators-evil-twin');
    const adopt = await metarepoAsync(dir, ['patterns', 'adopt', 'handler', '--json']);
    expect(adopt.code, adopt.stderr).toBe(0);
    expect(JSON.parse(adopt.stdout).files).toContain('generators/generators-evil-twin.mjs');
  });
});
