import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MetarepoError } from '../../../src/core/errors.js';
import { loadConfig } from '../../../src/workspace/config.js';
import { loadDocument } from '../../../src/core/document.js';
import { planInit } from '../../../src/templates/scaffold/init.js';
import { registerProject } from '../../../src/templates/scaffold/projects.js';
import { Tree } from '../../../src/engine/tree.js';
import { commitChanges } from '../../../src/engine/commit.js';

function workspaceWith(yaml: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metarepo-cfg-'));
  fs.writeFileSync(path.join(dir, 'metarepo.yaml'), yaml);
  return dir;
}

async function errorOf(p: Promise<unknown>): Promise<MetarepoError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof MetarepoError) return e;
    throw e;
  }
  throw new Error('expected a MetarepoError');
}

describe('loadConfig', () => {
  it('accepts a minimal config and applies defaults', async () => {
    const { config } = await loadConfig(workspaceWith('version: 1\nname: acme\n'));
    expect(config).toMatchObject({ version: 1, name: 'acme', modelsDir: 'models' });
  });

  it('points at the offending value with line and column', async () => {
    const e = await errorOf(loadConfig(workspaceWith('version: 1\nname: acme\ntargets:\n  - model: user\n    generator: typescript\n    output: 42\n')));
    expect(e.location).toEqual({ file: 'metarepo.yaml', line: 6, column: 13 });
    expect(e.message).toContain('/targets/0/output must be string');
  });

  it('points at an unknown key, and reports every violation', async () => {
    const e = await errorOf(loadConfig(workspaceWith('version: 2\nname: acme\n  \nextra: true\n')));
    expect(e.details).toHaveLength(2);
    expect(e.details.join('\n')).toMatch(/metarepo\.yaml:1:10: \/version must be equal to constant \(1\)/);
    expect(e.details.join('\n')).toMatch(/metarepo\.yaml:4:1: unknown property "extra"/);
  });

  it('reports YAML syntax errors with their position', async () => {
    const e = await errorOf(loadConfig(workspaceWith('version: 1\nname: [acme\n')));
    expect(e.location?.file).toBe('metarepo.yaml');
    expect(e.location?.line).toBeGreaterThanOrEqual(2);
    expect(e.message).toMatch(/not valid YAML/);
  });

  it('rejects duplicate keys', () => {
    expect(() => loadDocument('a: 1\na: 2\n', 'x.yaml', 'yaml')).toThrow(MetarepoError);
  });
});

describe('init and project registration', () => {
  it('keeps comments and the modeline when registering a project', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metarepo-init-'));
    commitChanges(dir, planInit(dir, 'Acme Corp').changes());
    const tree = new Tree(dir);
    registerProject(tree, { name: 'lib', path: 'projects/lib', kind: 'ts-library' });
    registerProject(tree, { name: 'other', path: 'services/other', kind: 'node-service' });
    commitChanges(dir, tree.changes());
    const yaml = fs.readFileSync(path.join(dir, 'metarepo.yaml'), 'utf8');
    expect(yaml.startsWith('# yaml-language-server: $schema=')).toBe(true);
    expect(yaml).toContain('name: acme-corp');
    const { config } = await loadConfig(dir);
    expect(config.projects?.map((p) => p.path)).toEqual(['projects/lib', 'services/other']);
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    expect(pkg.workspaces).toEqual(['projects/*', 'services/other']); // projects/lib is covered by the glob
  });
});
