import { describe, expect, it } from 'vitest';
import { shapeClasses } from '../../../src/patterns/fingerprint.js';
import { forEachNode, ShapeTable, textOf, type SyntaxNode } from '../../../src/patterns/syntax.js';
import { BUILTIN_UNIT_KINDS } from '../../../src/patterns/units.js';
import { parse, tokensOf } from './helpers.js';

const tricky = [
  '\uFEFF#!/usr/bin/env node\r\n',
  '// header comment\r\n',
  'import React from "react";\n',
  'const re = /a\\/b[}]/g, t = `x ${a + `in ${b}`} y`;\n',
  'export const C = () => <div style={{ color: "red" }} title=\'a\'>Don\'t {x}\n  text</div>;\n',
  'let n = a >>= 2; /* block\n comment */ f(n)\n',
  'const v = g(1).obj?.a!.b[k]?.(1)<T>(2) // chain\n  .then((r) => r.x)\n  .catch(super.e);\n',
  '\n\n',
].join('');

describe('syntax trees for pattern detection', () => {
  it('cover every character exactly once: trivia, tokens and trailing trivia add up to the file', async () => {
    const { root, tokens } = await parse(tricky, 'a.tsx');
    expect(textOf(tokens, 0, tokens.texts.length)).toBe(tricky);
    expect(root.count).toBe(tokens.texts.length);
  });

  it('flattens a property-access / call chain into its head and one link per access, calls and ! included', async () => {
    const text = 'g(1).a!.b[k]?.(1).then((r) => r.x)\n  .c;\n';
    const { root, tokens } = await parse(text);
    const chains: SyntaxNode[] = [];
    forEachNode(root, (n) => {
      if (n.kind === 'Chain') chains.push(n);
    });
    const [outer, inner] = chains; // `r.x` inside the arrow function is a chain of its own
    expect(chains).toHaveLength(2);
    const [head, links] = outer.children as SyntaxNode[];
    const text$ = (t: SyntaxNode) => textOf(tokens, t.first, t.count, false, false);
    expect(text$(head)).toBe('g(1)');
    expect(links.kind).toBe('ChainLinks');
    expect(links.children.map((l) => text$(l as SyntaxNode))).toEqual(['.a!', '.b', '[k]?.(1)', '.then((r) => r.x)', '.c']);
    expect(links.children.map((l) => ((l as SyntaxNode).children[0] as SyntaxNode).name)).toEqual(['a', 'b', undefined, 'then', 'c']);
    expect(outer.name).toBe('c');
    expect(text$(inner)).toBe('r.x');
  });

  it('gives same-line trivia up to the newline to the token before it, the rest to the token after', async () => {
    const { tokens } = await parse('a(); // note\n\n  b();\nc(/*x*/d);\n');
    const i = tokens.texts.indexOf(';');
    expect(tokens.trailing[i]).toBe(' // note\n');
    expect(tokens.trivia[tokens.texts.indexOf('b')]).toBe('\n  ');
    expect(tokens.trivia[tokens.texts.indexOf('d')]).toBe('/*x*/');
    expect(tokens.trailing[tokens.texts.lastIndexOf(';')]).toBe('\n');
  });

  it('gives Type-2 clones (other names, strings, numbers, layout) one shape and a structural change another', async () => {
    const table = new ShapeTable();
    const a = await parse('export function add(a, b) {\n  return a + b; // sum\n}\n', 'a.ts', table);
    const b = await parse('export function mul(x,y){ return x + y }', 'b.ts', table);
    const c = await parse('export function add(a, b) {\n  return a * b;\n}\n', 'c.ts', table);
    const d = await parse('export function add(a, b) {\n  return a + "b";\n}\n', 'd.ts', table);
    expect(a.root.shape).not.toBe(b.root.shape); // the missing semicolon is structure
    const b2 = await parse('export function mul(x,y){ return x + y; }', 'b2.ts', table);
    expect(b2.root.shape).toBe(a.root.shape);
    expect(c.root.shape).not.toBe(a.root.shape);
    expect(d.root.shape).not.toBe(a.root.shape);
  });

  it('groups units into shape classes in unit order', async () => {
    const table = new ShapeTable();
    const files = ['const a = 1;\n', 'const b = 2;\n', 'let c = 3;\n', 'const d = "x";\n'];
    const units = await Promise.all(
      files.map(async (text, index) => {
        const { root, tokens } = await parse(text, `f${index}.ts`, table);
        return { index, file: { path: `f${index}.ts`, abs: '', language: 'typescript', tokens, packageDir: '' }, first: 0, count: root.count, shape: root.shape, key: `f${index}`, size: root.count - 1, node: root };
      }),
    );
    const classes = shapeClasses(units);
    expect(classes.map((c) => c.units.map((u) => u.key))).toEqual([['f0', 'f1'], ['f2'], ['f3']]);
  });

  it('marks top-level statements as declarations and class and interface elements as members', async () => {
    const { root } = await parse('import x from "x";\nexport class A {\n  a = 1;\n  m() {}\n}\ninterface I { p: string; q(): void }\n');
    const [file, declaration, member] = BUILTIN_UNIT_KINDS;
    expect(file.select(root, 'a.ts')).toEqual([root]);
    expect(declaration.select(root, 'a.ts').map((n) => n.kind)).toEqual(['ImportDeclaration', 'ClassDeclaration', 'InterfaceDeclaration']);
    expect(member.select(root, 'a.ts').map((n) => n.name)).toEqual(['a', 'm', 'p', 'q']);
  });

  it('reads other text files as words, numbers, strings and punctuation, one list item per line', async () => {
    const text = 'title: "Hello"\ncount: 3\n\n  - item_one # c\n';
    const { root, tokens } = await parse(text, 'a.yaml');
    expect(textOf(tokens, 0, tokens.texts.length)).toBe(text);
    expect(tokensOf(root).map((t) => t.kind).slice(0, 4)).toEqual(['Word', ':', 'String', 'Word']);
    expect((root.children[0] as { children: unknown[] }).children).toHaveLength(3);
    const table = new ShapeTable();
    const same = 'name: "World"\nsize: 12\n\n  - item_two # d\n';
    expect((await parse(text, 'a.yaml', table)).root.shape).toBe((await parse(same, 'b.yaml', table)).root.shape);
    expect((await parse('name: "World"\nsize: 12\n', 'c.yaml', table)).root.shape).not.toBe((await parse(same, 'b.yaml', table)).root.shape);
  });
});
