// Go from the quicktype generator is what gofmt prints (issue 14, items 2 and 4b): a project that runs gofmt in CI
// must not see generated files as edited. The formatter is checked against gofmt itself where Go is installed
// (.ci/run installs Debian's golang-go); the package option is checked everywhere.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MetarepoError } from '../../../src/core/errors.js';
import { generate } from '../../../plugins/codegen-quicktype/generate.js';

const hasGofmt = spawnSync('sh', ['-c', 'command -v gofmt']).status === 0;

/** A model with the shapes that made quicktype's Go differ from gofmt's: described fields, unions, headings. */
const schema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Order',
  description: 'An order.\n\nPage Build\n\nWhen a page is built.   ',
  type: 'object',
  required: ['id'],
  properties: {
    id: { type: 'string', description: 'The id.   ' },
    longerName: { type: 'integer', description: 'x' },
    n: { type: 'number' },
    either: { anyOf: [{ type: 'integer' }, { type: 'string' }, { type: 'array', items: { type: 'string' } }, { type: 'object', properties: { a: { type: 'boolean' } } }] },
    kind: { enum: ['alpha', 'beta-gamma'] },
  },
};

const go = async (options: Record<string, unknown> = {}) =>
  (await generate({ model: { name: 'order', version: '1.0.0', schema }, options: { lang: 'go', ...options }, output: 'gen/order.go' }))[0]!.content;

describe('quicktype go output', () => {
  it.skipIf(!hasGofmt)('is gofmt-clean: gofmt -l lists nothing and gofmt changes nothing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metarepo-gofmt-'));
    const file = path.join(dir, 'order.go');
    fs.writeFileSync(file, await go());
    const r = spawnSync('gofmt', ['-d', file], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('takes a package option (default main) and refuses one that is not a Go package name', async () => {
    expect(await go()).toMatch(/^package main$/m);
    expect(await go({ package: 'orders' })).toMatch(/^package orders$/m);
    for (const bad of ['Orders', 'go', 'my-pkg', 3]) {
      await expect(go({ package: bad })).rejects.toThrow(MetarepoError);
    }
    await expect(generate({ model: { name: 'order', version: '1.0.0', schema }, options: { lang: 'rust', package: 'x' }, output: 'x.rs' })).rejects.toThrow(/for lang go only/);
  });

  it('has no trailing whitespace and aligns struct fields only within runs of field lines', async () => {
    const text = await go();
    expect(text.split('\n').filter((l) => /[ \t]$/.test(l))).toEqual([]);
    expect(text).toContain('// # Page Build');
  });
});
