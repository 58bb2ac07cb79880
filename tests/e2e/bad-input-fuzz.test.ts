// Issue 12 item 7, fuzzed: many bad versions of every kind of file a user writes — metarepo.yaml, a model schema,
// a template.yaml, a plopfile's actions — each run through the built CLI in its own copy of a workspace. For every
// one: exit 1 or 2 (never a crash), no "internal error" and no stack trace on stderr, and nothing written.
//
// Inputs are mutations of a valid file (truncation, byte flips, inserted YAML/JSON syntax, dropped or doubled
// lines, values of the wrong type, alias tricks) drawn from a fixed seed, so a failure reproduces. A mutation that
// metarepo's own loader still accepts (in process) is not bad input and is drawn again. The CLI runs at most
// about 55 times in this file (2-core machine); nothing here depends on time.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { Tree } from '../../src/engine/tree.js';
import { ModelRegistry } from '../../src/models/registry.js';
import { findScaffoldGenerator, runScaffold } from '../../src/templates/scaffold/run.js';
import { loadConfig } from '../../src/workspace/config.js';
import { metarepoAsync as metarepo, snapshotTree, tempDir } from './cli.js';

/** mulberry32: a small seeded PRNG, so every run draws the same inputs. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const int = (r: Rand, n: number) => Math.floor(r() * n);
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)];

/** Text that means something to a YAML or JSON parser. */
const SYNTAX = [':', ': ', '- ', '{', '}', '[', ']', '"', "'", ',', '&a ', '*a', '*nowhere', '\t', '\0', '!!binary ', '!tag ', '? ', '|', '>', '%YAML 1.1\n', '@', '`', '#', '\n  - ', '\n-', '\uFFFD', '\\', '---\n', '...\n', '<<: *a\n'];

/** Values of every JSON type, to put where another type belongs (shallow: deep nesting is tested elsewhere). */
const WRONG_VALUES: unknown[] = [42, -1, 3.5, 0, true, false, null, '', 'text', '../outside', '/abs/path', 'x'.repeat(300), [], [1, 'a', null], {}, { a: {} }, { $ref: '#/nowhere' }];

/** Every path (list of keys) into a parsed value, the root included. */
function paths(v: unknown, at: Array<string | number> = []): Array<Array<string | number>> {
  const out = [at];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...at, i])));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...at, k]));
  return out;
}

