import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startOpenAiStub, type OpenAiStub } from '../support/openai-stub.js';
import { BIN, REPO_ROOT, metarepo, tempDir, type CliResult } from './cli.js';

const HANDLERS = path.join(REPO_ROOT, 'tests/fixtures/patterns/handlers');
/** The member held back from detection: `metarepo new` must write it byte for byte. */
const HELD_BACK = 'RefundPaymentHandler.ts';
/** No endpoint from the developer's environment may leak into a test. */
const NO_LLM = { OPENAI_BASE_URL: '', OPENAI_API_KEY: '', OPENAI_MODEL: '' };

/** A workspace whose src/handlers/ holds the fixture handlers except the held-back one. */
function handlerWorkspace(): string {
  const dir = tempDir();
  expect(metarepo(dir, ['init', '--name', 'shop']).code).toBe(0);
  fs.mkdirSync(path.join(dir, 'src/handlers'), { recursive: true });
  for (const f of fs.readdirSync(HANDLERS)) if (f !== HELD_BACK) fs.copyFileSync(path.join(HANDLERS, f), path.join(dir, 'src/handlers', f));
  return dir;
}

/** Runs the CLI without blocking this process, so an in-process stub server can answer it. */
function metarepoAsync(cwd: string, args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
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
  it('detect → adopt → new reproduces a held-back member byte for byte, and a member from its recorded answers', () => {
    const dir = handlerWorkspace();
    const detect = metarepo(dir, ['patterns', 'detect', 'src/handlers', '--json'], { env: NO_LLM });
    expect(detect.stderr).toBe('');
    expect(detect.code).toBe(0);
    const report = JSON.parse(detect.stdout);
    expect(report.proposals).toHaveLength(1);
    const [p] = report.proposals;
    expect(p).toMatchObject({ id: 'handler', members: 4, candidates: 4, coverage: 1, pathTemplate: 'src/handlers/{{name}}Handler.ts', fidelity: { byteExact: 4, astEqual: 0, failed: 0 } });
    expect(p.variables.filter((v: { kind: string }) => v.kind === 'name').map((v: { name: string }) => v.name)).toEqual(['name']);
    expect(p.template).toContain('{{#if hasImport}}');
    expect(fs.readFileSync(path.join(dir, '.metarepo/patterns/handler/verification.log'), 'utf8').trim().split('\n')).toHaveLength(4);

    const adopt = metarepo(dir, ['patterns', 'adopt', 'handler', '--json']);
    expect(adopt.code).toBe(0);
    expect(JSON.parse(adopt.stdout).files).toEqual(expect.arrayContaining(['generators/handler.mjs', 'templates/handler/template.yaml', 'templates/handler/files/{{name}}Handler.ts.hbs']));
    const snapshots = JSON.parse(adopt.stdout).files.filter((f: string) => f.startsWith('snapshots/handler/'));
    expect(snapshots.length).toBeGreaterThanOrEqual(2);
    for (const s of snapshots) expect(fs.readFileSync(path.join(dir, s), 'utf8')).toBe(fs.readFileSync(path.join(HANDLERS, path.basename(s)), 'utf8'));
    // The adopted template passes its own snapshot test and lint, as any hand-written template must.
    const test = metarepo(dir, ['template', 'test', 'handler', '--ci']);
    expect(test.stdout + test.stderr).not.toContain('fail');
    expect(test.code).toBe(0);
    expect(metarepo(dir, ['template', 'lint', 'handler']).code).toBe(0);

    // The held-back member: never seen by detection, scaffolded from answers a person would give.
    expect(p.variables.map((v: { name: string }) => v.name)).toEqual(['name', 'value', 'route', 'comment', 'hasImport']);
    const made = metarepo(dir, ['new', 'handler', '--set', 'name=RefundPayment', '--set', 'value=post', '--set', 'route=/payments/:id/refunds', '--set', 'comment=POST /payments/:id/refunds', '--set', 'hasImport=yes']);
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'src/handlers', HELD_BACK), 'utf8')).toBe(fs.readFileSync(path.join(HANDLERS, HELD_BACK), 'utf8'));

    // A detected member, deleted and scaffolded again from its recorded answers.
    const recorded = JSON.parse(fs.readFileSync(path.join(dir, '.metarepo/patterns/handler/answers.json'), 'utf8')).find((a: { path: string }) => a.path.endsWith('SendReminderHandler.ts'));
    fs.rmSync(path.join(dir, 'src/handlers/SendReminderHandler.ts'));
    const sets = Object.entries(recorded.answers as Record<string, unknown>).flatMap(([k, v]) => ['--set', `${k}=${String(v)}`]);
    expect(metarepo(dir, ['new', 'handler', ...sets]).code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'src/handlers/SendReminderHandler.ts'), 'utf8')).toBe(fs.readFileSync(path.join(HANDLERS, 'SendReminderHandler.ts'), 'utf8'));

    const events = metarepo(dir, ['events', '--type', 'core:patterns:*', '--json']).stdout.trim().split('\n').map((l) => JSON.parse(l).type);
    expect(events).toEqual(['core:patterns:started', 'core:patterns:detected', 'core:patterns:finished', 'core:patterns:adopted']);
  });

  it('show prints a stored proposal; unknown ids and a bad generator name are usage errors', () => {
    const dir = handlerWorkspace();
    expect(metarepo(dir, ['patterns', 'show', 'handler']).code).toBe(2);
    expect(metarepo(dir, ['patterns', 'detect', 'src/handlers'], { env: NO_LLM }).code).toBe(0);
    const show = metarepo(dir, ['patterns', 'show', 'handler']);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('4/4 byte-exact');
    expect(show.stdout).toContain('export class {{name}}Handler {');
    const missing = metarepo(dir, ['patterns', 'show', 'nope']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('There is no pattern "nope"');
    expect(missing.stderr).toContain('handler');
    const badName = metarepo(dir, ['patterns', 'adopt', 'handler', '--name', 'Bad Name']);
    expect(badName.code).toBe(2);
    expect(badName.stderr).toContain('not a valid generator name');
    expect(fs.existsSync(path.join(dir, 'generators/handler.mjs'))).toBe(false);
  });

  it('finds nothing in files that share no pattern, and refuses a path that does not exist', () => {
    const dir = handlerWorkspace();
    fs.mkdirSync(path.join(dir, 'misc'));
    fs.writeFileSync(path.join(dir, 'misc/a.ts'), 'export const a = 1;\n');
    fs.writeFileSync(path.join(dir, 'misc/b.ts'), 'export function b(x: number): number {\n  return x * 2;\n}\n');
    const r = metarepo(dir, ['patterns', 'detect', 'misc', '--json'], { env: NO_LLM });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).proposals).toEqual([]);
    const gone = metarepo(dir, ['patterns', 'detect', 'nowhere']);
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
  it('uses a language and a unit kind that a workspace plugin registers', () => {
    const dir = tempDir();
    expect(metarepo(dir, ['init', '--name', 'conf']).code).toBe(0);
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
    expect(metarepo(dir, ['plugin', 'list']).stdout).toContain('patterns: ini');
    const r = metarepo(dir, ['patterns', 'detect', 'conf', '--unit', 'section', '--json'], { env: NO_LLM });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const proposals = JSON.parse(r.stdout).proposals;
    expect(proposals.map((p: { unit: string; members: number; coverage: number }) => [p.unit, p.members, p.coverage])).toEqual([['section', 8, 1]]);
    const shown = JSON.parse(metarepo(dir, ['patterns', 'show', proposals[0].id, '--json']).stdout);
    expect(shown.language).toBe('ini');
    expect(shown.members.map((m: { key: string }) => m.key)).toEqual(['server', 'client', 'server', 'client', 'server', 'client', 'server', 'client']);
    // The plugin gives all whitespace to the next token, so the blank line before [client] is a variable.
    expect(shown.template).toMatch(/^\{\{spacing\}\}\[\{\{name\}\}\]\nhost = \{\{\w+\}\}-host-0\n/);
    const unknown = metarepo(dir, ['patterns', 'detect', 'conf', '--unit', 'paragraph']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Use one of: file, declaration, member, section');
  });

  it('adopts a family of declarations as a generator that appends the next one to a file', () => {
    const dir = tempDir();
    expect(metarepo(dir, ['init', '--name', 'forms']).code).toBe(0);
    const validator = (name: string, field: string, test: string, message: string) =>
      `\n/** Checks the ${field}. */\nexport function validate${name}(value: string): Result<string> {\n  if (${test}) return fail("${field}", "${message}");\n  return ok(value.trim());\n}\n`;
    const head = 'import { fail, ok, type Result } from "./result";\n';
    fs.mkdirSync(path.join(dir, 'src'));
    fs.writeFileSync(
      path.join(dir, 'src/validators.ts'),
      head + validator('Email', 'email', '!value.includes("@")', 'must contain @') + validator('Phone', 'phone', '!value.startsWith("+")', 'must start with +') + validator('City', 'city', '!value.endsWith(" ")', 'must not end with a space'),
    );
    const r = metarepo(dir, ['patterns', 'detect', 'src', '--unit', 'declaration', '--json'], { env: NO_LLM });
    expect(r.code).toBe(0);
    const [p] = JSON.parse(r.stdout).proposals;
    expect(p).toMatchObject({ id: 'validate-declaration', unit: 'declaration', members: 3, coverage: 1 });
    expect(metarepo(dir, ['patterns', 'adopt', p.id, '--name', 'validator']).code).toBe(0);
    const test = metarepo(dir, ['template', 'test', 'validator', '--ci']);
    expect(test.code, test.stdout + test.stderr).toBe(0);
    fs.writeFileSync(path.join(dir, 'src/more.ts'), head);
    const recorded = JSON.parse(fs.readFileSync(path.join(dir, `.metarepo/patterns/${p.id}/answers.json`), 'utf8')).find((a: { key: string }) => a.key === 'validateCity');
    const sets = Object.entries(recorded.answers as Record<string, unknown>);
    const made = metarepo(dir, ['new', 'validator', ...sets.flatMap(([k, v]) => ['--set', `${k}=${String(v)}`]), '--set', 'file=src/more.ts']);
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
    const dir = handlerWorkspace();
    const env = { ...NO_LLM, OPENAI_BASE_URL: stub.baseURL, OPENAI_MODEL: 'stub-model' };
    const r = await metarepoAsync(dir, ['patterns', 'detect', 'src/handlers', '--llm', '--json'], env);
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
    expect((await metarepoAsync(dir, ['patterns', 'adopt', 'handler'], env)).code).toBe(0);
    const recorded = JSON.parse(fs.readFileSync(path.join(dir, '.metarepo/patterns/handler/answers.json'), 'utf8'))[0];
    expect(recorded.answers.operation).toBe('CreateInvoice');
    fs.rmSync(path.join(dir, recorded.path));
    const sets = Object.entries(recorded.answers as Record<string, unknown>).flatMap(([k, v]) => ['--set', `${k}=${String(v)}`]);
    expect((await metarepoAsync(dir, ['new', 'http-handler', ...sets], env)).code).toBe(0);
    expect(fs.readFileSync(path.join(dir, recorded.path), 'utf8')).toBe(fs.readFileSync(path.join(HANDLERS, 'CreateInvoiceHandler.ts'), 'utf8'));

    const again = await metarepoAsync(dir, ['patterns', 'detect', 'src/handlers', '--llm', '--json'], env);
    expect(again.code).toBe(0);
    expect(stub.requests).toHaveLength(1);
    expect(JSON.parse(again.stdout).llm.families).toEqual([expect.objectContaining({ id: 'handler', status: 'applied', cached: true })]);
    expect(fs.readdirSync(path.join(dir, '.metarepo/cache/llm')).filter((f) => f.endsWith('.json'))).toHaveLength(1);
  });

  it('without an endpoint, --llm stores exactly what a run without it stores', () => {
    const plain = handlerWorkspace();
    const withFlag = handlerWorkspace();
    expect(metarepo(plain, ['patterns', 'detect', 'src/handlers'], { env: NO_LLM }).code).toBe(0);
    const r = metarepo(withFlag, ['patterns', 'detect', 'src/handlers', '--llm'], { env: NO_LLM });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('no LLM endpoint is configured');
    expect(storedPatterns(withFlag)).toEqual(storedPatterns(plain));
  });

  it.each([
    ['not-json', 'it is not JSON'],
    ['wrong-schema', 'it does not follow the expected schema'],
  ] as const)('rejects a %s answer with a clear message and keeps the deterministic proposal', async (mode, message) => {
    stub = await startOpenAiStub(mode);
    const plain = handlerWorkspace();
    expect(metarepo(plain, ['patterns', 'detect', 'src/handlers'], { env: NO_LLM }).code).toBe(0);
    const dir = handlerWorkspace();
    const r = await metarepoAsync(dir, ['patterns', 'detect', 'src/handlers', '--llm'], { ...NO_LLM, OPENAI_BASE_URL: stub.baseURL });
    expect(r.code).toBe(0);
    expect(stub.requests).toHaveLength(1);
    expect(r.stderr).toContain(`the model's answer for pattern "handler" was rejected: ${message}`);
    expect(r.stderr).toContain('Keeping the deterministic names');
    expect(storedPatterns(dir)).toEqual(storedPatterns(plain));
  });
});
