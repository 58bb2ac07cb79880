// All or nothing, for real: `generate` is SIGKILLed at random points of its commit (after its journal appears),
// and the next command must find every output old or every output new, no temp file, and `status` agreeing with
// `generate --check`.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, metarepoAsync as metarepo, tempDir, writeModel } from './cli.js';

const TARGETS = 40;
const TRIALS = 40;
const TEMP = /\.metarepo-\d+(-[0-9a-f]{8})?\.tmp$/;

function model(version: number): Record<string, unknown> {
  return { $schema: 'http://json-schema.org/draft-07/schema#', title: 'Item', description: `Item, revision ${version}.`, type: 'object', properties: { id: { type: 'string' } } };
}

/** Every file under `dir` (relative paths), for the temp-file check. */
function files(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile());
}

/**
 * Starts `generate` and kills it `delayMs` after the moment `trigger` names: `journal` (its commit journal appears:
 * the commit has begun) or `rename` (the first output is replaced: the renames have begun). Resolves when it exited.
 */
function generateKilledInCommit(dir: string, trigger: 'journal' | 'rename', delayMs: number): Promise<void> {
  return new Promise((resolve) => {
    const first = path.join(dir, 'gen/part-0/item-0.ts');
    const inode = fs.statSync(first).ino; // a rename over the file gives it another inode
    const child = spawn(process.execPath, [BIN, 'generate'], { cwd: dir, stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } });
    const journal = path.join(dir, '.metarepo/journal.json');
    let done = false;
    child.once('exit', () => {
      done = true;
      resolve();
    });
    const fired = () => (trigger === 'journal' ? fs.existsSync(journal) : fs.statSync(first, { throwIfNoEntry: false })?.ino !== inode);
    const poll = () => {
      if (done) return;
      if (fired()) setTimeout(() => child.kill('SIGKILL'), delayMs);
      else setImmediate(poll);
    };
    poll();
  });
}

describe('generate killed inside its commit', () => {
  it(`leaves no mixed state and no temp file over ${TRIALS} trials of ${TARGETS} targets; status = --check every time`, async () => {
    const dir = tempDir();
    expect((await metarepo(dir, ['init', '--name', 'crash'])).code).toBe(0);
    writeModel(dir, 'item', '1.0.0', model(0));
    const targets = Array.from({ length: TARGETS }, (_, i) => `  - model: item\n    generator: typescript\n    output: gen/part-${Math.floor(i / 10)}/item-${i}.ts`);
    const config = path.join(dir, 'metarepo.yaml');
    fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace('targets: []', `targets:\n${targets.join('\n')}`));
    expect((await metarepo(dir, ['generate'])).code).toBe(0);

    // A fixed sequence of delays (no randomness between runs): 0–39 ms after the journal appears (even trials) or
    // after the first output is renamed into place (odd trials).
    const delays = Array.from({ length: TRIALS }, (_, i) => (i * 17) % 40);
    const outcomes = { old: 0, new: 0 };
    for (const [trial, delay] of delays.entries()) {
      writeModel(dir, 'item', '1.0.0', model(trial + 1));
      await generateKilledInCommit(dir, trial % 2 ? 'rename' : 'journal', delay);

      const status = await metarepo(dir, ['status', '--json']); // the next command recovers first
      expect(status.code, status.stderr).toBe(0);
      const revisions = new Set(
        Array.from({ length: TARGETS }, (_, i) => /revision (\d+)\./.exec(fs.readFileSync(path.join(dir, `gen/part-${Math.floor(i / 10)}/item-${i}.ts`), 'utf8'))![1]),
      );
      expect([...revisions], `trial ${trial} (delay ${delay} ms): outputs from several revisions`).toHaveLength(1);
      expect(files(dir).filter((f) => TEMP.test(f) || f.endsWith('journal.json')), `trial ${trial}`).toEqual([]);

      const state = JSON.parse(status.stdout) as { targets: Array<{ state: string; edited: string[] }> };
      const statusClean = state.targets.every((t) => t.state === 'up-to-date' && t.edited.length === 0);
      const check = await metarepo(dir, ['generate', '--check']);
      expect(check.code === 0, `trial ${trial}: status says ${statusClean ? 'clean' : 'not clean'}, --check exit ${check.code}\n${check.stdout}`).toBe(statusClean);
      const isNew = [...revisions][0] === String(trial + 1);
      expect(statusClean, `trial ${trial}`).toBe(isNew);
      outcomes[isNew ? 'new' : 'old']++;
    }
    // Both sides of the commit point were hit (else the trials tested less than they claim): kills in staging
    // leave the old revision, kills after the first rename the new one.
    expect(outcomes.old, JSON.stringify(outcomes)).toBeGreaterThan(0);
    expect(outcomes.new, JSON.stringify(outcomes)).toBeGreaterThan(0);
  }, 1_800_000);
});
