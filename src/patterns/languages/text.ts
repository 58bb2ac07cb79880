/**
 * The fallback language for any other text file (JSON, YAML, Markdown, CSS…): words, numbers, quoted strings and
 * single punctuation characters as tokens, whitespace as trivia, and the file as a list of lines so that lines
 * can be optional or repeated. It knows no grammar, so brackets are not nested.
 */
import type { PatternLanguage, PatternNode, PatternToken } from '../../plugins/api.js';
import { LIST_ITEM } from '../syntax.js';

/** Name of the language (files no other language claims). */
export const TEXT_LANGUAGE = 'text';

// Whitespace | word | number | double- or single-quoted string on one line | any other character.
const TOKEN = /(\s+)|([\p{L}_$][\p{L}\p{N}_$]*)|(\d+(?:\.\d+)?)|("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|([^])/gu;

/** Splits text into tokens and lines (see the module comment). Never throws. */
export function parseText(text: string): PatternNode {
  const lines: PatternNode[] = [];
  let line: PatternToken[] | undefined;
  let last: PatternToken | undefined;
  let trivia = '';
  for (const m of text.matchAll(TOKEN)) {
    if (m[1] !== undefined) {
      // Whitespace up to the first line break trails the previous token (see PatternToken); the rest leads the next.
      const br = m[1].indexOf('\n');
      if (br >= 0 && last && trivia === '') {
        last.trailing = m[1].slice(0, br + 1);
        trivia = m[1].slice(br + 1);
      } else trivia += m[1];
      if (br >= 0) line = undefined;
      continue;
    }
    const token: PatternToken = { kind: m[2] ? 'Word' : m[3] ? 'Number' : m[4] ? 'String' : m[0], trivia, text: m[0] };
    if (m[2]) token.class = 'name';
    else if (m[3]) token.class = 'number';
    else if (m[4]) token.class = 'string';
    trivia = '';
    last = token;
    if (!line) {
      line = [];
      lines.push({ kind: LIST_ITEM, children: [{ kind: 'Line', children: line }] });
    }
    line.push(token);
  }
  return {
    kind: 'TextFile',
    children: [{ kind: 'Lines', children: lines }, { kind: 'EndOfFile', trivia, text: '' }],
  };
}

/** The text language as a {@link PatternLanguage} (it claims no extension: it is what remains). */
export const textLanguage: PatternLanguage = { name: TEXT_LANGUAGE, extensions: [], parse: parseText };
