// Issue 13, item 8: an isolated plugin that signals its parent process or its whole process group ends only
// itself; metarepo reports the plugin failed and exits normally. The CLI runs in its own process group
// (`detached`), so that on failure the signal cannot reach the test runner.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, metarepoAsync, tempDir, type CliResult } from './cli.js';

/** `metarepo <args>` in its own process group; `signal` is set when it was killed. */
function metarepoDetached(cwd: string, args: string[]): Promise<CliResult & { signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? -1, signal, stdout, stderr }));
  });
}

/** A plugin with one check that prints its pid, sends SIGKILL to `target` (a pid expression), then spins. */
const plugin = (check: string, target: string) => `export default {
  name: 'killer',
  setup(api) {
    api.registerCheck({ name: '${check}', description: 'Kills ${target}.', run() { console.error('pid', process.pid); process.kill(${target}, 'SIGKILL'); for (;;); } });
  },
};
`;

async function workspaceWithKiller(check: string, target: string): Promise<string> {
  const dir = tempDir();
  expect((await metarepoAsync(dir, ['init', '--name', 'iso'])).code).toBe(0);
  const folder = path.join(dir, 'plugins/killer');
  fs.mkdirSync(folder, { recursive: true });
  const metarepoField = { engines: { metarepo: '^0.1.0' }, isolation: 'process', contributes: { checks: [check] } };
  fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ name: 'killer', version: '1.0.0', type: 'module', main: 'index.mjs', metarepo: metarepoField }));
  fs.writeFileSync(path.join(folder, 'index.mjs'), plugin(check, target));
  return dir;
}

describe('process isolation: signals', () => {
  it.each([
    ['parent', 'process.ppid'],
    ['group', '0'],
  ])('a plugin check that kills its %s (process.kill(%s, "SIGKILL")) fails that check, and metarepo reports it', async (check, target) => {
    const dir = await workspaceWithKiller(check, target);
    const r = await metarepoDetached(dir, ['check', '--json']);
    expect(r.signal, r.stderr).toBeNull();
    expect(r.code, r.stderr).toBe(1);
    const messages = (JSON.parse(r.stdout) as { findings: Array<{ message: string }> }).findings.map((f) => f.message);
    const pattern = /: plugin killer crashed \((its supervisor process ended by )?signal SIGKILL\) while running check (parent|group) \(last output: pid (\d+)\)$/;
    const match = messages.map((m) => pattern.exec(m)).find((m) => m !== null);
    expect(match, messages.join('\n')).toBeTruthy();
    // The spinning plugin does not outlive metarepo.
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    await expect.poll(() => alive(Number(match![3]))).toBe(false);
  });
});