/** `value` with the node at `at` replaced by `replacement` (the root: `replacement` itself). */
function replaced(value: unknown, at: Array<string | number>, replacement: unknown): unknown {
  if (at.length === 0) return replacement;
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let node = copy;
  for (const k of at.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  node[at[at.length - 1]] = replacement;
  return copy;
}

/** One mutation of a valid file: the bytes to write instead, and what was done (for the failure report). */
function mutate(r: Rand, text: string, kind: 'yaml' | 'json'): { bytes: Buffer; what: string } {
  const lines = text.split('\n');
  const at = int(r, text.length + 1);
  switch (int(r, 7)) {
    case 0:
      return { bytes: Buffer.from(text.slice(0, at)), what: `truncated at ${at}` };
    case 1: {
      const bytes = Buffer.from(text);
      const i = int(r, bytes.length);
      const bit = 1 << int(r, 8);
      bytes[i] ^= bit;
      return { bytes, what: `byte ${i} xor ${bit}` };
    }
    case 2: {
      const s = pick(r, SYNTAX);
      return { bytes: Buffer.from(text.slice(0, at) + s + text.slice(at)), what: `inserted ${JSON.stringify(s)} at ${at}` };
    }
    case 3: {
      const i = int(r, lines.length);
      const dup = r() < 0.5;
      const out = dup ? [...lines.slice(0, i + 1), lines[i], ...lines.slice(i + 1)] : [...lines.slice(0, i), ...lines.slice(i + 1)];
      return { bytes: Buffer.from(out.join('\n')), what: `${dup ? 'doubled' : 'dropped'} line ${i + 1}` };
    }
    case 4: {
      // A value of the wrong type somewhere.
      const value = kind === 'json' ? JSON.parse(text) : parseYaml(text);
      const where = pick(r, paths(value));
      const v = pick(r, WRONG_VALUES);
      const out = replaced(value, where, v);
      return { bytes: Buffer.from(kind === 'json' ? JSON.stringify(out, null, 2) : stringifyYaml(out)), what: `/${where.join('/')} = ${JSON.stringify(v)}` };
    }
    case 5: {
      // YAML alias tricks (in JSON files they are syntax errors): a bomb, an alias to nothing, a cycle.
      const tricks = [
        'x:\n  a: &a [1,1,1,1,1,1,1,1,1,1]\n  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n  d: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n',
        'y: *missing\n',
        'z: &z\n  - *z\n',
      ];
      const s = pick(r, tricks);
      return { bytes: Buffer.from(kind === 'json' ? text.replace('{', `{ ${s}`) : `${text.trimEnd()}\n${s}`), what: `alias trick ${JSON.stringify(s.slice(0, 12))}` };
    }
    default: {
      // A key renamed to a near miss (a typo), or a key of the wrong kind.
      const value = kind === 'json' ? JSON.parse(text) : parseYaml(text);
      const objects = paths(value).filter((p) => {
        const v = p.reduce<unknown>((n, k) => (n as Record<string | number, unknown>)[k], value);
        return v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0;
      });
      const where = pick(r, objects);
      const node = where.reduce<unknown>((n, k) => (n as Record<string | number, unknown>)[k], value) as Record<string, unknown>;
      const key = pick(r, Object.keys(node));
      const typos = [key.slice(0, -1) || `${key}x`, key.length > 1 ? key[1] + key[0] + key.slice(2) : `_${key}`, key.toUpperCase(), `${key} `];
      const typo = pick(r, typos.filter((t) => t !== key));
      const renamed = Object.fromEntries(Object.entries(node).map(([k, v]) => [k === key ? typo : k, v]));
      const out = replaced(value, where, renamed);
      return { bytes: Buffer.from(kind === 'json' ? JSON.stringify(out, null, 2) : stringifyYaml(out)), what: `key ${key} → ${typo} at /${where.join('/')}` };
    }
  }
}

/** A fresh copy of `base` to mutate and run in. */
function copyOf(base: string): string {
  const dir = tempDir('metarepo-fuzz-');
  fs.cpSync(base, dir, { recursive: true });
  return dir;
}

/**
 * Runs `args` in `dir` and returns what is wrong with the outcome (empty when it is right): the exit code is 1 or 2,
 * stderr holds an error line but no "internal error" and no stack, and no file changed.
 */
async function verdict(dir: string, args: string[]): Promise<string[]> {
  const before = snapshotTree(dir);
  const r = await metarepo(dir, args);
  const wrong: string[] = [];
  if (r.code !== 1 && r.code !== 2) wrong.push(`exit ${r.code}`);
  if (/internal error/i.test(r.stderr)) wrong.push('internal error');
  if (/\n\s+at .*[(:]/.test(r.stderr)) wrong.push('stack trace');
  if (!/error/i.test(r.stderr)) wrong.push('no error message');
  const after = snapshotTree(dir);
  const changed = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((f) => before[f] !== after[f]);
  if (changed.length > 0) wrong.push(`changed ${changed.join(', ')}`);
  return wrong.length ? [...wrong, `stderr: ${r.stderr.trim().slice(0, 400)}`] : [];
}

/**
 * Draws `count` mutations of `file` (relative to `base`) that `rejects` confirms are bad, runs `args` on each in a
 * copy of `base`, and returns every case whose outcome is wrong.
 */
async function fuzz(opts: {
  base: string;
  file: string;
  kind: 'yaml' | 'json';
  seed: number;
  count: number;
  args: string[];
  rejects: (dir: string) => Promise<boolean>;
}): Promise<string[]> {
  // FUZZ_SCALE and FUZZ_SEED widen a local exploration (more cases, other draws); the defaults are what CI runs.
  const count = opts.count * Number(process.env.FUZZ_SCALE ?? 1);
  const r = rng(opts.seed + Number(process.env.FUZZ_SEED ?? 0));
  const text = fs.readFileSync(path.join(opts.base, opts.file), 'utf8');
  const problems: string[] = [];
  const seen = new Set<string>();
  let ran = 0;
  for (let tries = 0; ran < count && tries < count * 20; tries++) {
    const { bytes, what } = mutate(r, text, opts.kind);
    if (seen.has(bytes.toString('base64'))) continue;
    seen.add(bytes.toString('base64'));
    const dir = copyOf(opts.base);
    fs.writeFileSync(path.join(dir, opts.file), bytes);
    if (!(await opts.rejects(dir))) {
      fs.rmSync(dir, { recursive: true, force: true });
      continue;
    }
    ran++;
    if (process.env.FUZZ_LOG) console.log(`${opts.file}: ${what}`);
    const wrong = await verdict(dir, opts.args);
    if (wrong.length) problems.push(`${opts.file} (${what}): ${wrong.join('; ')}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
  expect(ran, 'enough bad inputs were drawn').toBe(count);
  return problems;
}

/** Whether `fn` throws (a MetarepoError or anything else: a crash in process is a case worth running too). */
async function throws(fn: () => Promise<unknown>): Promise<boolean> {
  try {
    await fn();
    return false;
  } catch {
    return true;
  }
}

const USER_MODEL = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'urn:metarepo:model:user:1.0.0',
  title: 'User',
  description: 'One user.',
  type: 'object',
  properties: {
    id: { description: 'Unique identifier.', type: 'string', minLength: 1 },
    age: { type: 'integer', minimum: 0 },
    tags: { type: 'array', items: { type: 'string' } },
    role: { enum: ['admin', 'member'] },
  },
  required: ['id'],
  additionalProperties: false,
};

let base: string;

beforeAll(async () => {
  // One workspace for every case: a model, a target, and a workspace generator with its template.yaml.
  base = tempDir('metarepo-fuzz-base-');
  expect((await metarepo(base, ['init', '--name', 'fuzz'])).code).toBe(0);
  expect((await metarepo(base, ['new', 'generator', 'widget'])).code).toBe(0);
  fs.mkdirSync(path.join(base, 'models/user'), { recursive: true });
  fs.writeFileSync(path.join(base, 'models/user/1.0.0.schema.json'), `${JSON.stringify(USER_MODEL, null, 2)}\n`);
  const config = path.join(base, 'metarepo.yaml');
  fs.writeFileSync(
    config,
    fs.readFileSync(config, 'utf8').replace('targets: []', 'targets:\n  - model: user@^1.0.0\n    generator: typescript\n    output: gen/user.ts\n    options: {}'),
  );
}, 120_000);

describe('fuzzed bad input through the CLI: exit 1 or 2, no internal error, no stack, nothing written', () => {
  it('metarepo.yaml', async () => {
    const problems = await fuzz({
      base,
      file: 'metarepo.yaml',
      kind: 'yaml',
      seed: 0x5eed01,
      count: 13,
      args: ['generate'],
      rejects: (dir) => throws(() => loadConfig(dir)),
    });
    expect(problems).toEqual([]);
  }, 600_000);

  it('model schema files (*.schema.json)', async () => {
    const problems = await fuzz({
      base,
      file: 'models/user/1.0.0.schema.json',
      kind: 'json',
      seed: 0x5eed02,
      count: 13,
      args: ['generate'],
      rejects: (dir) => throws(() => ModelRegistry.load(dir)),
    });
    expect(problems).toEqual([]);
  }, 600_000);

  it('template.yaml of a workspace generator', async () => {
    const problems = await fuzz({
      base,
      file: 'templates/widget/template.yaml',
      kind: 'yaml',
      seed: 0x5eed03,
      count: 12,
      args: ['new', 'widget', 'thing'],
      // What `metarepo new widget thing` does, in process: a mutation that still renders is not bad input.
      rejects: (dir) =>
        throws(async () => {
          const { generator } = await findScaffoldGenerator(dir, 'widget', []);
          await runScaffold({ root: dir, tree: new Tree(dir), generator, answers: { name: 'thing' } });
        }),
    });
    expect(problems).toEqual([]);
  }, 600_000);

  it('plopfile actions that are odd values, throw, reject, or write where they may not', async () => {
    // Entries of an actions list; each case mixes a good add (which must not be written either) with bad ones.
    const bad = [
      '42', 'null', 'true', '[]', '{}', "{ type: 'add' }", "{ type: 'add', path: 42, template: 'x' }",
      "{ type: 'add', path: '../escape.txt', template: 'x' }", "{ type: 'add', path: '/abs.txt', template: 'x' }",
      "{ type: 'add', path: 'a.txt', templateFile: 'missing.hbs' }", "{ type: 'add', path: 'b.txt', template: '{{#if}}' }",
      "{ type: 'add', path: '{{', template: 'x' }", "{ type: 'modify', path: 'nope.txt', pattern: /x/, template: 'y' }",
      "{ type: 'modify', path: 'metarepo.yaml' }", "{ type: 'addMany' }", "{ type: 'append', path: 'missing.txt', template: 'x' }",
      "{ type: 'add', path: 'c.txt', template: 'x', transform: 5 }", "{ type: 'add', path: 'd.txt', template: 'x', transform: () => 42 }",
      "{ type: 'add', path: 'e.txt', template: 'x', transform: () => { throw new Error('t'); } }",
      "{ type: 'add', path: 'f.txt', template: 'x', data: () => { throw 1; } }", "{ type: 'add', path: 'g.txt', template: 'x', skip: () => { throw null; } }",
      "{ type: 'add', path: 'h.txt', template: 'x', abortOnFail: 'yes' }", "{ type: 'nope' }", "{ type: 'add', path: 'metarepo.yaml', template: 'x' }",
      "{ type: 'add', path: 'i.txt', template: '{{> missing}}' }", '() => { throw undefined; }', '() => { throw { code: 1 }; }',
      "async () => { throw new TypeError('t'); }", "() => Promise.reject(Symbol('s'))", "() => { throw Object.create(null); }",
    ];
    const containers = [
      (entries: string) => `[${entries}]`,
      (entries: string) => `() => [${entries}]`,
      () => "() => 'not a list'",
      () => '() => 42',
      () => '() => null',
      () => 'async () => []',
      () => "() => { throw new RangeError('no actions'); }",
      () => '() => { throw undefined; }',
      () => "'add'",
      () => '7',
    ];
    const r = rng(0x5eed04 + Number(process.env.FUZZ_SEED ?? 0));
    const cases = Array.from({ length: 16 * Number(process.env.FUZZ_SCALE ?? 1) }, (_, i) => {
      const entries = [`{ type: 'add', path: 'ok-${i}.txt', template: 'fine' }`, ...Array.from({ length: 1 + int(r, 2) }, () => pick(r, bad))];
      // Cover every container once, then draw.
      const container = i < containers.length ? containers[i] : pick(r, containers.slice(0, 2));
      return { name: `g${i}`, actions: container(entries.join(', ')) };
    });
    const dir = copyOf(base);
    fs.writeFileSync(
      path.join(dir, 'generators/fuzz.mjs'),
      `export default function (plop) {\n${cases.map((c) => `  plop.setGenerator('${c.name}', { description: 'fuzz', prompts: [], actions: ${c.actions} });`).join('\n')}\n}\n`,
    );
    const problems: string[] = [];
    for (const c of cases) problems.push(...(await verdict(dir, ['new', c.name])).map((w) => `${c.name} (actions: ${c.actions}): ${w}`));
    expect(problems).toEqual([]);
  }, 600_000);
});
