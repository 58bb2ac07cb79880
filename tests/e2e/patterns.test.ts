import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startOpenAiStub, type OpenAiStub } from '../support/openai-stub.js';
import { REPO_ROOT, metarepoAsync, tempDir } from './cli.js';

const HANDLERS = path.join(REPO_ROOT, 'tests/fixtures/patterns/handlers');
/** The member held back from detection: `metarepo new` must write it byte for byte. */
const HELD_BACK = 'RefundPaymentHandler.ts';
/** No endpoint from the developer's environment may leak into a test. */
const NO_LLM = { OPENAI_BASE_URL: '', OPENAI_API_KEY: '', OPENAI_MODEL: '' };

/** A workspace whose src/handlers/ holds the fixture handlers except the held-back one. */
async function handlerWorkspace(): Promise<string> {
  const dir = tempDir();
  expect((await metarepoAsync(dir, ['init', '--name', 'shop'])).code).toBe(0);
  fs.mkdirSync(path.join(dir, 'src/handlers'), { recursive: true });
  for (const f of fs.readdirSync(HANDLERS)) if (f !== HELD_BACK) fs.copyFileSync(path.join(HANDLERS, f), path.join(dir, 'src/handlers', f));
  return dir;
}

/** Every file under `.metarepo/patterns/`, by relative path. */
function storedPatterns(dir: string): Record<string, string> {
  const root = path.join(dir, '.metarepo/patterns');
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(root, p)] = fs.readFileSync(p, 'utf8');
    }
  };
  walk(root);
  return out;
}

