// Issue 12 item 7: YAML from users (metarepo.yaml, template.yaml) that the parser accepts but cannot turn into a
// value — an alias bomb, an alias to no anchor, an alias inside its own anchor — is bad input (exit 2) with a
// position and a hint, never an internal error.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDocument } from '../../../src/core/document.js';
import { MetarepoError } from '../../../src/core/errors.js';
import { loadConfig } from '../../../src/workspace/config.js';
import { loadTemplateManifest } from '../../../src/templates/manifest.js';

/** Nine times nine times … "lol": 9^6 strings from a few lines (the classic "billion laughs"). */
export const BOMB = [
  'x:',
  '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  '  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  '  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  '  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  '  e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
  '  f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
].join('\n');

function caught(fn: () => unknown): MetarepoError {
  try {
    fn();
  } catch (e) {
    if (e instanceof MetarepoError) return e;
    throw e;
  }
  throw new Error('expected a MetarepoError');
}

async function caughtAsync(p: Promise<unknown>): Promise<MetarepoError> {
  const e = await p.then(() => new Error('expected a MetarepoError'), (err: unknown) => err);
  if (e instanceof MetarepoError) return e;
  throw e;
}

describe('YAML aliases in user files', () => {
  it('an alias bomb is refused with the yaml package limit, at the alias that crosses it', () => {
    const err = caught(() => loadDocument(`version: 1\n${BOMB}\n`, 'metarepo.yaml', 'yaml'));
    expect(err.exitCode).toBe(2);
    expect(err.message).toMatch(/^metarepo\.yaml .*alias/i);
    // The `b:` and `c:` lines stay within the limit (100 alias expansions, as the yaml package counts them);
    // the first *c on the `d:` line crosses it.
    expect(err.location).toEqual({ file: 'metarepo.yaml', line: 6, column: 10 });
    expect(err.hint).toMatch(/alias/i);
  });

  it('an alias to an anchor that does not exist is refused at the alias', () => {
    const err = caught(() => loadDocument('name: x\nmodelsDir: *nowhere\n', 'metarepo.yaml', 'yaml'));
    expect(err.exitCode).toBe(2);
    expect(err.message).toContain('*nowhere');
    expect(err.location).toEqual({ file: 'metarepo.yaml', line: 2, column: 12 });
  });

  it('an alias inside the node it refers to (a cycle) is refused at the alias', () => {
    const err = caught(() => loadDocument('name: x\nprojects: &p\n  - *p\n', 'metarepo.yaml', 'yaml'));
    expect(err.exitCode).toBe(2);
    expect(err.message).toContain('*p');
    expect(err.location).toEqual({ file: 'metarepo.yaml', line: 3, column: 5 });
  });

  it('ordinary anchors and aliases still work, and positions follow aliases', () => {
    const doc = loadDocument('base: &b { lang: ts }\nuse: *b\n', 'f.yaml', 'yaml');
    expect(doc.value).toEqual({ base: { lang: 'ts' }, use: { lang: 'ts' } });
    expect(doc.locate('/use/lang')).toEqual({ file: 'f.yaml', line: 1, column: 18 });
  });

  it('loadConfig: a bomb in metarepo.yaml is exit 2 with file, line and column', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'metarepo-bad-'));
    fs.writeFileSync(path.join(root, 'metarepo.yaml'), `version: 1\nname: w\n${BOMB}\n`);
    const err = await caughtAsync(loadConfig(root));
    expect(err.exitCode).toBe(2);
    expect(err.location).toMatchObject({ file: 'metarepo.yaml', line: 7 });
  });

  it('loadTemplateManifest: a bomb in template.yaml is exit 2 with file, line and column', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'metarepo-bad-'));
    fs.mkdirSync(path.join(root, 'templates/w'), { recursive: true });
    fs.writeFileSync(path.join(root, 'templates/w/template.yaml'), `name: w\nversion: 1.0.0\n${BOMB}\n`);
    const err = await caughtAsync(loadTemplateManifest(path.join(root, 'templates/w'), { root }));
    expect(err.exitCode).toBe(2);
    expect(err.location).toMatchObject({ file: 'templates/w/template.yaml', line: 7 });
  });
});
