// Run with `node --test` in this folder.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import plugin, { readmeCheck } from './index.mjs';

test('registers its check', () => {
  const checks = [];
  plugin.setup({ registerCheck: (c) => checks.push(c.name) });
  assert.deepEqual(checks, ['licence-check-readme']);
});

test('warns about a project without a README.md', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'licence-check-'));
  fs.mkdirSync(path.join(root, 'projects/with'), { recursive: true });
  fs.writeFileSync(path.join(root, 'projects/with/README.md'), '# with\n');
  const ctx = { root, workspace: { projects: [{ name: 'with', path: 'projects/with' }, { name: 'without', path: 'projects/without' }] } };
  assert.deepEqual(readmeCheck.run(ctx), [{ severity: 'warning', file: 'projects/without', message: 'project without has no README.md' }]);
});
