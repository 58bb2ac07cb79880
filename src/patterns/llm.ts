/**
 * Stage 9, optional: an LLM improves what the deterministic stages found, in two steps per proposal.
 * - **Template** (`llm-template.ts`), for families whose template needs many variables: the model proposes a more
 *   compact template with every member's answers; it is kept only when every member renders back byte for byte and
 *   it needs fewer variables.
 * - **Names**: the model receives the template, a few members' answers and the variable table, and answers — as
 *   JSON-schema structured output — a family name, a description, and a name and description per variable. Every
 *   suggestion is checked (valid, unique, unreserved identifiers; the family name is reduced to a safe generator
 *   name, see `names.ts`) and applied by renaming the template's variable references in its Handlebars syntax tree,
 *   then re-verified: each member must render to exactly what it rendered to before.
 * An answer that fails any check is rejected with a message and the deterministic proposal stays, so the LLM can
 * never lower fidelity. Proposals are asked about concurrently, a bounded number at a time.
 *
 * Any OpenAI-compatible endpoint works (the `openai` client with `baseURL`: workspace config `patterns.llm`, or
 * `OPENAI_BASE_URL` / `OPENAI_API_KEY` / `OPENAI_MODEL`). Answers are cached content-addressed under
 * `.metarepo/cache/llm/` (SHA-256 of endpoint, model and request), so a re-run asks nothing. Without an endpoint
 * the proposals are returned unchanged.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.js';
import type { WorkspaceConfig } from '../generated/workspace.js';
import { createHandlebars, type HandlebarsEnv } from '../templates/handlebars.js';
import { STATE_DIR } from '../core/layout.js';
import type { PatternProposal } from './propose.js';
import { checkedTemplate, templateRequest, templateStepReason } from './llm-template.js';
import { structuredRequest } from './llm-request.js';
import { safeGeneratorName } from './names.js';
import { RESERVED_NAMES } from './variables.js';

/** Where answers are cached, relative to the workspace root. */
export const LLM_CACHE_DIR = `${STATE_DIR}/cache/llm`;

/** Model used when neither the config nor `OPENAI_MODEL` names one. */
export const DEFAULT_MODEL = 'gpt-4o-mini';

/** Proposals sent to the model, best ranked first (each is one or two requests). */
export const MAX_NAMED = 20;

/** Proposals asked about at once (config `patterns.llm.concurrency`). */
export const LLM_CONCURRENCY = 4;

/** An endpoint to ask. */
export interface LlmEndpoint {
  /** Base URL; undefined for the OpenAI API. */
  baseURL?: string;
  apiKey: string;
  model: string;
}

/** What the model answers for one proposal (the JSON schema of the structured output). */
export interface NamingSuggestion {
  familyName: string;
  description: string;
  variables: Array<{ from: string; to: string; description: string }>;
}

/** The JSON Schema the model's answer must follow (strict structured output: every property required). */
export const SUGGESTION_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['familyName', 'description', 'variables'],
  properties: {
    familyName: { type: 'string', description: 'kebab-case name of the family, e.g. api-command' },
    description: { type: 'string', description: 'one sentence: what each member is' },
    variables: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['from', 'to', 'description'],
        properties: {
          from: { type: 'string', description: 'the current variable name' },
          to: { type: 'string', description: 'a better camelCase name' },
          description: { type: 'string', description: 'what the variable holds' },
        },
      },
    },
  },
} as const;

/** Outcome of the template step for one proposal (absent when the family did not qualify, see `llm-template.ts`). */
export interface TemplateStepReport {
  status: 'applied' | 'rejected' | 'failed';
  cached: boolean;
  reason?: string;
  /** Variables of the deterministic template and of the model's, when it was kept. */
  variables?: { before: number; after: number };
}

/** Outcome per proposal (`status`, `reason`, `renamed`: naming). */
export interface LlmFamilyReport {
  id: string;
  status: 'applied' | 'rejected' | 'failed';
  /** Answer taken from the cache (no request made). */
  cached: boolean;
  reason?: string;
  renamed?: Record<string, string>;
  template?: TemplateStepReport;
}

/** What {@link enhanceProposals} reports. */
export interface LlmReport {
  endpoint: string | null;
  model: string | null;
  families: LlmFamilyReport[];
}

/** Options of {@link enhanceProposals}. */
export interface EnhanceOptions {
  root: string;
  config: WorkspaceConfig;
  /** Where rejections and failures are reported (they never fail the run). */
  warn: (message: string) => void;
  /** Environment to read `OPENAI_*` from. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Proposals asked about at once. Default {@link LLM_CONCURRENCY}. */
  concurrency?: number;
}

