/**
 * The LLM's template step (`patterns detect --llm`): for a family whose deterministic template needs many variables
 * (data-heavy files: one variable per table cell), the model is asked for a more compact template — loops over
 * shared data (`{{#each}}`), inline partials (`{{#*inline "row"}}…{{/inline}}`, `{{> row}}`), the declared helpers —
 * together with every member's answers for it. The reply is untrusted data: it is parsed as JSON, checked against
 * its schema, compiled in metarepo's Handlebars environment with only the declared helpers (`knownHelpersOnly`; no
 * prototype access, Handlebars' default) and every member rendered from its new answers must equal the member byte
 * for byte (its path too). It is kept only when all do and it needs fewer variables than the deterministic
 * template; otherwise the deterministic proposal stays and the reason is reported.
 */
import { CASE_HELPERS, createHandlebars, type HandlebarsEnv } from '../templates/handlebars.js';
import type { PatternProposal, PatternVariable } from './propose.js';
import { structuredRequest } from './llm-request.js';
import { savings } from './rank.js';
import { verifyMembers } from './verify.js';

/** Families with at least this many variables are offered to the template step. */
export const TEMPLATE_MIN_VARIABLES = 8;

/** The most bytes of members' answers (as JSON) one template request carries; larger families are skipped. */
export const TEMPLATE_MAX_REQUEST_BYTES = 64 * 1024;

/** The most characters a proposed template may have. */
const MAX_TEMPLATE_CHARS = 200_000;

/** Helpers a proposed template may call: Handlebars' built-ins and metarepo's (see `templates/handlebars.ts`). */
export const DECLARED_HELPERS = ['if', 'unless', 'each', 'with', 'lookup', ...Object.keys(CASE_HELPERS), 'json', 'raw'];

/** The JSON Schema of the model's answer (strict structured output: every property required, answers as JSON text). */
export const TEMPLATE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['template', 'pathTemplate', 'answers', 'explanation'],
  properties: {
    template: { type: 'string', description: 'the new Handlebars template' },
    pathTemplate: { type: 'string', description: 'the new path template (empty when the family has none)' },
    answers: { type: 'array', items: { type: 'string' }, description: 'per member, in the order given: its answers as a JSON object' },
    explanation: { type: 'string', description: 'one sentence: what was made compact' },
  },
} as const;

/** Whether a proposal is offered to the template step, and if not why. */
export function templateStepReason(p: PatternProposal): string | undefined {
  if (p.variables.length < TEMPLATE_MIN_VARIABLES) return `it has ${p.variables.length} variables, fewer than ${TEMPLATE_MIN_VARIABLES}`;
  const bytes = Buffer.byteLength(JSON.stringify(p.answers));
  if (bytes > TEMPLATE_MAX_REQUEST_BYTES) return `its members' answers take ${Math.ceil(bytes / 1024)} KiB, more than the ${TEMPLATE_MAX_REQUEST_BYTES / 1024} KiB one request carries`;
  return undefined;
}

/** The chat-completions request of the template step for one proposal: deterministic, so its hash is a cache key. */
export function templateRequest(p: PatternProposal, model: string): Record<string, unknown> {
  const user = {
    unit: p.unit,
    ...(p.pathTemplate !== undefined ? { pathTemplate: p.pathTemplate } : {}),
    template: p.template,
    variables: p.variables.map((v) => ({ name: v.name, kind: v.kind, ...(v.list ? { inList: v.list } : {}) })),
    members: p.members.map((m, i) => ({ path: m.path, answers: p.answers[i] })),
    helpers: DECLARED_HELPERS,
  };
  return structuredRequest(
    model,
    'You make a Handlebars template more compact. It was inferred from a family of similar files and renders each member ' +
      "byte for byte from that member's answers, but it needs many variables. Write a template with fewer variables that " +
      'renders every member exactly the same: loop over shared data with {{#each}}, factor repeated text into inline ' +
      'partials ({{#*inline "name"}}…{{/inline}} and {{> name}}), and call only the listed helpers. Output is not HTML-escaped. ' +
      'Give the template, the path template (empty if there is none), and for every member, in the order given, its answers ' +
      'as one JSON object encoded as a string. Answer in JSON.',
    user,
    'pattern_template',
    TEMPLATE_SCHEMA,
  );
}

/**
 * Parses, validates and verifies one answer of the template step.
 * @returns the proposal with the model's template, path template, answers and variables, or why it was not kept.
 */
