// Recovery benchmarks: how soon metarepo ends work that went wrong and is ready again. These figures were once
// wall-clock limits inside tests (tests/unit/codegen/pool.test.ts, codegen/quicktype.test.ts,
// plugins-process/host.test.ts), which failed on a busy machine while the behaviour was right; the tests now
// check the behaviour and this script measures the speed, each beside its peer (the same thing done with bare
// Node primitives). Prints one JSON line per benchmark. Run after a build (`npm run bench` builds first).
import { fork, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { REPO, median, report, round, tempDir } from './lib.mjs';

const RUNS = Math.max(3, Number(process.env.BENCH_RECOVERY_RUNS ?? 5));
const dist = (p) => pathToFileURL(path.join(REPO, 'dist', p)).href;
const { createCodegenPool } = await import(dist('src/engine/worker/pool.js'));
const workerUrl = new URL(dist('src/engine/worker/worker.js'));
const since = (t0) => performance.now() - t0;

// Generators for the pool: one that never returns (a busy loop, so only terminating the thread stops it), one that
// answers at once.
const fixtures = tempDir('metarepo-bench-recovery-');
const write = (name, text) => {
  const file = path.join(fixtures, name);
  fs.writeFileSync(file, text);
  return pathToFileURL(file).href;
};
const hang = { name: 'hang', module: write('hang.mjs', 'export async function generate() { for (;;); }\n') };
const ok = { name: 'ok', module: write('ok.mjs', "export async function generate(input) { return [{ path: input.output, content: 'ok' }]; }\n") };
const input = { model: { name: 'user', version: '1.0.0', schema: { type: 'object' } }, options: {}, output: 'gen/user.txt' };

// 1. Codegen pool: a job past its time limit is ended, and the next job is served on a fresh worker.
//    Peer: a bare worker thread started until its first message, then terminated.
{
  const LIMIT_MS = 300;
  const timedOut = [];
  const nextJob = [];
  const bareStart = [];
  const bareTerminate = [];
  for (let i = 0; i < RUNS; i++) {
    const pool = createCodegenPool({ workerUrl, size: 1, timeoutMs: LIMIT_MS });
    try {
      await pool.run(ok, input); // the worker is up before the clock starts
      let t0 = performance.now();
      const r = await pool.run(hang, input);
      timedOut.push(since(t0));
      if (r.ok || !/^timed out/.test(r.reason)) throw new Error(`expected a time-out, got ${JSON.stringify(r)}`);
      t0 = performance.now();
      if (!(await pool.run(ok, input, { timeoutMs: 60_000 })).ok) throw new Error('the next job failed');
      nextJob.push(since(t0));
    } finally {
      await pool.close();
    }
    let t0 = performance.now();
    const worker = new Worker("require('node:worker_threads').parentPort.postMessage('up'); for (;;);", { eval: true });
    await new Promise((resolve, reject) => worker.once('message', resolve).once('error', reject));
    bareStart.push(since(t0));
    t0 = performance.now();
    await worker.terminate();
    bareTerminate.push(since(t0));
  }
  report('codegen-pool-timeout', {
    runs: RUNS,
    limitMs: LIMIT_MS,
    timedOutMedianMs: round(median(timedOut)),
    overshootMedianMs: round(median(timedOut) - LIMIT_MS),
    nextJobOnFreshWorkerMedianMs: round(median(nextJob)),
    bareWorkerStartMedianMs: round(median(bareStart)),
    bareWorkerTerminateMedianMs: round(median(bareTerminate)),
  });
}

// 2. quicktype on a schema nested 400 deep, in a worker with a 1 MB stack: the overflow is reported, not a hang.
//    Peer: the same generate function on the main thread of a fresh Node process, on Node's default stack.
{
  let schema = { type: 'string' };
  for (let i = 0; i < 400; i++) schema = { type: 'object', properties: { child: schema } };
  const deep = { model: { name: 'deep', version: '1.0.0', schema }, options: { lang: 'typescript' }, output: 'gen/deep.ts' };
  const quicktype = { name: 'quicktype', module: dist('plugins/codegen-quicktype/generate.js') };
  const inWorker = [];
  let workerOutcome = '';
  const pool = createCodegenPool({ workerUrl, size: 1, timeoutMs: 60_000, stackSizeMb: 1 });
  try {
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      const r = await pool.run(quicktype, deep);
      inWorker.push(since(t0));
      workerOutcome = r.ok ? 'generated' : r.reason.replace(/:.*/, '');
    }
  } finally {
    await pool.close();
  }
  // The peer runs in a child process: on the main thread the overflow hits quicktype's promise machinery and
  // takes the whole process down (which is what the worker's own stack limit is there to prevent).
  const script = `const { generate } = await import(${JSON.stringify(quicktype.module)});
    await generate(JSON.parse(process.argv[1])); process.stdout.write('generated');`;
  const inProcess = [];
  let inProcessOutcome = '';
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(deep)], { encoding: 'utf8' });
    inProcess.push(since(t0));
    inProcessOutcome = r.stdout === 'generated' ? 'generated' : /Maximum call stack size exceeded/.test(r.stderr) ? `process died of a stack overflow (exit ${r.status})` : `failed (exit ${r.status})`;
  }
  report('quicktype-deep-schema', {
    runs: RUNS,
    depth: 400,
    workerStackMb: 1,
    workerMedianMs: round(median(inWorker)),
    workerOutcome,
    mainThreadProcessMedianMs: round(median(inProcess)),
    mainThreadOutcome: inProcessOutcome,
  });
}

