import { z } from 'zod';
import { MetarepoError } from '../core/errors.js';
import type { ReportedFinding } from '../engine/checks.js';
import type { FileChange } from '../engine/tree.js';
import type { Workspace } from '../workspace/workspace.js';
import { defineTool, type ToolContext, type ToolSpec } from './tool.js';

/**
 * The tools that change the workspace. Each is a dry run unless called with `apply: true`: it computes the
 * changes through the same code as the CLI command and returns them with their unified diff; with `apply` the
 * same changes go through the engine's one commit pipeline (checks veto, journaled commit, events) in a workspace
 * opened as a writer, exactly as the CLI commits them.
 */

const apply = z.boolean().default(false).describe('write the changes (default: a dry run that returns the diff and writes nothing)');

/** What every write tool returns besides its own fields. */
const written = {
  applied: z.boolean().describe('whether the changes were written'),
  changes: z.array(z.object({ type: z.enum(['create', 'modify', 'delete']), path: z.string() })),
  diff: z.string().describe('the unified diff (git format) of the changes'),
  findings: z.array(z.looseObject({ severity: z.string(), message: z.string() })).describe('check findings (a dry run reports errors a real run would refuse with)'),
};

/** Annotations of a write tool: it may overwrite or delete files (generate, bump) or only add them. */
const writes = (destructive: boolean) => ({ readOnlyHint: false, destructiveHint: destructive, idempotentHint: false });

/** Runs `fn` in a reader workspace (dry run) or a writer workspace (`apply`), after checking for a cancellation. */
async function inWorkspace<T>(ctx: ToolContext, command: string, applyIt: boolean, fn: (ws: Workspace) => Promise<T>): Promise<T> {
  throwIfCancelled(ctx.signal);
  return applyIt ? ctx.session.write(command, fn) : ctx.session.read(fn);
}

/** @throws MetarepoError (exit 1) once the client cancelled the call: nothing was written. */
export function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new MetarepoError('The call was cancelled; nothing was written.', { exitCode: 1 });
}

async function report(applied: boolean, changes: FileChange[], findings: ReportedFinding[]) {
  const { formatChangesPatch } = await import('../engine/patch.js'); // the diff library loads only for a write tool
  return { applied, changes: changes.map((c) => ({ type: c.type, path: c.path })), diff: formatChangesPatch(changes), findings };
}

function changeSummary(applied: boolean, changes: FileChange[], findings: ReportedFinding[]): string {
  const errors = findings.filter((f) => f.severity === 'error');
  const head = `${applied ? 'wrote' : 'would write'} ${changes.length} file(s)${applied ? '' : ' (dry run: call again with apply: true to write)'}`;
  return [head, ...changes.map((c) => `  ${c.type} ${c.path}`), ...errors.map((f) => `error ${f.file ? `${f.file}: ` : ''}${f.message} (${f.plugin}/${f.check})`)].join('\n');
}

