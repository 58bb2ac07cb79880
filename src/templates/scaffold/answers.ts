/**
 * Answers for a scaffold generator's prompts: from `--set key=value`, from defaults, and (only when
 * interactive) from inquirer. Light module: no inquirer import; the caller passes a `prompt` function.
 */
import { MetarepoError } from '../../core/errors.js';

/** An inquirer-style question as found in a plop generator (plopfile or built-in). */
export interface PlopQuestion {
  name: string;
  type?: string;
  message?: unknown;
  default?: unknown;
  choices?: unknown;
  when?: unknown;
  validate?: (value: unknown, answers: Record<string, unknown>) => unknown;
  filter?: (value: unknown, answers: Record<string, unknown>) => unknown;
  /** metarepo's {@link ScaffoldPrompt} extras. */
  pattern?: string;
  validateMessage?: string;
  /** May stay unanswered without a terminal even with no default (prompts derived from template.yaml). */
  optional?: boolean;
  [key: string]: unknown;
}

/** Asks the given questions (inquirer's `prompt(questions, answers)`: answered ones are skipped). */
export type PromptFunction = (
  questions: PlopQuestion[],
  answers: Record<string, unknown>,
) => Promise<Record<string, unknown>>;

/** Options of {@link resolveAnswers}. */
export interface ResolveAnswersOptions {
  /** Generator name, for messages. */
  generator: string;
  /** Values from `--set` (strings are coerced per prompt type) or from code (kept as given). */
  given: Record<string, unknown>;
  /** Ask the unanswered questions with `prompt`; otherwise they take their default or are missing. */
  interactive: boolean;
  prompt?: PromptFunction;
  /**
   * Given keys that no question asks: `pass` (the default) hands them to the templates with a note in `messages`;
   * `refuse` throws (exit 2) naming them and the questions there are — what `metarepo new` does, so a typo'd
   * `--set nme=x` is not ignored.
   */
  unasked?: 'pass' | 'refuse';
  /** Given keys passed on without a question even when `unasked` is `refuse` (recorded answers being replayed). */
  keep?: string[];
}

/** Result of {@link resolveAnswers}. */
export interface ResolvedAnswers {
  answers: Record<string, unknown>;
  /** Notes for the user (e.g. a `--set` key that no question asks). */
  messages: string[];
}

const TRUE_WORDS = ['yes', 'y', 'true', 't', '1'];
const FALSE_WORDS = ['no', 'n', 'false', 'f', '0'];

/**
 * Resolves every question's answer, in prompt order so `when`, `default` and `validate` functions
 * see the answers before them.
 * - A given value is coerced by the question's type (the words plop's prompt bypass accepts):
 *   `confirm` ← yes/y/true/t/1 or no/n/false/f/0; `number` ← a finite number; `list`/`rawlist`/
 *   `expand` ← a choice's value or name (case-insensitive); `checkbox` ← comma-separated choices;
 *   anything else stays a string. Then `filter` and `validate` (and `pattern`) run, as inquirer does.
 * - A question whose `when` is false is skipped.
 * - Interactive: the rest are asked through `prompt`. Otherwise each takes its `default`
 *   (a function default is called with the answers so far); one without a default is missing.
 * @throws MetarepoError (exit 2) listing every invalid value, or every missing answer with the
 *   `--set` flags that would supply them, or (with `unasked: 'refuse'`) every given key no question asks,
 *   with the questions there are.
 * @throws MetarepoError (exit 1) when a question's `default` or `when` function throws (the generator's fault).
 */
export async function resolveAnswers(questions: PlopQuestion[], opts: ResolveAnswersOptions): Promise<ResolvedAnswers> {
  const answers: Record<string, unknown> = {};
  const invalid: string[] = [];
  const missing: PlopQuestion[] = [];
  const known = new Set(questions.map((q) => q.name));
  const kept = new Set(opts.keep ?? []);
  const unasked = Object.keys(opts.given).filter((k) => !known.has(k)).sort();
  const stray = opts.unasked === 'refuse' ? unasked.filter((k) => !kept.has(k)) : [];
  if (stray.length > 0) {
    const names = [...known];
    throw new MetarepoError(`Generator "${opts.generator}" asks no question${stray.length > 1 ? 's' : ''} ${stray.map((k) => `"${k}"`).join(', ')}.`, {
      details: stray.map((k) => `--set ${k}: not a question of "${opts.generator}"`),
      hint: names.length
        ? `Its questions: ${names.join(', ')}. Answer them with --set <question>=value (check the spelling).`
        : `It asks no questions, so it takes no --set values (nor a name argument).`,
    });
  }
  const messages = unasked.map((k) => `--set ${k}: generator "${opts.generator}" asks no question "${k}"; the value is passed to its templates as is.`);
  for (const k of unasked) answers[k] = opts.given[k];

  for (const q of questions) {
    if (Object.prototype.hasOwnProperty.call(opts.given, q.name)) {
      try {
        answers[q.name] = await checkAnswer(q, coerce(q, opts.given[q.name]), answers);
      } catch (err) {
        invalid.push(`${q.name}: ${(err as Error).message}`);
      }
      continue;
    }
    if (!(await generatorCode(opts.generator, `the when of question "${q.name}"`, () => isAsked(q, answers)))) continue;
    if (opts.interactive) continue; // asked below, in one inquirer session
    if (q.default === undefined) {
      if (!q.optional) missing.push(q);
      continue;
    }
    const fallback = q.default;
    answers[q.name] = typeof fallback === 'function' ? await generatorCode(opts.generator, `the default of question "${q.name}"`, () => fallback(answers)) : fallback;
  }

  if (invalid.length > 0) {
    throw new MetarepoError(`Some answers for generator "${opts.generator}" are not valid.`, {
      details: invalid,
      hint: 'Pass a valid value with --set name=value.',
    });
  }
  if (opts.interactive) {
    if (!opts.prompt) throw new Error('resolveAnswers: interactive without a prompt function');
    return { answers: await opts.prompt(questions.map(withPattern), answers), messages };
  }
  if (missing.length > 0) {
    const names = missing.map((q) => q.name);
    throw new MetarepoError(`Generator "${opts.generator}" needs answers that were not given: ${names.join(', ')}.`, {
      details: missing.map((q) => `${q.name}: ${typeof q.message === 'string' ? q.message : '(no message)'}`),
      hint: `Pass them with ${names.map((n) => `--set ${n}=...`).join(' ')}, or run "metarepo new" in a terminal to be asked.`,
    });
  }
  return { answers, messages };
}

