// The CLI as a terminal and a shell pipeline see it: dry runs print patches that `git apply` takes, a reader that
// leaves early (`| head -1`) ends the run quietly with exit 0, and the progress bar shows on a terminal's stderr only.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, type CliResult, runAsync, setTargets, tempDir, writeModel } from './cli.js';
import { WIDGET_NAME_PROMPT, userModel, writeWidget } from './workspaces.js';

/**
 * Runs `metarepo <args>` with stdout and stderr piped, with the caller's environment but none of the colour
 * variables the other e2e tests set, and with CI=true (which makes picocolors colour even a pipe on its own).
 */
function run(cwd: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const base: NodeJS.ProcessEnv = { ...process.env, CI: 'true', ...env };
  delete base.NO_COLOR;
  delete base.FORCE_COLOR;
  return runAsync(process.execPath, [BIN, ...args], { cwd, env: base, timeout: 120_000 });
}

/** Runs a bash script (pipes and all, stdin empty) with the caller's environment plus `env`. */
function sh(cwd: string, script: string, env: Record<string, string> = {}): Promise<CliResult> {
  return runAsync('bash', ['-c', script], { cwd, env: { ...process.env, ...env }, timeout: 120_000 });
}

function git(cwd: string, args: string[], input?: string): Promise<CliResult> {
  return runAsync('git', args, { cwd, input });
}

/** Makes `dir` a git repository with everything committed (as a workspace under version control is). */
async function commitAll(dir: string): Promise<void> {
  if (!fs.existsSync(path.join(dir, '.git'))) await git(dir, ['init', '-q']);
  await git(dir, ['add', '-A']);
  expect((await git(dir, ['-c', 'user.name=t', '-c', 'user.email=t@example.test', 'commit', '-qm', 'state', '--allow-empty'])).code).toBe(0);
}

/**
 * What a person sees of a workspace: every file but `.git` and metarepo's machine state in `.metarepo/` (the
 * manifest, merge bases, events, caches, which a patch does not carry), except the recorded answers.
 */
function visibleFiles(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rel of (fs.readdirSync(dir, { recursive: true }) as string[]).map((r) => r.split(path.sep).join('/')).sort()) {
    if (rel === '.git' || rel.startsWith('.git/')) continue;
    if (rel.startsWith('.metarepo/') && !rel.startsWith('.metarepo/answers/')) continue;
    const abs = path.join(dir, rel);
    if (fs.statSync(abs).isFile()) out[rel] = fs.readFileSync(abs, 'utf8');
  }
  return out;
}

/**
 * The dry-run contract: in a committed workspace, `<args> --dry-run` prints (on stdout, without colour) a patch
 * that `git apply --check` accepts; applied, it gives the files that the real run (in a copy) writes.
 */
async function expectDryRunPatch(dir: string, args: string[]): Promise<string> {
  await commitAll(dir);
  const copy = `${dir}-real`;
  fs.cpSync(dir, copy, { recursive: true });
  const dry = await run(dir, [...args, '--dry-run']);
  expect(dry.code, dry.stderr).toBe(0);
  expect(dry.stdout).not.toContain('\x1b[');
  expect(dry.stdout).toMatch(/^diff --git a\/\S+ b\/\S+$/m);
  const check = await git(dir, ['apply', '--check', '-'], dry.stdout);
  expect(check.stderr).toBe('');
  expect(check.code).toBe(0);
  expect((await git(dir, ['apply', '-'], dry.stdout)).code).toBe(0);
  const real = await run(copy, args);
  expect(real.code, real.stderr).toBe(0);
  expect(visibleFiles(dir)).toEqual(visibleFiles(copy));
  return dry.stdout;
}

