import path from 'node:path';
import { STATE_DIR } from '../core/layout.js';

/** Absolute path of the event log folder of a workspace (`<root>/.metarepo/events`). */
export function eventsDir(root: string): string {
  return path.join(root, STATE_DIR, 'events');
}
