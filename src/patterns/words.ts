/**
 * Words inside names, for variable factoring: splitting at case transitions, digits and separators, common
 * prefixes and suffixes that end on word boundaries, and the case helper that turns one spelling into another.
 */
import { CASE_HELPERS } from '../templates/handlebars.js';

// An upper-case run not followed by a lower-case letter (an acronym: `IO`, `HTML` in `HTMLParser`), a capitalised or
// lower-case word, a digit run, or any other single character (a separator).
const SEGMENT = /\p{Lu}+(?!\p{Ll})|\p{Lu}?\p{Ll}+|\p{N}+|[^]/gu;

/** Values longer than this are data (SVG paths, prose): they are not split into words. */
export const MAX_WORDY_LENGTH = 200;

/** The segments of a value: `EnableVolumeIO` → `Enable`, `Volume`, `IO`; `en-US` → `en`, `-`, `US`. */
export function segments(value: string): string[] {
  return value.match(SEGMENT) ?? [];
}

/** The lower-cased words of a value (segments that are letters or digits): `en-US` and `enUS` → `en`, `us`. */
export function words(value: string): string[] {
  return segments(value)
    .filter((s) => /[\p{L}\p{N}]/u.test(s))
    .map((s) => s.toLowerCase());
}

/**
 * The longest prefix and suffix, made of whole segments, that every value shares, without overlapping in any
 * value. `deserializeAws_query|SendMessage|Command` and `deserializeAws_query|DeleteQueue|Command` share
 * `deserializeAws_query` and `Command`; a character-wise comparison would also take the `e` before `Command`.
 * Values longer than {@link MAX_WORDY_LENGTH} are data: only leading and trailing punctuation (quotes) is shared.
 */
export function commonAffixes(values: string[]): { prefix: string; suffix: string } {
  if (values.length === 0) return { prefix: '', suffix: '' };
  if (values.some((v) => v.length > MAX_WORDY_LENGTH)) return punctuationAffixes(values);
  const segs = [...new Set(values)].map(segments);
  const shortest = Math.min(...segs.map((s) => s.length));
  let p = 0;
  while (p < shortest && segs.every((s) => s[p] === segs[0][p])) p++;
  let q = 0;
  while (q < shortest - p && segs.every((s) => s[s.length - 1 - q] === segs[0][segs[0].length - 1 - q])) q++;
  return { prefix: segs[0].slice(0, p).join(''), suffix: segs[0].slice(segs[0].length - q).join('') };
}

/**
 * What a new variable leaves out of a hole's values: the quotes when every value is a string literal with the
 * same quotes (the text inside is data: keeping a shared start such as `/invoices` literal would fit only the
 * members seen), else the shared word-boundary prefix and suffix of {@link commonAffixes}.
 */
export function variableAffixes(values: string[]): { prefix: string; suffix: string } {
  const q = values[0]?.[0];
  if (q !== undefined && '"\'`'.includes(q) && values.every((v) => v.length >= 2 && v[0] === q && v[v.length - 1] === q)) return { prefix: q, suffix: q };
  return commonAffixes(values);
}

/** For data values: the shared leading and trailing characters that are neither letters nor digits (quotes). */
function punctuationAffixes(values: string[]): { prefix: string; suffix: string } {
  const shortest = Math.min(...values.map((v) => v.length));
  const isPunct = (c: string) => !/[\p{L}\p{N}]/u.test(c);
  let p = 0;
  while (p < shortest && isPunct(values[0][p]) && values.every((v) => v[p] === values[0][p])) p++;
  let q = 0;
  const at = (v: string, k: number) => v[v.length - 1 - k];
  while (q < shortest - p && isPunct(at(values[0], q)) && values.every((v) => at(v, q) === at(values[0], q))) q++;
  return { prefix: values[0].slice(0, p), suffix: values[0].slice(values[0].length - q) };
}

/**
 * Case helpers tried when one spelling of a name must produce another, in order of preference: `null` is the
 * value as it is (`{{name}}`), the rest are metarepo's Handlebars helpers (change-case), so the template renders
 * with them. Renderings that lose information (an acronym `IO` becomes `Io`) simply fail the comparison, and the
 * raw spelling is kept instead.
 */
export const HELPER_ORDER: Array<string | null> = [
  null,
  'pascalCase',
  'camelCase',
  'kebabCase',
  'snakeCase',
  'constantCase',
  'lowerCase',
  'upperCase',
  'capitalCase',
  'titleCase',
  'sentenceCase',
  'dotCase',
  'pathCase',
];

const applied = new Map<string, Map<string, string>>();

/** Applies a helper of {@link HELPER_ORDER} (results are memoised: families repeat values, change-case is slow). */
export function applyHelper(helper: string | null, value: string): string {
  if (helper === null) return value;
  let memo = applied.get(helper);
  if (!memo) applied.set(helper, (memo = new Map()));
  let out = memo.get(value);
  if (out === undefined) {
    if (memo.size > 100_000) memo.clear();
    memo.set(value, (out = CASE_HELPERS[helper](value)));
  }
  return out;
}

/** The first helper of {@link HELPER_ORDER} that maps `from[i]` to `to[i]` for every i, or `undefined`. */
export function findHelper(from: string[], to: string[]): string | null | undefined {
  return HELPER_ORDER.find((helper) => from.every((v, i) => applyHelper(helper, v) === to[i]));
}