// 3. A process plugin whose check never answers: the call fails at the time limit and the process is stopped.
//    Peer: a bare forked Node process, until its first IPC message, then SIGTERM until it exits.
{
  const LIMIT_MS = 1500;
  const { ProcessPlugin } = await import(dist('src/plugins/process/host.js'));
  const { readPluginManifest } = await import(dist('src/plugins/manifest.js'));
  const pluginDir = path.join(fixtures, 'hung-plugin');
  fs.mkdirSync(pluginDir);
  const manifest = { main: 'index.mjs', engines: { metarepo: '>=0.1.0' }, contributes: { checks: ['hang'] }, isolation: 'process' };
  fs.writeFileSync(path.join(pluginDir, 'package.json'), JSON.stringify({ name: 'hung', version: '1.0.0', private: true, type: 'module', metarepo: manifest }));
  fs.writeFileSync(
    path.join(pluginDir, 'index.mjs'),
    "export default { name: 'hung', setup(api) { api.registerCheck({ name: 'hang', description: 'Never returns.', run() { for (;;); } }); } };\n",
  );
  const started = [];
  const failed = [];
  const stopped = [];
  for (let i = 0; i < RUNS; i++) {
    const plugin = new ProcessPlugin({ manifest: await readPluginManifest(pluginDir, 'path'), root: tempDir('metarepo-bench-ws-'), timeoutMs: LIMIT_MS, graceMs: 500, log: () => undefined });
    try {
      let t0 = performance.now();
      await plugin.start();
      started.push(since(t0));
      t0 = performance.now();
      const error = await Promise.resolve(plugin.contributions.checks[0].run({ root: '/ws', workspace: {}, changes: [] })).then(
        () => undefined,
        (e) => e,
      );
      failed.push(since(t0));
      if (!/did not answer within/.test(error?.message ?? '')) throw new Error(`expected a time-out, got ${error?.message}`);
      while (plugin.running) await new Promise((r) => setTimeout(r, 5));
      stopped.push(since(t0));
    } finally {
      await plugin.stop();
    }
  }
  const bareStart = [];
  const bareStop = [];
  const child = path.join(fixtures, 'bare-child.mjs');
  fs.writeFileSync(child, "process.send('up'); process.on('SIGTERM', () => process.exit(0)); setInterval(() => {}, 1000);\n");
  for (let i = 0; i < RUNS; i++) {
    let t0 = performance.now();
    const c = fork(child, [], { stdio: 'ignore' });
    await new Promise((resolve) => c.once('message', resolve));
    bareStart.push(since(t0));
    t0 = performance.now();
    const exited = new Promise((resolve) => c.once('exit', resolve));
    c.kill('SIGTERM');
    await exited;
    bareStop.push(since(t0));
  }
  report('process-plugin-timeout', {
    runs: RUNS,
    limitMs: LIMIT_MS,
    startMedianMs: round(median(started)),
    failedAfterMedianMs: round(median(failed)),
    overshootMedianMs: round(median(failed) - LIMIT_MS),
    stoppedAfterMedianMs: round(median(stopped)),
    bareForkStartMedianMs: round(median(bareStart)),
    bareForkStopMedianMs: round(median(bareStop)),
  });
}

fs.rmSync(fixtures, { recursive: true, force: true });