describe('--dry-run prints a patch git applies', () => {
  it('generate: created, modified and removed outputs', async () => {
    const dir = tempDir();
    expect((await run(dir, ['init', '--name', 'demo'])).code).toBe(0);
    writeModel(dir, 'user', '1.0.0', userModel({ name: { type: 'string' } }));
    writeModel(dir, 'tag', '1.0.0', { ...userModel({}), $id: undefined, title: 'Tag' });
    setTargets(dir, [
      '  - model: user@^1',
      '    generator: typescript',
      '    output: gen/user.ts',
      '  - model: tag@^1',
      '    generator: typescript',
      '    output: gen/tag.ts',
    ]);
    expect((await run(dir, ['generate'])).code).toBe(0);
    // user changes (gen/user.ts is modified), tag's target goes (gen/tag.ts is removed), a python target comes.
    writeModel(dir, 'user', '1.1.0', userModel({ name: { type: 'string' }, email: { type: 'string' } }));
    setTargets(dir, [
      '  - model: user@^1',
      '    generator: typescript',
      '    output: gen/user.ts',
      '  - model: user@^1',
      '    generator: quicktype',
      '    output: gen/user.py',
      '    options: { lang: python }',
    ]);
    const patch = await expectDryRunPatch(dir, ['generate']);
    expect(patch).toContain('diff --git a/gen/user.ts b/gen/user.ts\n--- a/gen/user.ts\n+++ b/gen/user.ts\n');
    expect(patch).toContain('--- /dev/null\n+++ b/gen/user.py\n');
    expect(patch).toContain('--- a/gen/tag.ts\n+++ /dev/null\n');
  });

  it('new: a scaffolded project and the edit to metarepo.yaml', async () => {
    const dir = tempDir();
    expect((await run(dir, ['init', '--name', 'demo'])).code).toBe(0);
    const patch = await expectDryRunPatch(dir, ['new', 'ts-library', 'lib', '--yes']);
    expect(patch).toContain('--- a/metarepo.yaml\n+++ b/metarepo.yaml\n');
    expect(patch).toContain('+++ b/projects/lib/package.json\n');
  });

  it('update: a re-rendered project merged with a person’s edit', async () => {
    const dir = tempDir();
    expect((await run(dir, ['init', '--name', 'demo'])).code).toBe(0);
    writeWidget(dir, '1.0.0', { 'README.md.hbs': '# {{name}}\n\nA widget.\n', 'index.js.hbs': "// {{name}}\nexport const name = '{{name}}';\n" }, WIDGET_NAME_PROMPT);
    expect((await run(dir, ['new', 'widget', 'demo-widget'])).code).toBe(0);
    fs.appendFileSync(path.join(dir, 'projects/demo-widget/index.js'), '\nexport const size = 3;\n');
    writeWidget(dir, '1.1.0', { 'README.md.hbs': '# {{name}}\n\nA widget.\n', 'index.js.hbs': "// {{name}}: a widget\nexport const name = '{{name}}';\n", 'NOTES.md.hbs': 'Notes on {{name}}.\n' }, WIDGET_NAME_PROMPT);
    const patch = await expectDryRunPatch(dir, ['update', 'demo-widget', '--yes']);
    expect(patch).toContain('-// demo-widget\n+// demo-widget: a widget\n');
    expect(patch).toContain('+++ b/projects/demo-widget/NOTES.md\n');
    expect(fs.readFileSync(path.join(dir, 'projects/demo-widget/index.js'), 'utf8')).toContain('export const size = 3;');
  });

  it('model bump: the new version file and the draft removed', async () => {
    const dir = tempDir();
    expect((await run(dir, ['init', '--name', 'demo'])).code).toBe(0);
    writeModel(dir, 'user', '1.0.0', userModel({}));
    expect((await run(dir, ['model', 'draft', 'user'])).code).toBe(0);
    const draft = path.join(dir, 'models/user/draft.schema.json');
    const schema = JSON.parse(fs.readFileSync(draft, 'utf8'));
    schema.properties.nickname = { type: 'string' };
    fs.writeFileSync(draft, `${JSON.stringify(schema, null, 2)}\n`);
    const patch = await expectDryRunPatch(dir, ['model', 'bump', 'user']);
    expect(patch).toContain('+++ b/models/user/1.1.0.schema.json\n');
    expect(patch).toContain('--- a/models/user/draft.schema.json\n+++ /dev/null\n');
  });
});

