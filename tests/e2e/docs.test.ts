// `generator: docs` targets, `metarepo docs build` and `metarepo docs search`, driven through the built CLI in a
// real workspace: two versions of a model referencing another, a project with a README and docs/, the built-in
// templates, plugins and the core event catalogue. Untrusted text (a description, a README) must not become HTML.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, metarepoAsync, setTargets, writeModel } from './cli.js';
import { initWorkspace } from './workspaces.js';

let dir: string;

/** The `user` model: 1.1.0 adds `email` (described), `home` (a reference to model `address`) and examples. */
function writeModels(examples: unknown[] = [{ id: 'u1', email: 'a@b.test' }]): void {
  const base = { $schema: 'http://json-schema.org/draft-07/schema#', title: 'User', type: 'object', required: ['id'] };
  writeModel(dir, 'address', '1.0.0', { $schema: base.$schema, title: 'Address', description: 'A postal address.', type: 'object', properties: { street: { type: 'string', description: 'Street and number.' } } });
  writeModel(dir, 'user', '1.0.0', { ...base, description: 'A user.', properties: { id: { type: 'string' } } });
  writeModel(dir, 'user', '1.1.0', {
    ...base,
    description: 'A user of the shop <img src=x onerror=alert(1)>.',
    properties: {
      id: { type: 'string' },
      email: { type: 'string', format: 'email', description: 'Where receipts are mailed.' },
      home: { $ref: '../address/1.0.0.schema.json' },
    },
    examples,
  });
}

beforeAll(async () => {
  dir = await initWorkspace('shop');
  writeModels();
  fs.mkdirSync(path.join(dir, 'projects/api/docs'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'projects/api/README.md'), '# API\n\nServes carts. <script>alert(2)</script>\n\nSee [the guide](docs/guide.md).\n');
  fs.writeFileSync(path.join(dir, 'projects/api/docs/guide.md'), '# Guide\n\nHow to run the checkout server.\n');
  const yaml = path.join(dir, 'metarepo.yaml');
  fs.writeFileSync(yaml, fs.readFileSync(yaml, 'utf8').replace('projects: []', 'projects:\n  - name: api\n    path: projects/api'));
  setTargets(dir, ['  - model: user@^1', '    generator: docs', '    output: docs/models/user.md', '    options: { links: "{name}.md" }']);
});

describe('generator docs', () => {
  it('writes the reference page of the newest version, links the referenced model, and --check agrees', async () => {
    const r = await metarepoAsync(dir, ['generate']);
    expect(r.code, r.stderr).toBe(0);
    const page = fs.readFileSync(path.join(dir, 'docs/models/user.md'), 'utf8');
    expect(page).toContain('# User (user@1.1.0)');
    expect(page).toContain('| `email` | `string` | no |  | format email | Where receipts are mailed. |');
    expect(page).toContain('- [address@1.0.0](address.md)');
    expect(page).toContain('```mermaid\nclassDiagram');
    expect(page).toContain('### 1.0.0 → 1.1.0');
    expect((await metarepoAsync(dir, ['generate', '--check'])).code).toBe(0);
  });

  it('fails metarepo check for a model with an invalid example (check model-examples), naming file and example', async () => {
    writeModels([{ email: 42 }]);
    const r = await metarepoAsync(dir, ['check']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/models\/user\/1\.1\.0\.schema\.json:\d+:\d+: user@1\.1\.0: example \/examples\/0 does not match the schema: .*required property 'id'.*checks-core\/model-examples/);
    writeModels();
    const fixed = await metarepoAsync(dir, ['check']);
    expect(fixed.code, fixed.stdout).toBe(0);
  });
});

