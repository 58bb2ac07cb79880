// Issue 13 item 15: answers that don't fit a command line. `metarepo new <generator> --answers <file.json|->` takes
// the answers as a JSON object (any generator: built-in, plopfile prompts, adopted patterns), `--set` wins for the
// keys it names, and `metarepo patterns show <id> --answers <member>` prints one member's answers, so a member whose
// answers are larger than one command-line argument may be (128 KiB on Linux) is scaffolded again through a pipe.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { metarepoAsync, snapshotTree, tempDir } from './cli.js';

const NO_LLM = { OPENAI_BASE_URL: '', OPENAI_API_KEY: '', OPENAI_MODEL: '' };

async function workspace(): Promise<string> {
  const dir = tempDir();
  expect((await metarepoAsync(dir, ['init', '--name', 'mono'])).code).toBe(0);
  return dir;
}

/** A plopfile generator with an input and a yes/no question, writing one file from both. */
const WIDGET = `export default function (plop) {
  plop.setGenerator('widget', {
    description: 'A widget',
    prompts: [
      { type: 'input', name: 'title', message: 'Title' },
      { type: 'confirm', name: 'withTests', message: 'Tests?', default: false },
    ],
    actions: [{ type: 'add', path: 'widgets/{{kebabCase title}}.txt', template: '{{title}} tests={{withTests}}\\n' }],
  });
}
`;

