// Drives the built CLI through a session that publishes every core event type, then validates each logged
// envelope and its data against meta-models/events/: the schemas must describe what the code really publishes.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { BIN, REPO_ROOT, metarepoAsync, setTargets, tempDir } from '../../e2e/cli.js';
import { coreEventTypes } from '../../../src/events/types.js';
import { createPayloadValidator } from '../../../src/events/validate.js';
import type { EventEnvelope } from '../../../src/events/envelope.js';

/** Runs the CLI without blocking the test worker (a session of twenty runs; see tests/setup/yield.ts). */
async function run(dir: string, args: string[], expectedCode = 0): Promise<void> {
  const r = await metarepoAsync(dir, args);
  expect(r.code, `metarepo ${args.join(' ')}\n${r.stdout}\n${r.stderr}`).toBe(expectedCode);
}

/** A workspace plugin in plugins/<name>. */
function writePlugin(dir: string, name: string, metarepoField: Record<string, unknown>, index: string): void {
  const folder = path.join(dir, 'plugins', name);
  fs.mkdirSync(folder, { recursive: true });
  const pkg = { name, version: '1.0.0', type: 'module', main: 'index.mjs', metarepo: { engines: { metarepo: '^0.1.0' }, ...metarepoField } };
  fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify(pkg, null, 2));
  fs.writeFileSync(path.join(folder, 'index.mjs'), index);
}

let events: EventEnvelope[];

beforeAll(async () => {
  const dir = tempDir('metarepo-events-schemas-');
  await run(dir, ['init', '--name', 'demo']);
  await run(dir, ['new', 'ts-library', 'lib1', '--yes']);
  await run(dir, ['new', 'model', 'invoice', '--yes']);
  const thing = path.join(dir, 'thing.json');
  fs.writeFileSync(thing, JSON.stringify({ title: 'Thing', description: 'A thing.', type: 'object', properties: { id: { type: 'string', description: 'Key.' } } }));
  await run(dir, ['model', 'add', 'thing', '--from', thing]);
  setTargets(dir, ['  - model: invoice@^1', '    generator: typescript', '    output: projects/lib1/src/generated/invoice.ts']);
  await run(dir, ['generate']);
  // A family of similar files for pattern detection, adopted as a generator.
  fs.mkdirSync(path.join(dir, 'src/handlers'), { recursive: true });
  for (const f of fs.readdirSync(path.join(REPO_ROOT, 'tests/fixtures/patterns/handlers'))) {
    fs.copyFileSync(path.join(REPO_ROOT, 'tests/fixtures/patterns/handlers', f), path.join(dir, 'src/handlers', f));
  }
  await run(dir, ['patterns', 'detect', 'src/handlers']);
  await run(dir, ['patterns', 'adopt', 'handler']);
  await run(dir, ['patterns', 'adopt', 'no-such-proposal'], 2); // core:patterns:failed
  // A plugin publishing its own declared type from a check, and one whose setup throws (core:plugin:failed).
  writePlugin(dir, 'emitter', { contributes: { checks: ['emit'], events: ['emitter:check:ran'] } }, [
    'let api;',
    "export default { name: 'emitter', setup(a) { api = a; api.registerCheck({ name: 'emit', description: 'x',",
    "  run: () => { api.publish('emitter:check:ran', { anything: [1, 'goes'] }); return []; } }); } };",
    '',
  ].join('\n'));
  writePlugin(dir, 'broken', { contributes: { checks: ['never'] } }, "export default { name: 'broken', setup() { throw new Error('boom'); } };\n");
  await run(dir, ['check'], 1); // the broken plugin's failure is an error finding
  await run(dir, ['status']);
  await run(dir, ['health']);
  await run(dir, ['docs', 'build']); // core:docs:started, core:docs:built
  // A long-running command: core:system:long-running, which activates the built-in fs-watch.
  const watch = spawn(process.execPath, [BIN, 'watch'], { cwd: dir, stdio: 'ignore' });
  const liveLog = path.join(dir, '.metarepo/events/events.jsonl');
  try {
    await vi.waitFor(() => expect(fs.readFileSync(liveLog, 'utf8')).toContain('"fs-watch:watcher:ready"'), { timeout: 60_000, interval: 200 });
  } finally {
    await new Promise((resolve) => watch.once('close', resolve).kill('SIGTERM'));
  }
  await run(dir, ['plugin', 'list'], 1); // the broken plugin is failed
  await run(dir, ['plugin', 'install', path.join(REPO_ROOT, 'examples/plugin-markdown-docs')]);
  await run(dir, ['plugin', 'uninstall', 'markdown-docs']);
  fs.rmSync(path.join(dir, 'plugins', 'broken'), { recursive: true });
  setTargets(dir, []);
  await run(dir, ['generate']); // the invoice output is now an orphan: core:file:deleted
  setTargets(dir, ['  - model: nothing@^1', '    generator: typescript', '    output: out/nothing.ts']);
  await run(dir, ['generate'], 2); // no such model: core:generate:failed
  const log = fs.readFileSync(path.join(dir, '.metarepo/events/events.jsonl'), 'utf8');
  events = log.trimEnd().split('\n').map((line) => JSON.parse(line) as EventEnvelope);
}, 180_000);

describe('the events a real session logs', () => {
  it('every envelope and its data validate against meta-models/events/', () => {
    const validate = createPayloadValidator();
    const problems = events.flatMap((e) => validate(e).map((p) => `#${e.sequence} ${e.type}: ${p} in ${JSON.stringify(e.data)}`));
    expect(problems).toEqual([]);
  });

  it('exercises every core type with a schema, and only those', () => {
    const logged = [...new Set(events.filter((e) => e.source === 'core').map((e) => e.type))].sort();
    expect(logged).toEqual(coreEventTypes().map((t) => t.type));
  });

  it("carries the plugin's own type with the plugin as source (accepted without a schema)", () => {
    const own = events.filter((e) => e.type === 'emitter:check:ran');
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((e) => e.source === 'emitter')).toBe(true);
  });
});