describe('a reader that leaves early (| head -1)', () => {
  /** A workspace whose event log holds `count` events: far more than a pipe buffers. */
  async function busyLog(count: number): Promise<string> {
    const dir = tempDir();
    expect((await run(dir, ['init'])).code).toBe(0);
    const log = path.join(dir, '.metarepo/events/events.jsonl');
    const first = JSON.parse(fs.readFileSync(log, 'utf8').split('\n')[0]);
    const lines: string[] = [];
    for (let i = 0; i < count; i++) lines.push(JSON.stringify({ ...first, id: `${first.id}-${i}`, sequence: 1000 + i }));
    fs.appendFileSync(log, `${lines.join('\n')}\n`);
    return dir;
  }

  it.each([[['events']], [['events', '--json']], [['events', '--follow']]])('metarepo %j | head -1: one line, exit 0, no EPIPE stack trace', async (args) => {
    const dir = await busyLog(5000);
    const r = await sh(dir, `node ${JSON.stringify(BIN)} ${args.join(' ')} | head -1; echo "exit \${PIPESTATUS[0]}" >&2`);
    expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(1);
    expect(r.stderr).not.toMatch(/EPIPE|Error|at /);
    expect(r.stderr.trim()).toBe('exit 0');
  });
});

const hasScript = (await runAsync('script', ['--version'])).code === 0;

describe('progress on a terminal', () => {
  const script = (cwd: string, command: string) => sh(cwd, `script -q -e -c ${JSON.stringify(command)} /dev/null`, { METAREPO_PROGRESS_DELAY_MS: '0', TERM: 'xterm' });

  it.runIf(hasScript)('template test draws the bar on stderr (the terminal) and never on stdout', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'out.txt');
    const tty = await script(dir, `node ${BIN} template test --builtin --ci > ${out}`);
    expect(tty.code, tty.stdout).toBe(0);
    expect(tty.stdout).toMatch(/#+\.* fixtures \d+\/\d+/);
    expect(tty.stdout).toContain('\x1b[2K'); // erased when done
    const stdout = fs.readFileSync(out, 'utf8');
    expect(stdout).toContain('fixtures:');
    expect(stdout).not.toMatch(/#{3}|\x1b/);
  });

  it.runIf(hasScript)('no bar with --json, nor when stderr is piped', async () => {
    const dir = tempDir();
    const json = await script(dir, `node ${BIN} template test --builtin --ci --json > ${path.join(dir, 'out.json')}`);
    expect(json.code).toBe(0);
    expect(json.stdout).not.toMatch(/fixtures \d+\/\d+/);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'out.json'), 'utf8')).ok).toBe(true);
    const piped = await script(dir, `node ${BIN} template test --builtin --ci 2> ${path.join(dir, 'err.txt')} | cat`);
    expect(piped.code).toBe(0);
    expect(piped.stdout).not.toMatch(/fixtures \d+\/\d+/);
    expect(fs.readFileSync(path.join(dir, 'err.txt'), 'utf8')).toBe('');
  });

  it.runIf(hasScript)('patterns detect draws its bar on stderr, not on stdout', async () => {
    const dir = tempDir();
    expect((await run(dir, ['init'])).code).toBe(0);
    fs.mkdirSync(path.join(dir, 'src'));
    for (const name of ['alpha', 'beta', 'gamma', 'delta']) {
      fs.writeFileSync(path.join(dir, 'src', `${name}.ts`), `export function ${name}(x: number): number {\n  return x + ${name.length};\n}\n`);
    }
    const out = path.join(dir, 'out.txt');
    const tty = await script(dir, `node ${BIN} patterns detect src > ${out}`);
    expect(tty.code, tty.stdout).toBe(0);
    expect(tty.stdout).toMatch(/reading \d+\/4/);
    expect(fs.readFileSync(out, 'utf8')).not.toMatch(/reading \d|\x1b/);
  });
});
