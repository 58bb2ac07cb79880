/**
 * Stage 6: verification. Renders every member's answers with the template in metarepo's own Handlebars
 * environment (the one `metarepo new` uses: `noEscape`, strict lookups, the case helpers) and compares the output
 * with the member byte for byte; the path template likewise. A member that does not come back exactly is
 * ejected from the family; whether it still came back with the same tokens (trivia aside) is reported as
 * "AST-equal". The template is compiled once per family.
 */
import { createHandlebars, type HandlebarsEnv } from '../templates/handlebars.js';

/** Outcome for one member. */
export interface MemberCheck {
  status: 'exact' | 'ast-equal' | 'failed';
  /** For a member that is not exact: where the first difference is, or the render error. */
  detail?: string;
}

/** What {@link verifyMembers} needs per member. */
export interface VerifyInput {
  text: string;
  answers: Record<string, unknown>;
  /** The member's path, checked against the path template when there is one. */
  path?: string;
}

let env: HandlebarsEnv | undefined;

/**
 * Renders and compares each member (see the module comment).
 * @param tokensOf - the member's tokens without trivia, for the AST-equal comparison.
 * @param options - `knownHelpers`: the only helpers the templates may call (for templates from an LLM).
 * @returns one check per member, in order; never throws: a template that does not compile fails every member with
 *   the compile error.
 */
export function verifyMembers(
  template: string,
  pathTemplate: string | undefined,
  members: VerifyInput[],
  tokensOf: (text: string) => string[],
  options: { knownHelpers?: string[] } = {},
): MemberCheck[] {
  const hb = (env ??= createHandlebars());
  let render: (data: unknown) => string;
  let renderPath: ((data: unknown) => string) | undefined;
  // Untrusted templates (an LLM's) may call only the helpers named: any other is a compile error.
  const only = options.knownHelpers ? { knownHelpersOnly: true, knownHelpers: Object.fromEntries(options.knownHelpers.map((h) => [h, true])) } : {};
  try {
    render = hb.compile(hb.parse(template), { noEscape: true, strict: true, ...only });
    renderPath = pathTemplate === undefined ? undefined : hb.compile(hb.parse(pathTemplate), { noEscape: true, strict: true, ...only });
  } catch (e) {
    return members.map(() => ({ status: 'failed', detail: `the template does not compile: ${(e as Error).message}` }));
  }
  return members.map((m) => {
    let out: string;
    let outPath: string | undefined;
    try {
      out = render(m.answers);
      outPath = renderPath?.(m.answers);
    } catch (e) {
      return { status: 'failed', detail: `render error: ${(e as Error).message.split('\n')[0]}` };
    }
    if (outPath !== undefined && outPath !== m.path) return { status: 'failed', detail: `path renders as ${outPath}` };
    if (out === m.text) return { status: 'exact' };
    const detail = `first difference at ${firstDifference(m.text, out)}`;
    const same = tokensOf(out);
    const want = tokensOf(m.text);
    return same.length === want.length && same.every((t, i) => t === want[i]) ? { status: 'ast-equal', detail } : { status: 'failed', detail };
  });
}

/** `line L, column C` (1-based) of the first character where `a` and `b` differ. */
export function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const before = a.slice(0, i);
  const line = before.split('\n').length;
  return `line ${line}, column ${i - before.lastIndexOf('\n')}`;
}
