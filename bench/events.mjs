// Event benchmarks (issues 4 and 13), one JSON line per part (BENCH_EVENTS_PARTS=broker,stall,query; default all):
// - events: 1 KB events through the broker (ZmqBus publisher → broker process → ZmqBus subscriber, every event
//   acknowledged after it is logged) beside raw zeromq PUB/SUB over ipc in the same run (the ratio), publish → receive
//   latency p50/p99; with the broker's log on and off.
// - events-stall: the broker's memory before, at the peak of and after a subscriber's 10 s stall, beside the old mark.
// - events-query: `metarepo events` over a 200k-event log (since near the end, type, run, limit) beside `node -e 0`
//   and `metarepo --version`, and in process beside reading every event. Run after a build.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import { REPO, median, report, round, tempDir } from './lib.mjs';

const N = Number(process.env.BENCH_EVENTS ?? 20_000);
const LATENCY_SAMPLES = Number(process.env.BENCH_LATENCY_SAMPLES ?? 1000);
const DATA = { blob: 'x'.repeat(1024 - 32), n: 0 }; // about 1 KB of data per envelope

const load = (p) => import(pathToFileURL(path.join(REPO, 'dist/src/events/zmq', p)).href);
const [{ startBroker, stopBroker, brokerStatus }, { ZmqBus }, zmq] = await Promise.all([load('client.js'), load('zmq-bus.js'), import('zeromq')]);

function workspace() {
  const root = tempDir('metarepo-bench-events-');
  fs.writeFileSync(path.join(root, 'metarepo.yaml'), 'name: bench\n');
  return root;
}