describe('metarepo patterns', () => {
  it('detect → adopt → new reproduces a held-back member byte for byte, and a member from its recorded answers', async () => {
    const dir = await handlerWorkspace();
    const detect = await metarepoAsync(dir, ['patterns', 'detect', 'src/handlers', '--json'], { env: NO_LLM });
    expect(detect.stderr).toBe('');
    expect(detect.code).toBe(0);
    const report = JSON.parse(detect.stdout);
    expect(report.proposals).toHaveLength(1);
    const [p] = report.proposals;
    expect(p).toMatchObject({ id: 'handler', members: 4, candidates: 4, coverage: 1, pathTemplate: 'src/handlers/{{name}}Handler.ts', fidelity: { byteExact: 4, astEqual: 0, failed: 0 } });
    expect(p.variables.filter((v: { kind: string }) => v.kind === 'name').map((v: { name: string }) => v.name)).toEqual(['name']);
    expect(p.template).toContain('{{#if hasImport}}');
    expect(fs.readFileSync(path.join(dir, '.metarepo/patterns/handler/verification.log'), 'utf8').trim().split('\n')).toHaveLength(4);

    const adopt = await metarepoAsync(dir, ['patterns', 'adopt', 'handler', '--json']);
    expect(adopt.code).toBe(0);
    expect(JSON.parse(adopt.stdout).files).toEqual(expect.arrayContaining(['generators/handler.mjs', 'templates/handler/template.yaml', 'templates/handler/files/{{name}}Handler.ts.hbs']));
    const snapshots = JSON.parse(adopt.stdout).files.filter((f: string) => f.startsWith('snapshots/handler/'));
    expect(snapshots.length).toBeGreaterThanOrEqual(2);
    for (const s of snapshots) expect(fs.readFileSync(path.join(dir, s), 'utf8')).toBe(fs.readFileSync(path.join(HANDLERS, path.basename(s)), 'utf8'));
    // The adopted template passes its own snapshot test and lint, as any hand-written template must.
    const test = await metarepoAsync(dir, ['template', 'test', 'handler', '--ci']);
    expect(test.stdout + test.stderr).not.toContain('fail');
    expect(test.code).toBe(0);
    expect((await metarepoAsync(dir, ['template', 'lint', 'handler'])).code).toBe(0);

    // The held-back member: never seen by detection, scaffolded from answers a person would give.
    expect(p.variables.map((v: { name: string }) => v.name)).toEqual(['name', 'value', 'route', 'comment', 'hasImport']);
    const made = await metarepoAsync(dir, ['new', 'handler', '--set', 'name=RefundPayment', '--set', 'value=post', '--set', 'route=/payments/:id/refunds', '--set', 'comment=POST /payments/:id/refunds', '--set', 'hasImport=yes']);
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'src/handlers', HELD_BACK), 'utf8')).toBe(fs.readFileSync(path.join(HANDLERS, HELD_BACK), 'utf8'));

    // A detected member, deleted and scaffolded again from its recorded answers.
    const recorded = JSON.parse(fs.readFileSync(path.join(dir, '.metarepo/patterns/handler/answers.json'), 'utf8')).find((a: { path: string }) => a.path.endsWith('SendReminderHandler.ts'));
    fs.rmSync(path.join(dir, 'src/handlers/SendReminderHandler.ts'));
    const sets = Object.entries(recorded.answers as Record<string, unknown>).flatMap(([k, v]) => ['--set', `${k}=${String(v)}`]);
    expect((await metarepoAsync(dir, ['new', 'handler', ...sets])).code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'src/handlers/SendReminderHandler.ts'), 'utf8')).toBe(fs.readFileSync(path.join(HANDLERS, 'SendReminderHandler.ts'), 'utf8'));

    const events = (await metarepoAsync(dir, ['events', '--type', 'core:patterns:*', '--json'])).stdout.trim().split('\n').map((l) => JSON.parse(l).type);
    expect(events).toEqual(['core:patterns:started', 'core:patterns:detected', 'core:patterns:finished', 'core:patterns:adopted']);
  });

  it('show prints a stored proposal; unknown ids and a bad generator name are usage errors', async () => {
    const dir = await handlerWorkspace();
    expect((await metarepoAsync(dir, ['patterns', 'show', 'handler'])).code).toBe(2);
    expect((await metarepoAsync(dir, ['patterns', 'detect', 'src/handlers'], { env: NO_LLM })).code).toBe(0);
    const show = await metarepoAsync(dir, ['patterns', 'show', 'handler']);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('4/4 byte-exact');
    expect(show.stdout).toContain('export class {{name}}Handler {');
    const missing = await metarepoAsync(dir, ['patterns', 'show', 'nope']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('There is no pattern "nope"');
    expect(missing.stderr).toContain('handler');
    const badName = await metarepoAsync(dir, ['patterns', 'adopt', 'handler', '--name', 'Bad Name']);
    expect(badName.code).toBe(2);
    expect(badName.stderr).toContain('not a valid generator name');
    expect(fs.existsSync(path.join(dir, 'generators/handler.mjs'))).toBe(false);
  });

  it('finds nothing in files that share no pattern, and refuses a path that does not exist', async () => {
    const dir = await handlerWorkspace();
    fs.mkdirSync(path.join(dir, 'misc'));
    fs.writeFileSync(path.join(dir, 'misc/a.ts'), 'export const a = 1;\n');
    fs.writeFileSync(path.join(dir, 'misc/b.ts'), 'export function b(x: number): number {\n  return x * 2;\n}\n');
    const r = await metarepoAsync(dir, ['patterns', 'detect', 'misc', '--json'], { env: NO_LLM });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).proposals).toEqual([]);
    const gone = await metarepoAsync(dir, ['patterns', 'detect', 'nowhere']);
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain('does not exist');
  });
});

