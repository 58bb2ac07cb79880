import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { WorkspaceConfig } from '../../../src/generated/workspace.js';
import { discoverPlugins, type Discovery } from '../../../src/plugins/discovery.js';
import { loadDocument } from '../../../src/core/document.js';
import { tempDir, writePackage, writePlugin } from './helpers.js';

/** A workspace with a builtin dir next to it; `yaml` is the metarepo.yaml text. */
function setup(yaml = 'version: 1\nname: acme\n'): { root: string; builtinDir: string; discover(): Promise<Discovery> } {
  const base = tempDir();
  const root = path.join(base, 'ws');
  const builtinDir = path.join(base, 'builtin');
  fs.mkdirSync(root);
  fs.mkdirSync(builtinDir);
  fs.writeFileSync(path.join(root, 'metarepo.yaml'), yaml);
  return {
    root,
    builtinDir,
    discover() {
      const document = loadDocument(fs.readFileSync(path.join(root, 'metarepo.yaml'), 'utf8'), 'metarepo.yaml', 'yaml');
      return discoverPlugins({ root, builtinDir, config: document.value as WorkspaceConfig, document });
    },
  };
}

const summary = (d: Discovery) => d.manifests.map((m) => `${m.source}:${m.name}`);

describe('discoverPlugins', () => {
  it('finds built-ins, skipping folders without package.json and packages without a metarepo field', async () => {
    const ws = setup();
    writePlugin(path.join(ws.builtinDir, 'b-one'), 'b-one');
    writePlugin(path.join(ws.builtinDir, 'a-two'), 'a-two');
    fs.mkdirSync(path.join(ws.builtinDir, 'no-package'));
    writePackage(path.join(ws.builtinDir, 'not-a-plugin'), { name: 'lib', version: '1.0.0' });
    const d = await ws.discover();
    expect(summary(d)).toEqual(['builtin:a-two', 'builtin:b-one']);
    expect(d.problems).toEqual([]);
  });

  it("finds the workspace's plugins/ folder", async () => {
    const ws = setup();
    writePlugin(path.join(ws.root, 'plugins', 'local'), 'local');
    const d = await ws.discover();
    expect(summary(d)).toEqual(['workspace:local']);
    expect(d.manifests[0].dir).toBe(path.join(ws.root, 'plugins', 'local'));
  });

  it('resolves npm entries from <root>/node_modules, scoped names included', async () => {
    const ws = setup('version: 1\nname: acme\nplugins:\n  np:\n    package: np\n  "@acme/scoped":\n    package: "@acme/scoped"\n');
    writePlugin(path.join(ws.root, 'node_modules', 'np'), 'np');
    writePlugin(path.join(ws.root, 'node_modules', '@acme', 'scoped'), '@acme/scoped');
    const d = await ws.discover();
    expect(summary(d)).toEqual(['npm:@acme/scoped', 'npm:np']);
    expect(d.problems).toEqual([]);
  });

  it('resolves path entries relative to the root', async () => {
    const ws = setup('version: 1\nname: acme\nplugins:\n  tool:\n    path: ./tools/tool\n');
    writePlugin(path.join(ws.root, 'tools', 'tool'), 'tool');
    const d = await ws.discover();
    expect(summary(d)).toEqual(['path:tool']);
    expect(d.manifests[0].dir).toBe(path.join(ws.root, 'tools', 'tool'));
  });

  it('finds git entries installed at .metarepo/plugins/<name>', async () => {
    const ws = setup('version: 1\nname: acme\nplugins:\n  remote:\n    git: https://example.com/remote.git\n');
    writePlugin(path.join(ws.root, '.metarepo', 'plugins', 'remote'), 'remote');
    expect(summary(await ws.discover())).toEqual(['git:remote']);
  });

  it('collects enabled: false and config, also for built-ins', async () => {
    const ws = setup('version: 1\nname: acme\nplugins:\n  core:\n    enabled: false\n  tool:\n    path: ./tool\n    config:\n      level: 3\n');
    writePlugin(path.join(ws.builtinDir, 'core'), 'core');
    writePlugin(path.join(ws.root, 'tool'), 'tool');
    const d = await ws.discover();
    expect(summary(d)).toEqual(['builtin:core', 'path:tool']);
    expect([...d.disabled]).toEqual(['core']);
    expect(d.configs.get('tool')).toEqual({ level: 3 });
    expect(d.problems).toEqual([]);
  });

  it("a workspace plugin with a built-in's name is a problem for that plugin only", async () => {
    const ws = setup();
    writePlugin(path.join(ws.builtinDir, 'checks'), 'checks');
    writePlugin(path.join(ws.root, 'plugins', 'checks'), 'checks', {}, '9.0.0');
    writePlugin(path.join(ws.root, 'plugins', 'other'), 'other');
    const d = await ws.discover();
    expect(summary(d)).toEqual(['builtin:checks', 'workspace:other']);
    expect(d.manifests[0].version).toBe('1.0.0');
    expect(d.problems).toHaveLength(1);
    expect(d.problems[0]).toMatchObject({ source: 'workspace', name: 'checks', dir: path.join(ws.root, 'plugins', 'checks') });
    expect(d.problems[0].error.message).toMatch(/same name as the builtin plugin/);
  });

  it('the same folder reached twice (plugins/ and a path entry) is one plugin, not a conflict', async () => {
    const ws = setup('version: 1\nname: acme\nplugins:\n  local:\n    path: plugins/local\n');
    writePlugin(path.join(ws.root, 'plugins', 'local'), 'local');
    const d = await ws.discover();
    expect(summary(d)).toEqual(['workspace:local']);
    expect(d.problems).toEqual([]);
  });

  it('an entry that is not installed is a problem located in metarepo.yaml', async () => {
    const ws = setup('version: 1\nname: acme\nplugins:\n  gone:\n    package: gone\n  here:\n    path: ./here\n');
    writePlugin(path.join(ws.root, 'here'), 'here');
    const d = await ws.discover();
    expect(summary(d)).toEqual(['path:here']);
    expect(d.problems).toHaveLength(1);
    const [p] = d.problems;
    expect(p).toMatchObject({ source: 'npm', name: 'gone', dir: path.join(ws.root, 'node_modules', 'gone') });
    expect(p.error.message).toMatch(/Plugin "gone" is not installed/);
    expect(p.error.location).toEqual({ file: 'metarepo.yaml', line: 5, column: 14 });
    expect(p.error.hint).toMatch(/npm install/);
  });

  it('an entry whose package has another name is a problem', async () => {
    const ws = setup('version: 1\nname: acme\nplugins:\n  alias:\n    path: ./real\n');
    writePlugin(path.join(ws.root, 'real'), 'real-name');
    const d = await ws.discover();
    expect(d.manifests).toEqual([]);
    expect(d.problems[0].error.message).toMatch(/names plugin "alias", but .* is "real-name"/);
    expect(d.problems[0].error.location).toEqual({ file: 'metarepo.yaml', line: 4, column: 3 });
  });

  it('settings for a plugin that does not exist, and entries with two sources, are problems', async () => {
    const ws = setup('version: 1\nname: acme\nplugins:\n  typo:\n    config: {}\n  both:\n    path: ./x\n    git: https://example.com/x.git\n');
    const d = await ws.discover();
    expect(d.problems.map((p) => [p.source, p.name])).toEqual([
      ['config', 'both'],
      ['config', 'typo'],
    ]);
    expect(d.problems[0].error.message).toMatch(/more than one source \(path, git\)/);
    expect(d.problems[1].error.message).toMatch(/configures plugin "typo", but no such plugin is installed/);
    expect(d.problems[1].error.location).toEqual({ file: 'metarepo.yaml', line: 4, column: 3 });
  });

  it('an invalid manifest is a problem naming the plugin; the others are found', async () => {
    const ws = setup('version: 1\nname: acme\nplugins:\n  broken:\n    config: { a: 1 }\n');
    writePackage(path.join(ws.root, 'plugins', 'broken'), { name: 'broken', version: '1.0.0', metarepo: { engines: {} } });
    writePlugin(path.join(ws.root, 'plugins', 'fine'), 'fine');
    const d = await ws.discover();
    expect(summary(d)).toEqual(['workspace:fine']);
    // The settings entry for "broken" is not reported again as "no such plugin".
    expect(d.problems).toHaveLength(1);
    expect(d.problems[0]).toMatchObject({ source: 'workspace', name: 'broken' });
    expect(d.problems[0].error.message).toMatch(/must have required property 'metarepo'/);
  });

  it('outside a workspace, finds built-ins only', async () => {
    const ws = setup();
    writePlugin(path.join(ws.builtinDir, 'core'), 'core');
    writePlugin(path.join(ws.root, 'plugins', 'local'), 'local');
    const d = await discoverPlugins({ root: null, builtinDir: ws.builtinDir, config: undefined });
    expect(summary(d)).toEqual(['builtin:core']);
  });

  it('never imports plugin code', async () => {
    const ws = setup();
    const dir = writePlugin(path.join(ws.root, 'plugins', 'loud'), 'loud');
    const marker = path.join(ws.root, 'imported');
    fs.writeFileSync(path.join(dir, 'index.js'), `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'x');`);
    const d = await ws.discover();
    expect(summary(d)).toEqual(['workspace:loud']);
    expect(fs.existsSync(marker)).toBe(false);
  });
});
