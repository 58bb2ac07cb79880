import { createTwoFilesPatch } from 'diff';
import pc from 'picocolors';
import type { FileChange } from '../engine/tree.js';
import { describeConflict, type FileConflict } from '../engine/merge/three-way.js';

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

const RESOLUTION = {
  untouched: 'left untouched; resolve by hand, or rerun with --conflicts=markers',
  markers: 'written with conflict markers; resolve them in the file',
  'no-base': 'left untouched: no merge base is stored for it (written before metarepo kept bases); merge by hand, or overwrite it with --force',
  'both-added': 'the new output adds this file but a different one exists; rerun with --conflicts=markers to merge them',
} as const;

/** A conflicting file: what happened to it and how to go on, then each hunk with its three sides. */
export function describeFileConflict(c: FileConflict): string {
  return [`${pc.red('conflict')} ${c.file}: ${RESOLUTION[c.resolution]}`, ...c.hunks.map((h) => describeConflict(c.file, h))].join('\n');
}