describe('metarepo new --answers', () => {
  it('a built-in generator takes its answers from a JSON file; --set wins for the keys it names', async () => {
    const dir = await workspace();
    fs.writeFileSync(path.join(dir, 'answers.json'), JSON.stringify({ name: 'payment-gateway', description: 'From the file', scope: 'acme' }));
    const r = await metarepoAsync(dir, ['new', 'ts-library', '--answers', 'answers.json', '--set', 'description=From the flag', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).answers).toMatchObject({ name: 'payment-gateway', description: 'From the flag', scope: 'acme' });
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'projects/payment-gateway/package.json'), 'utf8'));
    expect(pkg).toMatchObject({ name: '@acme/payment-gateway', description: 'From the flag' });
  });

  it('a plopfile generator takes typed answers from stdin (-)', async () => {
    const dir = await workspace();
    fs.writeFileSync(path.join(dir, 'generators/widget.mjs'), WIDGET);
    const r = await metarepoAsync(dir, ['new', 'widget', '--answers', '-'], { input: JSON.stringify({ title: 'Fancy Button', withTests: true }) });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'widgets/fancy-button.txt'), 'utf8')).toBe('Fancy Button tests=true\n');
    // Relative to -C, like every path argument; --set still converts its strings for the question.
    fs.mkdirSync(path.join(dir, 'in'));
    fs.writeFileSync(path.join(dir, 'in/a.json'), '{ "title": "Plain Box", "withTests": true }');
    const c = await metarepoAsync(path.dirname(dir), ['-C', dir, 'new', 'widget', '--answers', 'in/a.json', '--set', 'withTests=no']);
    expect(c.code, c.stderr).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'widgets/plain-box.txt'), 'utf8')).toBe('Plain Box tests=false\n');
  });

  it.each([
    ['invalid JSON', 'bad.json', '{\n  "title": "x",\n}\n', /bad\.json is not valid JSON: .*\(line 3, column 1\)/],
    ['an array', 'list.json', '\n  ["title", "x"]\n', /list\.json must hold a JSON object of answers.*not an array.*\(line 2, column 3\)/],
    ['a string', 'text.json', '"title=x"', /text\.json must hold a JSON object of answers.*not a string.*\(line 1, column 1\)/],
    ['null', 'null.json', 'null', /null\.json must hold a JSON object of answers.*not null/],
  ])('%s is bad input (exit 2) naming the file and the position; nothing is written', async (_what, file, text, message) => {
    const dir = await workspace();
    fs.writeFileSync(path.join(dir, 'generators/widget.mjs'), WIDGET);
    fs.writeFileSync(path.join(dir, file), text);
    const before = snapshotTree(dir);
    const r = await metarepoAsync(dir, ['new', 'widget', '--answers', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('bad JSON on stdin names stdin; a file that does not exist is bad input', async () => {
    const dir = await workspace();
    fs.writeFileSync(path.join(dir, 'generators/widget.mjs'), WIDGET);
    const stdin = await metarepoAsync(dir, ['new', 'widget', '--answers', '-'], { input: '{"title": ' });
    expect(stdin.code).toBe(2);
    expect(stdin.stderr).toMatch(/<stdin> is not valid JSON: .*\(line 1, column \d+\)/);
    const missing = await metarepoAsync(dir, ['new', 'widget', '--answers', 'nowhere.json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nowhere.json');
    expect(fs.existsSync(path.join(dir, 'widgets'))).toBe(false);
  });

  it('keys no question asks are refused as with --set', async () => {
    const dir = await workspace();
    fs.writeFileSync(path.join(dir, 'generators/widget.mjs'), WIDGET);
    const r = await metarepoAsync(dir, ['new', 'widget', '--answers', '-'], { input: JSON.stringify({ title: 'A', colour: 'red' }) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"colour"');
  });
});

/** A deterministic base64-ish string of `n` characters. */
function blob(n: number, seed: number): string {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let s = seed;
  let out = '';
  while (out.length < n) {
    s = (s * 1103515245 + 12345) % 2147483648;
    out += abc[s % 64];
  }
  return out;
}

/** A data module: a long fixed licence comment, one blob constant, one call. */
const blobModule = (name: string, data: string) =>
  [
    '/*',
    ...Array.from({ length: 300 }, (_, i) => ` * Licence line ${i}: the data below is generated; do not edit it by hand, regenerate it instead.`),
    ' */',
    'import { register } from "../registry";',
    '',
    `/** The ${name} blob. */`,
    `export const ${name}Blob: string = "${data}";`,
    '',
    `register("${name}", ${name}Blob, { size: ${data.length} });`,
    '',
  ].join('\n');

describe('patterns show --answers | new --answers -', () => {
  it('scaffolds again a member whose answers are 180 KB, more than one command-line argument may hold', async () => {
    const dir = await workspace();
    fs.mkdirSync(path.join(dir, 'src/blobs'), { recursive: true });
    const names = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
    names.forEach((n, i) => fs.writeFileSync(path.join(dir, `src/blobs/${n}.ts`), blobModule(n, blob(n === 'beta' ? 180 * 1024 : 3000, i + 1))));
    const detect = await metarepoAsync(dir, ['patterns', 'detect', 'src/blobs', '--json'], { env: NO_LLM });
    expect(detect.code, detect.stderr).toBe(0);
    const [p] = JSON.parse(detect.stdout).proposals;
    expect(p.members).toBe(names.length);
    const adopt = await metarepoAsync(dir, ['patterns', 'adopt', p.id, '--name', 'blob']);
    expect(adopt.code, adopt.stderr).toBe(0);
    // The first fixture's answers make a --set example too long to type: adopt shows the pipe instead.
    expect(adopt.stdout).toContain(`metarepo patterns show ${p.id} --answers src/blobs/alpha.ts | metarepo new blob --answers -`);

    const shown = await metarepoAsync(dir, ['patterns', 'show', p.id, '--answers', 'src/blobs/beta.ts']);
    expect(shown.code, shown.stderr).toBe(0);
    const stored = JSON.parse(fs.readFileSync(path.join(dir, `.metarepo/patterns/${p.id}/answers.json`), 'utf8')) as Array<{ path: string; key: string; answers: Record<string, unknown> }>;
    const beta = stored.find((a) => a.path === 'src/blobs/beta.ts')!;
    expect(JSON.parse(shown.stdout)).toEqual(beta.answers);
    expect(shown.stdout.length).toBeGreaterThan(180 * 1024);
    // By key too, and with --json the same JSON.
    const byKey = await metarepoAsync(dir, ['patterns', 'show', p.id, '--answers', 'beta', '--json']);
    expect(JSON.parse(byKey.stdout)).toEqual(beta.answers);

    const original = fs.readFileSync(path.join(dir, 'src/blobs/beta.ts'), 'utf8');
    fs.rmSync(path.join(dir, 'src/blobs/beta.ts'));
    const made = await metarepoAsync(dir, ['new', 'blob', '--answers', '-'], { input: shown.stdout });
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'src/blobs/beta.ts'), 'utf8')).toBe(original);
  });

  it('an unknown member is bad input listing the members', async () => {
    const dir = await workspace();
    fs.mkdirSync(path.join(dir, 'src/blobs'), { recursive: true });
    ['alpha', 'beta', 'gamma'].forEach((n, i) => fs.writeFileSync(path.join(dir, `src/blobs/${n}.ts`), blobModule(n, blob(100, i + 1))));
    const detect = await metarepoAsync(dir, ['patterns', 'detect', 'src/blobs', '--json'], { env: NO_LLM });
    const [p] = JSON.parse(detect.stdout).proposals;
    const r = await metarepoAsync(dir, ['patterns', 'show', p.id, '--answers', 'omega']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"omega"');
    expect(r.stderr).toContain('src/blobs/alpha.ts');
    expect(r.stdout).toBe('');
  });
});
