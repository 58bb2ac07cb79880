// Run with `node --test` in this folder: the plugin's parts without metarepo.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import plugin from './index.mjs';
import { generate } from './markdown.mjs';

function fakeApi(config = {}) {
  const got = { codegen: [], checks: [], commands: [], pages: [] };
  plugin.setup({ config, registerCodegen: (g) => got.codegen.push(g), registerCheck: (c) => got.checks.push(c), registerCommand: (c) => got.commands.push(c), registerPages: (p) => got.pages.push(p) });
  return got;
}

test('renders a property table', async () => {
  const [file] = await generate({ model: { name: 'user', version: '1.0.0', schema: { title: 'User', required: ['id'], properties: { id: { type: 'string', description: 'Key.' } } } }, output: 'docs/user.md' });
  assert.equal(file.path, 'docs/user.md');
  assert.match(file.content, /\| `id` \| string \| yes \| Key\. \|/);
});

test('the check reports undescribed properties with the configured severity', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'markdown-docs-'));
  fs.mkdirSync(path.join(root, 'models/user'), { recursive: true });
  fs.writeFileSync(path.join(root, 'models/user/1.0.0.schema.json'), JSON.stringify({ properties: { id: { type: 'string' }, ok: { type: 'string', description: 'd' } } }));
  const [check] = fakeApi({ severity: 'error' }).checks;
  const findings = check.run({ root, models: [{ name: 'user', version: '1.0.0', file: 'models/user/1.0.0.schema.json' }] });
  assert.deepEqual(findings, [{ severity: 'error', file: 'models/user/1.0.0.schema.json', pointer: '/properties/id', message: 'user@1.0.0: property "id" has no description' }]);
});

test('the docs page lists undescribed properties', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'markdown-docs-'));
  fs.mkdirSync(path.join(root, 'models/user'), { recursive: true });
  fs.writeFileSync(path.join(root, 'models/user/1.0.0.schema.json'), JSON.stringify({ properties: { id: { type: 'string' } } }));
  const [contribution] = fakeApi().pages;
  const [page] = await contribution.pages({ root });
  assert.equal(page.path, 'undocumented');
  assert.match(page.markdown, /\| user@1\.0\.0 \| `\/properties\/id` \|/);
});
