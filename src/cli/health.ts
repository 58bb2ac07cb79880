import pc from 'picocolors';
import { lintTemplates } from '../templates/health.js';
import { runHealthChecks } from '../workspace/health.js';
import { emit, type GlobalOptions } from './output.js';

export async function healthCommand(g: GlobalOptions): Promise<number> {
  const results = await runHealthChecks(g.cwd, lintTemplates);
  const ok = results.every((r) => r.ok);
  emit(g, { ok, checks: results }, () =>
    results.map((r) => `${r.ok ? pc.green('pass') : pc.red('fail')} ${r.name}${r.reason ? `: ${r.reason}` : ''}`).join('\n'),
  );
  return ok ? 0 : 1;
}
