import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { MetarepoError } from '../../../src/core/errors.js';

const created: string[] = [];
afterEach(() => {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * A temp workspace holding `files` (path → text, or a value written as pretty JSON). Removed after
 * the test.
 */
export function workspace(files: Record<string, unknown>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'metarepo-models-'));
  created.push(root);
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2) + '\n');
  }
  return root;
}

/** The MetarepoError a call throws (fails the test when it throws nothing or something else). */
export async function caught(fn: () => unknown): Promise<MetarepoError> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof MetarepoError) return err;
    throw err;
  }
  throw new Error('expected a MetarepoError, but nothing was thrown');
}

/** Every `$ref` value anywhere in a JSON value. */
export function allRefs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) allRefs(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if ((k === '$ref' || k === '$dynamicRef') && typeof v === 'string') out.push(v);
      else allRefs(v, out);
    }
  }
  return out;
}
