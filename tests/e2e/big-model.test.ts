// Big models through the built CLI (issue 12, item 8): a moderately big model (5,000 properties, the shapes of
// bench/big-model.mjs) generates correct TypeScript, and the size limit of code generation refuses a model beyond it
// as bad input naming the file and its size. Timing is the bench's business (bench/big-model.mjs), not asserted here.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bigModel } from '../../bench/big-model.mjs';
import { typeErrors } from '../unit/codegen/typecheck.js';
import { metarepoAsync as metarepo, setTargets, snapshotTree, tempDir } from './cli.js';

const PROPERTIES = 5000;
const WORDS = ['account', 'billing', 'customer', 'delivery', 'invoice', 'ledger', 'order', 'payment', 'product', 'region', 'shipment', 'tenant'];

let dir: string;

beforeAll(async () => {
  dir = tempDir();
  expect((await metarepo(dir, ['init', '--name', 'big'])).code).toBe(0);
  fs.mkdirSync(path.join(dir, 'models/big'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'models/big/1.0.0.schema.json'), `${JSON.stringify(bigModel(PROPERTIES), null, 2)}\n`);
  fs.mkdirSync(path.join(dir, 'models/outer'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'models/outer/1.0.0.schema.json'),
    JSON.stringify({ title: 'Outer', type: 'object', properties: { big: { $ref: '../big/1.0.0.schema.json' }, note: { type: 'string' } } }),
  );
});

/** The member line json-schema-to-typescript writes for property `i` of {@link bigModel}, as a pattern. */
function expectedMember(i: number): RegExp {
  const word = WORDS[i % WORDS.length]!;
  const name = `${word}${i}${i % 7 === 0 ? '' : '\\?'}`;
  const types: Record<number, string> = {
    0: 'string',
    1: 'number',
    2: 'number',
    3: 'boolean',
    4: `\\("draft" \\| "active" \\| "suspended" \\| "closed" \\| "${word}-special"\\)`,
    5: '\\(string \\| null\\)',
    6: 'string\\[\\]',
    7: '\\{', // a nested object type over the next lines
    8: `Shared${i % 40}\\d*`, // a $ref with its own description: the library names each such copy Shared<n><k>
    9: '\\(string \\| number\\)',
    10: `Shared${(i * 7) % 40}\\[\\]`,
    11: 'string',
  };
  return new RegExp(`^  ${name}: ${types[i % 12]}$`);
}

describe('a model of 5,000 properties', () => {
  it('generates TypeScript with every property, its type and whether it is required, and the result type-checks', async () => {
    setTargets(dir, ['  - model: big', '    generator: typescript', '    output: gen/big.ts']);
    const r = await metarepo(dir, ['generate']);
    expect(r.code, r.stderr).toBe(0);
    const code = fs.readFileSync(path.join(dir, 'gen/big.ts'), 'utf8');
    // The root interface's members: two-space indented lines that are not comments.
    const body = code.slice(code.indexOf('export interface Big {'), code.indexOf('\n}\n', code.indexOf('export interface Big {')));
    const members = body.split('\n').filter((line) => /^  [a-z]/.test(line));
    expect(members).toHaveLength(PROPERTIES); // no index signature: the model says additionalProperties: false
    for (let i = 0; i < PROPERTIES; i++) expect(members[i]).toMatch(expectedMember(i));
    expect(code.match(/^export interface Shared\d+ \{$/gm)?.length).toBeGreaterThanOrEqual(40);

    // Sound and complete enough to use: an instance with every required property type-checks; one without a
    // required property, or with a wrong type, does not.
    const required: Record<string, unknown> = {};
    for (let i = 0; i < PROPERTIES; i += 7) {
      const name = `${WORDS[i % WORDS.length]}${i}`;
      required[name] = [
        'text', 1, 1.5, true, 'draft', null, ['AB1234'], { city: 'Paris', geo: { lat: 1, lon: 2 } }, { id: 'x' }, 3, [{ id: 'y' }], 'a@b.c',
      ][i % 12];
    }
    const { account0: _dropped, ...missing } = required;
    // The checks go in the generated module itself: no module resolution in the virtual file system.
    const errors = typeErrors({
      '/virtual/big.ts': [
        code,
        `export const ok: Big = ${JSON.stringify(required)};`,
        '// @ts-expect-error account0 is required',
        `export const missing: Big = ${JSON.stringify(missing)};`,
        '// @ts-expect-error billing1 is a number',
        `export const wrong: Big = ${JSON.stringify({ ...required, billing1: 'one' })};`,
      ].join('\n'),
    });
    expect(errors.get('/virtual/big.ts')).toEqual([]);
  });
});

describe('the size limit of code generation', () => {
  it('refuses a model beyond METAREPO_MAX_MODEL_MB as bad input, naming the file and its size, and writes nothing', async () => {
    setTargets(dir, ['  - model: big', '    generator: typescript', '    output: gen/limited.ts']);
    const before = snapshotTree(dir);
    const size = fs.statSync(path.join(dir, 'models/big/1.0.0.schema.json')).size / 2 ** 20;
    const r = await metarepo(dir, ['generate'], { env: { METAREPO_MAX_MODEL_MB: '1' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `models/big/1.0.0.schema.json: Model big@1.0.0 is too big to generate code from: models/big/1.0.0.schema.json holds ${size.toFixed(1)} MB of JSON, more than the limit of 1.0 MB.`,
    );
    expect(r.stderr).toMatch(/hint: .*Split the model .* METAREPO_MAX_MODEL_MB=\d+ metarepo generate\./);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(snapshotTree(dir)).toEqual(before);
    // status lists the target as invalid instead of failing.
    const status = await metarepo(dir, ['status'], { env: { METAREPO_MAX_MODEL_MB: '1' } });
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('invalid: Model big@1.0.0 is too big to generate code from');
  });

  it('counts the models a model references', async () => {
    setTargets(dir, ['  - model: outer', '    generator: typescript', '    output: gen/outer.ts']);
    const r = await metarepo(dir, ['generate', '--dry-run'], { env: { METAREPO_MAX_MODEL_MB: '1' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/models\/outer\/1\.0\.0\.schema\.json: Model outer@1\.0\.0 is too big to generate code from: models\/outer\/1\.0\.0\.schema\.json with the 1 model it references holds \d+\.\d MB of JSON/);
    const status = await metarepo(dir, ['status'], { env: { METAREPO_MAX_MODEL_MB: '64' } });
    expect(status.stdout).toMatch(/outer@1\.0\.0 → gen\/outer\.ts +never-generated/);
  });

  it('refuses a limit that is not a positive number', async () => {
    const r = await metarepo(dir, ['generate', '--dry-run'], { env: { METAREPO_MAX_MODEL_MB: 'lots' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('METAREPO_MAX_MODEL_MB must be a positive number of megabytes, not "lots".');
  });
});
