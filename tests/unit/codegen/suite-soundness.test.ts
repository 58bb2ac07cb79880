// Soundness of the typescript generator on the official JSON Schema Test Suite (draft-07 and 2020-12, in
// tests/fixtures/json-schema-test-suite/): every valid instance of every group type-checks against the generated
// root type, and every invalid instance the types rejected before still fails to type-check. The measurement is
// bench/soundness.mjs's (the bench prints the same figures from the compiled code); here it runs on the sources.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DRAFTS, EXCLUDED, loadSuite, measureSoundness } from '../../../bench/soundness.mjs';
import { generate } from '../../../plugins/codegen-typescript/generate.js';
import { ModelRegistry } from '../../../src/models/registry.js';

/**
 * The invalid instances the generated types rejected on 2026-12-07, before the generator typed object and array
 * keywords without `type` as applying to objects and arrays only: none of them may become accepted.
 */
const rejectedBefore = JSON.parse(fs.readFileSync(new URL('./suite-rejected-baseline.json', import.meta.url), 'utf8')) as Record<string, string[]>;

describe.each(DRAFTS)('typescript types on the JSON Schema Test Suite, %s', (draft) => {
  it('accept every valid instance and still reject every invalid one they rejected before', async () => {
    const result = await measureSoundness(draft, { generate, ModelRegistry });
    expect(result.rejectedValid).toEqual([]);
    expect(result.validAccepted).toBe(result.validTotal);
    expect(rejectedBefore[draft]!.filter((id) => !result.rejectedInvalid.includes(id))).toEqual([]);
    expect(result.invalidRejected).toBeGreaterThan(0);
  });

  it('leaves out only the few groups whose schemas name remote documents or custom meta-schemas, each with a reason', () => {
    const groups = loadSuite(draft);
    for (const [key, reason] of Object.entries(EXCLUDED[draft]!)) {
      const [file, description] = key.split(': ');
      expect(groups.some((g) => g.file === file && (description === undefined || g.description === description)), key).toBe(true);
      expect(reason).toMatch(/remote|meta-schema/);
    }
    const excluded = groups.filter((g) => EXCLUDED[draft]![g.file] ?? EXCLUDED[draft]![`${g.file}: ${g.description}`]);
    expect(excluded.length / groups.length).toBeLessThan(0.07);
  });
});
