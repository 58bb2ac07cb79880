// Soundness of the typescript generator on the official JSON Schema Test Suite (draft-07 and 2020-12, in
// tests/fixtures/json-schema-test-suite/): every valid instance of every group type-checks against the generated
// root type, and every invalid instance the types rejected before still fails to type-check. The measurement is
// bench/soundness.mjs's (the bench prints the same figures from the compiled code); here it runs on the sources.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DRAFTS, EXCLUDED, exclusion, loadSuite, measureSoundness } from '../../../bench/soundness.mjs';
import { generate } from '../../../plugins/codegen-typescript/generate.js';
import { ModelRegistry } from '../../../src/models/registry.js';

/**
 * The invalid instances the generated types reject (recorded 2026-12-07): none may become accepted. Before object
 * and array keywords without `type` were typed as applying to objects and arrays only, the types rejected 210
 * (draft-07) and 229 (2020-12) of them; they now reject 221 and 241. One instance they rejected before is accepted
 * now, because it was rejected only by an unsound type: the root `{ minimum: 30, properties: { foo: { $ref: <root> }
 * } }` was typed as an object, so `{"foo": 12}` failed, and so did the valid `{"foo": 37}`. A type that admits 37
 * admits 12 (TypeScript has no `minimum`).
 */
const rejectedBefore = JSON.parse(fs.readFileSync(new URL('./suite-rejected-baseline.json', import.meta.url), 'utf8')) as Record<string, string[]>;

describe.each(DRAFTS)('typescript types on the JSON Schema Test Suite, %s', (draft) => {
  it('accept every valid instance and still reject every invalid one they rejected before', async () => {
    const result = await measureSoundness(draft, { generate, ModelRegistry });
    expect(result.rejectedValid).toEqual([]);
    expect(result.validAccepted).toBe(result.validTotal);
    expect(rejectedBefore[draft]!.filter((id) => !result.rejectedInvalid.includes(id))).toEqual([]);
  });

  it('leaves out only the few groups that name remote documents or custom meta-schemas (or the registry mis-bundles), with reasons', () => {
    const groups = loadSuite(draft);
    for (const [key, reason] of Object.entries(EXCLUDED[draft]!)) {
      const at = key.indexOf(': ');
      const [file, description] = at < 0 ? [key, undefined] : [key.slice(0, at), key.slice(at + 2)];
      expect(groups.some((g) => g.file === file && (description === undefined || g.description === description)), key).toBe(true);
      expect(reason).toMatch(/remote|meta-schema|registry/);
    }
    const excluded = groups.filter((g) => exclusion(draft, g));
    expect(excluded.length / groups.length).toBeLessThan(0.07);
  });
});
