import pc from 'picocolors';
import type { ModelDiff } from '../models/evolution.js';
import type { JudgedChange } from '../models/usage-findings.js';
import { diffSummary, modelDiffReport, modelImpact, type ModelDiffReport } from '../engine/model-impact.js';
import { withRegistry } from './model.js';
import { emit, type GlobalOptions } from './output.js';

const MARK = { error: pc.red('✗'), warning: pc.yellow('!'), info: pc.dim('·') } as const;

/** `metarepo model diff <name> [from] [to]`: every change with its rule, pointer, impacts and severity here. */
export async function modelDiffCommand(g: GlobalOptions, name: string, from: string | undefined, to: string | undefined): Promise<number> {
  return withRegistry(g, 'model diff', async (ws, registry) => {
    const report = renderModelDiff(await modelDiffReport(ws, registry, name, from, to));
    emit(g, report.data, () => report.text);
    return 0;
  });
}

/**
 * What `model diff` prints for a report: the JSON data (summary, judged changes, time) and the text (also printed by
 * `model infer` after it writes a draft).
 */
export function renderModelDiff({ diff, judged, durationMs }: ModelDiffReport): { data: Record<string, unknown>; text: string } {
  return { data: { ...diffSummary(diff), changes: judged, durationMs }, text: human(diff, judged) };
}

function human(diff: ModelDiff, judged: JudgedChange[]): string {
  const head = `${diff.model} ${diff.from} → ${diff.to} (policy ${diff.policy.compatibility}): ${judged.length} change(s)${
    diff.violations.length ? `, ${pc.red(`${diff.violations.length} break the policy`)}` : ''
  }; requires ${diff.required === 'none' ? 'no new version' : `a ${diff.required} bump`}`;
  return [head, ...judged.map(changeLine)].join('\n');
}

function changeLine(c: JudgedChange): string {
  const impacts = [c.impacts.backward ? 'BACKWARD' : '', c.impacts.forward ? 'FORWARD' : '', c.impacts.source ? 'SOURCE' : ''].filter(Boolean).join(' ');
  const unused = c.severity === 'warning' ? pc.dim(` (no project imports ${c.typeName ?? 'the root type'})`) : '';
  // A change at a use site of a definition names the definition it reaches through.
  const via = c.via ? pc.dim(` (via ${c.via})`) : '';
  return `  ${MARK[c.severity]} ${c.rule.padEnd(32)} ${c.path || '/'}${via}  ${c.message}${impacts ? pc.dim(` [breaks ${impacts}]`) : ''}${unused}`;
}

/**
 * `metarepo model impact <name>@<version>`: the targets whose range admits the version and that would move to it,
 * their generated files, the projects importing those files, and which of them the change breaks.
 */
export async function modelImpactCommand(g: GlobalOptions, spec: string): Promise<number> {
  return withRegistry(g, 'model impact', async (ws, registry) => {
    const { name, version, targets: impacts } = await modelImpact(ws, registry, spec);
    const breaking = impacts.filter((t) => t.breaks).length;
    emit(g, { model: name, version, targets: impacts, breaking }, () =>
      [
        `${name}@${version}: reaches ${impacts.filter((t) => t.reached).length} of ${impacts.length} target(s) of ${name}; ${breaking ? pc.red(`breaks ${breaking}`) : 'breaks none'}`,
        ...impacts.flatMap((t) => [
          `  ${t.breaks ? MARK.error : t.reached ? pc.green('✓') : MARK.info} ${t.target} (${t.range}${t.current ? `, now ${t.current}` : ', not generated yet'}): ${
            t.reached ? `${t.changes} change(s)${t.breaks ? ', breaks it' : ''}` : `not reached: ${t.range} excludes ${version}`
          }`,
          ...t.files.map((f) => `      file ${f}`),
          ...t.projects.map((p) => `      project ${p.project} imports ${p.imports.join(', ')}${p.breaks ? pc.red(' — breaks') : ''}`),
        ]),
      ].join('\n'),
    );
    return 0;
  });
}