/** The configured endpoint, or undefined when there is none (no base URL and no API key). */
export function llmEndpoint(config: WorkspaceConfig, env: NodeJS.ProcessEnv = process.env): LlmEndpoint | undefined {
  const baseURL = config.patterns?.llm?.baseURL ?? env.OPENAI_BASE_URL;
  const apiKey = env.OPENAI_API_KEY;
  if (!baseURL && !apiKey) return undefined;
  // Local OpenAI-compatible servers take any key; the client insists on one.
  return { ...(baseURL ? { baseURL } : {}), apiKey: apiKey || 'unused', model: config.patterns?.llm?.model ?? env.OPENAI_MODEL ?? DEFAULT_MODEL };
}

/**
 * Asks the model about the best-ranked proposals (see the module comment): first, for a family with many variables,
 * for a more compact template (`llm-template.ts`), then for names. Proposals are asked about concurrently, at most
 * `concurrency` at a time; results, warnings and the report keep the proposals' order.
 * @returns the proposals (suggestions applied where they passed every check) and a report per proposal.
 */
export async function enhanceProposals(proposals: PatternProposal[], opts: EnhanceOptions): Promise<{ proposals: PatternProposal[]; report: LlmReport }> {
  const endpoint = llmEndpoint(opts.config, opts.env);
  if (!endpoint) {
    opts.warn('--llm: no LLM endpoint is configured (patterns.llm.baseURL in metarepo.yaml, OPENAI_BASE_URL or OPENAI_API_KEY); the proposals are the deterministic ones.');
    return { proposals, report: { endpoint: null, model: null, families: [] } };
  }
  const { default: OpenAI } = await import('openai');
  const client = new OpenAI({ apiKey: endpoint.apiKey, ...(endpoint.baseURL ? { baseURL: endpoint.baseURL } : {}), maxRetries: 1, timeout: 120_000 });
  const ask = (request: Record<string, unknown>) =>
    cachedCompletion(opts.root, endpoint, request, async () => {
      const completion = await client.chat.completions.create(request as never);
      return (completion as { choices: Array<{ message: { content: string | null } }> }).choices[0]?.message.content ?? '';
    });
  const hb = createHandlebars();
  const asked = proposals.slice(0, MAX_NAMED);
  const results = await mapBounded(asked, opts.concurrency ?? LLM_CONCURRENCY, (p) => enhanceOne(p, endpoint.model, ask, hb));
  const families: LlmFamilyReport[] = [];
  const out = results.map(({ proposal, report, warnings }) => {
    warnings.forEach(opts.warn);
    families.push(report);
    return proposal;
  });
  return { proposals: [...out, ...proposals.slice(MAX_NAMED)], report: { endpoint: endpoint.baseURL ?? 'https://api.openai.com/v1', model: endpoint.model, families } };
}

type Ask = (request: Record<string, unknown>) => Promise<{ content: string; cached: boolean }>;

/** The template step (when the family qualifies), then naming, for one proposal; warnings are returned, not printed. */
async function enhanceOne(p: PatternProposal, model: string, ask: Ask, hb: HandlebarsEnv): Promise<{ proposal: PatternProposal; report: LlmFamilyReport; warnings: string[] }> {
  const warnings: string[] = [];
  let template: TemplateStepReport | undefined;
  const skipped = templateStepReason(p);
  if (skipped === undefined) {
    const before = p.variables.length;
    try {
      const { content, cached } = await ask(templateRequest(p, model));
      const result = await checkedTemplate(p, content, hb);
      if ('reason' in result) {
        warnings.push(`--llm: the model's template for pattern "${p.id}" was not kept: ${result.reason}. Keeping the deterministic template.`);
        template = { status: 'rejected', cached, reason: result.reason };
      } else {
        template = { status: 'applied', cached, variables: { before, after: result.proposal.variables.length } };
        p = result.proposal;
      }
    } catch (e) {
      const reason = `the request failed: ${(e as Error).message}`;
      warnings.push(`--llm: pattern "${p.id}": template step: ${reason}; keeping the deterministic template.`);
      template = { status: 'failed', cached: false, reason };
    }
  }
  const withTemplate = template ? { template } : {};
  let content: string;
  let cached: boolean;
  try {
    ({ content, cached } = await ask(namingRequest(p, model)));
  } catch (e) {
    const reason = `the request failed: ${(e as Error).message}`;
    warnings.push(`--llm: pattern "${p.id}": ${reason}; keeping the deterministic names.`);
    return { proposal: p, report: { id: p.id, status: 'failed', cached: false, reason, ...withTemplate }, warnings };
  }
  const result = await checkedSuggestion(p, content, hb);
  if ('reason' in result) {
    warnings.push(`--llm: the model's answer for pattern "${p.id}" was rejected: ${result.reason}. Keeping the deterministic names.`);
    return { proposal: p, report: { id: p.id, status: 'rejected', cached, reason: result.reason, ...withTemplate }, warnings };
  }
  return { proposal: result.proposal, report: { id: p.id, status: 'applied', cached, renamed: result.renamed, ...withTemplate }, warnings };
}

