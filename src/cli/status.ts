import pc from 'picocolors';
import { workspaceStatus } from '../engine/status.js';
import { closeWorkspace, openWorkspace } from '../workspace/open.js';
import { emit, type GlobalOptions } from './output.js';

export async function statusCommand(g: GlobalOptions): Promise<number> {
  const ws = await openWorkspace(g.cwd, 'status', { strict: g.strict });
  let code = 1;
  try {
    const data = await workspaceStatus(ws);
    const { targets, edited, conflicts } = data;
    code = conflicts.length ? 1 : 0;
    emit(g, data, () => {
      const lines = [`${pc.bold(ws.config.name)} ${pc.dim(ws.root)}`, '', `projects (${data.projects.length})`];
      for (const p of data.projects) lines.push(`  ${p.name}  ${pc.dim(p.path)}${p.kind ? `  ${p.kind}` : ''}`);
      lines.push('', `models (${data.models.length})`);
      for (const m of data.models) lines.push(`  ${m.name}  ${m.versions.join(', ')}`);
      lines.push('', `targets (${targets.length})`);
      for (const t of targets) {
        const state = t.state === 'up-to-date' ? pc.green(t.state) : t.state === 'invalid' ? pc.red(`invalid: ${t.reason}`) : pc.yellow(t.state);
        const label = t.name === t.output ? '' : `${t.name}  `; // unnamed targets are called by their output
        lines.push(`  ${label}${t.resolved ?? t.model} → ${t.output}  ${state}${t.edited.length ? pc.red(' edited by hand') : ''}`);
      }
      if (edited.length) lines.push('', pc.red(`generated files edited by hand (${edited.length})`), ...edited.map((f) => `  ${f}`));
      if (conflicts.length) lines.push('', pc.red(`unresolved conflict markers (${conflicts.length})`), ...conflicts.map((f) => `  ${f.file}:${f.line}`));
      return lines.join('\n');
    });
    return code;
  } finally {
    await closeWorkspace(ws, code);
  }
}