/** The tools that write (left out with `--read-only`). */
export const WRITE_TOOLS: ToolSpec[] = [
  defineTool({
    name: 'new',
    title: 'Scaffold from a generator',
    description: 'Runs a scaffold generator (see generators_list for names and the schema of their answers) as `metarepo new` does: renders its files, registers a scaffolded project in metarepo.yaml, records the answers. Dry run unless apply.',
    input: { generator: z.string().min(1), answers: z.record(z.string(), z.unknown()).default({}).describe('answers by question name'), apply },
    output: { generator: z.string(), answers: z.record(z.string(), z.unknown()), project: z.object({ path: z.string(), kind: z.string() }).optional(), messages: z.array(z.string()), ...written },
    hints: writes(false),
    write: true,
    async run({ generator, answers, apply: applyIt }, ctx) {
      const [{ findScaffoldGenerator }, { scaffoldNew }] = await Promise.all([import('../templates/scaffold/run.js'), import('../templates/scaffold/new.js')]);
      const out = await inWorkspace(ctx, 'new', applyIt, async (ws) => {
        const entry = await findScaffoldGenerator(ws.root, generator, async () => (await ws.plugins()).scaffolds());
        return { entry, ...(await scaffoldNew(ws, { entry, answers, interactive: false, dryRun: !applyIt })) };
      });
      return {
        data: { generator: out.entry.name, answers: out.result.answers, ...(out.result.project ? { project: out.result.project } : {}), messages: out.result.messages, ...(await report(applyIt, out.changes, out.findings)) },
        summary: changeSummary(applyIt, out.changes, out.findings),
      };
    },
  }),
  defineTool({
    name: 'generate',
    title: 'Generate code',
    description: 'Renders every target of metarepo.yaml as `metarepo generate` does and returns what changed; refuses to overwrite generated files edited by hand unless force or merge. Reports progress per rendered target; can be cancelled before it writes. Dry run unless apply.',
    input: { apply, force: z.boolean().default(false).describe('overwrite generated files edited by hand'), merge: z.boolean().default(false).describe('3-way merge generated files edited by hand') },
    output: { targets: z.array(z.looseObject({ target: z.string(), status: z.string() })), edited: z.array(z.string()), blocked: z.array(z.string()), conflicts: z.array(z.looseObject({ file: z.string() })), ...written },
    hints: writes(true),
    write: true,
    async run({ apply: applyIt, force, merge }, ctx) {
      const { generate } = await import('../engine/generate.js');
      const r = await inWorkspace(ctx, 'generate', applyIt, (ws) =>
        generate(ws, {
          dryRun: !applyIt,
          force,
          merge,
          onProgress: (done, total, target) => {
            throwIfCancelled(ctx.signal); // before the commit: a cancelled run writes nothing
            ctx.progress(done, total, `rendered ${target}`);
          },
        }),
      );
      const failed = r.targets.filter((t) => t.status === 'failed');
      return {
        data: { targets: r.targets, edited: r.edited, blocked: r.blocked, conflicts: r.conflicts, ...(await report(applyIt && r.written, r.changes, r.findings)) },
        summary: [changeSummary(applyIt && r.written, r.changes, r.findings), ...failed.map((t) => `failed ${t.target}: ${t.reason}`), ...(r.blocked.length ? [`edited by hand (refused without force or merge): ${r.blocked.join(', ')}`] : [])].join('\n'),
      };
    },
  }),
  defineTool({
    name: 'model_draft',
    title: 'Start a model draft',
    description: 'Starts the working draft of a model (models/<name>/draft.schema.json) as a copy of its newest version; edit it, then model_diff and model_bump. Dry run unless apply.',
    input: { name: z.string().min(1), apply },
    output: { draft: z.string(), from: z.string(), ...written },
    hints: writes(false),
    write: true,
    async run({ name, apply: applyIt }, ctx) {
      const { modelDraft } = await import('../engine/model-release.js');
      const out = await inWorkspace(ctx, 'model draft', applyIt, async (ws) => modelDraft(ws, await ws.models(), name, { dryRun: !applyIt }));
      return { data: { draft: out.draft, from: out.from, ...(await report(applyIt, out.changes, [])) }, summary: changeSummary(applyIt, out.changes, []) };
    },
  }),
  defineTool({
    name: 'model_bump',
    title: 'Release a model draft',
    description: "Releases a model's working draft as the next version, with the semver bump its changes require under the model's compatibility policy (or as `as` when that version says enough); the draft is removed. Dry run unless apply.",
    input: { name: z.string().min(1), as: z.string().optional().describe('release as this version (refused when it understates the change)'), apply },
    output: { model: z.string(), previous: z.string().optional(), version: z.string(), required: z.string(), file: z.string(), policy: z.string(), ...written },
    hints: writes(true),
    write: true,
    async run({ name, as, apply: applyIt }, ctx) {
      const { modelBump } = await import('../engine/model-release.js');
      const out = await inWorkspace(ctx, 'model bump', applyIt, async (ws) => modelBump(ws, await ws.models(), name, { as, dryRun: !applyIt }));
      const { changes, ...rest } = out;
      return {
        data: { model: name, ...rest, ...(await report(applyIt, changes, [])) },
        summary: `${applyIt ? 'released' : 'would release'} ${name}@${out.version} (${out.previous ? `${out.required} bump from ${out.previous}` : 'first version'}, policy ${out.policy})\n${changeSummary(applyIt, changes, [])}`,
      };
    },
  }),
  defineTool({
    name: 'pattern_adopt',
    title: 'Adopt a detected pattern',
    description: 'Turns a stored pattern (patterns_list) into a scaffold generator: generators/<name>.mjs, templates/<name>/ and snapshots/<name>/. Dry run unless apply.',
    input: { id: z.string().min(1), name: z.string().optional().describe('generator name (default: the pattern name)'), apply },
    output: { id: z.string(), generator: z.string(), example: z.array(z.string()), ...written },
    hints: writes(false),
    write: true,
    async run({ id, name, apply: applyIt }, ctx) {
      const { adoptPattern } = await import('../patterns/adopt-commit.js');
      const out = await inWorkspace(ctx, 'patterns adopt', applyIt, (ws) => adoptPattern(ws, id, { name, dryRun: !applyIt }));
      return {
        data: { id: out.proposal.id, generator: out.result.name, example: out.result.example, ...(await report(applyIt, out.changes, out.findings)) },
        summary: changeSummary(applyIt, out.changes, out.findings),
      };
    },
  }),
  defineTool({
    name: 'template_test_update',
    title: 'Update template snapshots',
    description: "Renders every fixture of the workspace's templates (or those named) and rewrites the snapshots that differ, adds missing ones and removes obsolete ones, as `metarepo template test --update`. Dry run unless apply.",
    input: { names: z.array(z.string()).default([]).describe('template names (default: all of the workspace)'), apply },
    output: { templates: z.array(z.looseObject({ name: z.string() })), ...written },
    hints: writes(true),
    write: true,
    async run({ names, apply: applyIt }, ctx) {
      const { updateTemplateSnapshots } = await import('../templates/snapshot-update.js');
      const out = await inWorkspace(ctx, 'template test', applyIt, (ws) =>
        updateTemplateSnapshots(ws, names, { dryRun: !applyIt, onFixture: (done, total) => ctx.progress(done, total) }),
      );
      return { data: { templates: out.outcomes, ...(await report(applyIt, out.changes, out.findings)) }, summary: changeSummary(applyIt, out.changes, out.findings) };
    },
  }),
];
