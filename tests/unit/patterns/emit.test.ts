import { describe, expect, it } from 'vitest';
import { escapeLiteral, standaloneBlocks } from '../../../src/patterns/emit.js';
import { createHandlebars, renderTemplate } from '../../../src/templates/handlebars.js';
import { detectIn } from './helpers.js';

const hb = createHandlebars();

const distance = (lang: string, second: string, seconds: string) =>
  [
    'const formatDistanceLocale = {',
    '  lessThanXSeconds: {',
    `    one: "${second}",`,
    `    other: "${seconds} {{count}}",`,
    '  },',
    '};',
    '',
    `export const formatDistance_${lang} = (token, count) => formatDistanceLocale[token].other.replace("{{count}}", String(count));`,
    '',
  ].join('\n');

const badge = (name: string, color: string) =>
  [
    'import React from "react";',
    '',
    `export function ${name}Badge({ label }: { label: string }) {`,
    `  return <span className="badge" style={{ color: "${color}", padding: 2 }}>{label}</span>;`,
    '}',
    '',
  ].join('\n');

describe('Handlebars escaping', () => {
  it('gives every literal back unchanged, whatever tags stand around it', () => {
    const literals = ['a{{b}}c', '{{{x}}}', '\\{{x', '\\\\{{x', 'x\\', 'x\\\\', '{', '}', '}}{{', '{\\{{}', 'style={{a:1}}', '{{{', '\\'];
    for (const text of literals) {
      for (const [before, after] of [['', ''], ['{{v}}', ''], ['', '{{v}}'], ['{{v}}', '{{v}}']]) {
        const source = before + escapeLiteral(text, before !== '', after !== '') + after;
        expect(renderTemplate(hb, source, { v: 'V' }), JSON.stringify(source)).toBe(before.replace('{{v}}', 'V') + text + after.replace('{{v}}', 'V'));
      }
    }
  });

  it('escapes {{count}} in locale strings and reproduces every member', async () => {
    const r = await detectIn({ 'en.js': distance('en', 'less than a second', 'less than'), 'de.js': distance('de', 'weniger als eine Sekunde', 'weniger als'), 'fr.js': distance('fr', "moins d'une seconde", 'moins de') });
    const [p] = r.proposals;
    expect(p.coverage).toBe(1);
    expect(p.template).toContain('\\{{count}}');
    expect(p.template).toContain('replace("\\{{count}}", String(count))');
  });

  it('escapes JSX style={{…}} in a TSX family and reproduces every member', async () => {
    const r = await detectIn({ 'Ok.tsx': badge('Ok', 'green'), 'Warn.tsx': badge('Warn', 'orange'), 'Error.tsx': badge('Error', 'red') });
    const [p] = r.proposals;
    expect(p.coverage).toBe(1);
    expect(p.template).toContain('style=\\{{ color: "{{color}}", padding: 2 }}');
  });
});

describe('standalone block lines', () => {
  it('mirrors Handlebars: a block tag alone on its line is standalone, one next to text is not', () => {
    expect(standaloneBlocks('a\n{{#if x}}\nb\n{{/if}}\nc')).toEqual([{ open: true, close: true }]);
    expect(standaloneBlocks('a\n{{#if x}}b\n{{/if}}c')).toEqual([{ open: false, close: false }]);
    expect(standaloneBlocks('{{#each xs}}\n{{#if y}}z{{/if}}\n{{/each}}')).toEqual([{ open: true, close: true }, { open: false, close: false }]);
  });

  it('guards a section that follows a blank line, so its newline is not stripped', async () => {
    const file = (name: string, extra: boolean) =>
      [
        'import { run, log } from "./run";',
        ...(extra ? ['', `export const ${name}Extra = run("${name}-extra");`] : []),
        '',
        `export function ${name}(times: number) {`,
        `  log("starting ${name}", times);`,
        `  return run("${name}", { times, retries: 2 });`,
        '}',
        '',
      ].join('\n');
    const r = await detectIn({ 'a.ts': file('alpha', true), 'b.ts': file('beta', false), 'c.ts': file('gamma', true), 'd.ts': file('delta', false), 'e.ts': file('eps', false) });
    const [p] = r.proposals;
    expect(p.members).toHaveLength(5);
    expect(p.coverage).toBe(1);
    expect(p.template).toContain('{{lowerCase ""}}{{#if');
  });
});
