/**
 * `metarepo template test --verify`: the checks a template.yaml declares, run on a fixture's output written to a
 * temp folder — `tsc` (tsc --noEmit with the workspace's TypeScript), `node-check` (node --check), `json` (every
 * JSON file parses) and custom shell commands. The temp folder gets a `node_modules` link to the nearest
 * `node_modules` above the template's home, so rendered code resolves the packages the workspace has.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { globSync } from 'tinyglobby';
import { formatLocation } from '../core/errors.js';
import { PACKAGE_ROOT } from '../core/package-root.js';
import { createHandlebars, renderTemplate } from './handlebars.js';
import type { TemplateCheck } from './manifest.js';

/** The outcome of one check on one fixture. */
export interface VerifyResult {
  /** `tsc`, `node-check`, `json` or `command: <command>`. */
  check: string;
  ok: boolean;
  /** What failed: compiler diagnostics, `node --check` errors, JSON errors with line and column, command output. */
  output: string;
}

/** Longest a custom command may run, in ms. */
const COMMAND_TIMEOUT_MS = 5 * 60_000;

const TS_FILES = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'];
const JS_FILES = ['**/*.js', '**/*.mjs', '**/*.cjs'];

/** Nearest `node_modules` folder at or above `from`, if any. */
function nearestNodeModules(from: string): string | undefined {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules');
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** `typescript/bin/tsc` as the workspace resolves it, else as metarepo does. */
function tscBinary(home: string): string | undefined {
  for (const base of [home, PACKAGE_ROOT]) {
    try {
      return createRequire(path.join(base, 'package.json')).resolve('typescript/bin/tsc');
    } catch {
      // not installed there
    }
  }
  return undefined;
}

function run(cmd: string, args: string[], cwd: string, shell = false): { ok: boolean; output: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', shell, timeout: COMMAND_TIMEOUT_MS, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? r.error.message : ''}`.trim();
  return { ok: r.status === 0, output };
}

function matching(dir: string, patterns: string[]): string[] {
  return globSync(patterns, { cwd: dir, dot: true, ignore: ['node_modules/**'] }).sort();
}

function tsc(dir: string, home: string, files?: string[]): VerifyResult {
  const bin = tscBinary(home);
  if (!bin) return { check: 'tsc', ok: false, output: 'TypeScript is not installed where the template lives; add it with npm install --save-dev typescript.' };
  const configs = files ? [] : matching(dir, ['**/tsconfig.json']);
  const runs = configs.length > 0
    ? configs.map((c) => run(process.execPath, [bin, '--noEmit', '--pretty', 'false', '-p', c], dir))
    : (() => {
        const sources = matching(dir, files ?? TS_FILES);
        if (sources.length === 0) return [{ ok: true, output: '' }];
        const options = ['--strict', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--jsx', 'preserve', '--skipLibCheck'];
        return [run(process.execPath, [bin, '--noEmit', '--pretty', 'false', ...options, ...sources], dir)];
      })();
  return { check: 'tsc', ok: runs.every((r) => r.ok), output: runs.filter((r) => !r.ok).map((r) => r.output).join('\n') };
}

function nodeCheck(dir: string, files?: string[]): VerifyResult {
  const failed = matching(dir, files ?? JS_FILES)
    .map((f) => run(process.execPath, ['--check', f], dir))
    .filter((r) => !r.ok);
  return { check: 'node-check', ok: failed.length === 0, output: failed.map((r) => r.output).join('\n') };
}

function json(dir: string, files?: string[]): VerifyResult {
  const errors: string[] = [];
  for (const f of matching(dir, files ?? ['**/*.json'])) {
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    try {
      JSON.parse(text);
    } catch (e) {
      // V8 names the offset ("at position 13"); turn it into a line and column.
      const message = (e as Error).message;
      const offset = /position (\d+)/.exec(message);
      if (!offset) {
        errors.push(`${f}: ${message}`);
        continue;
      }
      const before = text.slice(0, Number(offset[1]));
      errors.push(`${formatLocation({ file: f, line: before.split('\n').length, column: before.length - before.lastIndexOf('\n') })}: ${message}`);
    }
  }
  return { check: 'json', ok: errors.length === 0, output: errors.join('\n') };
}

/**
 * Writes `files` to a temp folder and runs `checks` there, in order; the folder is removed afterwards.
 * @param home - the template's home: where TypeScript and `node_modules` are looked for.
 * @param answers - the fixture's answers, for rendering a command's `cwd`.
 * @returns one result per check (all of them run, whatever fails).
 */
export async function verifyOutput(files: Map<string, string>, checks: TemplateCheck[], home: string, answers: Record<string, unknown>): Promise<VerifyResult[]> {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'metarepo-verify-')));
  try {
    for (const [rel, content] of files) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), content);
    }
    const modules = nearestNodeModules(home);
    if (modules && !files.has('node_modules')) fs.symlinkSync(modules, path.join(dir, 'node_modules'), 'dir');
    const results: VerifyResult[] = [];
    for (const c of checks) {
      if (c.kind !== 'command') {
        results.push(c.kind === 'tsc' ? tsc(dir, home, c.files) : c.kind === 'node-check' ? nodeCheck(dir, c.files) : json(dir, c.files));
      } else {
        const cwd = c.cwd ? renderTemplate(createHandlebars(), c.cwd, answers, { label: `cwd of check "${c.command}"` }, false) : '.';
        const r = run(c.command, [], path.resolve(dir, cwd), true);
        results.push({ check: `command: ${c.command}`, ...r, output: r.ok ? '' : r.output });
      }
    }
    return results;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
