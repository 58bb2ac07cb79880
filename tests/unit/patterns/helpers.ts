import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { detectPatterns, type DetectOptions, type DetectResult } from '../../../src/patterns/detect.js';
import { createTypeScriptLanguage } from '../../../src/patterns/languages/typescript.js';
import { textLanguage } from '../../../src/patterns/languages/text.js';
import { annotate, isToken, ShapeTable, type FileTokens, type SyntaxNode, type SyntaxTree } from '../../../src/patterns/syntax.js';
import type { PatternProposal } from '../../../src/patterns/propose.js';
import type { PatternLanguage } from '../../../src/plugins/api.js';
import { createHandlebars, renderTemplate } from '../../../src/templates/handlebars.js';

/** Writes `files` (relative path → content) into a fresh temp folder and returns it. */
export function writeFiles(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metarepo-patterns-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

/** Runs detection over `files` written to a temp folder. */
export async function detectIn(files: Record<string, string>, opts: Partial<DetectOptions> = {}): Promise<DetectResult> {
  const dir = writeFiles(files);
  return detectPatterns({ root: dir, paths: [dir], ...opts });
}

let ts: PatternLanguage | undefined;

/** Parses `text` as `file` (TypeScript/JavaScript by extension, else plain text) and annotates it. */
export async function parse(text: string, file = 'a.ts', table = new ShapeTable()): Promise<{ root: SyntaxNode; tokens: FileTokens }> {
  const language = /\.[cm]?[jt]sx?$/.test(file) ? (ts ??= await createTypeScriptLanguage()) : textLanguage;
  const tokens: FileTokens = { trivia: [], texts: [], trailing: [], shapes: [] };
  return { root: annotate(language.parse(text, file), table, tokens), tokens };
}

/** Every token of a tree in order. */
export function tokensOf(t: SyntaxTree): SyntaxTree[] {
  return isToken(t) ? [t] : (t as SyntaxNode).children.flatMap(tokensOf);
}

/**
 * Renders every verified member of `p` from its recorded answers with metarepo's Handlebars environment (the one
 * `metarepo new` uses) and returns `[rendered, original]` pairs, original read from `files` by the member's path.
 */
export function renderMembers(p: PatternProposal, files: Record<string, string>): Array<[string, string]> {
  const hb = createHandlebars();
  return p.members.map((m, i) => [renderTemplate(hb, p.template, p.answers[i]), files[m.path]]);
}

/**
 * A service module loading one record; `cached` adds a cache import and two lines in the function (optional
 * sections), `owner` a first comment line naming the team (a comment that differs per member).
 */
export function service(name: string, cached: boolean, owner?: string): string {
  return [
    ...(owner !== undefined ? [`// Owned by team ${owner}.`] : []),
    'import { http } from "../http";',
    ...(cached ? ['import { cache } from "../cache";'] : []),
    '',
    `export async function load${name}(id: string) {`,
    ...(cached ? [`  const hit = cache.get("${name}:" + id);`, '  if (hit) return hit;'] : []),
    `  const res = await http.get("/${name.toLowerCase()}/" + id);`,
    '  return res.json();',
    '}',
    '',
  ].join('\n');
}