/** A workspace plugin adding an INI language and a `section` unit kind through the patterns hook. */
const INI_PLUGIN = `
function parse(text) {
  const sections = [];
  let trivia = '';
  for (const m of text.matchAll(/(\\s+)|\\[([^\\]\\n]*)\\]|([^=\\s]+)\\s*=\\s*([^\\n]*)/g)) {
    if (m[1] !== undefined) { trivia += m[1]; continue; }
    if (m[2] !== undefined) {
      const tokens = [{ kind: 'Open', trivia, text: '[' }, { kind: 'Name', text: m[2], trivia: '', class: 'name' }, { kind: 'Close', trivia: '', text: ']' }];
      sections.push({ kind: 'Section', name: m[2], children: [...tokens, { kind: 'Entries', children: [] }] });
    } else {
      const entry = { kind: 'Entry', name: m[3], children: [{ kind: 'Key', trivia, text: m[3], class: 'name' }, { kind: 'Value', trivia: '', text: m[0].slice(m[3].length), class: 'string' }] };
      sections[sections.length - 1].children[3].children.push(entry);
    }
    trivia = '';
  }
  return { kind: 'IniFile', children: [{ kind: 'Sections', children: sections }, { kind: 'End', trivia, text: '' }] };
}
export default {
  name: 'ini-patterns',
  setup(api) {
    api.registerPatterns({
      name: 'ini',
      languages: [{ name: 'ini', extensions: ['.ini'], parse }],
      unitKinds: [{ name: 'section', description: 'INI sections', select: (root) => root.children[0].children }],
    });
  },
};
`;

describe('metarepo patterns with plugins and other units', () => {
  it('uses a language and a unit kind that a workspace plugin registers', async () => {
    const dir = tempDir();
    expect((await metarepoAsync(dir, ['init', '--name', 'conf'])).code).toBe(0);
    const plugin = path.join(dir, 'plugins/ini-patterns');
    fs.mkdirSync(plugin, { recursive: true });
    fs.writeFileSync(path.join(plugin, 'package.json'), JSON.stringify({ name: 'ini-patterns', version: '1.0.0', type: 'module', main: 'index.mjs', metarepo: { engines: { metarepo: '^0.1.0' }, contributes: { patterns: ['ini'] } } }));
    fs.writeFileSync(path.join(plugin, 'index.mjs'), INI_PLUGIN);
    fs.mkdirSync(path.join(dir, 'conf'));
    for (const env of ['dev', 'test', 'stage', 'prod']) {
      const keys = ['host', 'port', 'user', 'password', 'timeout', 'retries', 'region', 'zone', 'pool', 'cache'];
      const entries = keys.map((k, i) => `${k} = ${env}-${k}-${i}`).join('\n');
      fs.writeFileSync(path.join(dir, `conf/${env}.ini`), `[server]\n${entries}\n\n[client]\n${entries}\n`);
    }
    expect((await metarepoAsync(dir, ['plugin', 'list'])).stdout).toContain('patterns: ini');
    const r = await metarepoAsync(dir, ['patterns', 'detect', 'conf', '--unit', 'section', '--json'], { env: NO_LLM });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const proposals = JSON.parse(r.stdout).proposals;
    expect(proposals.map((p: { unit: string; members: number; coverage: number }) => [p.unit, p.members, p.coverage])).toEqual([['section', 8, 1]]);
    const shown = JSON.parse((await metarepoAsync(dir, ['patterns', 'show', proposals[0].id, '--json'])).stdout);
    expect(shown.language).toBe('ini');
    expect(shown.members.map((m: { key: string }) => m.key)).toEqual(['server', 'client', 'server', 'client', 'server', 'client', 'server', 'client']);
    // The plugin gives all whitespace to the next token, so the blank line before [client] is a variable.
    expect(shown.template).toMatch(/^\{\{spacing\}\}\[\{\{name\}\}\]\nhost = \{\{\w+\}\}-host-0\n/);
    const unknown = await metarepoAsync(dir, ['patterns', 'detect', 'conf', '--unit', 'paragraph']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Use one of: file, declaration, member, section');
  });

  it('adopts a family of declarations as a generator that appends the next one to a file', async () => {
    const dir = tempDir();
    expect((await metarepoAsync(dir, ['init', '--name', 'forms'])).code).toBe(0);
    const validator = (name: string, field: string, test: string, message: string) =>
      `\n/** Checks the ${field}. */\nexport function validate${name}(value: string): Result<string> {\n  if (${test}) return fail("${field}", "${message}");\n  return ok(value.trim());\n}\n`;
    const head = 'import { fail, ok, type Result } from "./result";\n';
    fs.mkdirSync(path.join(dir, 'src'));
    fs.writeFileSync(
      path.join(dir, 'src/validators.ts'),
      head + validator('Email', 'email', '!value.includes("@")', 'must contain @') + validator('Phone', 'phone', '!value.startsWith("+")', 'must start with +') + validator('City', 'city', '!value.endsWith(" ")', 'must not end with a space'),
    );
    const r = await metarepoAsync(dir, ['patterns', 'detect', 'src', '--unit', 'declaration', '--json'], { env: NO_LLM });
    expect(r.code).toBe(0);
    const [p] = JSON.parse(r.stdout).proposals;
    expect(p).toMatchObject({ id: 'validate-declaration', unit: 'declaration', members: 3, coverage: 1 });
    expect((await metarepoAsync(dir, ['patterns', 'adopt', p.id, '--name', 'validator'])).code).toBe(0);
    const test = await metarepoAsync(dir, ['template', 'test', 'validator', '--ci']);
    expect(test.code, test.stdout + test.stderr).toBe(0);
    fs.writeFileSync(path.join(dir, 'src/more.ts'), head);
    const recorded = JSON.parse(fs.readFileSync(path.join(dir, `.metarepo/patterns/${p.id}/answers.json`), 'utf8')).find((a: { key: string }) => a.key === 'validateCity');
    const sets = Object.entries(recorded.answers as Record<string, unknown>);
    const made = await metarepoAsync(dir, ['new', 'validator', ...sets.flatMap(([k, v]) => ['--set', `${k}=${String(v)}`]), '--set', 'file=src/more.ts']);
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'src/more.ts'), 'utf8')).toBe(head + validator('City', 'city', '!value.endsWith(" ")', 'must not end with a space'));
  });
});

