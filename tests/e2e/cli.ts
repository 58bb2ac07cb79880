// Drives the built CLI as a subprocess, the way a person does.
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(REPO_ROOT, 'dist/src/cli/bin.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `metarepo <args>` in `cwd` with no TTY on stdin. */
export function metarepo(cwd: string, args: string[], opts: { input?: string; env?: Record<string, string> } = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    input: opts.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...opts.env },
    timeout: 120_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * `metarepo <args>` like {@link metarepo}, without blocking: the test worker's event loop keeps running while the CLI
 * does. Long tests must use this one. A synchronous subprocess call blocks the worker, which then cannot read
 * vitest's answers to its own progress reports (the `onTaskUpdate` RPC); past 60 s of blocking on a loaded machine
 * the run fails with `[vitest-worker]: Timeout calling "onTaskUpdate"` although every test passed.
 */
export function metarepoAsync(cwd: string, args: string[], opts: { input?: string; env?: Record<string, string>; timeout?: number } = {}): Promise<CliResult> {
  return runAsync(process.execPath, [BIN, ...args], { cwd, input: opts.input, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...opts.env }, timeout: opts.timeout });
}

/**
 * How long one program may run before it is killed (a hang, not a speed limit): just under vitest's testTimeout, so a
 * CLI run that is merely slow on a loaded machine is never cut short by this.
 */
const PROGRAM_TIMEOUT_MS = 170_000;

/**
 * Runs any program without blocking (see {@link metarepoAsync}); `code` is -1 when it was killed or did not start,
 * and a kill at the time limit says so on stderr.
 */
export function runAsync(command: string, args: string[], opts: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(
      command,
      args,
      { cwd: opts.cwd, encoding: 'utf8', env: opts.env ?? process.env, timeout: opts.timeout ?? PROGRAM_TIMEOUT_MS, maxBuffer: 256 * 1024 * 1024 },
      (error, stdout, stderr) => {
        // On a non-zero exit `error.code` is the exit code; killed (the timeout) or not started it is null or a string.
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        const killed = error?.killed ? `\n[killed by the test after ${(opts.timeout ?? PROGRAM_TIMEOUT_MS) / 1000} s]` : '';
        resolve({ code, stdout, stderr: stderr + killed });
      },
    );
    child.stdin!.on('error', () => undefined); // a program that exits before reading its input: its exit code tells
    child.stdin!.end(opts.input ?? '');
  });
}

/** A fresh temp folder. */
export function tempDir(prefix = 'metarepo-e2e-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Every file under `dir` with its content, for "nothing changed" checks — except node_modules and metarepo's
 * machine state that every run may touch: the event log and caches (`.metarepo/events`, `.metarepo/cache`).
 */
export function snapshotTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      const rel = path.relative(dir, p);
      if (rel === 'node_modules' || rel === path.join('.metarepo', 'events') || rel === path.join('.metarepo', 'cache')) continue;
      if (e.isDirectory()) walk(p);
      else out[rel] = fs.readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

/**
 * Writes `models/<name>/<version>.schema.json`; an `$id` ending in a version segment gets `version` there.
 */
export function writeModel(dir: string, name: string, version: string, schema: Record<string, unknown>): void {
  if (typeof schema.$id === 'string') schema = { ...schema, $id: schema.$id.replace(/\/[^/]+$/, `/${version}`) };
  fs.mkdirSync(path.join(dir, 'models', name), { recursive: true });
  fs.writeFileSync(path.join(dir, 'models', name, `${version}.schema.json`), `${JSON.stringify(schema, null, 2)}\n`);
}

/** Replaces the `targets:` list of metarepo.yaml with the given YAML lines (none: `targets: []`). */
export function setTargets(dir: string, lines: string[]): void {
  const file = path.join(dir, 'metarepo.yaml');
  const text = fs.readFileSync(file, 'utf8').replace(/targets:.*(\n  .*)*/, '');
  fs.writeFileSync(file, `${text.trimEnd()}\ntargets:${lines.length ? `\n${lines.join('\n')}` : ' []'}\n`);
}
