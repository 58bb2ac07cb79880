import { describe, expect, it } from 'vitest';
import { tokenTexts } from '../../../src/patterns/detect.js';
import { shapeClasses } from '../../../src/patterns/fingerprint.js';
import { createTypeScriptLanguage } from '../../../src/patterns/languages/typescript.js';
import { draft, familyClasses, propose, type PatternProposal, type ProposeContext } from '../../../src/patterns/propose.js';
import { ShapeTable } from '../../../src/patterns/syntax.js';
import { BUILTIN_UNIT_KINDS, listFiles, readUnits } from '../../../src/patterns/units.js';
import { renderMembers, service, writeFiles } from './helpers.js';

const files = { 'carts.ts': service('Carts', false, 'alpha'), 'items.ts': service('Items', false, 'beta'), 'orders.ts': service('Orders', true, 'gamma'), 'users.ts': service('Users', false, 'delta') };

/** The four services as one candidate family (every file of the folder), and the context detect would use. */
async function family() {
  const dir = writeFiles(files);
  const languages = [await createTypeScriptLanguage()];
  const read = readUnits({ root: dir, files: listFiles([dir]), unitKind: BUILTIN_UNIT_KINDS[0], languages, table: new ShapeTable() });
  const classes = familyClasses(shapeClasses(read.units));
  const ctx: ProposeContext = { unitKind: 'file', minMembers: 3, tokensOf: (text, file) => tokenTexts(text, file, languages) };
  return { classes, ctx };
}

/** Index of the member whose file is `path` in a draft (members are in path order). */
const at = (d: ReturnType<typeof draft>, path: string) => d.members.findIndex((m) => m.unit.file.path === path);

describe('proposing a family: verification, ejection, re-generalisation', () => {
  it('proposes all four services, with the optional cache lines only orders.ts has', async () => {
    const { classes, ctx } = await family();
    const p = propose(classes, ctx) as PatternProposal;
    expect(p.members.map((m) => m.path)).toEqual(['carts.ts', 'items.ts', 'orders.ts', 'users.ts']);
    expect(p.sections.optional).toBeGreaterThan(0);
    expect(p.template).toContain('import { cache } from "../cache";');
  });

  it('ejects a member the template does not reproduce and generalises the rest again, without the sections only it needed', async () => {
    const { classes, ctx } = await family();
    const d = draft(classes, true);
    // A wrong answer stands for a member the first template renders differently (here: to another path).
    d.factoring.answers[at(d, 'orders.ts')] = { ...d.factoring.answers[at(d, 'orders.ts')], name: 'Invoices' };
    const p = propose(classes, ctx, d) as PatternProposal;
    expect(p.members.map((m) => m.path)).toEqual(['carts.ts', 'items.ts', 'users.ts']);
    expect(p.ejected).toEqual([{ path: 'orders.ts', key: 'orders', status: 'failed', detail: 'path renders as invoices.ts' }]);
    expect([p.candidates, p.coverage, p.astEqual]).toEqual([4, 0.75, 0]);
    // Re-generalised from the three that verified: the cache section was orders.ts's alone, so it is gone.
    expect(p.sections).toEqual({ optional: 0, repeated: 0 });
    expect(p.template).not.toContain('cache');
    expect(p.variables.some((v) => v.kind === 'flag')).toBe(false);
    for (const [rendered, original] of renderMembers(p, files)) expect(rendered).toBe(original);
  });

  it('reports a member whose rendering differs only in a comment as AST-equal', async () => {
    const { classes, ctx } = await family();
    const d = draft(classes, true);
    const k = at(d, 'items.ts');
    const comment = Object.entries(d.factoring.answers[k]).find(([, v]) => v === 'beta')?.[0];
    expect(comment).toBeDefined(); // the word of the comment that differs per member
    const wrong = { ...d.factoring.answers[k] };
    wrong[comment!] = 'beta  ';
    d.factoring.answers[k] = wrong;
    const p = propose(classes, ctx, d) as PatternProposal;
    expect(p.ejected).toEqual([{ path: 'items.ts', key: 'items', status: 'ast-equal', detail: 'first difference at line 1, column 22' }]);
    expect(p.astEqual).toBe(1);
    expect(p.members.map((m) => m.path)).toEqual(['carts.ts', 'orders.ts', 'users.ts']);
  });

  it('rejects the family when fewer than minMembers members render back', async () => {
    const { classes, ctx } = await family();
    const d = draft(classes, true);
    for (const path of ['carts.ts', 'users.ts']) d.factoring.answers[at(d, path)] = { ...d.factoring.answers[at(d, path)], name: 'Nope' };
    const all = ['carts.ts', 'items.ts', 'orders.ts', 'users.ts'];
    const rejected = propose(classes, ctx, d) as { rejected: string; members: string[] };
    expect([rejected.rejected, [...rejected.members].sort()]).toEqual(['2 of 4 members render back exactly', all]);
    // The same family with one failure still has three members: accepted.
    const once = draft(classes, true);
    once.factoring.answers[at(once, 'carts.ts')] = { ...once.factoring.answers[at(once, 'carts.ts')], name: 'Nope' };
    expect((propose(classes, ctx, once) as PatternProposal).members).toHaveLength(3);
    // With minMembers 4 that one failure is one too many.
    const strict = draft(classes, true);
    strict.factoring.answers[at(strict, 'carts.ts')] = { ...strict.factoring.answers[at(strict, 'carts.ts')], name: 'Nope' };
    expect(propose(classes, { ...ctx, minMembers: 4 }, strict)).toMatchObject({ rejected: '3 of 4 members render back exactly' });
  });
});

describe('files with a byte-order mark', () => {
  it('keep it in the text, so the verified template reproduces their bytes', async () => {
    const withBom = Object.fromEntries(Object.entries(files).map(([f, text]) => [f, `\uFEFF${text}`]));
    const dir = writeFiles(withBom);
    const languages = [await createTypeScriptLanguage()];
    const read = readUnits({ root: dir, files: listFiles([dir]), unitKind: BUILTIN_UNIT_KINDS[0], languages, table: new ShapeTable() });
    const p = propose(familyClasses(shapeClasses(read.units)), { unitKind: 'file', minMembers: 3, tokensOf: (text, file) => tokenTexts(text, file, languages) }) as PatternProposal;
    expect(p.members).toHaveLength(4);
    for (const [rendered, real] of renderMembers(p, withBom)) {
      expect(rendered.startsWith('\uFEFF')).toBe(true);
      expect(rendered).toBe(real);
    }
  });
});