describe('metarepo patterns detect --llm (against a local OpenAI-compatible server)', () => {
  let stub: OpenAiStub | undefined;
  afterEach(async () => {
    await stub?.close();
    stub = undefined;
  });

  it('applies the names, keeps every member byte-exact, and answers a re-run from the cache', async () => {
    stub = await startOpenAiStub('names');
    const dir = await handlerWorkspace();
    const env = { ...NO_LLM, OPENAI_BASE_URL: stub.baseURL, OPENAI_MODEL: 'stub-model' };
    const r = await metarepoAsync(dir, ['patterns', 'detect', 'src/handlers', '--llm', '--json'], { env: env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(stub.requests).toHaveLength(1);
    expect(stub.requests[0].model).toBe('stub-model');
    expect(stub.requests[0].responseFormat).toMatchObject({ type: 'json_schema', json_schema: { strict: true } });
    expect(out.llm.families).toEqual([expect.objectContaining({ id: 'handler', status: 'applied', cached: false })]);
    const [p] = out.proposals;
    expect(p).toMatchObject({ id: 'handler', name: 'http-handler', description: 'An HTTP handler class.', members: 4, fidelity: { byteExact: 4, failed: 0 } });
    expect(p.pathTemplate).toBe('src/handlers/{{operation}}Handler.ts');
    expect(p.template).toContain('export class {{operation}}Handler {');
    expect(p.template).toContain('{{#if hasImportValue}}');

    // The renamed template still renders each member exactly: scaffold one again from its renamed answers.
    expect((await metarepoAsync(dir, ['patterns', 'adopt', 'handler'], { env: env })).code).toBe(0);
    const recorded = JSON.parse(fs.readFileSync(path.join(dir, '.metarepo/patterns/handler/answers.json'), 'utf8'))[0];
    expect(recorded.answers.operation).toBe('CreateInvoice');
    fs.rmSync(path.join(dir, recorded.path));
    const sets = Object.entries(recorded.answers as Record<string, unknown>).flatMap(([k, v]) => ['--set', `${k}=${String(v)}`]);
    expect((await metarepoAsync(dir, ['new', 'http-handler', ...sets], { env: env })).code).toBe(0);
    expect(fs.readFileSync(path.join(dir, recorded.path), 'utf8')).toBe(fs.readFileSync(path.join(HANDLERS, 'CreateInvoiceHandler.ts'), 'utf8'));

    const again = await metarepoAsync(dir, ['patterns', 'detect', 'src/handlers', '--llm', '--json'], { env: env });
    expect(again.code).toBe(0);
    expect(stub.requests).toHaveLength(1);
    expect(JSON.parse(again.stdout).llm.families).toEqual([expect.objectContaining({ id: 'handler', status: 'applied', cached: true })]);
    expect(fs.readdirSync(path.join(dir, '.metarepo/cache/llm')).filter((f) => f.endsWith('.json'))).toHaveLength(1);
  });

  it('without an endpoint, --llm prints and stores exactly what a run without it does, --json included', async () => {
    const plain = await handlerWorkspace();
    const withFlag = await handlerWorkspace();
    const human = await metarepoAsync(plain, ['patterns', 'detect', 'src/handlers'], { env: NO_LLM });
    expect(human.code).toBe(0);
    const r = await metarepoAsync(withFlag, ['patterns', 'detect', 'src/handlers', '--llm'], { env: NO_LLM });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('no LLM endpoint is configured');
    expect(storedPatterns(withFlag)).toEqual(storedPatterns(plain));
    // The human report carries the run time; everything else must match.
    expect(r.stdout.replace(/, [\d.]+ s\)/, ')')).toBe(human.stdout.replace(/, [\d.]+ s\)/, ')'));
    const json = await metarepoAsync(plain, ['patterns', 'detect', 'src/handlers', '--json'], { env: NO_LLM });
    const jsonLlm = await metarepoAsync(withFlag, ['patterns', 'detect', 'src/handlers', '--json', '--llm'], { env: NO_LLM });
    expect(jsonLlm.code).toBe(0);
    expect(jsonLlm.stdout).toBe(json.stdout);
    expect(JSON.parse(jsonLlm.stdout).proposals).toHaveLength(1);
  });

  it.each([
    ['not-json', 'it is not JSON'],
    ['wrong-schema', 'it does not follow the expected schema'],
  ] as const)('rejects a %s answer with a clear message and keeps the deterministic proposal', async (mode, message) => {
    stub = await startOpenAiStub(mode);
    const plain = await handlerWorkspace();
    expect((await metarepoAsync(plain, ['patterns', 'detect', 'src/handlers'], { env: NO_LLM })).code).toBe(0);
    const dir = await handlerWorkspace();
    const r = await metarepoAsync(dir, ['patterns', 'detect', 'src/handlers', '--llm'], { env: { ...NO_LLM, OPENAI_BASE_URL: stub.baseURL } });
    expect(r.code).toBe(0);
    expect(stub.requests).toHaveLength(1);
    expect(r.stderr).toContain(`the model's answer for pattern "handler" was rejected: ${message}`);
    expect(r.stderr).toContain('Keeping the deterministic names');
    expect(storedPatterns(dir)).toEqual(storedPatterns(plain));
  });
});

