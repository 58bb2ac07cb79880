// The quicktype limits in metarepo.yaml: the worker stack size and time limit for all codegen (`codegen`) and for
// one generator (`codegen.generators.<name>`), through the built CLI.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { metarepoAsync, setTargets, writeModel } from './cli.js';
import { initWorkspace } from './workspaces.js';

/**
 * Objects nested 400 levels deep, through a chain of definitions (a model file may nest 512 JSON levels at most):
 * quicktype recurses once per level, and 1 MB of stack is not enough for that.
 */
function deepModel(): Record<string, unknown> {
  const definitions: Record<string, unknown> = { d400: { type: 'string' } };
  for (let i = 0; i < 400; i++) definitions[`d${i}`] = { type: 'object', properties: { child: { $ref: `#/definitions/d${i + 1}` } } };
  return { $schema: 'http://json-schema.org/draft-07/schema#', title: 'Deep', $ref: '#/definitions/d0', definitions };
}

async function workspaceWith(codegen: string): Promise<string> {
  const dir = await initWorkspace();
  writeModel(dir, 'deep', '1.0.0', deepModel());
  setTargets(dir, ['  - model: deep', '    generator: quicktype', '    output: gen/deep.py', '    options:', '      lang: python']);
  fs.appendFileSync(path.join(dir, 'metarepo.yaml'), codegen);
  return dir;
}

describe('quicktype limits from metarepo.yaml', () => {
  it('runs quicktype with codegen.stackSizeMb, and codegen.generators.quicktype.stackSizeMb overrides it', async () => {
    const small = await workspaceWith('codegen:\n  stackSizeMb: 1\n');
    const failed = await metarepoAsync(small, ['generate']);
    expect(failed.code).toBe(1);
    expect(failed.stdout + failed.stderr).toContain('stack overflow in quicktype: recursive schema or nesting too deep for this generator (stack limit 1 MB)');
    expect(fs.existsSync(path.join(small, 'gen/deep.py'))).toBe(false);

    const raised = await workspaceWith('codegen:\n  stackSizeMb: 1\n  generators:\n    quicktype:\n      stackSizeMb: 16\n');
    const ok = await metarepoAsync(raised, ['generate']);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(fs.readFileSync(path.join(raised, 'gen/deep.py'), 'utf8')).toMatch(/child: \S+/);
  });

  it('stops quicktype at codegen.generators.quicktype.timeoutSeconds', async () => {
    // A millisecond: no quicktype run (import, typing 400 levels, rendering) ends within it.
    const dir = await workspaceWith('codegen:\n  timeoutSeconds: 600\n  generators:\n    quicktype:\n      timeoutSeconds: 0.001\n');
    const r = await metarepoAsync(dir, ['generate']);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/gen\/deep\.py.*timed out after/s);
  });

  it('refuses a stack size out of range with the line and column, exit 2, nothing written', async () => {
    const dir = await workspaceWith('codegen:\n  generators:\n    quicktype:\n      stackSizeMb: 0\n');
    const r = await metarepoAsync(dir, ['generate']);
    expect(r.code).toBe(2);
    const line = fs.readFileSync(path.join(dir, 'metarepo.yaml'), 'utf8').split('\n').findIndex((l) => l.includes('stackSizeMb: 0')) + 1;
    expect(r.stderr).toMatch(new RegExp(`metarepo\\.yaml:${line}:\\d+: .*stackSizeMb.*>= 1`));
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(fs.existsSync(path.join(dir, 'gen'))).toBe(false);
  });
});
