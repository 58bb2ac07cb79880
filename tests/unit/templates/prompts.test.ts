import { describe, expect, it } from 'vitest';
import { Tree } from '../../../src/engine/tree.js';
import { findScaffoldGenerator, runScaffold } from '../../../src/templates/scaffold/run.js';
import { promptsFromVariables } from '../../../src/templates/prompts.js';
import { builtins, manifestYaml, metarepoError, templateWorkspace } from './helpers.js';

const VARIABLES = [
  '    size: { type: string, enum: [small, large], default: small, description: How big }',
  '    count: { type: integer, minimum: 1, default: 2, title: Count }',
  '    withTests: { type: boolean, default: true }',
  '    tags: { type: array, items: { enum: [a, b] }, default: [] }',
  '    note: { type: string }',
].join('\n');

describe('promptsFromVariables', () => {
  it('makes one question per variable: type from the schema, message from description/title/name, default, pattern, optional', () => {
    const qs = promptsFromVariables({
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string', pattern: '^[a-z]+$', description: 'Name' },
        size: { type: 'string', enum: ['small', 'large'], default: 'small', description: 'How big' },
        count: { type: 'integer', default: 2, title: 'Count' },
        withTests: { type: 'boolean', default: true },
        tags: { type: 'array', items: { enum: ['a', 'b'] } },
        note: { type: 'string' },
      },
    });
    expect(qs).toEqual([
      { name: 'name', type: 'input', message: 'Name', pattern: '^[a-z]+$' },
      { name: 'size', type: 'list', message: 'How big', default: 'small', choices: [{ name: 'small', value: 'small' }, { name: 'large', value: 'large' }] },
      { name: 'count', type: 'number', message: 'Count', default: 2 },
      { name: 'withTests', type: 'confirm', message: 'withTests', default: true },
      { name: 'tags', type: 'checkbox', message: 'tags', choices: [{ name: 'a', value: 'a' }, { name: 'b', value: 'b' }], optional: true },
      { name: 'note', type: 'input', message: 'note', optional: true },
    ]);
  });
});

describe('a generator without prompts asks for the variables of its template.yaml', () => {
  const root = templateWorkspace('card', { 'a.md.hbs': '{{name}} {{size}} {{count}} {{withTests}} {{#each tags}}{{this}}{{/each}}{{note}}\n' }, {
    manifest: manifestYaml('card', { variables: VARIABLES }).replace('  required: [name]', '  additionalProperties: false\n  required: [name]'),
  });
  const run = async (answers: Record<string, unknown>) => {
    const { generator } = await findScaffoldGenerator(root, 'card', builtins());
    return runScaffold({ root, tree: new Tree(root), generator, answers });
  };

  it('defaults come from the schema and --set strings are typed by it', async () => {
    const r = await run({ name: 'Box', count: '5', tags: 'b,a' });
    expect(r.answers).toEqual({ name: 'Box', size: 'small', count: 5, withTests: true, tags: ['b', 'a'] });
    expect(r.changes.map((c) => c.content)).toEqual(['Box small 5 true ba\n']);
  });

  it('enums, the pattern and whole-schema rules (minimum, unknown answers) are enforced', async () => {
    expect((await metarepoError(run({ name: 'Box', size: 'huge' }))).details).toEqual(['size: "huge" is not one of small, large.']);
    expect((await metarepoError(run({ name: '9' }))).details).toEqual(['name: "9" must match /^[A-Za-z][A-Za-z0-9 ]*$/.']);
    const err = await metarepoError(run({ name: 'Box', count: '0', colour: 'red' }));
    expect(err.message).toBe('Some answers for generator "card" are not valid.');
    expect(err.details).toEqual(['answers: must NOT have additional properties ("colour")', 'count: must be >= 1']);
  });

  it('a required variable without an answer is reported missing, an optional one is not', async () => {
    const err = await metarepoError(run({}));
    expect(err.message).toBe('Generator "card" needs answers that were not given: name.');
  });
});