/** A route table module: one `{ path, handler }` item per route (a repeated section of objects). */
const routeModule = (name: string, routes: Array<[string, string]>) =>
  ['import { Router } from "../router";', `import * as handlers from "../handlers/${name}";`, '', `export const ${name}Routes: Router[] = [`, ...routes.map(([p, h]) => `  { path: "${p}", handler: handlers.${h} },`), '];', ''].join('\n');

const ROUTES: Record<string, Array<[string, string]>> = {
  admin: [['/users', 'listUsers'], ['/roles', 'editRoles'], ['/audit', 'readLog']],
  blog: [['/posts', 'listPosts'], ['/tags', 'tagCloud']],
  docs: [['/pages', 'showPage'], ['/search', 'find']],
  shop: [['/cart', 'showCart']],
};

/** A workspace with the route modules in src/routes/. */
async function routesWorkspace(): Promise<string> {
  const dir = tempDir();
  expect((await metarepoAsync(dir, ['init', '--name', 'routes'])).code).toBe(0);
  fs.mkdirSync(path.join(dir, 'src/routes'), { recursive: true });
  for (const [name, routes] of Object.entries(ROUTES)) fs.writeFileSync(path.join(dir, `src/routes/${name}.ts`), routeModule(name, routes));
  return dir;
}

