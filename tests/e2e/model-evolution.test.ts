import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { metarepoAsync, setTargets, tempDir, writeModel } from './cli.js';

const user = (props: Record<string, unknown>, required: string[] = ['id']) => ({
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://example.test/models/user/1.0.0',
  title: 'User',
  description: 'A user.',
  type: 'object',
  additionalProperties: false,
  required,
  properties: { id: { type: 'string' }, ...props },
});

async function workspace(): Promise<string> {
  const dir = tempDir();
  expect((await metarepoAsync(dir, ['init', '--name', 'demo'])).code).toBe(0);
  writeModel(dir, 'user', '1.0.0', user({ name: { type: 'string' } }));
  return dir;
}

function editDraft(dir: string, edit: (s: Record<string, any>) => void): void {
  const file = path.join(dir, 'models/user/draft.schema.json');
  const schema = JSON.parse(fs.readFileSync(file, 'utf8'));
  edit(schema);
  fs.writeFileSync(file, JSON.stringify(schema, null, 2));
}

async function json(dir: string, args: string[]) {
  const r = await metarepoAsync(dir, [...args, '--json']);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe('model draft, diff, bump', () => {
  it('diffs the draft against the newest version, then releases it with the bump the policy requires', async () => {
    const dir = await workspace();
    expect((await metarepoAsync(dir, ['model', 'draft', 'user'])).code).toBe(0);
    expect((await metarepoAsync(dir, ['model', 'draft', 'user'])).stderr).toContain('already has a working draft');
    editDraft(dir, (s) => (s.properties.email = { type: 'string' }));
    const diff = await json(dir, ['model', 'diff', 'user']);
    expect(diff).toMatchObject({ from: '1.0.0', to: 'draft', required: 'minor', breaksPolicy: false, policy: { compatibility: 'backward' } });
    expect(diff.changes.map((c: { rule: string; path: string }) => `${c.rule} ${c.path}`)).toEqual(['PROPERTY_ADDED_OPTIONAL_CLOSED /properties/email']);

    const bumped = await metarepoAsync(dir, ['model', 'bump', 'user']);
    expect(bumped.stdout).toContain('Released user@1.1.0 (minor bump from 1.0.0');
    expect(fs.existsSync(path.join(dir, 'models/user/draft.schema.json'))).toBe(false);
    // The $id named the previous version; it names the new one.
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'models/user/1.1.0.schema.json'), 'utf8')).$id).toBe('https://example.test/models/user/1.1.0');
    // No draft: the two newest versions.
    expect(await json(dir, ['model', 'diff', 'user'])).toMatchObject({ from: '1.0.0', to: '1.1.0' });
  });

  it('refuses a version that understates a breaking change, and the check vetoes such a release', async () => {
    const dir = await workspace();
    await metarepoAsync(dir, ['model', 'draft', 'user']);
    editDraft(dir, (s) => delete s.properties.name);
    const refused = await metarepoAsync(dir, ['model', 'bump', 'user', '--as', '1.1.0']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('Version 1.1.0 understates the change from 1.0.0: PROPERTY_REMOVED_CLOSED at /properties/name breaks the backward policy, so a major bump is required (2.0.0 or later).');
    expect(fs.existsSync(path.join(dir, 'models/user/1.1.0.schema.json'))).toBe(false);
    expect((await metarepoAsync(dir, ['model', 'bump', 'user', '--dry-run'])).stdout).toContain('Would release user@2.0.0');

    // Released by hand under the wrong number: `check` and `generate` report it at the file.
    fs.renameSync(path.join(dir, 'models/user/draft.schema.json'), path.join(dir, 'models/user/1.1.0.schema.json'));
    writeModel(dir, 'user', '1.1.0', JSON.parse(fs.readFileSync(path.join(dir, 'models/user/1.1.0.schema.json'), 'utf8')));
    const check = await metarepoAsync(dir, ['check']);
    expect(check.code).toBe(1);
    expect(check.stdout + check.stderr).toMatch(/models\/user\/1\.1\.0\.schema\.json.*user@1\.1\.0 \(policy backward\): Version 1\.1\.0 understates the change/);
    setTargets(dir, ['  - model: user', '    generator: typescript', '    output: gen/user.ts']);
    const gen = await metarepoAsync(dir, ['generate']);
    expect(gen.code).toBe(1);
    expect(gen.stderr).toContain('model-versions');
    expect(fs.existsSync(path.join(dir, 'gen/user.ts'))).toBe(false);
  });

  it('judges by the policy in metarepo.yaml: an optional property on a closed object is major under full', async () => {
    const dir = await workspace();
    fs.appendFileSync(path.join(dir, 'metarepo.yaml'), 'models:\n  user:\n    compatibility: full\n');
    await metarepoAsync(dir, ['model', 'draft', 'user']);
    editDraft(dir, (s) => (s.properties.email = { type: 'string' }));
    expect(await json(dir, ['model', 'diff', 'user'])).toMatchObject({ required: 'major', breaksPolicy: true, policy: { compatibility: 'full' } });
    expect((await metarepoAsync(dir, ['model', 'bump', 'user'])).stdout).toContain('Released user@2.0.0');
  });

  it('checks every earlier version under a transitive policy', async () => {
    const dir = await workspace();
    fs.appendFileSync(path.join(dir, 'metarepo.yaml'), 'compatibility: backward_transitive\n');
    // 1.0.0 → 1.1.0 adds optional `email`; 1.1.0 → 1.2.0 makes it required. Each step alone, and 1.0.0 → 1.2.0.
    writeModel(dir, 'user', '1.1.0', user({ name: { type: 'string' }, email: { type: 'string' } }));
    writeModel(dir, 'user', '1.2.0', user({ name: { type: 'string' }, email: { type: 'string' } }, ['id', 'email']));
    const check = await metarepoAsync(dir, ['check', '--json']);
    const messages = JSON.parse(check.stdout).findings.map((f: { message: string }) => f.message);
    expect(messages.filter((m: string) => m.startsWith('user@1.2.0'))).toHaveLength(2); // against 1.0.0 and 1.1.0
  });

  it('rejects an unknown policy in metarepo.yaml with its line', async () => {
    const dir = await workspace();
    fs.appendFileSync(path.join(dir, 'metarepo.yaml'), 'models:\n  user:\n    compatibility: sideways\n');
    const r = await metarepoAsync(dir, ['model', 'diff', 'user']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/metarepo\.yaml:\d+:\d+/);
    expect(r.stderr).toContain('backward');
  });
});

