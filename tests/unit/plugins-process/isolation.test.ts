// Issue 13, item 8: process isolation that holds — a declared folder that already exists, a write refused while
// the plugin is imported, and memory the plugin may not exceed. (A plugin signalling metarepo itself is in
// tests/e2e/plugin-isolation.test.ts: on failure it would kill the test worker.)
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PLUGIN_MEMORY_MB } from '../../../src/plugins/process/host.js';
import { pluginMemoryMb } from '../../../src/plugins/process-runtime.js';
import { checkContext, failure, fixtureDir, processPlugin, tempDir } from './helpers.js';

describe('process isolation: write permissions', () => {
  it('starts and writes again when the declared folder exists already (Node 20 aborted on a doubled grant)', async () => {
    const root = tempDir();
    fs.mkdirSync(path.join(root, 'out/reports'), { recursive: true });
    const plugin = await processPlugin(fixtureDir('writer'), { root });
    for (let round = 0; round < 2; round++) {
      await plugin.restart();
      expect(await plugin.contributions.checks.find((c) => c.name === 'write-inside')!.run(checkContext(root))).toEqual([]);
    }
    expect(fs.readFileSync(path.join(root, 'out/reports/today/report.txt'), 'utf8')).toBe('all good\n');
  });

  it('names the path and the permission to declare when the plugin writes while it is imported', async () => {
    const root = tempDir();
    const plugin = await processPlugin(fixtureDir('import-writer'), { root });
    const error = await failure(plugin.start());
    expect(error.message).toBe(`plugin import-writer may not write ${path.join(root, '.cache/import-writer')}: not in its declared permissions.write (while running setup)`);
    expect(error.hint).toBe('Declare it in the plugin\'s package.json: "metarepo": { "permissions": { "write": [".cache/import-writer"] } } (paths are relative to the workspace).');
    expect(fs.existsSync(path.join(root, '.cache'))).toBe(false);
  });

  it('says that a path outside the workspace cannot be granted at all', async () => {
    const outside = path.join(tempDir(), 'evil.txt');
    const plugin = await processPlugin(fixtureDir('writer'), { config: { outside } });
    await plugin.start();
    const error = await failure(Promise.resolve(plugin.contributions.checks.find((c) => c.name === 'write-outside')!.run(checkContext('/ws'))));
    expect(error.hint).toBe(`${outside} is outside the workspace, where no plugin may write: write under the workspace instead and declare that folder in metarepo.permissions.write.`);
  });
});

describe('process isolation: memory', () => {
  // A small bound so the test is quick; the fixture stops by itself at 512 MiB, so without a bound the check passes.
  const memoryMb = 64;

  it('fails a plugin that keeps allocating Buffers past its bound, saying so', async () => {
    const plugin = await processPlugin(fixtureDir('hostile'), { memoryMb, config: { mb: 512 } });
    await plugin.start();
    const error = await failure(Promise.resolve(plugin.contributions.checks.find((c) => c.name === 'buffers')!.run(checkContext('/ws'))));
    expect(error.message).toMatch(/^plugin hostile ran out of memory \(limit 64 MiB\) while running check buffers/);
    expect(error.hint).toMatch(/METAREPO_PLUGIN_MEMORY_MB/);
  });

  it('fails a plugin whose JavaScript heap grows past its bound, saying so', async () => {
    const crashes: string[] = [];
    const plugin = await processPlugin(fixtureDir('hostile'), { memoryMb, config: { mb: 512 }, onCrash: (reason) => void crashes.push(reason) });
    await plugin.start();
    const error = await failure(Promise.resolve(plugin.contributions.checks.find((c) => c.name === 'heap')!.run(checkContext('/ws'))));
    expect(error.message).toMatch(/^plugin hostile ran out of memory \(limit 64 MiB\) while running check heap/);
    expect(error.hint).toMatch(/METAREPO_PLUGIN_MEMORY_MB/);
    await expect.poll(() => plugin.running).toBe(false);
    expect(crashes).toHaveLength(1);
  });

  it('leaves a plugin within its bound alone', async () => {
    const plugin = await processPlugin(fixtureDir('hostile'), { memoryMb, config: { mb: 16 } });
    await plugin.start();
    for (const name of ['buffers', 'heap', 'ok']) {
      expect(await plugin.contributions.checks.find((c) => c.name === name)!.run(checkContext('/ws'))).toEqual([]);
    }
  });
});

describe('pluginMemoryMb', () => {
  it('reads METAREPO_PLUGIN_MEMORY_MB, defaults when unset, and refuses what is not a whole number of at least 16', () => {
    expect(pluginMemoryMb({})).toBe(DEFAULT_PLUGIN_MEMORY_MB);
    expect(pluginMemoryMb({ METAREPO_PLUGIN_MEMORY_MB: '256' })).toBe(256);
    for (const bad of ['lots', '8', '1.5']) {
      expect(() => pluginMemoryMb({ METAREPO_PLUGIN_MEMORY_MB: bad })).toThrow(`METAREPO_PLUGIN_MEMORY_MB must be a whole number of MiB, at least 16; got "${bad}".`);
    }
  });
});
