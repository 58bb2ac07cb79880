// Issue 13, items 16 and 17: LLM requests for several families run concurrently (bounded) and stay cached; the LLM
// proposes compact templates, kept only when every member renders back byte for byte with fewer variables.
// Against a real HTTP server on 127.0.0.1 speaking the OpenAI chat-completions API (tests/support/openai-stub.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { enhanceProposals } from '../../../src/patterns/llm.js';
import type { PatternProposal } from '../../../src/patterns/propose.js';
import { createHandlebars, renderTemplate } from '../../../src/templates/handlebars.js';
import { REPO_ROOT } from '../../e2e/cli.js';
import { startOpenAiStub, type OpenAiStub } from '../../support/openai-stub.js';
import { detectIn, service } from './helpers.js';

const LOCALES: Record<string, { months: string[]; days: string[] }> = {
  de: { months: ['Januar', 'Februar', 'März', 'April', 'Mai', 'Juni'], days: ['Mo', 'Di', 'Mi'] },
  en: { months: ['January', 'February', 'March', 'April', 'May', 'June'], days: ['Mon', 'Tue', 'Wed'] },
  es: { months: ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio'], days: ['lun', 'mar', 'mié'] },
  fr: { months: ['janvier', 'février', 'mars', 'avril', 'mai', 'juin'], days: ['lun.', 'mar.', 'mer.'] },
  it: { months: ['gennaio', 'febbraio', 'marzo', 'aprile', 'maggio', 'giugno'], days: ['lun', 'mar', 'mer'] },
  nl: { months: ['januari', 'februari', 'maart', 'april', 'mei', 'juni'], days: ['ma', 'di', 'wo'] },
};
const list = (xs: string[]) => xs.map((x) => `"${x}"`).join(', ');
const localeFile = (code: string) =>
  `// Locale ${code}\nexport const locale = {\n  code: "${code}",\n  months: [${list(LOCALES[code].months)}],\n  days: [${list(LOCALES[code].days)}],\n};\n`;
const localeFiles = Object.fromEntries(Object.keys(LOCALES).map((c) => [`locales/${c}.js`, localeFile(c)]));

/** The compact template a good model gives: loops over the month and day names. */
const EACH = (name: string) => `[{{#each ${name}}}"{{this}}"{{#unless @last}}, {{/unless}}{{/each}}]`;
const COMPACT = `// Locale {{code}}\nexport const locale = {\n  code: "{{code}}",\n  months: ${EACH('months')},\n  days: ${EACH('days')},\n};\n`;

function reply(p: PatternProposal, template: string): string {
  const answers = p.members.map((m) => {
    const code = path.posix.basename(m.path, '.js');
    return JSON.stringify({ code, months: LOCALES[code].months, days: LOCALES[code].days });
  });
  return JSON.stringify({ template, pathTemplate: (p.pathTemplate ?? '').replace('{{name}}', '{{code}}'), answers, explanation: 'Loops over the names.' });
}

let stub: OpenAiStub | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

async function locales(): Promise<PatternProposal> {
  const [p, ...rest] = (await detectIn(localeFiles)).proposals;
  expect(rest).toEqual([]);
  return p;
}

async function enhance(proposals: PatternProposal[], root = fs.mkdtempSync(path.join(os.tmpdir(), 'metarepo-llm-')), concurrency?: number) {
  const warnings: string[] = [];
  const r = await enhanceProposals(proposals, { root, config: { version: 1, name: 'test', patterns: { llm: { baseURL: stub!.baseURL, model: 'stub' } } }, env: {}, warn: (m) => warnings.push(m), ...(concurrency ? { concurrency } : {}) });
  return { ...r, warnings, root };
}

const isTemplateRequest = (system: string) => system.includes('more compact');

describe('the LLM proposes templates', () => {
  it('keeps a compact template that renders every member byte for byte with fewer variables', async () => {
    const p = await locales();
    expect(p.variables.length).toBeGreaterThanOrEqual(8);
    stub = await startOpenAiStub('names');
    stub.respond = ({ system }) => (isTemplateRequest(system) ? reply(p, COMPACT) : undefined);
    const r = await enhance([p]);
    const [q] = r.proposals;
    expect(r.report.families[0].template).toEqual({ status: 'applied', cached: false, variables: { before: p.variables.length, after: 3 } });
    expect(q.template).toContain('{{#each');
    expect(q.variables.map((v) => `${v.name}:${v.kind}`).sort()).toEqual(expect.arrayContaining(['monthsValue:list']));
    const hb = createHandlebars();
    q.members.forEach((m, i) => {
      expect(renderTemplate(hb, q.template, q.answers[i])).toBe(localeFiles[m.path]);
      expect(renderTemplate(hb, q.pathTemplate!, q.answers[i])).toBe(m.path);
    });
  });

  it.each([
    ['wrong by one byte', (p: PatternProposal) => reply(p, COMPACT.replace('code: "{{code}}"', 'code: "{{code}} "')), /does not render 6 of 6 members byte for byte \(locales\/de\.js: first difference at line 3, column \d+\)/],
    ['not a template at all', () => 'A shorter template would loop over the months and the days.', /it is not JSON/],
    ['calling an undeclared helper', (p: PatternProposal) => reply(p, COMPACT.replace('{{code}}"', '{{exec code}}"')), /unknown helper exec/],
    ['with no fewer variables', (p: PatternProposal) => JSON.stringify({ template: p.template, pathTemplate: p.pathTemplate, answers: p.answers.map((a) => JSON.stringify(a)), explanation: 'the same' }), /it needs \d+ variables, not fewer than/],
  ])('keeps the deterministic template for a reply %s, and says why', async (_what, make, reason) => {
    const p = await locales();
    stub = await startOpenAiStub('names');
    stub.respond = ({ system }) => (isTemplateRequest(system) ? make(p) : undefined);
    const r = await enhance([p]);
    expect(r.report.families[0].template).toMatchObject({ status: 'rejected', reason: expect.stringMatching(reason) });
    expect(r.proposals[0].template).toBe(renameBack(r.proposals[0], p));
    expect(r.warnings.join('\n')).toMatch(/the model's template for pattern "locales" was not kept: /);
  });
});

/** The deterministic template with the naming step's renames applied (naming still runs after a rejected template). */
function renameBack(q: PatternProposal, p: PatternProposal): string {
  let t = p.template;
  p.variables.forEach((v, i) => (t = t.replaceAll(`{{${v.name}}}`, `{{${q.variables[i].name}}}`)));
  return t;
}

describe('LLM requests for several families', () => {
  it('run concurrently, at most the configured number at once, keep the order, and stay cached', async () => {
    const handlers = path.join(REPO_ROOT, 'tests/fixtures/patterns/handlers');
    const files: Record<string, string> = { ...localeFiles };
    for (const f of fs.readdirSync(handlers)) files[`src/${f}`] = fs.readFileSync(path.join(handlers, f), 'utf8');
    for (const n of ['Orders', 'Users', 'Invoices', 'Payments']) files[`services/${n.toLowerCase()}.ts`] = service(n, n === 'Orders');
    const { proposals } = await detectIn(files);
    expect(proposals.length).toBe(3);
    stub = await startOpenAiStub('names');
    stub.delayMs = 300;
    const first = await enhance(proposals, undefined, 2);
    expect(first.report.families.map((f) => f.id)).toEqual(proposals.map((p) => p.id));
    expect(first.report.families.every((f) => f.status === 'applied' && !f.cached)).toBe(true);
    expect(stub.maxInFlight).toBe(2);
    const asked = stub.requests.length;
    const again = await enhance(proposals, first.root, 2);
    expect(stub.requests.length).toBe(asked);
    expect(again.report.families.every((f) => f.cached)).toBe(true);
    expect(again.proposals).toEqual(first.proposals);
  });
});
