import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, REPO_ROOT, metarepoAsync, snapshotTree, tempDir } from './cli.js';

const EXAMPLE = path.join(REPO_ROOT, 'examples/plugin-markdown-docs');

async function workspaceWithModel(): Promise<string> {
  const dir = tempDir();
  expect((await metarepoAsync(dir, ['init', '--name', 'plug'])).code).toBe(0);
  fs.mkdirSync(path.join(dir, 'models/user'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'models/user/1.0.0.schema.json'),
    JSON.stringify({ title: 'User', description: 'A user.', type: 'object', properties: { id: { type: 'string', description: 'Key.' }, nick: { type: 'string' } } }, null, 2),
  );
  return dir;
}

function setTargets(dir: string, yaml: string): void {
  const file = path.join(dir, 'metarepo.yaml');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/targets: \[\]\n/, `targets:\n${yaml}`));
}

/** A plugin package in `<dir>/<name>` with the given manifest fields and index.mjs source. */
function writePlugin(dir: string, name: string, metarepoField: Record<string, unknown>, index: string): string {
  const folder = path.join(dir, name);
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ name, version: '1.0.0', type: 'module', main: 'index.mjs', metarepo: { engines: { metarepo: '^0.1.0' }, ...metarepoField } }, null, 2));
  fs.writeFileSync(path.join(folder, 'index.mjs'), index);
  return folder;
}

const git = (cwd: string, ...args: string[]) => {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
  expect(r.status, r.stderr).toBe(0);
};