/**
 * `fn` over `items` with at most `limit` calls running at once; results in the order of `items`. (A dozen lines
 * rather than a dependency: no concurrency-limiting package is among metarepo's dependencies.)
 */
export async function mapBounded<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

/** The chat-completions request for one proposal: deterministic, so its hash is a cache key. */
export function namingRequest(p: PatternProposal, model: string): Record<string, unknown> {
  const samples = p.answers.slice(0, 3);
  const table = p.variables.map((v) => ({
    name: v.name,
    kind: v.kind,
    ...(v.list ? { inList: v.list } : {}),
    examples: samples.map((a) => example(a, v.name, v.list)).filter((x) => x !== undefined),
  }));
  const user = {
    unit: p.unit,
    members: p.members.length,
    ...(p.pathTemplate !== undefined ? { pathTemplate: p.pathTemplate } : {}),
    template: p.template.length > 6000 ? `${p.template.slice(0, 6000)}\n…` : p.template,
    variables: table,
  };
  return structuredRequest(
    model,
    'You name the parts of a code template that was inferred from a family of similar source files. ' +
      'Give the family a short kebab-case name and a one-sentence description, and give every variable a clear camelCase name ' +
      '(flags start with "has" or "is"; lists are plural) and a one-sentence description. Keep "from" exactly as given. Answer in JSON.',
    user,
    'pattern_naming',
    SUGGESTION_SCHEMA,
  );
}

function example(answers: Record<string, unknown>, name: string, list: string | undefined): unknown {
  const value = list === undefined ? answers[name] : (answers[list] as unknown[] | undefined)?.map((item) => (item && typeof item === 'object' ? (item as Record<string, unknown>)[name] : item))[0];
  return typeof value === 'string' && value.length > 80 ? `${value.slice(0, 80)}…` : value;
}

/**
 * The model's answer to `request`, from `.metarepo/cache/llm/<sha256>.json` when present, else from `call`
 * (then cached). The key covers the endpoint, the model and the whole request.
 */
export async function cachedCompletion(root: string, endpoint: LlmEndpoint, request: unknown, call: () => Promise<string>): Promise<{ content: string; cached: boolean }> {
  const key = createHash('sha256').update(JSON.stringify({ baseURL: endpoint.baseURL ?? null, request })).digest('hex');
  const file = path.join(root, LLM_CACHE_DIR, `${key}.json`);
  if (fs.existsSync(file)) {
    try {
      const hit = JSON.parse(fs.readFileSync(file, 'utf8')) as { content?: unknown };
      if (typeof hit.content === 'string') return { content: hit.content, cached: true };
    } catch {
      // A damaged cache entry is asked again and overwritten.
    }
  }
  const content = await call();
  writeFileAtomic(file, `${JSON.stringify({ model: endpoint.model, content }, null, 2)}\n`);
  return { content, cached: false };
}

/**
 * Parses, validates, applies and re-verifies one answer.
 * @returns the renamed proposal, or the reason the answer was rejected.
 */