describe('docs build', () => {
  it('writes one site for models, diffs, changelogs, projects, templates, plugins and events, with no raw HTML from the workspace', async () => {
    const r = await metarepoAsync(dir, ['docs', 'build', '--out', 'site']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Built \d+ pages \(.* MB\) in \d+ ms: .*site[\\/]index\.html$/m);
    const site = (p: string) => fs.readFileSync(path.join(dir, 'site', p), 'utf8');
    const user = site('models/user/1.1.0.html');
    expect(user).toContain('<a href="../../models/address/1.0.0.html">address@1.0.0</a>');
    expect(user).toContain('<pre class="mermaid">classDiagram');
    expect(user).toContain('A user of the shop &lt;img src=x onerror=alert(1)&gt;.');
    expect(user).not.toMatch(/<img/);
    expect(user).toContain('src="../../assets/mermaid.min.js"');
    expect(site('models/user/diff-1.0.0-1.1.0.html')).toContain('PROPERTY_ADDED_OPTIONAL_OPEN');
    expect(site('models/user/changelog.html')).toContain('user changelog');
    const readme = site('projects/api/index.html');
    expect(readme).toContain('&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(readme).toContain('<a href="docs/guide.html">the guide</a>');
    expect(site('projects/api/docs/guide.html')).toContain('How to run the checkout server.');
    const template = site('templates/ts-library.html');
    expect(template).toContain('npm scope of the package name');
    expect(template).toMatch(/<h3[^>]*>projects\/string-utils\/package\.json<\/h3>/);
    expect(site('plugins/checks-core.html')).toContain('model-examples');
    expect(site('events/core.file.created.html')).toContain('The file, relative to the workspace root');
    const index = site('search-index.js');
    expect(index.startsWith('window.METAREPO_SEARCH = {')).toBe(true);
    expect(index).not.toContain('</script');
    expect(fs.existsSync(path.join(dir, 'site/assets/mermaid.min.js'))).toBe(true);
    // Nothing is fetched from elsewhere: every script and style sheet is a relative URL.
    expect(user).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it('says where the default site is', async () => {
    const r = await metarepoAsync(dir, ['docs', 'build']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(path.join(dir, '.metarepo/docs-site/index.html'));
  });
});

describe('docs search', () => {
  const search = async (query: string) => {
    const r = await metarepoAsync(dir, ['docs', 'search', query, '--json']);
    expect(r.code, r.stderr).toBe(0);
    return (JSON.parse(r.stdout) as { hits: Array<{ title: string; path: string; snippet: string; score: number }> }).hits;
  };

  it('finds a property by its name and by a word of its description, ranked, with a snippet', async () => {
    const byName = await search('email');
    expect(byName[0]!.path).toBe('models/user/1.1.0.html');
    expect(byName[0]!.title).toBe('User (user@1.1.0)');
    expect(byName[0]!.snippet).toMatch(/email/i);
    const byWord = await search('receipts');
    expect(byWord[0]!.path).toBe('models/user/1.1.0.html');
    expect(byWord[0]!.snippet).toContain('Where receipts are mailed.');
    expect(byWord.map((h) => h.score)).toEqual([...byWord.map((h) => h.score)].sort((a, b) => b - a));
  });

  it('finds a template by a variable and an event type by a payload field', async () => {
    expect((await search('scope')).map((h) => h.path)).toContain('templates/ts-library.html');
    expect((await search('exitCode')).map((h) => h.path)).toContain('events/core.system.shutdown.html');
  });

  it('prints ranked lines for people, exits 1 when nothing matches and 2 for an empty query', async () => {
    const r = await metarepoAsync(dir, ['docs', 'search', 'checkout']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^1\. api: Guide {2}projects\/api\/docs\/guide\.html\n {3}.*checkout server/m);
    expect((await metarepoAsync(dir, ['docs', 'search', 'zzqxnothing'])).code).toBe(1);
    const empty = await metarepoAsync(dir, ['docs', 'search', ' ']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('The search query is empty.');
  });
});

describe('pages from plugins', () => {
  it('adds the pages a plugin contributes (the example markdown-docs plugin) under pages/<plugin>/', async () => {
    const install = await metarepoAsync(dir, ['plugin', 'install', path.join(REPO_ROOT, 'examples/plugin-markdown-docs')]);
    expect(install.code, install.stderr).toBe(0);
    const r = await metarepoAsync(dir, ['docs', 'build', '--out', 'site']);
    expect(r.code, r.stderr).toBe(0);
    const page = fs.readFileSync(path.join(dir, 'site/pages/markdown-docs/undocumented.html'), 'utf8');
    expect(page).toContain('<h1 id="undocumented-properties">Undocumented properties</h1>');
    expect(page).toContain('<code>/properties/id</code>');
    expect(fs.readFileSync(path.join(dir, 'site/index.html'), 'utf8')).toContain('<a href="pages/index.html">Pages</a>: 1 page(s)');
    const hits = JSON.parse((await metarepoAsync(dir, ['docs', 'search', 'undocumented', '--json'])).stdout) as { hits: Array<{ path: string }> };
    expect(hits.hits[0]!.path).toBe('pages/markdown-docs/undocumented.html');
  });

  it('refuses a page whose path leaves its folder, naming the plugin, with exit 2 and the old site kept', async () => {
    const plugin = path.join(dir, 'plugins/escape');
    fs.mkdirSync(plugin, { recursive: true });
    fs.writeFileSync(path.join(plugin, 'package.json'), JSON.stringify({ name: 'escape', version: '1.0.0', type: 'module', main: 'index.mjs', metarepo: { engines: { metarepo: '^0.1.0' }, contributes: { pages: ['bad'] } } }));
    fs.writeFileSync(path.join(plugin, 'index.mjs'), "export default { name: 'escape', setup(api) { api.registerPages({ name: 'bad', pages: () => [{ path: '../../evil', title: 'x', markdown: 'x' }] }); } };\n");
    const r = await metarepoAsync(dir, ['docs', 'build', '--out', 'site']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Plugin escape\'s pages "bad" page 0: path "../../evil" must be segments');
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(fs.existsSync(path.join(dir, 'site/pages/markdown-docs/undocumented.html'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'evil.html'))).toBe(false);
    fs.rmSync(plugin, { recursive: true });
  });
});

describe('docs build --out', () => {
  it('refuses to replace a folder or file it did not write, with exit 2 and nothing touched', async () => {
    for (const out of ['.', 'projects', 'metarepo.yaml']) {
      const before = fs.readdirSync(dir).sort();
      const r = await metarepoAsync(dir, ['docs', 'build', '--out', out]);
      expect(r.code, out).toBe(2);
      expect(r.stderr).toMatch(/the site replaces its folder whole, so nothing was written/);
      expect(fs.readdirSync(dir).sort()).toEqual(before);
    }
    expect(fs.existsSync(path.join(dir, 'projects/api/README.md'))).toBe(true);
  });
});