/** Runs a function of the generator's questions; what it throws is the generator's failure (exit 1), not bad input. */
async function generatorCode<T>(generator: string, what: string, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof MetarepoError) throw err;
    const message = err instanceof Error ? err.message || err.name : String(err);
    throw new MetarepoError(`Generator "${generator}" failed: ${what} threw: ${message}`, {
      hint: 'Fix that function of the generator; nothing was written.',
      exitCode: 1,
      cause: err,
    });
  }
}

async function isAsked(q: PlopQuestion, answers: Record<string, unknown>): Promise<boolean> {
  if (typeof q.when === 'function') return Boolean(await q.when(answers));
  return q.when === undefined ? true : Boolean(q.when);
}

/** The choices of a list-like question as `{ name, value }` pairs (strings are both). */
function choicesOf(q: PlopQuestion): Array<{ name: string; value: unknown }> {
  if (!Array.isArray(q.choices)) return [];
  return q.choices
    .filter((c) => c !== null && (typeof c !== 'object' || (c as { type?: string }).type !== 'separator'))
    .map((c) =>
      typeof c === 'object'
        ? { name: String((c as { name?: unknown }).name ?? (c as { value?: unknown }).value), value: (c as { value?: unknown }).value ?? (c as { name?: unknown }).name }
        : { name: String(c), value: c },
    );
}

function pickChoice(q: PlopQuestion, raw: string): unknown {
  const choices = choicesOf(q);
  if (choices.length === 0) return raw; // choices computed by a function: take the value as given
  const wanted = raw.trim().toLowerCase();
  const hit = choices.find((c) => String(c.value).toLowerCase() === wanted || c.name.toLowerCase() === wanted);
  if (!hit) throw new Error(`"${raw}" is not one of ${choices.map((c) => String(c.value)).join(', ')}.`);
  return hit.value;
}

/** Converts a `--set` string to the type the question's answer has. Non-strings are kept. */
function coerce(q: PlopQuestion, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  switch (q.type) {
    case 'confirm': {
      const v = value.trim().toLowerCase();
      if (TRUE_WORDS.includes(v)) return true;
      if (FALSE_WORDS.includes(v)) return false;
      throw new Error(`"${value}" is not yes or no (use true/false, yes/no, y/n).`);
    }
    case 'number': {
      const n = Number(value);
      if (value.trim() === '' || !Number.isFinite(n)) throw new Error(`"${value}" is not a number.`);
      return n;
    }
    case 'list':
    case 'rawlist':
    case 'expand':
      return pickChoice(q, value);
    case 'checkbox':
      return value === '' ? [] : value.split(',').map((v) => pickChoice(q, v));
    default:
      return value;
  }
}

/** Applies `filter`, then `pattern` and `validate`, like inquirer does for a typed answer. */
async function checkAnswer(q: PlopQuestion, value: unknown, answers: Record<string, unknown>): Promise<unknown> {
  const v = q.filter ? await q.filter(value, answers) : value;
  const verdict = await withPattern(q).validate?.(v, answers);
  if (verdict === undefined || verdict === true) return v;
  throw new Error(typeof verdict === 'string' ? verdict : `"${String(v)}" is not accepted.`);
}

/** Turns metarepo's `pattern` / `validateMessage` into an inquirer `validate` (kept with any existing one). */
function withPattern(q: PlopQuestion): PlopQuestion {
  if (!q.pattern) return q;
  const re = new RegExp(q.pattern);
  const own = q.validate;
  return {
    ...q,
    validate: async (value, answers) => {
      if (!re.test(String(value))) return q.validateMessage ?? `"${String(value)}" must match /${q.pattern}/.`;
      return own ? own(value, answers) : true;
    },
  };
}
