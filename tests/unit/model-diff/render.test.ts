import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RULES, changelogSection, diffSchemas, renderChangelog, renderRulesTable, type JsonSchema } from '../../../src/models/diff/index.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const v1: JsonSchema = {
  title: 'User',
  type: 'object',
  properties: { id: { type: 'string' }, name: { type: 'string', description: 'Full name.' }, role: { enum: ['admin', 'user'] } },
  required: ['id'],
};
const v2: JsonSchema = {
  title: 'User',
  type: 'object',
  properties: { id: { type: 'string' }, name: { type: 'string', description: 'Display name.' }, role: { enum: ['admin', 'user', 'guest'] }, email: { type: 'string' } },
  required: ['id'],
};
const v3: JsonSchema = {
  title: 'User',
  type: 'object',
  properties: { id: { type: 'string' }, name: { type: 'string', description: 'Display name.', deprecated: true }, role: { enum: ['admin', 'guest'] }, email: { type: 'string', maxLength: 200 } },
  required: ['id'],
};

describe('renderChangelog', () => {
  const entries = [
    { from: '1.0.0', to: '1.1.0', changes: diffSchemas(v1, v2) },
    { from: '1.1.0', to: '2.0.0', changes: diffSchemas(v2, v3) },
    { from: '2.0.0', to: '2.0.1', changes: [] },
  ];
  const text = renderChangelog('user', entries);

  it('lists versions newest first, a working draft before them', () => {
    expect([...text.matchAll(/^## (.+)$/gm)].map((m) => m[1])).toEqual(['2.0.1', '2.0.0', '1.1.0']);
    const withDraft = renderChangelog('user', [...entries, { from: '2.0.1', to: 'draft', changes: diffSchemas(v3, v1) }]);
    expect([...withDraft.matchAll(/^## (.+)$/gm)].map((m) => m[1])).toEqual(['draft', '2.0.1', '2.0.0', '1.1.0']);
  });

  it('groups changes into sections, each line with the rule id and the pointer', () => {
    const v200 = text.slice(text.indexOf('## 2.0.0'), text.indexOf('## 1.1.0'));
    expect(v200).toContain('Changes from 1.1.0.');
    expect(v200).toContain(
      '### Breaking\n\n- `STRING_LENGTH_TIGHTENED` `/properties/email/maxLength` — `maxLength` (none) → 200 (breaks: backward)\n' +
        '- `ENUM_VALUE_REMOVED` `/properties/role/enum` — enum value "user" removed (breaks: backward, source)\n',
    );
    expect(v200).toContain('### Annotations and deprecations\n\n- `DEPRECATED_ADDED` `/properties/name/deprecated` — deprecated');
    const v110 = text.slice(text.indexOf('## 1.1.0'));
    expect(v110).toContain('### Added\n\n- `PROPERTY_ADDED_OPTIONAL_OPEN` `/properties/email` — optional property `email` added to an open object\n- `ENUM_VALUE_ADDED` `/properties/role/enum/2` — enum value "guest" added (breaks: forward)');
    expect(v110).toContain('### Annotations and deprecations\n\n- `ANNOTATION_CHANGED` `/properties/name/description`');
    expect(v110).not.toContain('### Breaking');
    expect(text).toContain('## 2.0.1\n\nNo schema changes from 2.0.0.');
  });

  it('is deterministic and ends with one newline', () => {
    expect(renderChangelog('user', [...entries].reverse())).toBe(text);
    expect(text.startsWith('# user changelog\n')).toBe(true);
    expect(text.endsWith('\n') && !text.endsWith('\n\n')).toBe(true);
  });

  it('puts relaxations under Changed', () => {
    const [relaxed] = diffSchemas({ type: 'string', maxLength: 5 }, { type: 'string', maxLength: 9 });
    expect(changelogSection(relaxed!)).toBe('changed');
    expect(renderChangelog('m', [{ from: '1.0.0', to: '1.1.0', changes: [relaxed!] }])).toContain('### Changed\n\n- `STRING_LENGTH_RELAXED`');
  });
});

describe('renderRulesTable', () => {
  it('has one row per rule and matches the table in docs/models.md', () => {
    const table = renderRulesTable();
    const rows = table.split('\n').filter((l) => l.startsWith('| `'));
    expect(rows).toHaveLength(Object.keys(RULES).length);
    expect(rows[0]).toBe(`| \`PROPERTY_REMOVED_CLOSED\` | ${RULES.PROPERTY_REMOVED_CLOSED.doc} | ✔ | (✔) | ✔ | error |`);
    expect(table).toContain('| `NULLABLE_ADDED` | `null` became allowed (`type` array or OpenAPI `nullable: true`): `T` becomes `T \\| null`. |  | ✔ | ✔ | error |');
    const doc = fs.readFileSync(path.join(REPO, 'docs/models.md'), 'utf8');
    expect(doc).toContain(`<!-- rules-table -->\n${table}<!-- /rules-table -->`);
  });
});
