// Issue 12 item 7, scaffold side: what a plopfile's code does (throws, returns odd values), a template.yaml that is
// not YAML, the workspace's modelsDir, and --set keys no question asks. Each failure is a MetarepoError naming the
// generator (exit 1: the generator's code failed; exit 2: the input is wrong), never an internal error.
import { describe, expect, it } from 'vitest';
import { Tree } from '../../../src/engine/tree.js';
import { findScaffoldGenerator, runScaffold } from '../../../src/templates/scaffold/run.js';
import { builtin, diskState, metarepoError, tempWorkspace } from '../scaffold/helpers.js';

/** A workspace with generators/g.mjs defining generator `g` with the given prompts and actions (source text). */
function oneGenerator(prompts: string, actions: string, files: Record<string, string> = {}): string {
  return tempWorkspace({
    'generators/g.mjs': `export default function (plop) { plop.setGenerator('g', { description: 'g', prompts: ${prompts}, actions: ${actions} }); }\n`,
    ...files,
  });
}

async function runG(root: string, answers: Record<string, unknown> = {}) {
  const { generator } = await findScaffoldGenerator(root, 'g', []);
  return runScaffold({ root, tree: new Tree(root), generator, answers });
}

describe('plopfile actions (plop semantics: a returned string is the message, a throw or rejection is a failure)', () => {
  it('a function action that returns a string succeeds, and the string is its message', async () => {
    const root = oneGenerator('[]', "[() => 'did the thing']");
    const result = await runG(root);
    expect(result.messages).toContain('function did the thing');
  });

  it('a function action may return a promise of a string, or something else (shown as JSON, or as text)', async () => {
    const root = oneGenerator('[]', "[async () => 'later', () => ({ a: 1 }), () => undefined, () => 10n, () => { const o = {}; o.o = o; return o; }]");
    const result = await runG(root);
    expect(result.messages.filter((m) => m.startsWith('function'))).toEqual(['function later', 'function {"a":1}', 'function', 'function 10', 'function [object Object]']);
  });

  it.each([
    ['throws an Error', "[() => { throw new Error('boom in fn'); }]", 'boom in fn'],
    ['throws null', '[() => { throw null; }]', 'null'],
    ['throws a string', "[() => { throw 'plain text'; }]", 'plain text'],
    ['rejects with undefined', '[() => Promise.reject(undefined)]', 'undefined'],
  ])('a function action that %s fails the run: exit 1, the generator and the message', async (_what, actions, message) => {
    const root = oneGenerator('[]', actions);
    const before = diskState(root);
    const err = await metarepoError(runG(root));
    expect(err.exitCode).toBe(1);
    expect(err.message).toBe(`Generator "g" failed: ${message}`);
    expect(err.location).toEqual({ file: 'generators/g.mjs' });
    expect(diskState(root)).toEqual(before);
  });

  it('an actions function that throws fails the run: exit 1, the generator and the message', async () => {
    const root = oneGenerator('[]', "() => { throw new Error('boom in actions'); }");
    const err = await metarepoError(runG(root));
    expect(err.exitCode).toBe(1);
    expect(err.message).toBe('Generator "g" failed: its actions function threw: boom in actions');
    expect(err.location).toEqual({ file: 'generators/g.mjs' });
  });

  it.each([
    ['() => "add a file"', 'its actions function returned a string, not a list of actions'],
    ['() => undefined', 'its actions function returned undefined, not a list of actions'],
    ['async () => []', 'its actions function returned a promise, not a list of actions'],
    ['"add"', 'its actions are a string, not a list of actions or a function returning one'],
  ])('actions %s: exit 1 saying what was found', async (actions, message) => {
    const root = oneGenerator('[]', actions);
    const err = await metarepoError(runG(root));
    expect(err.exitCode).toBe(1);
    expect(err.message).toBe(`Generator "g" failed: ${message}`);
  });

  it('an entry that is not an action (a number, null) or of an unknown type fails with exit 1, saying which', async () => {
    const number = oneGenerator('[]', "[42, { type: 'add', path: 'a.txt', template: 'a' }]");
    const err = await metarepoError(runG(number));
    expect(err.exitCode).toBe(1);
    expect(err.message).toBe('Generator "g" failed: action #1 is a number, not an action (an object with a type, a function, or a comment string)');
    expect(err.details).toEqual([expect.stringContaining('action #1 is a number'), 'add a.txt: Aborted due to previous action failure']);
    expect((await metarepoError(runG(oneGenerator('[]', "['a comment', null]")))).message).toContain('action #2 is null');
    const unknown = await metarepoError(runG(oneGenerator('[]', "[{ type: 'nope' }]")));
    expect([unknown.exitCode, unknown.message]).toEqual([1, 'Generator "g" failed: Invalid action (#1)']);
  });

  it('a question default or when function that throws fails the run with exit 1', async () => {
    const root = oneGenerator("[{ name: 'a', message: 'a', default: () => { throw new Error('no default'); } }]", '[]');
    const err = await metarepoError(runG(root));
    expect(err.exitCode).toBe(1);
    expect(err.message).toBe('Generator "g" failed: the default of question "a" threw: no default');
  });
});