const ms = (x) => Math.round(x * 100) / 100;
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** Raw PUB/SUB over ipc: the same payload (an envelope's JSON), parsed on receipt as a subscriber would. */
async function rawPubSub() {
  const root = workspace();
  const endpoint = `ipc://${path.join(root, 'raw.sock')}`;
  const pub = new zmq.Publisher({ sendHighWaterMark: 0 });
  await pub.bind(endpoint);
  const sub = new zmq.Subscriber({ receiveHighWaterMark: 0 });
  sub.connect(endpoint);
  sub.subscribe('bench:');
  await new Promise((r) => setTimeout(r, 200)); // let the subscription reach the publisher
  const json = JSON.stringify({ specversion: '1.0', id: 'x', source: 'bench', type: 'bench:event:sent', data: DATA, sequence: 1 });
  const started = performance.now();
  const received = (async () => {
    let n = 0;
    for await (const [, body] of sub) {
      JSON.parse(body.toString('utf8'));
      if (++n === N) return;
    }
  })();
  for (let i = 0; i < N; i++) await pub.send(['bench:event:sent', json]);
  await received;
  const seconds = (performance.now() - started) / 1000;
  pub.close();
  sub.close();
  return N / seconds;
}

/** Through the broker: throughput of a burst, then one-at-a-time publish → receive latency. */
async function throughBroker(log) {
  const root = workspace();
  await startBroker(root, { log, heartbeatMs: 200 });
  try {
    const subscriber = await ZmqBus.connect(root, { receiveHwm: 0 });
    const publisher = await ZmqBus.connect(root);
    let received = 0;
    let onEvent = () => {};
    const sentAt = new Map();
    const latencies = [];
    subscriber.subscribe('bench:*', (e) => {
      received++;
      const t = sentAt.get(e.id);
      if (t !== undefined) latencies.push(performance.now() - t);
      onEvent();
    });
    await subscriber.ready();

    const started = performance.now();
    const all = new Promise((resolve) => (onEvent = () => received === N && resolve()));
    for (let i = 0; i < N; i++) {
      publisher.publish('bench:event:sent', DATA, 'bench');
      if (i % 500 === 499) await new Promise((r) => setImmediate(r)); // let acks in, as a real run would
    }
    await all;
    const perSecond = N / ((performance.now() - started) / 1000);

    for (let i = 0; i < LATENCY_SAMPLES; i++) {
      const next = new Promise((resolve) => (onEvent = resolve));
      const t = performance.now();
      const e = publisher.publish('bench:event:ping', { i }, 'bench');
      sentAt.set(e.id, t);
      await next;
    }
    const sorted = latencies.sort((a, b) => a - b);
    await publisher.close();
    await subscriber.close();
    return { perSecond, p50: percentile(sorted, 50), p99: percentile(sorted, 99), recovered: subscriber.stats.follower?.recovered ?? 0 };
  } finally {
    await stopBroker(root);
  }
}

/** The resident memory of a process in MiB (Linux /proc). */
const rssMb = (pid) => Math.round(Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024);

/**
 * The broker's memory before, during and after a subscriber stalls for STALL_MS while 1 KB events keep coming:
 * a raw SUB socket that stops reading (its own queue holds one message), then reads everything the broker kept for
 * it. With `publishHwm` absent (the default) and 10 000 (the default before issue 13) side by side. Linux only (/proc).
 */
async function stall(publishHwm) {
  const STALL_MS = Number(process.env.BENCH_STALL_MS ?? 10_000);
  const root = workspace();
  const info = await startBroker(root, { heartbeatMs: 200, ...(publishHwm ? { publishHwm } : {}) });
  try {
    const publisher = await ZmqBus.connect(root);
    const burst = async (n) => {
      for (let i = 0; i < n; i++) {
        publisher.publish('bench:event:sent', DATA, 'bench');
        if (i % 500 === 499) await new Promise((r) => setImmediate(r));
      }
      await publisher.flush(120_000);
    };
    // The broker's own view (MiB): V8 heap used and memory outside it (zeromq's queues, buffers), beside its RSS.
    const memory = async () => (await brokerStatus(root)).stats?.memory ?? {};
    await burst(60_000); // fills the broker's memory of recent events: its steady state
    await new Promise((r) => setTimeout(r, 1000));
    const before = rssMb(info.pid);
    const memoryBefore = await memory();
    const stalled = new zmq.Subscriber({ receiveHighWaterMark: 1, linger: 0 });
    stalled.connect(info.endpoints.publish);
    stalled.subscribe('bench:');
    await new Promise((r) => setTimeout(r, 200));
    let sent = 0;
    let peak = before;
    let memoryPeak = memoryBefore;
    for (const end = Date.now() + STALL_MS; Date.now() < end; ) {
      await burst(5000);
      sent += 5000;
      const rss = rssMb(info.pid);
      if (rss > peak) [peak, memoryPeak] = [rss, await memory()];
    }
    let drained = 0;
    stalled.receiveTimeout = 1000;
    for (;;) {
      try {
        drained += (await stalled.receive()).length - 1;
      } catch {
        break;
      }
    }
    stalled.close();
    await new Promise((r) => setTimeout(r, 3000)); // a few heartbeats: the broker sees it is idle and collects
    const after = rssMb(info.pid);
    const memoryAfter = await memory();
    await publisher.close();
    const split = (m) => ({ heapUsed: m.heapUsed, external: m.external });
    return { before, peak, after, memory: { before: split(memoryBefore), peak: split(memoryPeak), after: split(memoryAfter) }, sentDuringStall: sent, keptForStalled: drained };
  } finally {
    await stopBroker(root);
    fs.rmSync(root, { recursive: true, force: true }); // ~200 MB of log
  }
}

/**
 * Queries over a 200k-event log of 1 KB events (5 types in turn), through the CLI as a person runs it (stdout to
 * /dev/null) beside `metarepo --version` (Node start-up), and in process: the indexed query beside reading every
 * event as readEvents does (the path `metarepo events` took before the index).
 */
async function queries() {
  const QN = Number(process.env.BENCH_QUERY_EVENTS ?? 200_000);
  const root = workspace();
  const dir = path.join(root, '.metarepo/events');
  const [{ EventLog, readEvents }, { queryEvents }, { matchesType }] = await Promise.all([
    import(pathToFileURL(path.join(REPO, 'dist/src/events/log.js')).href),
    import(pathToFileURL(path.join(REPO, 'dist/src/events/query.js')).href),
    import(pathToFileURL(path.join(REPO, 'dist/src/events/envelope.js')).href),
  ]);
  const log = new EventLog(dir);
  const t0 = Date.now() - QN * 10;
  for (let i = 0; i < QN; i += 1000) {
    log.appendAll(
      Array.from({ length: Math.min(1000, QN - i) }, (_, k) => {
        const n = i + k;
        const time = new Date(t0 + n * 10).toISOString();
        const json = JSON.stringify({ specversion: '1.0', id: `q${n}`, source: 'bench', type: `bench:query:${'abcde'[n % 5]}`, time, datacontenttype: 'application/json', data: DATA, runid: `r${n >> 10}` });
        return { time, render: (seq) => `${json.slice(0, -1)},"sequence":${seq}}` };
      }),
    );
  }
  log.close();
  const node = (args, runs) => {
    const times = [];
    for (let r = 0; r <= runs; r++) {
      const t = performance.now();
      const out = fs.openSync('/dev/null', 'w');
      const res = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', out, 'pipe'] });
      fs.closeSync(out);
      if (res.status !== 0) throw new Error(`metarepo ${args.join(' ')}: ${res.stderr}`);
      if (r > 0) times.push(performance.now() - t); // the first run warms the page cache
    }
    return median(times);
  };
  const cli = (args, runs) => node([path.join(REPO, 'dist/src/cli/bin.js'), ...args], runs);
  const inProcess = (fn, runs = 3) => median(Array.from({ length: runs }, () => { const t = performance.now(); fn(); return performance.now() - t; }));
  const stats = { segments: 0, read: 0, parsed: 0, bytes: 0 };
  const count = (it) => { let n = 0; for (const _ of it) n++; return n; };
  const typeMatches = count(queryEvents(dir, { type: 'bench:query:c' }, stats));
  const figures = {
    queryEvents: QN,
    segments: stats.segments,
    typeMatches,
    nodeStartupMs: round(node(['-e', '0'], 5)), // the floor of any CLI figure on this machine
    cliStartupMs: round(cli(['--version'], 5)),
    cliSinceNearEndMs: round(cli(['events', '--json', '--since', String(QN - 10)], 5)),
    cliTypeFilterMs: round(cli(['events', '--json', '--type', 'bench:query:c'], 3)),
    cliRunFilterMs: round(cli(['events', '--json', '--run', 'r100'], 3)),
    cliLimitMs: round(cli(['events', '--json', '--limit', '20'], 5)),
    sinceNearEndMs: round(inProcess(() => count(queryEvents(dir, { since: QN - 10 })))),
    typeFilterMs: round(inProcess(() => count(queryEvents(dir, { type: 'bench:query:c' })))),
    typeFilterReadAllMs: round(inProcess(() => count([...readEvents(dir)].filter((e) => matchesType('bench:query:c', e.type))), 1)),
  };
  fs.rmSync(root, { recursive: true, force: true }); // ~200 MB
  return figures;
}

// BENCH_EVENTS_PARTS=broker, stall or query runs that part only (comma-separated for several).
const PARTS = (process.env.BENCH_EVENTS_PARTS ?? 'broker,stall,query').split(',');
if (PARTS.includes('broker')) {
  const raw = await rawPubSub();
  const logged = await throughBroker(true);
  const unlogged = await throughBroker(false);
  report('events', {
    events: N,
    cores: os.availableParallelism(), // publisher + subscriber (this process) and the broker share them
    eventBytes: 1024,
    rawPubSubPerSec: Math.round(raw),
    brokerPerSec: Math.round(logged.perSecond),
    ratio: Math.round((logged.perSecond / raw) * 100) / 100,
    latencyP50Ms: ms(logged.p50),
    latencyP99Ms: ms(logged.p99),
    logOffPerSec: Math.round(unlogged.perSecond),
    logOffRatio: Math.round((unlogged.perSecond / raw) * 100) / 100,
    logOffLatencyP50Ms: ms(unlogged.p50),
    logOffLatencyP99Ms: ms(unlogged.p99),
  });
}
if (PARTS.includes('stall')) {
  const now = await stall();
  const old = await stall(10_000);
  report('events-stall', {
    stallMs: Number(process.env.BENCH_STALL_MS ?? 10_000),
    eventBytes: 1024,
    brokerRssBeforeMb: now.before,
    brokerRssPeakMb: now.peak,
    brokerRssAfterDrainMb: now.after,
    brokerHeapUsedMb: now.memory.before.heapUsed + '/' + now.memory.peak.heapUsed + '/' + now.memory.after.heapUsed, // before/peak/after
    brokerExternalMb: now.memory.before.external + '/' + now.memory.peak.external + '/' + now.memory.after.external,
    sentDuringStall: now.sentDuringStall,
    keptForStalled: now.keptForStalled,
    hwm10000RssBeforeMb: old.before,
    hwm10000RssPeakMb: old.peak,
    hwm10000RssAfterDrainMb: old.after,
    hwm10000KeptForStalled: old.keptForStalled,
  });
}
if (PARTS.includes('query')) report('events-query', await queries());
