// Vitest setup file (every test file): lets the worker read vitest's answers between tests.
//
// A test that calls a subprocess synchronously (spawnSync, execFileSync: tests/e2e/cli.ts `metarepo`) blocks its
// worker's event loop. Meanwhile the worker's progress reports to vitest (`onTaskUpdate`, sent at every test and
// hook boundary) wait for their answers with a 60 s timer (birpc's default, which vitest 3 does not let us change),
// and vitest runs one synchronous test after another without ever returning to the event loop. On a loaded machine
// a file of such tests blocks for minutes; when the loop runs again Node fires the expired timer before it reads the
// answer that came long ago, and the run fails with `[vitest-worker]: Timeout calling "onTaskUpdate"` although
// every test passed. Two turns of the event loop before and after every test read those answers, so only a single
// test (or hook) blocking for a minute could still trip the timer, and a test that long fails its own timeout anyway.
// Long tests use `metarepoAsync` instead, which never blocks.
import { afterEach, beforeEach } from 'vitest';

// Taken before any test runs: a test's vi.useFakeTimers() must not stop these turns.
const realSetImmediate = globalThis.setImmediate;

/** Returns after the event loop has polled for I/O at least once (check phase → next loop: timers, poll, check). */
async function turnEventLoop(): Promise<void> {
  await new Promise<void>((resolve) => realSetImmediate(resolve));
  await new Promise<void>((resolve) => realSetImmediate(resolve));
}

beforeEach(turnEventLoop);
afterEach(turnEventLoop);
