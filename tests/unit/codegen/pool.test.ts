import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { MetarepoError } from '../../../src/core/errors.js';
import type { CodegenInput } from '../../../src/plugins/api.js';
import { EXCERPT_LENGTH } from '../../../src/engine/worker/capture.js';
import { createCodegenPool, type CodegenPool, type CodegenPoolOptions } from '../../../src/engine/worker/pool.js';
import { distUrl, fixture, fixturePath } from './dist.js';

const input: CodegenInput = { model: { name: 'user', version: '1.2.0', schema: { type: 'object' } }, options: {}, output: 'gen/user.txt' };
const workerUrl = distUrl('src/engine/worker/worker.js');
const ok = { name: 'ok', module: fixture('ok') };

let pool: CodegenPool | undefined;
function open(options: CodegenPoolOptions = {}): CodegenPool {
  pool = createCodegenPool({ workerUrl, ...options });
  return pool;
}
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

describe('createCodegenPool', () => {
  it('runs a generator in a worker and returns its files', async () => {
    const result = await open().run(ok, input);
    expect(result).toEqual({ ok: true, files: [{ path: 'gen/user.txt', content: 'model user@1.2.0\n' }] });
  });

  it('calls the named export and accepts an absolute module path', async () => {
    const result = await open().run({ name: 'shout', module: fixturePath('ok'), exportName: 'shout' }, input);
    expect(result).toEqual({ ok: true, files: [{ path: 'gen/user.txt', content: 'USER' }] });
  });

  it('reports a thrown error as the first line of its message, with its hint', async () => {
    const result = await open().run({ name: 'thrower', module: fixture('throws') }, input);
    expect(result).toEqual({ ok: false, reason: 'generator thrower failed: the model has no properties', hint: 'Add properties to the model.' });
  });

  it('quotes what a failing generator printed in its reason, without colour codes, one line', async () => {
    const p = open({ size: 1 });
    const printer = { name: 'printer', module: fixture('prints') };
    expect(await p.run(printer, { ...input, options: { fail: true } })).toEqual({
      ok: false,
      reason: `generator printer failed: library gave up (printed: working on user [ 'Error at key "properties": deprecated must be a boolean' ] raw write)`,
    });
    // A job that succeeds returns its files only; its output is dropped, not carried into the next reason.
    expect(await p.run(printer, input)).toEqual({ ok: true, files: [{ path: 'gen/user.txt', content: 'done' }] });
    expect(await p.run({ name: 'thrower', module: fixture('throws') }, input)).toEqual({
      ok: false,
      reason: 'generator thrower failed: the model has no properties',
      hint: 'Add properties to the model.',
    });
  });

  it('cuts a long printed excerpt to its limit', async () => {
    const result = await open().run({ name: 'chatty', module: fixture('prints'), exportName: 'flood' }, input);
    const printed = !result.ok && /\(printed: (.*)\)$/.exec(result.reason)?.[1];
    expect(printed).toMatch(/^line 0 line 1 line 2 .*…$/);
    expect((printed as string).length).toBe(EXCERPT_LENGTH);
  });

  it('never lets a generator write to the terminal', () => {
    const runner = fileURLToPath(new URL('./fixtures/run-printer.mjs', import.meta.url));
    const child = spawnSync(process.execPath, [runner, distUrl('src/engine/worker/pool.js').href], { encoding: 'utf8', timeout: 30_000 });
    expect(child.stderr).toBe('');
    const lines = child.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1); // only the runner's own JSON line
    const results = JSON.parse(lines[0]!) as Array<{ ok: boolean; reason?: string }>;
    expect(results.map((r) => r.ok)).toEqual([true, false]);
    expect(results[1]!.reason).toContain('(printed: working on user');
  });

  it('terminates a job that runs past the time limit and serves the next job on a fresh worker', async () => {
    // How soon the hung job is ended is a figure of `npm run bench` (bench/recovery.mjs), not an assertion here.
    const p = open({ size: 1, timeoutMs: 300 });
    expect(await p.run({ name: 'hang', module: fixture('hangs') }, input)).toEqual({ ok: false, reason: 'timed out after 0.3 s' });
    // Generous limit for the next job: a fresh worker must start on a possibly busy machine.
    expect((await p.run(ok, input, { timeoutMs: 30_000 })).ok).toBe(true);
  });

  it('lets a per-job time limit override the pool default', async () => {
    const result = await open({ timeoutMs: 60_000 }).run({ name: 'hang', module: fixture('hangs') }, input, { timeoutMs: 200 });
    expect(result).toEqual({ ok: false, reason: 'timed out after 0.2 s' });
  });

  it('reports running out of memory with the limit, and recovers', async () => {
    const p = open({ size: 1, maxOldGenerationSizeMb: 16 });
    expect(await p.run({ name: 'hog', module: fixture('oom') }, input)).toEqual({ ok: false, reason: 'ran out of memory (limit 16 MB)' });
    expect((await p.run(ok, input)).ok).toBe(true);
  });

  it('reports a stack overflow with the generator name and stack limit', async () => {
    const p = open({ size: 1, stackSizeMb: 2 });
    const result = await p.run({ name: 'deep', module: fixture('recurses') }, input);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/^stack overflow in deep: .*\(stack limit 2 MB\)$/);
    expect((await p.run(ok, input)).ok).toBe(true);
  });

  it('rejects a result that is not a list of files', async () => {
    const result = await open().run({ name: 'bad', module: fixture('bad-result') }, input);
    expect(result).toEqual({ ok: false, reason: 'generator bad returned an invalid result: it did not return an array of { path, content } strings' });
  });

  it('reports a worker that exits during a job', async () => {
    const p = open({ size: 1 });
    expect(await p.run({ name: 'quitter', module: fixture('exits') }, input)).toEqual({ ok: false, reason: 'generator quitter exited with code 3' });
    expect((await p.run(ok, input)).ok).toBe(true);
  });

  it('reports a module or export that cannot be loaded', async () => {
    const p = open();
    const missing = await p.run({ name: 'ghost', module: fixture('does-not-exist') }, input);
    expect(!missing.ok && missing.reason).toMatch(/^could not load generator ghost: Cannot find module .*does-not-exist\.mjs/);
    const noExport = await p.run({ name: 'ok', module: fixture('ok'), exportName: 'nope' }, input);
    expect(!noExport.ok && noExport.reason).toMatch(/has no function export "nope"$/);
  });

  it('fails an input too deeply nested to send, without touching the main thread', async () => {
    let schema: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 100_000; i++) schema = { items: schema };
    const result = await open().run(ok, { ...input, model: { ...input.model, schema } });
    expect(result).toEqual({ ok: false, reason: 'cannot pass the input to generator ok: it is nested too deeply (stack overflow)' });
  });

  it('runs many jobs on a small pool, each result matching its own input', async () => {
    const p = open({ size: 2 });
    const names = Array.from({ length: 12 }, (_, i) => `m${i}`);
    const results = await Promise.all(names.map((name) => p.run(ok, { ...input, model: { ...input.model, name } })));
    expect(results.map((r) => r.ok && r.files[0]!.content)).toEqual(names.map((n) => `model ${n}@1.2.0\n`));
  });

  it('keeps a failing job from affecting jobs running beside it', async () => {
    const p = open({ size: 2 });
    const [hung, fine] = await Promise.all([p.run({ name: 'hang', module: fixture('hangs') }, input, { timeoutMs: 500 }), p.run(ok, input)]);
    expect(hung.ok).toBe(false);
    expect(fine.ok).toBe(true);
  });

  it('defaults to at most four workers', () => {
    expect(open().size).toBeGreaterThanOrEqual(1);
    expect(pool!.size).toBeLessThanOrEqual(4);
  });

  it('cancels queued and running jobs on close, and refuses new ones', async () => {
    const p = open({ size: 1 });
    const running = p.run({ name: 'hang', module: fixture('hangs') }, input);
    const queued = p.run(ok, input);
    await p.close();
    const cancelled = { ok: false, reason: 'cancelled: the codegen pool was closed' };
    expect(await running).toEqual(cancelled);
    expect(await queued).toEqual(cancelled);
    expect(() => p.run(ok, input)).toThrow(MetarepoError);
  });
});
