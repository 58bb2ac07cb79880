import path from 'node:path';
import { STATE_DIR } from '../core/layout.js';

/** File name of the live segment of the event log, which every process of the workspace appends to. */
export const LIVE_SEGMENT = 'events.jsonl';

/** Absolute path of the event log folder of a workspace (`<root>/.metarepo/events`). */
export function eventsDir(root: string): string {
  return path.join(root, STATE_DIR, 'events');
}
