// The docs generator's page (src/docs/model-page.ts) on a real workspace folder: the properties table with the
// TypeScript generator's type names, constraints in words, anchors and links, examples validated, the Mermaid
// diagram, the version history from the evolution rules, and untrusted text kept out of raw HTML.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invalidExampleFindings, modelReferencePage } from '../../../src/docs/model-page.js';

let root: string;

function model(name: string, version: string, schema: Record<string, unknown>): void {
  fs.mkdirSync(path.join(root, 'models', name), { recursive: true });
  fs.writeFileSync(path.join(root, 'models', name, `${version}.schema.json`), JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', ...schema }, null, 2));
}

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'metarepo-docs-unit-'));
  fs.writeFileSync(path.join(root, 'metarepo.yaml'), 'version: 1\nname: demo\ntargets: []\n');
  model('address', '1.0.0', { title: 'Postal address', type: 'object', required: ['street'], properties: { street: { type: 'string', minLength: 1, description: 'Street | number' } } });
  model('user', '1.0.0', { title: 'User', type: 'object', required: ['id'], properties: { id: { type: 'string' } } });
  model('user', '1.1.0', {
    title: 'User',
    description: 'A user <script>alert(1)</script>',
    type: 'object',
    required: ['id'],
    properties: {
      id: { type: 'string' },
      age: { type: 'integer', minimum: 0, default: 18, description: 'Age in whole years' },
      role: { enum: ['admin', 'member'] },
      home: { $ref: '../address/1.0.0.schema.json' },
      tags: { type: 'array', items: { $ref: '#/definitions/tag' } },
    },
    definitions: { tag: { type: 'object', properties: { label: { type: 'string', maxLength: 20 } } } },
    examples: [{ id: 'u1' }, { age: -1 }],
  });
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('model reference page', () => {
  it('tables every property with its TypeScript type, required, default, constraints and description', async () => {
    const page = await modelReferencePage(root, 'user', '1.1.0', (name, version) => `../${name}/${version}.md`);
    expect(page).toContain('| `age` | `number` | no | `18` | ≥ 0 | Age in whole years |');
    expect(page).toContain('| `role` | `"admin" \\| "member"` | no |');
    // A cross-model reference is named by the referenced schema's title, as json-schema-to-typescript names it.
    expect(page).toContain('| `home` | [`PostalAddress`](#postaladdress) |');
    expect(page).toContain('| `tags` | [`Tag[]`](#tag) |');
    expect(page).toContain('### PostalAddress');
    expect(page).toContain('| `street` | `string` | yes |  | at least 1 character | Street \\| number |');
    expect(page).toContain('- [address@1.0.0](../address/1.0.0.md)');
  });

  it('validates each example, draws a class diagram and lists the history with rule and bump', async () => {
    const page = await modelReferencePage(root, 'user', '1.1.0', (name) => `${name}.md`);
    expect(page).toContain('Example 1 (`/examples/0`): valid.');
    expect(page).toMatch(/Example 2 \(`\/examples\/1`\): \*\*invalid\*\*: .*required property 'id'/);
    expect(page).toContain('```mermaid\nclassDiagram\n  class User {');
    expect(page).toContain('  User --> PostalAddress : home');
    expect(page).toContain('### 1.0.0 → 1.1.0');
    expect(page).toContain('Bump: minor; the evolution rules require minor under `backward`.');
    expect(page).toContain('| `PROPERTY_ADDED_OPTIONAL_OPEN` | `/properties/age` |');
  });

  it('keeps raw HTML of a description out of the page and is deterministic', async () => {
    const a = await modelReferencePage(root, 'user', '1.1.0', (name) => `${name}.md`);
    const b = await modelReferencePage(root, 'user', '1.1.0', (name) => `${name}.md`);
    expect(a).toBe(b);
    expect(a).not.toContain('<script>');
    expect(a).toContain('A user &lt;script>alert(1)&lt;/script>');
  });

  it('reports an invalid example as an error finding at its pointer', async () => {
    const findings = await invalidExampleFindings(root, [{ name: 'user', version: '1.1.0' }, { name: 'user', version: '1.0.0' }]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'error', file: 'models/user/1.1.0.schema.json', pointer: '/examples/1' });
    expect(findings[0]!.message).toMatch(/must be >= 0/);
  });
});
