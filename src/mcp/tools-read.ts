import { z } from 'zod';
// What each tool runs is imported when it is first called: a server answers its first call sooner (startup matters
// for editors that start one per window).
import { READ, defineTool, type ToolSpec } from './tool.js';

/** A JSON object whose shape the tool's description names (engine types the schema does not spell out). */
const record = z.record(z.string(), z.unknown());
const finding = z.looseObject({ severity: z.enum(['error', 'warning', 'info']), message: z.string(), file: z.string().optional(), line: z.number().optional(), column: z.number().optional(), check: z.string(), plugin: z.string() });
const targetStatus = z.looseObject({
  name: z.string(),
  model: z.string(),
  resolved: z.string().optional(),
  generator: z.string(),
  output: z.string(),
  state: z.enum(['up-to-date', 'stale', 'never-generated', 'invalid']),
  reason: z.string().optional(),
  edited: z.array(z.string()),
});

/** Largest `limit` of `events_query`: an assistant's context is no place for the whole log. */
const MAX_EVENTS = 1000;

/** The tools that only read the workspace (offered in read-only mode too). */
export const READ_TOOLS: ToolSpec[] = [
  defineTool({
    name: 'status',
    title: 'Workspace status',
    description: 'The workspace at a glance: projects, models and their versions, every target (up to date, stale, never generated, invalid), generated files edited by hand, unresolved conflict markers. Renders nothing.',
    input: {},
    output: {
      workspace: z.object({ name: z.string(), root: z.string() }),
      projects: z.array(record),
      models: z.array(z.object({ name: z.string(), versions: z.array(z.string()) })),
      targets: z.array(targetStatus),
      edited: z.array(z.string()),
      conflicts: z.array(record),
    },
    hints: READ,
    async run(_args, { session }) {
      const { workspaceStatus } = await import('../engine/status.js');
      const data = await session.read((ws) => workspaceStatus(ws));
      const stale = data.targets.filter((t) => t.state !== 'up-to-date').length;
      return {
        data,
        summary: `${data.workspace.name}: ${data.projects.length} project(s), ${data.models.length} model(s), ${data.targets.length} target(s) (${stale} not up to date), ${data.edited.length} edited by hand, ${data.conflicts.length} conflict marker(s)`,
      };
    },
  }),
  defineTool({
    name: 'health',
    title: 'Health checks',
    description: 'Checks config (metarepo.yaml validates), models (load and validate), templates (compile), an event round trip, and the broker if one runs.',
    input: {},
    output: { ok: z.boolean(), checks: z.array(z.object({ name: z.string(), ok: z.boolean(), reason: z.string().optional() })) },
    hints: READ,
    async run(_args, { session }) {
      const [{ runHealthChecks }, { lintTemplates }] = await Promise.all([import('../workspace/health.js'), import('../templates/health.js')]);
      const checks = await runHealthChecks(session.root, lintTemplates);
      const ok = checks.every((c) => c.ok);
      return { data: { ok, checks }, summary: checks.map((c) => `${c.ok ? 'pass' : 'fail'} ${c.name}${c.reason ? `: ${c.reason}` : ''}`).join('\n') };
    },
  }),
  defineTool({
    name: 'models_list',
    title: 'List models',
    description: 'Every model with its released versions (oldest first), its newest version, and whether it has a working draft.',
    input: {},
    output: { models: z.array(z.object({ name: z.string(), versions: z.array(z.string()), latest: z.string().optional(), draft: z.boolean() })) },
    hints: READ,
    async run(_args, { session }) {
      const models = await session.read(async (ws) => {
        const registry = await ws.models();
        const names = [...new Set(registry.list().map((m) => m.name))].sort();
        return names.map((name) => {
          const versions = registry.versions(name);
          return { name, versions, ...(versions.length ? { latest: versions.at(-1) } : {}), draft: registry.draft(name) !== undefined };
        });
      });
      return { data: { models }, summary: models.length ? models.map((m) => `${m.name}  ${m.versions.join(', ')}${m.draft ? ' (+ draft)' : ''}`).join('\n') : 'no models' };
    },
  }),
  defineTool({
    name: 'model_show',
    title: 'Show a model',
    description: 'A model version\'s JSON Schema: `spec` is a name or name@range (e.g. user@^1.2); `bundled` gives the bundled schema code generators receive (every $ref to another model inlined).',
    input: { spec: z.string().min(1).describe('model name or name@range'), bundled: z.boolean().default(false) },
    output: { name: z.string(), version: z.string(), file: z.string(), schema: z.unknown() },
    hints: READ,
    async run({ spec, bundled }, { session }) {
      const data = await session.read(async (ws) => {
        const registry = await ws.models();
        const rec = registry.resolve(spec);
        return { name: rec.name, version: rec.version, file: rec.relFile, schema: bundled ? registry.bundle(rec).schema : rec.schema };
      });
      return { data, summary: `${data.name}@${data.version} (${data.file})${bundled ? ', bundled' : ''}` };
    },
  }),
  defineTool({
    name: 'model_diff',
    title: 'Diff two model versions',
    description: 'Every change between two versions of a model with its rule, JSON pointer, impacts (BACKWARD, FORWARD, SOURCE) and severity here, and the semver bump it requires under the policy. Default: the draft against the newest version, or the two newest.',
    input: { name: z.string().min(1), from: z.string().optional(), to: z.string().optional() },
    output: {
      model: z.string(),
      from: z.string(),
      to: z.string(),
      policy: record,
      required: z.enum(['none', 'patch', 'minor', 'major']),
      breaksPolicy: z.boolean(),
      changes: z.array(record),
    },
    hints: READ,
    async run({ name, from, to }, { session }) {
      const { diffSummary, modelDiffReport } = await import('../engine/model-impact.js');
      const { diff, judged } = await session.read(async (ws) => modelDiffReport(ws, await ws.models(), name, from, to));
      return {
        data: { ...diffSummary(diff), changes: judged },
        summary: `${diff.model} ${diff.from} → ${diff.to}: ${judged.length} change(s); requires ${diff.required === 'none' ? 'no new version' : `a ${diff.required} bump`}${diff.violations.length ? `; ${diff.violations.length} break the ${diff.policy.compatibility} policy` : ''}`,
      };
    },
  }),
  defineTool({
    name: 'model_impact',
    title: 'Impact of a model version',
    description: 'The targets a model version (name@version, or a name: its draft or newest version) reaches, their generated files, the projects importing them, and which of them it breaks.',
    input: { spec: z.string().min(1) },
    output: { model: z.string(), version: z.string(), targets: z.array(record), breaking: z.number() },
    hints: READ,
    async run({ spec }, { session }) {
      const { modelImpact } = await import('../engine/model-impact.js');
      const { name, version, targets } = await session.read(async (ws) => modelImpact(ws, await ws.models(), spec));
      const breaking = targets.filter((t) => t.breaks).length;
      return {
        data: { model: name, version, targets, breaking },
        summary: `${name}@${version}: reaches ${targets.filter((t) => t.reached).length} of ${targets.length} target(s); ${breaking ? `breaks ${breaking}` : 'breaks none'}`,
      };
    },
  }),
  defineTool({
    name: 'generators_list',
    title: 'List scaffold generators',
    description: 'Every scaffold generator (`new` tool): built-in and workspace ones, each with the JSON Schema of its variables (answers).',
    input: {},
    output: { generators: z.array(z.object({ name: z.string(), description: z.string(), source: z.enum(['builtin', 'workspace']), variables: record })) },
    hints: READ,
    async run(_args, { session }) {
      const { generatorVariables } = await import('./generators.js');
      const generators = await session.read((ws) => generatorVariables(ws));
      return { data: { generators }, summary: generators.map((g) => `${g.name}  ${g.description}`).join('\n') };
    },
  }),
  defineTool({
    name: 'targets_list',
    title: 'List codegen targets',
    description: 'Every codegen target of metarepo.yaml: model range, resolved version, generator, output, state (up to date, stale, never generated, invalid with the reason) and files edited by hand.',
    input: {},
    output: { targets: z.array(targetStatus) },
    hints: READ,
    async run(_args, { session }) {
      const { targetStatuses } = await import('../engine/status.js');
      const targets = await session.read((ws) => targetStatuses(ws));
      return { data: { targets }, summary: targets.map((t) => `${t.name}: ${t.resolved ?? t.model} → ${t.output} (${t.state})`).join('\n') || 'no targets' };
    },
  }),
  defineTool({
    name: 'check',
    title: 'Run the checks',
    description: "Runs every check (built-in and plugins') on the workspace as it is; findings with severity, file, line and column.",
    input: {},
    output: { checks: z.array(z.object({ name: z.string(), plugin: z.string() })), findings: z.array(finding), errors: z.number() },
    hints: READ,
    async run(_args, { session }) {
      const { buildCheckContext, runChecks, workspaceChecks } = await import('../engine/checks.js');
      const { checks, findings } = await session.read(async (ws) => {
        const checks = await workspaceChecks(ws);
        return { checks, findings: await runChecks(ws, checks, await buildCheckContext(ws)) };
      });
      const errors = findings.filter((f) => f.severity === 'error').length;
      return {
        data: { checks: checks.map((c) => ({ name: c.check.name, plugin: c.plugin })), findings, errors },
        summary: `${checks.length} checks: ${errors} errors, ${findings.length - errors} other findings`,
      };
    },
  }),
  defineTool({
    name: 'events_query',
    title: 'Query the event log',
    description: `Logged events, oldest first, filtered by type pattern (core:file:*), source, run id and sequence range; at most \`limit\` (the newest; default 100, up to ${MAX_EVENTS}).`,
    input: {
      type: z.string().optional().describe('type pattern, * matches any run of characters'),
      source: z.string().optional(),
      run: z.string().optional().describe('run id'),
      since: z.number().int().nonnegative().optional().describe('only events after this sequence number'),
      until: z.number().int().nonnegative().optional().describe('only events up to this sequence number'),
      limit: z.number().int().min(1).max(MAX_EVENTS).default(100),
    },
    output: { events: z.array(z.looseObject({ type: z.string(), source: z.string(), time: z.string(), sequence: z.number().optional(), data: z.unknown() })) },
    hints: READ,
    async run({ type, source, run, since, until, limit }, { session }) {
      const [{ eventsDir }, { queryEvents }] = await Promise.all([import('../events/dir.js'), import('../events/query.js')]);
      const events = [...queryEvents(eventsDir(session.root), { type, source, runid: run, since, until, limit })];
      return { data: { events }, summary: `${events.length} event(s)${events.length ? `, sequences ${events[0].sequence}…${events.at(-1)!.sequence}` : ''}` };
    },
  }),
  defineTool({
    name: 'patterns_list',
    title: 'List detected patterns',
    description: 'The families of similar files or declarations the last `metarepo patterns detect` stored, each with members, coverage, savings and variables.',
    input: {},
    output: { paths: z.array(z.string()), patterns: z.array(record) },
    hints: READ,
    async run(_args, { session }) {
      const { readIndex } = await import('../patterns/store.js');
      const index = readIndex(session.root);
      const patterns = index?.proposals ?? [];
      return {
        data: { paths: index?.paths ?? [], patterns },
        summary: index ? patterns.map((p) => `${p.id}  ${p.name}: ${p.members} members, ${Math.round(p.savings * 100)}% savings`).join('\n') || 'no patterns' : 'no detection ran yet (metarepo patterns detect <path>)',
      };
    },
  }),
  defineTool({
    name: 'pattern_show',
    title: 'Show a pattern',
    description: "A stored pattern in full: template, variables, members and verification; with `member` (a member's path or key), the answers that render that member (for the `new` tool).",
    input: { id: z.string().min(1), member: z.string().optional() },
    output: { id: z.string(), pattern: record.optional(), answers: record.optional() },
    hints: READ,
    async run({ id, member }, { session }) {
      const { memberAnswers, readProposal } = await import('../patterns/store.js');
      const p = readProposal(session.root, id);
      if (member !== undefined) return { data: { id, answers: memberAnswers(p, member) }, summary: `answers of ${member} in ${id}` };
      return { data: { id, pattern: p }, summary: `${p.id} ${p.name}: ${p.members.length} members, ${p.variables.length} variables` };
    },
  }),
  defineTool({
    name: 'docs_search',
    title: 'Search the docs',
    description: "Full-text search over the workspace's docs site (model reference pages, projects' READMEs and docs, templates, plugins, event types), as `metarepo docs search` does: ranked hits with title, site path and snippet. Finds a property by its name or a word of its description, a template by a variable, an event type by a payload field.",
    input: { query: z.string().trim().min(1).describe('words to look for (prefixes and small typos match)'), limit: z.number().int().min(1).max(100).default(10) },
    output: { query: z.string(), hits: z.array(z.object({ title: z.string(), path: z.string(), section: z.string(), score: z.number(), snippet: z.string() })) },
    hints: READ,
    async run({ query, limit }, { session }) {
      const { searchWorkspaceDocs } = await import('../docs/workspace-search.js');
      const hits = await session.read((ws) => searchWorkspaceDocs(ws, query, limit));
      return { data: { query, hits }, summary: hits.length ? hits.map((h, i) => `${i + 1}. ${h.title}  ${h.path}`).join('\n') : `no page matches "${query}"` };
    },
  }),
];