describe('plugins end to end', () => {
  it('the example plugin installs from a path and contributes a generator, a check and a command', async () => {
    const dir = await workspaceWithModel();
    const install = await metarepoAsync(dir, ['plugin', 'install', EXAMPLE]);
    expect(install.stderr).toBe('');
    expect(install.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'metarepo.yaml'), 'utf8')).toMatch(/plugins:\n  markdown-docs:\n    path: /);

    setTargets(dir, '  - model: user\n    generator: markdown-docs\n    output: docs/models/user.md\n');
    const gen = await metarepoAsync(dir, ['generate']);
    expect(gen.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'docs/models/user.md'), 'utf8')).toContain('| `id` | string | no | Key. |');

    const check = await metarepoAsync(dir, ['check', '--json']);
    expect(check.code).toBe(0); // warnings only
    const findings = JSON.parse(check.stdout).findings;
    expect(findings).toContainEqual(
      expect.objectContaining({ check: 'properties-described', plugin: 'markdown-docs', severity: 'warning', file: 'models/user/1.0.0.schema.json', line: 10, column: 5 }),
    );

    const help = await metarepoAsync(dir, ['--help']);
    expect(help.stdout).toMatch(/undocumented[\s\S]*\(plugin markdown-docs\)/);
    const cmd = await metarepoAsync(dir, ['undocumented', '--model', 'user']);
    expect(cmd.stdout).toBe('user@1.0.0 /properties/nick\n1 undocumented properties\n');
    expect(cmd.code).toBe(0);
  });

  it("a plugin's check vetoes a generate run: exit 1, nothing written", async () => {
    const dir = await workspaceWithModel();
    fs.appendFileSync(path.join(dir, 'metarepo.yaml'), `plugins:\n  markdown-docs:\n    path: ${EXAMPLE}\n    config:\n      severity: error\n`);
    setTargets(dir, '  - model: user\n    generator: typescript\n    output: gen/user.ts\n');
    const before = snapshotTree(dir);
    const r = await metarepoAsync(dir, ['generate']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('check failed; nothing was written');
    expect(r.stderr).toMatch(/models\/user\/1\.0\.0\.schema\.json:\d+:\d+: user@1\.0\.0: property "nick" has no description \(markdown-docs\/properties-described\)/);
    expect(snapshotTree(dir)).toEqual(before);
    expect(fs.existsSync(path.join(dir, 'gen/user.ts'))).toBe(false);
  });

  it('plugin config errors name metarepo.yaml, line, column and the plugin', async () => {
    const dir = await workspaceWithModel();
    fs.appendFileSync(path.join(dir, 'metarepo.yaml'), `plugins:\n  markdown-docs:\n    path: ${EXAMPLE}\n    config:\n      severity: fatal\n`);
    const r = await metarepoAsync(dir, ['check']);
    expect(r.stderr + r.stdout).toMatch(/metarepo\.yaml:\d+:\d+.*markdown-docs|markdown-docs.*metarepo\.yaml:\d+:\d+/s);
    expect(r.code).not.toBe(0);
  });

  it('install, disable, enable and uninstall round trip from a local path', async () => {
    const dir = await workspaceWithModel();
    const state = async () => JSON.parse((await metarepoAsync(dir, ['plugin', 'list', '--json'])).stdout).plugins.find((p: { name: string }) => p.name === 'markdown-docs');
    expect((await metarepoAsync(dir, ['plugin', 'install', EXAMPLE])).code).toBe(0);
    expect(await state()).toMatchObject({ source: 'path', state: 'enabled' });
    expect((await metarepoAsync(dir, ['plugin', 'disable', 'markdown-docs'])).code).toBe(0);
    expect((await state()).state).toBe('disabled');
    expect(JSON.parse((await metarepoAsync(dir, ['check', '--json'])).stdout).checks.map((c: { plugin: string }) => c.plugin)).not.toContain('markdown-docs');
    expect((await metarepoAsync(dir, ['plugin', 'enable', 'markdown-docs'])).code).toBe(0);
    expect((await state()).state).toBe('enabled');
    expect((await metarepoAsync(dir, ['plugin', 'uninstall', 'markdown-docs'])).code).toBe(0);
    expect(await state()).toBeUndefined();
    expect(fs.readFileSync(path.join(dir, 'metarepo.yaml'), 'utf8')).not.toContain('markdown-docs');
    expect(fs.existsSync(EXAMPLE)).toBe(true); // a local path is the person's folder: never deleted
  });

  it('install and uninstall from a git repository', async () => {
    const dir = await workspaceWithModel();
    const repo = tempDir('metarepo-git-plugin-');
    fs.cpSync(EXAMPLE, repo, { recursive: true });
    git(repo, 'init', '-q');
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'plugin');
    const url = `git+file://${repo}`;
    const r = await metarepoAsync(dir, ['plugin', 'install', url]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(dir, '.metarepo/plugins/markdown-docs/index.mjs'))).toBe(true);
    const info = JSON.parse((await metarepoAsync(dir, ['plugin', 'info', 'markdown-docs', '--json'])).stdout);
    expect(info).toMatchObject({ source: 'git', version: '1.0.0' });
    expect((await metarepoAsync(dir, ['check'])).code).toBe(0);
    expect((await metarepoAsync(dir, ['plugin', 'uninstall', 'markdown-docs'])).code).toBe(0);
    expect(fs.existsSync(path.join(dir, '.metarepo/plugins/markdown-docs'))).toBe(false);
  });

  it('publishes lifecycle events and loads a plugin only when its contribution is needed', async () => {
    const dir = await workspaceWithModel();
    await metarepoAsync(dir, ['plugin', 'install', EXAMPLE]);
    await metarepoAsync(dir, ['status']);
    const afterStatus = (await metarepoAsync(dir, ['events', '--type', 'core:plugin:*', '--json'])).stdout;
    expect(afterStatus).not.toContain('"to":"loaded"');
    await metarepoAsync(dir, ['check']);
    const events = (await metarepoAsync(dir, ['events', '--type', 'core:plugin:*', '--json'])).stdout.trim().split('\n').map((l) => JSON.parse(l));
    const md = events.filter((e) => e.data.plugin === 'markdown-docs' && e.data.to).map((e) => e.data.to);
    expect(md).toEqual(['resolved', 'loaded', 'enabled', 'disabled', 'unloaded']);
  });

  it('a process plugin that crashes, hangs or writes outside its paths fails that contribution cleanly', async () => {
    const dir = await workspaceWithModel();
    const plugins = path.join(dir, 'plugins');
    writePlugin(plugins, 'crasher', { isolation: 'process', contributes: { checks: ['crash'] } }, `export default { name: 'crasher', setup(api) { api.registerCheck({ name: 'crash', description: 'x', run() { process.exit(3); } }); } };\n`);
    writePlugin(
      plugins,
      'sneaky',
      { isolation: 'process', permissions: { write: ['gen'] }, contributes: { checks: ['sneak'] } },
      `import fs from 'node:fs';\nexport default { name: 'sneaky', setup(api) { api.registerCheck({ name: 'sneak', description: 'x', run(ctx) { fs.writeFileSync(ctx.root + '/models/evil.txt', 'x'); return []; } }); } };\n`,
    );
    const before = snapshotTree(dir);
    const r = await metarepoAsync(dir, ['check', '--json']);
    expect(r.code).toBe(1);
    const messages = JSON.parse(r.stdout).findings.map((f: { message: string }) => f.message).join('\n');
    expect(messages).toMatch(/crasher crashed \(exit code 3\)/);
    expect(messages).toMatch(/sneaky may not write .*models\/evil\.txt/);
    expect(fs.existsSync(path.join(dir, 'models/evil.txt'))).toBe(false);
    const after = snapshotTree(dir);
    delete after['metarepo.yaml'];
    delete before['metarepo.yaml'];
    expect(after).toEqual(before);
  });

  it('a plugin activated by onEvent receives every event published in a tight loop while it activates, in order', async () => {
    const dir = await workspaceWithModel();
    const plugins = path.join(dir, 'plugins');
    // The command publishes 300 events, then waits until both subscribers report what they received (or 60 s pass).
    writePlugin(
      plugins,
      'burst',
      { contributes: { commands: [{ name: 'burst', description: 'publish 300 events' }], events: ['bench:tick:sent'] } },
      [
        "export default { name: 'burst', setup(api) { api.registerCommand({ name: 'burst', description: 'x', async run(ctx) {",
        '  const seen = {};',
        '  let timer;',
        "  const done = new Promise((resolve) => api.onEvent('bench:seen:*', (e) => { seen[e.source] = e.data.got; if (Object.keys(seen).length === 2) resolve(); }));",
        "  for (let n = 0; n < 300; n++) api.publish('bench:tick:sent', { n });",
        '  await Promise.race([done, new Promise((r) => (timer = setTimeout(r, 60000)))]);',
        '  clearTimeout(timer);',
        '  ctx.print(JSON.stringify(seen));',
        '} }); } };',
        '',
      ].join('\n'),
    );
    // Both isolations; setup takes a while, as an import of a big library would.
    const counter = (name: string) =>
      [
        `export default { name: '${name}', async setup(api) {`,
        '  await new Promise((r) => setTimeout(r, 50));',
        '  const got = [];',
        "  api.onEvent('bench:tick:*', (e) => { got.push(e.data.n); if (e.data.n === 299) api.publish('bench:seen:it', { got }); });",
        '} };',
        '',
      ].join('\n');
    for (const [name, isolation] of [['inproc', 'in-process'], ['isolated', 'process']]) {
      writePlugin(plugins, name, { activationEvents: ['onEvent:bench:tick:*'], isolation, contributes: { events: ['bench:seen:it'] } }, counter(name));
    }
    const r = await metarepoAsync(dir, ['burst']);
    expect(r.code, r.stderr).toBe(0);
    const expected = Array.from({ length: 300 }, (_, n) => n);
    expect(JSON.parse(r.stdout)).toEqual({ inproc: expected, isolated: expected });
  });

  it('plugin list and plugin info tell which plugins failed and why; a failed plugin\'s command says so, whatever the cause', async () => {
    const dir = await workspaceWithModel();
    const plugins = path.join(dir, 'plugins');
    const command = (name: string) => ({ commands: [{ name: `${name}-cmd`, description: 'x' }] });
    const registering = (name: string) => `export default { name: '${name}', setup(api) { api.registerCommand({ name: '${name}-cmd', description: 'x', run: () => 0 }); } };\n`;
    writePlugin(plugins, 'thrower', { contributes: command('thrower') }, `export default { name: 'thrower', setup() { throw new Error('kaboom'); } };\n`);
    writePlugin(plugins, 'configured', { contributes: command('configured'), configSchema: { type: 'object', required: ['level'], properties: { level: { type: 'number' } } } }, registering('configured'));
    writePlugin(plugins, 'needy', { contributes: command('needy'), dependencies: { 'not-there': '^1.0.0' } }, registering('needy'));
    writePlugin(plugins, 'fine', { contributes: command('fine') }, registering('fine'));
    const reasons: Record<string, RegExp> = { thrower: /kaboom/, configured: /metarepo\.yaml.*level/, needy: /not-there/ };

    const list = await metarepoAsync(dir, ['plugin', 'list']);
    expect(list.code, list.stdout + list.stderr).toBe(1);
    for (const [name, reason] of Object.entries(reasons)) expect(list.stdout).toMatch(new RegExp(`^${name}@1\\.0\\.0 .*failed: .*${reason.source}`, 'm'));
    expect(list.stdout).toMatch(/^fine@1\.0\.0 +workspace +enabled$/m);
    const json = JSON.parse((await metarepoAsync(dir, ['plugin', 'list', '--json'])).stdout) as { plugins: Array<{ name: string; state: string; reason?: string }> };
    for (const [name, reason] of Object.entries(reasons)) expect(json.plugins.find((p) => p.name === name)).toMatchObject({ state: 'failed', reason: expect.stringMatching(reason) });

    const info = await metarepoAsync(dir, ['plugin', 'info', 'thrower', '--json']);
    expect(info.code).toBe(1);
    expect(JSON.parse(info.stdout)).toMatchObject({ state: 'failed', reason: expect.stringContaining('kaboom') });

    for (const [name, reason] of Object.entries(reasons)) {
      const r = await metarepoAsync(dir, [`${name}-cmd`]);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`unavailable: plugin ${name} failed: .*${reason.source}`));
      expect(r.stderr).not.toMatch(/unknown command/);
    }
    expect((await metarepoAsync(dir, ['fine-cmd'])).code).toBe(0);
    // Bad usage of a plugin command is reported once (commander used to print it too).
    const usage = await metarepoAsync(dir, ['fine-cmd', 'extra']);
    expect(usage.code).toBe(2);
    expect(usage.stderr.match(/too many arguments/g)).toHaveLength(1);
  });

  it("a process plugin's events are checked against its declared schemas too; --strict drops an invalid one and metarepo carries on", async () => {
    const dir = await workspaceWithModel();
    const folder = writePlugin(
      path.join(dir, 'plugins'),
      'typed',
      { isolation: 'process', contributes: { commands: [{ name: 'emit', description: 'x' }], events: ['typed:thing:made'] } },
      "export default { name: 'typed', setup(api) { api.registerCommand({ name: 'emit', description: 'x', arguments: '[items...]', run(ctx) { for (const a of ctx.args) api.publish(a.startsWith('{') ? 'typed:thing:made' : a, a.startsWith('{') ? JSON.parse(a) : {}); } }); } };\n",
    );
    fs.mkdirSync(path.join(folder, 'events/typed.thing.made'), { recursive: true });
    const schema = { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } };
    fs.writeFileSync(path.join(folder, 'events/typed.thing.made/1.0.0.schema.json'), JSON.stringify(schema));

    const lenient = await metarepoAsync(dir, ['emit', '{"n":1}', '{"n":"two"}', 'typed:stray:one', 'typed:stray:one']);
    expect(lenient.code, lenient.stderr).toBe(0);
    expect(lenient.stderr).toMatch(/warning: event typed:thing:made does not match its schema: data\/n must be integer \(plugin typed's schema .*1\.0\.0\.schema\.json\)/);
    expect(lenient.stderr.match(/plugin typed publishes typed:stray:one, which it does not declare/g)).toHaveLength(1);

    const strict = await metarepoAsync(dir, ['--strict', 'emit', '{"n":3}', '{"n":"four"}', '{"n":5}']);
    expect(strict.code, strict.stderr).toBe(0);
    expect(strict.stderr).toMatch(/error: plugin typed: Event typed:thing:made does not match its schema: data\/n must be integer/);
    const logged = (await metarepoAsync(dir, ['events', '--type', 'typed:thing:made', '--json'])).stdout.trim().split('\n').map((l) => JSON.parse(l).data.n);
    expect(logged).toEqual([1, 'two', 3, 5]); // the lenient run logs the invalid one with a warning; --strict does not
  });

  it('plugin dev keeps waiting when the first load fails, and loads the plugin on the save that fixes it', async () => {
    const dir = await workspaceWithModel();
    const good = `export default { name: 'late', setup(api) { api.registerCheck({ name: 'one', description: 'x', run: () => [] }); } };\n`;
    const folder = writePlugin(dir, 'late', { contributes: { checks: ['one'] } }, 'export default { name: broken syntax\n');
    const child = spawn(process.execPath, [BIN, 'plugin', 'dev', folder], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const waitFor = async (re: RegExp) => {
      await expect.poll(() => out, { timeout: 30_000, interval: 100 }).toMatch(re);
    };
    try {
      await waitFor(/load failed late: .*index\.mjs.*\n.*waiting for the next save/);
      expect(child.exitCode).toBeNull();
      // A setup that throws is a failed load too; the plugin stays watched.
      fs.writeFileSync(path.join(folder, 'index.mjs'), `export default { name: 'late', setup() { throw new Error('not yet'); } };\n`);
      await waitFor(/reload failed late: .*not yet/);
      fs.writeFileSync(path.join(folder, 'index.mjs'), good);
      await waitFor(/reloaded late@1\.0\.0 +checks: one /);
      expect(child.exitCode).toBeNull();
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('plugin dev reloads a plugin when its files change', async () => {
    const dir = await workspaceWithModel();
    const folder = writePlugin(dir, 'live', { contributes: { checks: ['one', 'two'] } }, `export default { name: 'live', setup(api) { api.registerCheck({ name: 'one', description: 'x', run: () => [] }); } };\n`);
    const child = spawn(process.execPath, [BIN, 'plugin', 'dev', folder], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const waitFor = async (re: RegExp) => {
      const deadline = Date.now() + 30_000;
      while (!re.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(out).toMatch(re);
    };
    try {
      await waitFor(/ready live@1\.0\.0 +checks: one /);
      fs.writeFileSync(
        path.join(folder, 'index.mjs'),
        `export default { name: 'live', setup(api) { for (const n of ['one', 'two']) api.registerCheck({ name: n, description: 'x', run: () => [] }); } };\n`,
      );
      await waitFor(/reloaded live@1\.0\.0 +checks: one, two /);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