describe('model bump under a transitive policy', () => {
  // Open objects: dropping `x` and adding it back are each compatible with the version before (lenient open
  // content), but `x` went from integer to string, which old data written against 1.0.0 does not pass.
  const open = (props: Record<string, unknown>) => ({ $schema: 'http://json-schema.org/draft-07/schema#', title: 'Item', description: 'An item.', type: 'object', properties: props });

  it('checks the draft against every earlier version, not only the newest', async () => {
    const dir = tempDir();
    expect((await metarepoAsync(dir, ['init', '--name', 'demo'])).code).toBe(0);
    writeModel(dir, 'item', '1.0.0', open({ id: { type: 'string' }, x: { type: 'integer' } }));
    writeModel(dir, 'item', '1.1.0', open({ id: { type: 'string' } }));
    writeModel(dir, 'item', 'draft', open({ id: { type: 'string' }, x: { type: 'string' } }));
    const plain = await metarepoAsync(dir, ['model', 'bump', 'item', '--as', '1.2.0', '--dry-run']);
    expect(plain.code, plain.stderr).toBe(0);

    fs.appendFileSync(path.join(dir, 'metarepo.yaml'), 'models:\n  item:\n    compatibility: backward_transitive\n');
    const refused = await metarepoAsync(dir, ['model', 'bump', 'item', '--as', '1.2.0']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('understates the change from 1.0.0');
    expect(refused.stderr).toContain('/properties/x');
    expect(fs.existsSync(path.join(dir, 'models/item/1.2.0.schema.json'))).toBe(false);
    // Without --as it picks the version the transitive check needs.
    expect((await metarepoAsync(dir, ['model', 'bump', 'item'])).stdout).toContain('Released item@2.0.0');
  });
});

describe('model changelog', () => {
  it('prints the changelog and writes it with a reference page per version; never overwrites a hand-written page', async () => {
    const dir = await workspace();
    writeModel(dir, 'user', '1.1.0', user({ name: { type: 'string', description: 'Full name.' }, email: { type: 'string' } }));
    writeModel(dir, 'user', '2.0.0', user({ email: { type: 'string' } }));
    const r = await metarepoAsync(dir, ['model', 'changelog', 'user']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.indexOf('## 2.0.0')).toBeLessThan(r.stdout.indexOf('## 1.1.0'));
    expect(r.stdout).toContain('- `PROPERTY_REMOVED_CLOSED` `/properties/name`');
    expect(r.stdout).toContain('`PROPERTY_ADDED_OPTIONAL_CLOSED` `/properties/email`');
    const index = fs.readFileSync(path.join(dir, 'docs/models/user.md'), 'utf8');
    expect(index).toContain('- [1.1.0](user/1.1.0.md)');
    expect(fs.readFileSync(path.join(dir, 'docs/models/user/1.1.0.md'), 'utf8')).toContain('Full name.');
    fs.writeFileSync(path.join(dir, 'docs/models/user/1.0.0.md'), '# my own notes\n');
    const refused = await metarepoAsync(dir, ['model', 'changelog', 'user']);
    expect(refused.code).toBe(2);
    expect(fs.readFileSync(path.join(dir, 'docs/models/user/1.0.0.md'), 'utf8')).toBe('# my own notes\n');
    expect((await metarepoAsync(dir, ['model', 'changelog', 'user', '--no-write'])).code).toBe(0);
  });
});

describe('model impact and usage', () => {
  async function withProjects(): Promise<string> {
    const dir = await workspace();
    const yaml = path.join(dir, 'metarepo.yaml');
    fs.writeFileSync(yaml, fs.readFileSync(yaml, 'utf8').replace('projects: []', 'projects:\n  - name: api\n    path: projects/api\n  - name: web\n    path: projects/web'));
    setTargets(dir, [
      '  - model: user',
      '    generator: typescript',
      '    output: projects/api/src/generated/user.ts',
      '  - model: user@1.0.0',
      '    generator: typescript',
      '    output: projects/web/src/user.ts',
    ]);
    expect((await metarepoAsync(dir, ['generate'])).code).toBe(0);
    fs.writeFileSync(path.join(dir, 'projects/api/src/index.ts'), "import type { User } from './generated/user.js';\nexport type Id = User['id'];\n");
    return dir;
  }

  it('lists the targets a version reaches, their files and importing projects, and what breaks', async () => {
    const dir = await withProjects();
    writeModel(dir, 'user', '2.0.0', user({}));
    const impact = await json(dir, ['model', 'impact', 'user@2.0.0']);
    expect(impact.breaking).toBe(1);
    expect(impact.targets).toEqual([
      expect.objectContaining({ target: 'projects/api/src/generated/user.ts', current: '1.0.0', reached: true, breaks: true, projects: [{ project: 'api', imports: ['User'], breaks: true }] }),
      expect.objectContaining({ target: 'projects/web/src/user.ts', reached: false, breaks: false, projects: [] }),
    ]);
    const human = (await metarepoAsync(dir, ['model', 'impact', 'user@2.0.0'])).stdout;
    expect(human).toContain('user@2.0.0: reaches 1 of 2 target(s) of user; breaks 1');
    expect(human).toContain('project api imports User — breaks');
  });

  it('makes a SOURCE-only change to a type no project imports a warning, and an error once one does', async () => {
    const dir = await withProjects();
    fs.rmSync(path.join(dir, 'projects/api/src/index.ts'));
    // `id` becomes optional: FORWARD- and SOURCE-breaking, compatible under the backward policy.
    writeModel(dir, 'user', '1.1.0', user({ name: { type: 'string' } }, []));
    const unused = await json(dir, ['model', 'diff', 'user']);
    expect(unused.changes).toEqual([expect.objectContaining({ rule: 'REQUIRED_REMOVED', severity: 'warning', usedBy: [] })]);
    expect((await metarepoAsync(dir, ['model', 'diff', 'user'])).stdout).toContain('(no project imports User)');
    // Unused, the change needs no major version: the diff asks for minor and the check accepts 1.1.0.
    expect(unused.required).toBe('minor');
    expect((await metarepoAsync(dir, ['check'])).stdout).not.toContain('model-versions');
    fs.writeFileSync(path.join(dir, 'projects/api/src/index.ts'), "import type { User } from './generated/user.js';\n");
    const used = await json(dir, ['model', 'diff', 'user']);
    expect(used.changes).toEqual([expect.objectContaining({ rule: 'REQUIRED_REMOVED', severity: 'error', usedBy: ['api'] })]);
    expect(used.required).toBe('major');
    const check = await metarepoAsync(dir, ['check']);
    expect(check.code).toBe(1);
    expect(check.stdout + check.stderr).toContain('user@1.1.0 (policy backward): Version 1.1.0 understates the change');
    // Once a later version is out, 1.1.0 is history: judged when it was made, not by imports added since.
    writeModel(dir, 'user', '1.1.1', { ...user({ name: { type: 'string' } }, []), description: 'A user of the system.' });
    expect((await metarepoAsync(dir, ['check'])).stdout + (await metarepoAsync(dir, ['check'])).stderr).not.toContain('model-versions');
  });

  it('counts a change inside a definition as used by a project that imports a type holding it, named by its title', async () => {
    const dir = await withProjects();
    const withAddress = (required: string[]) => ({
      ...user({ address: { $ref: '#/definitions/address' } }),
      definitions: { address: { title: 'Postal Address', type: 'object', required, properties: { city: { type: 'string' } } } },
    });
    writeModel(dir, 'user', '1.1.0', withAddress(['city']));
    writeModel(dir, 'user', '1.2.0', withAddress([]));
    // api imports only User, which holds the address: the SOURCE change to PostalAddress reaches it.
    const diff = await json(dir, ['model', 'diff', 'user']);
    expect(diff.changes).toEqual([expect.objectContaining({ rule: 'REQUIRED_REMOVED', typeName: 'Postal Address', severity: 'error', usedBy: ['api'] })]);
    expect(diff.required).toBe('major');
    // Imported by its own name only, it is reached too; a project importing neither is not.
    fs.writeFileSync(path.join(dir, 'projects/api/src/index.ts'), "import type { PostalAddress } from './generated/user.js';\n");
    expect((await json(dir, ['model', 'diff', 'user'])).changes[0]).toMatchObject({ severity: 'error', usedBy: ['api'] });
    fs.writeFileSync(path.join(dir, 'projects/api/src/index.ts'), "import type { Other } from './generated/user.js';\n");
    expect((await json(dir, ['model', 'diff', 'user'])).changes[0]).toMatchObject({ severity: 'warning', usedBy: [] });

    // Renamed, the type is still imported under its old name: that import breaks.
    fs.writeFileSync(path.join(dir, 'projects/api/src/index.ts'), "import type { PostalAddress } from './generated/user.js';\n");
    const renamed = withAddress([]);
    (renamed.definitions.address as Record<string, unknown>).title = 'Mailing Address';
    writeModel(dir, 'user', '1.3.0', renamed);
    const rename = (await json(dir, ['model', 'diff', 'user'])).changes.find((c: { rule: string }) => c.rule === 'TYPE_NAME_CHANGED');
    expect(rename).toMatchObject({ typeName: 'Mailing Address', oldTypeName: 'Postal Address', severity: 'error', usedBy: ['api'] });
  });
});

describe('model diff text output', () => {
  it('names the definition a use-site change reaches through (via)', async () => {
    const dir = tempDir();
    expect((await metarepoAsync(dir, ['init', '--name', 'via'])).code).toBe(0);
    writeModel(dir, 'order', '1.0.0', {
      title: 'Order',
      type: 'object',
      properties: { p: { $ref: '#/definitions/X' }, q: { $ref: '#/definitions/X' } },
      definitions: { X: { type: 'string', description: 'An id.' } },
    });
    expect((await metarepoAsync(dir, ['model', 'draft', 'order'])).code).toBe(0);
    const file = path.join(dir, 'models/order/draft.schema.json');
    const schema = JSON.parse(fs.readFileSync(file, 'utf8'));
    schema.properties.q = {};
    fs.writeFileSync(file, JSON.stringify(schema, null, 2));
    const r = await metarepoAsync(dir, ['model', 'diff', 'order']);
    expect(r.stdout).toMatch(/TYPE_WIDENED +\/properties\/q\/type \(via \/definitions\/X\) /);
  });
});