export async function checkedSuggestion(
  p: PatternProposal,
  content: string,
  hb: HandlebarsEnv = createHandlebars(),
): Promise<{ proposal: PatternProposal; renamed: Record<string, string> } | { reason: string }> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch (e) {
    return { reason: `it is not JSON (${(e as Error).message}): ${JSON.stringify(content.slice(0, 60))}` };
  }
  const problems = await schemaProblems(parsed);
  if (problems.length > 0) return { reason: `it does not follow the expected schema: ${problems.join('; ')}` };
  const s = parsed as NamingSuggestion;
  const known = new Set(p.variables.map((v) => v.name));
  const renamed: Record<string, string> = {};
  for (const v of s.variables) {
    if (!known.has(v.from)) return { reason: `it renames "${v.from}", which is not a variable of the template` };
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(v.to) || RESERVED_NAMES.has(v.to)) return { reason: `"${v.to}" is not a usable variable name` };
    if (v.from !== v.to) renamed[v.from] = v.to;
  }
  const finalNames = p.variables.map((v) => renamed[v.name] ?? v.name);
  if (new Set(finalNames).size !== finalNames.length) return { reason: 'two variables would have the same name' };
  const descriptions = new Map(s.variables.map((v) => [v.from, v.description]));
  const proposal: PatternProposal = {
    ...p,
    // The family name becomes a file name and a command word: reduced to a safe generator name, or not taken.
    name: safeGeneratorName(s.familyName) ?? p.name,
    description: s.description,
    template: renameReferences(hb, p.template, renamed),
    ...(p.pathTemplate !== undefined ? { pathTemplate: renameReferences(hb, p.pathTemplate, renamed) } : {}),
    variables: p.variables.map((v) => ({
      ...v,
      name: renamed[v.name] ?? v.name,
      ...(v.list ? { list: renamed[v.list] ?? v.list } : {}),
      requires: v.requires.map((r) => renamed[r] ?? r),
      description: descriptions.get(v.name) || v.description,
    })),
    answers: p.answers.map((a) => renameAnswers(a, renamed)),
  };
  const changed = differingMembers(hb, p, proposal);
  if (changed > 0) return { reason: `renaming would change how ${changed} member${changed === 1 ? '' : 's'} render` };
  return { proposal, renamed };
}

async function schemaProblems(value: unknown): Promise<string[]> {
  const { default: Ajv } = await import('ajv');
  const ajv = new Ajv.default({ allErrors: true, strict: false });
  const validate = ajv.compile(SUGGESTION_SCHEMA);
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
}

/** Counts members whose rendering differs between two versions of a proposal (template, path template, answers). */
function differingMembers(hb: HandlebarsEnv, before: PatternProposal, after: PatternProposal): number {
  const compile = (t: string) => hb.compile(t, { noEscape: true, strict: true });
  const [t0, t1] = [compile(before.template), compile(after.template)];
  const [p0, p1] = before.pathTemplate !== undefined ? [compile(before.pathTemplate), compile(after.pathTemplate!)] : [undefined, undefined];
  let n = 0;
  before.answers.forEach((a, i) => {
    try {
      if (t0(a) !== t1(after.answers[i]) || p0?.(a) !== p1?.(after.answers[i])) n++;
    } catch {
      n++;
    }
  });
  return n;
}

/**
 * Renames variable references of a template through its Handlebars syntax tree (so escaped text such as `\{{x}}`
 * is never touched): plain mustaches, helper and block parameters, `@root.` paths. Helper names stay.
 */
export function renameReferences(hb: HandlebarsEnv, template: string, renamed: Record<string, string>): string {
  if (Object.keys(renamed).length === 0) return template;
  interface Loc { start: { line: number; column: number }; end: { line: number; column: number } }
  interface Node { type?: string; original?: string; parts?: string[]; data?: boolean; loc?: Loc; path?: Node; params?: Node[]; body?: Node[]; program?: Node; inverse?: Node }
  const edits: Array<{ loc: Loc; text: string }> = [];
  const reference = (n: Node | undefined) => {
    if (n?.type !== 'PathExpression' || !n.parts || n.parts.length === 0 || !n.loc) return;
    const name = n.data ? (n.parts[0] === 'root' ? n.parts[1] : undefined) : n.parts.length === 1 ? n.parts[0] : undefined;
    if (name !== undefined && renamed[name] !== undefined) edits.push({ loc: n.loc, text: n.data ? `@root.${renamed[name]}` : renamed[name] });
  };
  const visit = (n: Node | undefined) => {
    if (!n) return;
    if (n.type === 'MustacheStatement' || n.type === 'BlockStatement') {
      if ((n.params ?? []).length === 0) reference(n.path);
      (n.params ?? []).forEach(reference);
    }
    (n.body ?? []).forEach(visit);
    visit(n.program);
    visit(n.inverse);
  };
  visit(hb.parse(template) as unknown as Node);
  const starts = [0];
  for (let i = 0; i < template.length; i++) if (template[i] === '\n') starts.push(i + 1);
  const offset = (p: Loc['start']) => starts[p.line - 1] + p.column;
  let out = template;
  for (const e of edits.sort((a, b) => offset(b.loc.start) - offset(a.loc.start))) out = out.slice(0, offset(e.loc.start)) + e.text + out.slice(offset(e.loc.end));
  return out;
}

function renameAnswers(a: Record<string, unknown>, renamed: Record<string, string>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(a).map(([k, v]) => [
      renamed[k] ?? k,
      Array.isArray(v) ? v.map((item) => (item && typeof item === 'object' ? renameAnswers(item as Record<string, unknown>, renamed) : item)) : v,
    ]),
  );
}
