import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RegisteredContributions } from '../../../src/plugins/process/protocol.js';
import { reloadOnChange, watchPlugin, type ReloadResult } from '../../../src/plugins/process/reload.js';
import { checkContext, fixtureDir, onCleanup, processPlugin, tempDir } from './helpers.js';

/** A copy of a fixture plugin in a temp folder, so the test can change its code. */
function copyFixture(name: string): string {
  const dir = path.join(tempDir(), name);
  fs.cpSync(fixtureDir(name), dir, { recursive: true });
  return dir;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('watchPlugin', () => {
  it('reports a burst of changes once, debounced, ignoring node_modules and dot-files', async () => {
    const dir = copyFixture('reloadable');
    fs.mkdirSync(path.join(dir, 'node_modules/dep'), { recursive: true });
    const calls: string[][] = [];
    const watcher = await watchPlugin(dir, (paths) => calls.push(paths));
    onCleanup(() => watcher.close());

    fs.writeFileSync(path.join(dir, 'node_modules/dep/index.js'), 'x');
    fs.writeFileSync(path.join(dir, '.cache'), 'x');
    await sleep(400);
    expect(calls).toEqual([]);

    fs.writeFileSync(path.join(dir, 'index.mjs'), fs.readFileSync(path.join(dir, 'index.mjs'), 'utf8') + '\n');
    fs.writeFileSync(path.join(dir, 'extra.mjs'), 'export {};\n');
    await expect.poll(() => calls).toHaveLength(1);
    await sleep(300);
    expect(calls).toEqual([[path.join(dir, 'extra.mjs'), path.join(dir, 'index.mjs')]]);
  });

  it('calls nothing after close', async () => {
    const dir = copyFixture('reloadable');
    const calls: string[][] = [];
    const watcher = await watchPlugin(dir, (paths) => calls.push(paths));
    await watcher.close();
    fs.writeFileSync(path.join(dir, 'index.mjs'), '// changed\n');
    await sleep(400);
    expect(calls).toEqual([]);
  });
});

describe('hot reload', () => {
  it('restarts the plugin process when its code changes on disk, and the new code runs', async () => {
    const dir = copyFixture('reloadable');
    const plugin = await processPlugin(dir);
    await plugin.start();
    const run = async () => plugin.contributions.checks[0].run(checkContext('/ws'));
    expect(await run()).toEqual([{ severity: 'info', message: 'v1' }]);

    const results: Array<ReloadResult<RegisteredContributions>> = [];
    const watcher = await reloadOnChange(() => plugin.restart(), dir, (result) => results.push(result));
    onCleanup(() => watcher.close());
    const main = path.join(dir, 'index.mjs');
    fs.writeFileSync(main, fs.readFileSync(main, 'utf8').replace("'v1'", "'v2'"));

    await expect.poll(() => results).toHaveLength(1);
    expect(results[0]).toMatchObject({ ok: true, paths: [main], value: { checks: [{ name: 'version' }] } });
    expect(await run()).toEqual([{ severity: 'info', message: 'v2' }]);
  });

  it('reports a reload that fails (a syntax error) and recovers on the next change', async () => {
    const dir = copyFixture('reloadable');
    const plugin = await processPlugin(dir);
    await plugin.start();
    const results: Array<ReloadResult<RegisteredContributions>> = [];
    const watcher = await reloadOnChange(() => plugin.restart(), dir, (result) => results.push(result));
    onCleanup(() => watcher.close());
    const main = path.join(dir, 'index.mjs');
    const good = fs.readFileSync(main, 'utf8');

    fs.writeFileSync(main, 'export default {');
    await expect.poll(() => results).toHaveLength(1);
    expect(results[0].ok).toBe(false);
    expect(!results[0].ok && results[0].error.message).toBe(`plugin reloadable failed while running setup: cannot import ${main}: Unexpected end of input`);
    expect(plugin.running).toBe(false);

    fs.writeFileSync(main, good.replace("'v1'", "'v3'"));
    await expect.poll(() => results).toHaveLength(2);
    expect(results[1].ok).toBe(true);
    expect(await plugin.contributions.checks[0].run(checkContext('/ws'))).toEqual([{ severity: 'info', message: 'v3' }]);
  });
});