describe('template.yaml of a workspace generator', () => {
  it('a syntax error is exit 2 with file, line and column, and nothing is rendered', async () => {
    const root = oneGenerator('[]', "[{ type: 'add', path: 'out/{{name}}.txt', template: 'x' }]", {
      'templates/g/template.yaml': 'name: g\nversion: 1.0.0\ndescription: "unterminated\nvariables: [\n',
    });
    const tree = new Tree(root);
    const { generator } = await findScaffoldGenerator(root, 'g', []);
    const err = await metarepoError(runScaffold({ root, tree, generator, answers: { name: 'x' } }));
    expect(err.exitCode).toBe(2);
    expect(err.location).toMatchObject({ file: 'templates/g/template.yaml', line: expect.any(Number), column: expect.any(Number) });
    expect(tree.changes()).toEqual([]);
  });
});

describe('metarepo new model and the workspace config', () => {
  it('writes under modelsDir from metarepo.yaml', async () => {
    const root = tempWorkspace({ 'metarepo.yaml': 'version: 1\nname: w\nmodelsDir: schemas/models\n' });
    const run = await runScaffold({ root, tree: new Tree(root), generator: builtin('model'), answers: { name: 'Order Line' } });
    expect(run.changes.map((c) => c.path)).toEqual(['schemas/models/order-line/1.0.0.schema.json']);
  });

  it('still writes under models/ without a metarepo.yaml (templates tested outside a workspace)', async () => {
    const root = tempWorkspace();
    const run = await runScaffold({ root, tree: new Tree(root), generator: builtin('model'), answers: { name: 'user' } });
    expect(run.changes.map((c) => c.path)).toEqual(['models/user/1.0.0.schema.json']);
  });
});

describe('--set keys no question asks', () => {
  it('are refused for a built-in generator (exit 2), listing the questions it has', async () => {
    const root = tempWorkspace();
    const err = await metarepoError(runScaffold({ root, tree: new Tree(root), generator: builtin('model'), answers: { name: 'x', nme: 'y' } }));
    expect(err.exitCode).toBe(2);
    expect(err.message).toBe('Generator "model" asks no question "nme".');
    expect(err.hint).toContain('name, description');
  });

  it('are refused for a workspace generator whose questions come from template.yaml', async () => {
    const root = oneGenerator('[]', "[{ type: 'add', path: 'out/{{name}}.txt', template: 'x' }]", {
      'templates/g/template.yaml': 'name: g\nversion: 1.0.0\ndescription: G.\nvariables:\n  type: object\n  properties:\n    name: { type: string }\n    size: { type: number, default: 1 }\nfixtures: { one: { name: a } }\n',
    });
    const err = await metarepoError(runG(root, { name: 'a', sise: '2' }));
    expect(err.exitCode).toBe(2);
    expect(err.message).toBe('Generator "g" asks no question "sise".');
    expect(err.hint).toContain('name, size');
  });

  it('are refused for a plopfile generator, whose own prompts are still accepted', async () => {
    const root = oneGenerator("[{ type: 'input', name: 'title', message: 't' }]", "[{ type: 'add', path: 'out/{{title}}.txt', template: 'x' }]");
    expect((await runG(root, { title: 'ok' })).changes.map((c) => c.path)).toEqual(['out/ok.txt']);
    const err = await metarepoError(runG(root, { title: 'ok', titel: 'typo', name: 'n' }));
    expect(err.exitCode).toBe(2);
    expect(err.message).toBe('Generator "g" asks no questions "name", "titel".');
    expect(err.hint).toContain('title');
  });
});

describe('--set keys and a generator that declares no questions', () => {
  it('a plopfile generator with no prompts and no template.yaml takes --set values as its data, with a note', async () => {
    const root = oneGenerator('[]', "[{ type: 'add', path: 'out/{{target}}.txt', template: 'x' }]");
    const run = await runG(root, { target: 'here' });
    expect(run.changes.map((c) => c.path)).toEqual(['out/here.txt']);
    expect(run.messages).toContain('--set target: generator "g" asks no question "target"; the value is passed to its templates as is.');
  });
});

describe('--set keys and a template.yaml that closes its variables', () => {
  it('additionalProperties: false lets the schema refuse them with every other violation, naming the variables', async () => {
    const root = oneGenerator('[]', "[{ type: 'add', path: 'out/{{name}}.txt', template: 'x' }]", {
      'templates/g/template.yaml': 'name: g\nversion: 1.0.0\ndescription: G.\nvariables:\n  type: object\n  additionalProperties: false\n  properties:\n    name: { type: string }\nfixtures: { one: { name: a } }\n',
    });
    const err = await metarepoError(runG(root, { name: 'a', nme: 'b' }));
    expect(err.exitCode).toBe(2);
    expect(err.details).toEqual(['answers: must NOT have additional properties ("nme")']);
    expect(err.hint).toContain('(name)');
  });
});
