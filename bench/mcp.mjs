// `metarepo mcp` on a workspace of 200 models and targets: a warm server's `status` (median over many calls to one
// server) and cold start to first answer (spawning `metarepo mcp` on stdio → initialize → first `status` answered),
// beside the CLI doing the same job cold (`metarepo status`, the whole process) and `node -e 0`, alternating.
// Budgets (issue 16): warm median ≤ 20 ms, cold median ≤ 300 ms; exits 1 over either.
import { spawnSync } from 'node:child_process';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { BIN, median, report, round, syntheticWorkspace, timeCli } from './lib.mjs';

const RUNS = Number(process.env.BENCH_MCP_RUNS ?? 9);
const WARM_CALLS = Number(process.env.BENCH_MCP_WARM_CALLS ?? 50);
const WARM_BUDGET_MS = 20;
const COLD_BUDGET_MS = 300;

const ws = syntheticWorkspace(200);
timeCli(ws, ['status']); // the plan cache and the models stamp are written once, as in any used workspace

async function connect() {
  const client = new Client({ name: 'bench', version: '1.0.0' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp'], cwd: ws, stderr: 'ignore' }));
  return client;
}

async function status(client) {
  const r = await client.callTool({ name: 'status', arguments: {} });
  if (r.isError) throw new Error(r.content[0].text);
}

const cold = [];
const cliCold = [];
const node = [];
for (let i = 0; i < RUNS; i++) {
  const t0 = performance.now();
  const client = await connect();
  await status(client);
  cold.push(performance.now() - t0);
  await client.close();
  cliCold.push(timeCli(ws, ['status']));
  const n0 = performance.now();
  spawnSync(process.execPath, ['-e', '0']);
  node.push(performance.now() - n0);
}

const client = await connect();
await status(client); // the first call opens the workspace
const warm = [];
for (let i = 0; i < WARM_CALLS; i++) {
  const t0 = performance.now();
  await status(client);
  warm.push(performance.now() - t0);
}
await client.close();

const figures = {
  models: 200,
  runs: RUNS,
  warmCalls: WARM_CALLS,
  warmStatusMedianMs: round(median(warm)),
  warmBudgetMs: WARM_BUDGET_MS,
  coldToFirstAnswerMedianMs: round(median(cold)),
  coldBudgetMs: COLD_BUDGET_MS,
  cliStatusColdMedianMs: round(median(cliCold)),
  nodeBaselineMs: round(median(node)),
};
report('mcp', figures);
if (figures.warmStatusMedianMs > WARM_BUDGET_MS || figures.coldToFirstAnswerMedianMs > COLD_BUDGET_MS) process.exitCode = 1;
