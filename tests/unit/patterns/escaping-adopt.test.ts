// Issue 13 item 10: text from an LLM (or from scanned members) is data. Whatever a model answers as descriptions
// lands in the adopted generator (a JavaScript module that `metarepo new` imports) and its template.yaml only as
// escaped strings: importing the generator runs none of it, no comment carries it, and every string comes back
// exactly as the model wrote it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import ts from 'typescript';
import { parse as parseYaml } from 'yaml';
import { adoptProposal } from '../../../src/patterns/adopt.js';
import { detectPatterns } from '../../../src/patterns/detect.js';
import { checkedSuggestion } from '../../../src/patterns/llm.js';
import type { PatternProposal } from '../../../src/patterns/propose.js';
import { Tree } from '../../../src/engine/tree.js';
import { REPO_ROOT } from '../../e2e/cli.js';
import { writeFiles } from './helpers.js';

/** Each string holds the word HOSTILE, so a comment that carries any of it is found. */
const HOSTILE: Array<[string, string]> = [
  ['line breaks', "Icons.\nglobalThis.__hostile = 'HOSTILE newline';\n//"],
  ['CRLF', "Icons.\r\nglobalThis.__hostile = 'HOSTILE crlf';\r\n//"],
  ['a lone CR', "Icons.\rglobalThis.__hostile = 'HOSTILE cr';\r//"],
  ['Unicode line separators', "Icons.\u2028globalThis.__hostile = 'HOSTILE u2028';\u2029//"],
  ['a comment end', "HOSTILE */ globalThis.__hostile = 'star-slash'; /*"],
  ['backticks and ${}', "HOSTILE `${globalThis.__hostile = 'template'}` and ${process.exit(3)}"],
  ['double quotes', 'HOSTILE "; globalThis.__hostile = "double"; "'],
  ['single quotes', "HOSTILE '; globalThis.__hostile = 'single'; '"],
  ['Handlebars', 'HOSTILE {{#each x}}{{this}}{{/each}} {{{raw}}} \\{{name}} {{> partial}}'],
  ['YAML indicators', 'HOSTILE key: value # comment\n- item\n&anchor *alias !tag | > % @ ` ? [a] {b: c}'],
  ['YAML documents and scalars', "---\nHOSTILE\n...\n'single' \"double\" yes null 1e3 ~ <<: *x"],
  ['backslashes and control characters', 'HOSTILE \\ \\n \\u0041 \u0000 \u0007 \u001b[31mred\u001b[0m </script>'],
  ['a lone surrogate', 'HOSTILE \ud800 half a pair'],
];

let root: string;
let proposal: PatternProposal;

beforeAll(async () => {
  const dir = path.join(REPO_ROOT, 'tests/fixtures/patterns/handlers');
  root = writeFiles(Object.fromEntries(fs.readdirSync(dir).map((f) => [`src/handlers/${f}`, fs.readFileSync(path.join(dir, f), 'utf8')])));
  [proposal] = (await detectPatterns({ root, paths: [path.join(root, 'src/handlers')] })).proposals;
});

/** The model's answer: a family name, and `text` as the family's and every variable's description. */
function hostileAnswer(p: PatternProposal, text: string): string {
  return JSON.stringify({ familyName: 'hostile-gen', description: text, variables: p.variables.map((v) => ({ from: v.name, to: v.name, description: text })) });
}

/** Every comment of a JavaScript source, as the TypeScript scanner sees them. */
function commentsOf(source: string): string[] {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, source);
  const out: string[] = [];
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind === ts.SyntaxKind.SingleLineCommentTrivia || kind === ts.SyntaxKind.MultiLineCommentTrivia) out.push(scanner.getTokenText());
  }
  return out;
}

interface Captured {
  name: string;
  config: { description: string; prompts: Array<{ name: string; message: string; type: string }>; actions: unknown[] };
}

/** Imports a generator module as node-plop does and returns what it registers. */
async function loadGenerator(source: string, label: string): Promise<Captured[]> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'metarepo-escaping-')), `${label.replace(/\W+/g, '-')}.mjs`);
  fs.writeFileSync(file, source);
  const mod = (await import(pathToFileURL(file).href)) as { default: (plop: unknown) => void };
  const captured: Captured[] = [];
  mod.default({ setGenerator: (name: string, config: Captured['config']) => captured.push({ name, config }) });
  return captured;
}

describe('adopting a proposal whose descriptions came from an LLM', () => {
  it.each(HOSTILE)('%s: the generator runs none of it, no comment holds it, and generator and template.yaml give it back exactly', async (label, text) => {
    const suggestion = await checkedSuggestion(proposal, hostileAnswer(proposal, text));
    if ('reason' in suggestion) throw new Error(suggestion.reason);
    const p = suggestion.proposal;
    expect(p.description).toBe(text);

    const tree = new Tree(root);
    const result = adoptProposal(tree, p);
    expect(result.name).toBe('hostile-gen');
    const source = tree.read('generators/hostile-gen.mjs')!;

    for (const comment of commentsOf(source)) expect(comment).not.toContain('HOSTILE');
    delete (globalThis as { __hostile?: unknown }).__hostile;
    const generators = await loadGenerator(source, label);
    expect((globalThis as { __hostile?: unknown }).__hostile).toBeUndefined();
    expect(generators).toHaveLength(1);
    expect(generators[0].name).toBe('hostile-gen');
    expect(generators[0].config.description).toBe(text);
    const top = p.variables.filter((v) => v.list === undefined && v.requires.length === 0);
    for (const v of top) expect(generators[0].config.prompts.find((q) => q.name === v.name)?.message).toBe(v.kind === 'list' ? `${text} (a JSON array)` : text);

    const manifest = parseYaml(tree.read('templates/hostile-gen/template.yaml')!) as { name: string; description: string; variables: { properties: Record<string, { description: string }> } };
    expect(manifest.name).toBe('hostile-gen');
    expect(manifest.description).toBe(text);
    for (const v of top) expect(manifest.variables.properties[v.name].description).toBe(text);
  });

  it('a description taken from scanned code (a member path with a line break) is escaped the same way', async () => {
    const p: PatternProposal = { ...proposal, description: "4 files like src/handlers/x\nglobalThis.__hostile = 'HOSTILE path';//.ts" };
    const tree = new Tree(root);
    adoptProposal(tree, p);
    const source = tree.read(`generators/${p.name}.mjs`)!;
    for (const comment of commentsOf(source)) expect(comment).not.toContain('HOSTILE');
    delete (globalThis as { __hostile?: unknown }).__hostile;
    const [g] = await loadGenerator(source, 'member-path');
    expect((globalThis as { __hostile?: unknown }).__hostile).toBeUndefined();
    expect(g.config.description).toBe(p.description);
  });
});
