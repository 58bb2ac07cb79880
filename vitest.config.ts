import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Built-in plugins and generators import the public API by its package name; under vitest that name must reach
  // the TypeScript sources (the same module instances the tests use), not the compiled copy in dist/.
  resolve: { alias: [{ find: /^metarepo\/plugin$/, replacement: fileURLToPath(new URL('./src/api/plugin.ts', import.meta.url)) }] },
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/setup/build.ts'],
    // `[vitest-worker]: Timeout calling "onTaskUpdate"` (all tests passed, yet the run exited 1 at load average 6–13
    // on 2 cores) had one cause: tests that block their worker's event loop. A worker reports progress to vitest
    // over an RPC whose answer it awaits with a fixed 60 s timer (birpc's default; vitest 3 has no option for it).
    // The e2e tests run the CLI with spawnSync, and vitest runs synchronous tests back to back without returning to
    // the event loop, so a file of them (or one long synchronous hook, like the session logged-events.test.ts
    // drives) kept the worker from reading answers that had long arrived. Load does not cause it, it only makes the
    // CLI slower until a blocked stretch passes 60 s; then Node fires the expired timer before it reads the answer.
    // Measured: three synchronous 25 s tests fail a run this way; with the setup file below they pass cleanly.
    // The fix, rather than a longer timeout (there is none to set):
    // - tests/setup/yield.ts turns the event loop before and after every test, so answers are read between tests
    //   and only a single test blocking for its whole 60 s testTimeout could still trip the timer;
    // - long tests and hooks run the CLI with `metarepoAsync` (tests/e2e/cli.ts), which does not block at all.
    setupFiles: ['tests/setup/yield.ts'],
    // A test's time limit only stops a hang. The e2e tests run the CLI five to fifteen times each: 10-20 s on an idle
    // 2-core machine, 45-60 s and more at load average 13 (measured), so 60 s failed green tests there.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // expect.poll waits for something that must happen (a process exits, a watcher fires); its 1 s default was a
    // wall-clock assertion in disguise on a busy machine. It still fails when the thing never happens.
    expect: { poll: { timeout: 30_000 } },
    // Two cores: e2e tests spawn the CLI, worker threads and brokers; more forks only thrash, and every blocked
    // second of a busy machine stretches the tests above. Forks, not threads: threads would not help (a blocked
    // thread cannot read its answers either), the tests load a native module (zeromq), and one calls process.chdir,
    // which worker threads do not allow.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
