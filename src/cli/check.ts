import pc from 'picocolors';
import { buildCheckContext, runChecks, workspaceChecks, type ReportedFinding } from '../engine/checks.js';
import { formatLocation } from '../core/errors.js';
import { closeWorkspace, openWorkspace } from '../workspace/open.js';
import { emit, type GlobalOptions } from './output.js';

/** `metarepo check`: runs every check (the plugins' and the built-in ones) on the workspace; exit 1 on any error finding. */
export async function checkCommand(g: GlobalOptions): Promise<number> {
  const ws = await openWorkspace(g.cwd, 'check', { strict: g.strict });
  let code = 1;
  try {
    const checks = await workspaceChecks(ws);
    const findings = await runChecks(ws, checks, await buildCheckContext(ws));
    const errors = findings.filter((f) => f.severity === 'error').length;
    code = errors > 0 ? 1 : 0;
    emit(g, { checks: checks.map((c) => ({ name: c.check.name, plugin: c.plugin })), findings, errors }, () => describeFindings(findings, checks.length));
    return code;
  } finally {
    await closeWorkspace(ws, code);
  }
}

/** Findings as lines `severity file:line:column message (check)`, then a summary line. */
export function describeFindings(findings: ReportedFinding[], checks: number): string {
  const colour = { error: pc.red, warning: pc.yellow, info: pc.dim } as const;
  const lines = findings.map((f) => {
    const where = f.file ? `${formatLocation({ file: f.file, line: f.line, column: f.column })}: ` : '';
    return `${colour[f.severity](f.severity)} ${where}${f.message} ${pc.dim(`(${f.plugin}/${f.check})`)}`;
  });
  const count = (s: string) => findings.filter((f) => f.severity === s).length;
  lines.push(`${checks} checks: ${count('error')} errors, ${count('warning')} warnings`);
  return lines.join('\n');
}
