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
