// The size limit of code generation (src/models/limits.ts): the METAREPO_MAX_MODEL_MB override and the refusal.
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_CODEGEN_MB, assertCodegenSize, maxCodegenBytes } from '../../../src/models/limits.js';
import type { ModelRecord } from '../../../src/models/types.js';
import { caught } from './helpers.js';

const MIB = 2 ** 20;

function record(name: string, text: string): ModelRecord {
  return { name, version: '1.0.0', file: `/ws/models/${name}/1.0.0.schema.json`, relFile: `models/${name}/1.0.0.schema.json`, schema: {}, draft: 'draft-07', text };
}

describe('maxCodegenBytes', () => {
  it('is the default unless METAREPO_MAX_MODEL_MB says otherwise, in MiB', () => {
    expect(maxCodegenBytes({})).toBe(DEFAULT_MAX_CODEGEN_MB * MIB);
    expect(maxCodegenBytes({ METAREPO_MAX_MODEL_MB: ' ' })).toBe(DEFAULT_MAX_CODEGEN_MB * MIB);
    expect(maxCodegenBytes({ METAREPO_MAX_MODEL_MB: '64' })).toBe(64 * MIB);
    expect(maxCodegenBytes({ METAREPO_MAX_MODEL_MB: '0.5' })).toBe(MIB / 2);
  });

  it('refuses anything but a positive number (exit 2)', async () => {
    for (const value of ['0', '-3', 'lots', 'Infinity']) {
      const err = await caught(() => maxCodegenBytes({ METAREPO_MAX_MODEL_MB: value }));
      expect(err.exitCode).toBe(2);
      expect(err.message).toBe(`METAREPO_MAX_MODEL_MB must be a positive number of megabytes, not "${value}".`);
    }
  });
});

describe('assertCodegenSize', () => {
  it('lets a model within the limit through, counting UTF-8 bytes', () => {
    expect(() => assertCodegenSize(record('a', 'x'.repeat(1000)), [], 1000)).not.toThrow();
    expect(() => assertCodegenSize(record('a', 'é'.repeat(500)), [], 1000)).not.toThrow(); // 2 bytes each
  });

  it('refuses a model beyond the limit, located at its file, with its size and a hint', async () => {
    const err = await caught(() => assertCodegenSize(record('big', 'é'.repeat(MIB)), [], MIB));
    expect(err.exitCode).toBe(2);
    expect(err.location).toEqual({ file: '/ws/models/big/1.0.0.schema.json' });
    expect(err.message).toBe('Model big@1.0.0 is too big to generate code from: models/big/1.0.0.schema.json holds 2.0 MB of JSON, more than the limit of 1.0 MB.');
    expect(err.hint).toContain('METAREPO_MAX_MODEL_MB=3 metarepo generate');
  });

  it('counts the models it references', async () => {
    const deps = [record('b', 'x'.repeat(600_000)), record('c', 'x'.repeat(600_000))];
    expect(() => assertCodegenSize(record('a', 'x'.repeat(600_000)), [], MIB)).not.toThrow();
    const err = await caught(() => assertCodegenSize(record('a', 'x'.repeat(600_000)), deps, MIB));
    expect(err.message).toContain('models/a/1.0.0.schema.json with the 2 models it references holds 1.7 MB of JSON');
  });
});