export async function checkedTemplate(p: PatternProposal, content: string, hb: HandlebarsEnv = createHandlebars()): Promise<{ proposal: PatternProposal } | { reason: string }> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch (e) {
    return { reason: `it is not JSON (${(e as Error).message}): ${JSON.stringify(content.slice(0, 60))}` };
  }
  const { default: Ajv } = await import('ajv');
  const validate = new Ajv.default({ allErrors: true, strict: false }).compile(TEMPLATE_SCHEMA);
  if (!validate(parsed)) return { reason: `it does not follow the expected schema: ${(validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`).join('; ')}` };
  const reply = parsed as { template: string; pathTemplate: string; answers: string[] };
  if (reply.template.length > MAX_TEMPLATE_CHARS) return { reason: `its template has ${reply.template.length} characters, more than ${MAX_TEMPLATE_CHARS}` };
  if (reply.answers.length !== p.members.length) return { reason: `it gives answers for ${reply.answers.length} members, not ${p.members.length}` };
  const answers: Array<Record<string, unknown>> = [];
  for (const [i, text] of reply.answers.entries()) {
    let a: unknown;
    try {
      a = JSON.parse(text);
    } catch {
      return { reason: `the answers of member ${i + 1} (${p.members[i].path}) are not JSON` };
    }
    if (!a || typeof a !== 'object' || Array.isArray(a)) return { reason: `the answers of member ${i + 1} (${p.members[i].path}) are not a JSON object` };
    answers.push(a as Record<string, unknown>);
  }
  const pathTemplate = p.pathTemplate === undefined ? undefined : reply.pathTemplate;
  // The members' bytes: the deterministic template renders each exactly (it was verified byte for byte).
  const render = (t: string) => hb.compile(t, { noEscape: true, strict: true });
  const [template0, path0] = [render(p.template), p.pathTemplate === undefined ? undefined : render(p.pathTemplate)];
  const checks = verifyMembers(
    reply.template,
    pathTemplate,
    p.answers.map((a, i) => ({ text: template0(a), answers: answers[i], ...(path0 ? { path: path0(a) } : {}) })),
    () => [],
    { knownHelpers: DECLARED_HELPERS },
  );
  const wrong = checks.findIndex((c) => c.status !== 'exact');
  if (wrong >= 0) {
    const count = checks.filter((c) => c.status !== 'exact').length;
    return { reason: `it does not render ${count} of ${checks.length} members byte for byte (${p.members[wrong].path}: ${checks[wrong].detail ?? 'differs'})` };
  }
  const variables = variablesOf(answers, p.variables);
  if (variables.length >= p.variables.length) return { reason: `it needs ${variables.length} variables, not fewer than the deterministic template's ${p.variables.length}` };
  const memberBytes = p.members.reduce((n, m) => n + m.bytes, 0);
  return {
    proposal: {
      ...p,
      template: reply.template,
      ...(pathTemplate !== undefined ? { pathTemplate } : {}),
      variables,
      answers,
      savings: savings(Buffer.byteLength(reply.template) + Buffer.byteLength(pathTemplate ?? ''), answers, memberBytes),
      sections: sectionsOf(hb, reply.template),
    },
  };
}

/**
 * The variables the members' answers hold: top-level keys, and the keys of list items (objects in arrays), each once.
 * Kinds: arrays are lists, booleans flags; a key the deterministic template had keeps its kind (`name`), the rest
 * are data.
 */
export function variablesOf(answers: Array<Record<string, unknown>>, before: PatternVariable[]): PatternVariable[] {
  const out = new Map<string, PatternVariable>();
  const add = (name: string, value: unknown, list?: string) => {
    const key = `${list ?? ''}\u0000${name}`;
    if (out.has(key)) return;
    const known = before.find((v) => v.name === name && v.list === list);
    const kind = Array.isArray(value) ? 'list' : typeof value === 'boolean' ? 'flag' : (known?.kind ?? 'data');
    out.set(key, { name, kind, ...(list ? { list } : {}), requires: [], description: known?.description ?? `Value of "${name}" (from the model's template).` });
  };
  for (const a of answers) {
    for (const [name, value] of Object.entries(a)) {
      add(name, value);
      if (Array.isArray(value)) for (const item of value) if (item && typeof item === 'object' && !Array.isArray(item)) for (const [k, v] of Object.entries(item)) add(k, v, name);
    }
  }
  return [...out.values()];
}

function sectionsOf(hb: HandlebarsEnv, template: string): { optional: number; repeated: number } {
  interface Node { type: string; path?: { original?: string }; program?: { body: Node[] }; inverse?: { body: Node[] } }
  const out = { optional: 0, repeated: 0 };
  const visit = (body: Node[]) => {
    for (const n of body) {
      if (n.type === 'BlockStatement') {
        if (n.path?.original === 'each') out.repeated++;
        else if (n.path?.original === 'if' || n.path?.original === 'unless') out.optional++;
      }
      if (n.program) visit(n.program.body);
      if (n.inverse) visit(n.inverse.body);
    }
  };
  visit(hb.parse(template).body as unknown as Node[]);
  return out;
}
