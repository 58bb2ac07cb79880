import { createTwoFilesPatch } from 'diff';
import type { FileChange } from '../engine/tree.js';

/**
 * A dry run's report: for each change, a header line and, for modifications, a unified diff (jsdiff).
 * New files show their size rather than their whole content, which would bury the report.
 */
export function describeChanges(changes: FileChange[], edited: string[] = []): string {
  if (changes.length === 0) return 'no changes';
  const out: string[] = [];
  for (const c of changes) {
    const note = edited.includes(c.path) ? ' (edited by hand)' : '';
    if (c.type === 'create') out.push(`create ${c.path} (${(c.content ?? '').split('\n').length} lines)${note}`);
    else if (c.type === 'delete') out.push(`remove ${c.path}${note}`);
    else {
      out.push(`update ${c.path}${note}`);
      out.push(createTwoFilesPatch(`a/${c.path}`, `b/${c.path}`, c.previous ?? '', c.content ?? '', '', '', { context: 3 }).split('\n').slice(2).join('\n'));
    }
  }
  return out.join('\n');
}
