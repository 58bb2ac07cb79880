// Issue 13 item 11: names can't shadow. A family name from an LLM becomes a safe generator name (kebab-case, no
// path separators), and adoption refuses a name that another generator already has, saying whose it is.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MetarepoError } from '../../../src/core/errors.js';
import { Tree } from '../../../src/engine/tree.js';
import { adoptProposal, type ExistingGenerator } from '../../../src/patterns/adopt.js';
import { detectPatterns } from '../../../src/patterns/detect.js';
import { checkedSuggestion } from '../../../src/patterns/llm.js';
import { safeGeneratorName } from '../../../src/patterns/names.js';
import type { PatternProposal } from '../../../src/patterns/propose.js';
import { REPO_ROOT } from '../../e2e/cli.js';
import { writeFiles } from './helpers.js';

let root: string;
let proposal: PatternProposal;

beforeAll(async () => {
  const dir = path.join(REPO_ROOT, 'tests/fixtures/patterns/handlers');
  root = writeFiles(Object.fromEntries(fs.readdirSync(dir).map((f) => [`src/handlers/${f}`, fs.readFileSync(path.join(dir, f), 'utf8')])));
  [proposal] = (await detectPatterns({ root, paths: [path.join(root, 'src/handlers')] })).proposals;
});

const answer = (familyName: string) => JSON.stringify({ familyName, description: 'An HTTP handler.', variables: [{ from: 'name', to: 'operation', description: 'the operation' }] });

describe('safe generator names', () => {
  it.each([
    ['http-handler', 'http-handler'],
    ['HTTP Handler', 'http-handler'],
    ['httpHandler', 'http-handler'],
    ['../../etc/passwd', 'etc-passwd'],
    ['generators\\evil', 'generators-evil'],
    ['/abs/path.mjs', 'abs-path-mjs'],
    ['3d-icons', 'gen-3d-icons'],
    ['42', 'gen-42'],
    ['café crème', 'cafe-creme'],
    ['a'.repeat(200), 'a'.repeat(64)],
  ])('%j → %j', (raw, safe) => {
    expect(safeGeneratorName(raw)).toBe(safe);
  });

  it.each(['', '...', '../', '日本語', '-'])('%j has nothing to keep', (raw) => {
    expect(safeGeneratorName(raw)).toBeUndefined();
  });

  it('an LLM family name is made safe; the variable names still apply', async () => {
    for (const [raw, safe] of [['HTTP Handler', 'http-handler'], ['../../generators/ts-library', 'generators-ts-library'], ['src/handlers', 'src-handlers']]) {
      const r = await checkedSuggestion(proposal, answer(raw));
      if ('reason' in r) throw new Error(r.reason);
      expect(r.proposal.name).toBe(safe);
      expect(r.proposal.template).toContain('{{operation}}');
    }
  });

  it('an LLM family name with nothing usable keeps the deterministic name', async () => {
    const r = await checkedSuggestion(proposal, answer('../..'));
    if ('reason' in r) throw new Error(r.reason);
    expect(r.proposal.name).toBe(proposal.name);
    expect(r.renamed).toEqual({ name: 'operation' });
  });
});

describe('adopting under a name another generator has', () => {
  const existing: ExistingGenerator[] = [
    { name: 'ts-library', owner: 'the built-in generator of plugin "metarepo-scaffolds"' },
    { name: 'handler', owner: 'the workspace generator in plopfile.mjs' },
  ];

  it('refuses the proposal name when a generator has it, naming the owner, and writes nothing', () => {
    const tree = new Tree(root);
    const p = { ...proposal, name: 'ts-library' };
    let error: unknown;
    try {
      adoptProposal(tree, p, { existing });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MetarepoError);
    expect((error as MetarepoError).exitCode).toBe(2);
    expect((error as MetarepoError).message).toContain('"ts-library"');
    expect((error as MetarepoError).message).toContain('the built-in generator of plugin "metarepo-scaffolds"');
    expect((error as MetarepoError).hint).toContain('--name');
    expect(tree.changes()).toEqual([]);
  });

  it('refuses a --name that is taken too, and adopts under a free one', () => {
    const tree = new Tree(root);
    expect(() => adoptProposal(tree, proposal, { name: 'handler', existing })).toThrow(/workspace generator in plopfile\.mjs/);
    expect(tree.changes()).toEqual([]);
    const result = adoptProposal(tree, { ...proposal, name: 'ts-library' }, { name: 'api-handler', existing });
    expect(result.name).toBe('api-handler');
    expect(tree.read('generators/api-handler.mjs')).toContain('"api-handler"');
  });

  it('adopts a stored name that is not safe under its safe form', () => {
    const tree = new Tree(root);
    const result = adoptProposal(tree, { ...proposal, name: 'Http Handler' }, { existing });
    expect(result.name).toBe('http-handler');
  });
});