/** `data` of every logged event of `type`. */
async function eventData(dir: string, type: string): Promise<Array<Record<string, unknown>>> {
  const out = (await metarepoAsync(dir, ['events', '--type', type, '--json'])).stdout.trim();
  return out ? out.split('\n').map((l) => JSON.parse(l).data) : [];
}

describe('metarepo patterns: options, ranking, repeated sections, failures', () => {
  it('--min-members sets the smallest family, and a value below 3 is a usage error published as core:patterns:failed', async () => {
    const dir = await handlerWorkspace();
    const four = JSON.parse((await metarepoAsync(dir, ['patterns', 'detect', 'src/handlers', '--min-members', '4', '--json'], { env: NO_LLM })).stdout);
    expect(four.proposals.map((p: { id: string; members: number }) => [p.id, p.members])).toEqual([['handler', 4]]);
    const five = await metarepoAsync(dir, ['patterns', 'detect', 'src/handlers', '--min-members', '5', '--json'], { env: NO_LLM });
    expect(five.code).toBe(0);
    expect(JSON.parse(five.stdout).proposals).toEqual([]);
    expect(JSON.parse(fs.readFileSync(path.join(dir, '.metarepo/patterns/index.json'), 'utf8')).proposals).toEqual([]);

    const two = await metarepoAsync(dir, ['patterns', 'detect', 'src/handlers', '--min-members', '2']);
    expect(two.code).toBe(2);
    expect(two.stderr).toContain('--min-members must be a whole number of at least 3 (got 2)');
    expect(two.stderr).toContain('at least 3 verified members');
    expect(await eventData(dir, 'core:patterns:failed')).toEqual([{ command: 'detect', reason: '--min-members must be a whole number of at least 3 (got 2).' }]);
  });

  it('quality gates: flags and metarepo.yaml patterns.gates reject a family below them with the reason; a value out of range is a usage error', async () => {
    const dir = await handlerWorkspace();
    const strict = JSON.parse((await metarepoAsync(dir, ['patterns', 'detect', 'src/handlers', '--min-savings', '0.99', '--json'], { env: NO_LLM })).stdout);
    expect(strict.proposals).toEqual([]);
    expect(strict.rejected).toEqual([expect.objectContaining({ reason: expect.stringMatching(/^below the quality gates: it saves \d+ %, less than 99 % \(patterns\.gates\.minSavings, --min-savings\)$/) })]);
    fs.appendFileSync(path.join(dir, 'metarepo.yaml'), 'patterns:\n  gates:\n    maxVariablesPerMember: 0.5\n');
    const config = JSON.parse((await metarepoAsync(dir, ['patterns', 'detect', 'src/handlers', '--json'], { env: NO_LLM })).stdout);
    expect(config.rejected[0].reason).toContain('more than 0.5 per member (patterns.gates.maxVariablesPerMember, --max-variables-per-member)');
    const flagWins = JSON.parse((await metarepoAsync(dir, ['patterns', 'detect', 'src/handlers', '--max-variables-per-member', '3', '--json'], { env: NO_LLM })).stdout);
    expect(flagWins.proposals.map((p: { id: string }) => p.id)).toEqual(['handler']);
    const bad = await metarepoAsync(dir, ['patterns', 'detect', 'src/handlers', '--min-fixed-share', 'lots']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--min-fixed-share (patterns.gates.minFixedShare) must be a number from 0 to 1 (got NaN).');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });

  it('publishes core:patterns:failed with the reason when detect or adopt fails', async () => {
    const dir = await handlerWorkspace();
    const gone = await metarepoAsync(dir, ['patterns', 'detect', 'nowhere']);
    expect(gone.code).toBe(2);
    const adopt = await metarepoAsync(dir, ['patterns', 'adopt', 'nothing']);
    expect(adopt.code).toBe(2);
    const types = (await metarepoAsync(dir, ['events', '--type', 'core:patterns:*', '--json'])).stdout.trim().split('\n').map((l) => JSON.parse(l).type);
    expect(types).toEqual(['core:patterns:started', 'core:patterns:failed', 'core:patterns:failed']);
    expect(await eventData(dir, 'core:patterns:failed')).toEqual([
      { command: 'detect', reason: `Path "${path.join(fs.realpathSync(dir), 'nowhere')}" does not exist.` },
      { command: 'adopt', id: 'nothing', reason: 'There is no pattern "nothing".' },
    ]);
  });

  it('--unit member proposes a family of class members', async () => {
    const dir = tempDir();
    expect((await metarepoAsync(dir, ['init', '--name', 'api'])).code).toBe(0);
    const method = (name: string, route: string, type: string) =>
      `\n  /** GET ${route} */\n  async list${name}(): Promise<${type}[]> {\n    const res = await this.http.get("${route}");\n    return (await res.json()) as ${type}[];\n  }\n`;
    fs.mkdirSync(path.join(dir, 'src'));
    fs.writeFileSync(
      path.join(dir, 'src/client.ts'),
      `export class ApiClient {\n  constructor(private readonly http: Http) {}\n${method('Users', '/users', 'User')}${method('Orders', '/orders', 'Order')}${method('Items', '/items', 'Item')}${method('Carts', '/carts', 'Cart')}}\n`,
    );
    const asFiles = JSON.parse((await metarepoAsync(dir, ['patterns', 'detect', 'src', '--json'], { env: NO_LLM })).stdout);
    expect(asFiles.proposals).toEqual([]); // one file is no family
    const r = await metarepoAsync(dir, ['patterns', 'detect', 'src', '--unit', 'member', '--json'], { env: NO_LLM });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [p] = JSON.parse(r.stdout).proposals;
    expect(p).toMatchObject({ id: 'list-member', unit: 'member', members: 4, candidates: 4, coverage: 1, fidelity: { byteExact: 4, failed: 0 } });
    const shown = JSON.parse((await metarepoAsync(dir, ['patterns', 'show', p.id, '--json'])).stdout);
    expect(shown.members.map((m: { key: string }) => m.key)).toEqual(['listUsers', 'listOrders', 'listItems', 'listCarts']);
    expect(shown.template).toContain('  async list{{name}}(): Promise<');
  });

  it('ranks several proposals by savings, and the same input gives byte-identical output and store', async () => {
    const dir = await handlerWorkspace();
    // src/api/ sorts before src/handlers/, so only savings can put the handlers first.
    fs.mkdirSync(path.join(dir, 'src/api/routes'), { recursive: true });
    for (const [name, routes] of Object.entries(ROUTES)) fs.writeFileSync(path.join(dir, `src/api/routes/${name}.ts`), routeModule(name, routes));
    const first = await metarepoAsync(dir, ['patterns', 'detect', 'src', '--json'], { env: NO_LLM });
    expect(first.code).toBe(0);
    const storeFirst = storedPatterns(dir);
    const report = JSON.parse(first.stdout);
    expect(report.proposals.map((p: { id: string }) => p.id)).toEqual(['handler', 'routes']);
    const savings = report.proposals.map((p: { savings: number }) => p.savings);
    expect(savings[0]).toBeGreaterThan(savings[1]);
    expect(JSON.parse(storeFirst['index.json']).proposals.map((p: { id: string }) => p.id)).toEqual(['handler', 'routes']);
    const again = await metarepoAsync(dir, ['patterns', 'detect', 'src', '--json'], { env: NO_LLM });
    expect(again.stdout).toBe(first.stdout);
    expect(storedPatterns(dir)).toEqual(storeFirst);
    expect(Object.keys(storeFirst).length).toBeGreaterThan(8);
  });

  it('adopts a template with a repeated section: --set list=\'[…]\' scaffolds a member byte for byte', async () => {
    const dir = await routesWorkspace();
    const [p] = JSON.parse((await metarepoAsync(dir, ['patterns', 'detect', 'src/routes', '--json'], { env: NO_LLM })).stdout).proposals;
    expect(p).toMatchObject({ id: 'routes', members: 4, sections: { optional: 0, repeated: 1 } });
    const list = p.variables.find((v: { kind: string }) => v.kind === 'list');
    expect(p.variables.filter((v: { list?: string }) => v.list === list.name).map((v: { name: string }) => v.name)).toEqual(['path', 'handler']);
    const adopt = await metarepoAsync(dir, ['patterns', 'adopt', 'routes', '--json']);
    expect(adopt.code).toBe(0);
    expect(JSON.parse(adopt.stdout).example).toContain(`${list.name}=${JSON.stringify(ROUTES.admin.map(([pth, handler]) => ({ path: pth, handler })))}`);
    const test = await metarepoAsync(dir, ['template', 'test', 'routes', '--ci']);
    expect(test.code, test.stdout + test.stderr).toBe(0);
    const blog = fs.readFileSync(path.join(dir, 'src/routes/blog.ts'), 'utf8');
    fs.rmSync(path.join(dir, 'src/routes/blog.ts'));
    const items = JSON.stringify(ROUTES.blog.map(([pth, handler]) => ({ path: pth, handler })));
    const made = await metarepoAsync(dir, ['new', 'routes', '--set', 'name=blog', '--set', `${list.name}=${items}`]);
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'src/routes/blog.ts'), 'utf8')).toBe(blog);
    const bad = await metarepoAsync(dir, ['new', 'routes', '--set', 'name=wiki', '--set', `${list.name}=not json`]);
    expect(bad.code).not.toBe(0);
    expect(bad.stdout + bad.stderr).toContain('expects a JSON array');
    expect(fs.existsSync(path.join(dir, 'src/routes/wiki.ts'))).toBe(false);
  });

  it('snapshots the members as they are, so a stored template that does not reproduce them fails template test', async () => {
    const dir = await routesWorkspace();
    expect((await metarepoAsync(dir, ['patterns', 'detect', 'src/routes'], { env: NO_LLM })).code).toBe(0);
    const stored = path.join(dir, '.metarepo/patterns/routes/template.hbs');
    fs.writeFileSync(stored, fs.readFileSync(stored, 'utf8').replace('import { Router } from "../router";', 'import type { Router } from "../router";'));
    const adopt = await metarepoAsync(dir, ['patterns', 'adopt', 'routes', '--json']);
    expect(adopt.code).toBe(0);
    const snapshots = JSON.parse(adopt.stdout).files.filter((f: string) => f.startsWith('snapshots/routes/'));
    expect(snapshots.length).toBeGreaterThanOrEqual(2);
    for (const s of snapshots) expect(fs.readFileSync(path.join(dir, s), 'utf8')).toBe(fs.readFileSync(path.join(dir, 'src/routes', path.basename(s)), 'utf8'));
    const test = await metarepoAsync(dir, ['template', 'test', 'routes', '--ci']);
    expect(test.code).not.toBe(0);
    expect(test.stdout + test.stderr).toMatch(/fail/i);
  });
});
