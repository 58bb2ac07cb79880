// Types of the part of bench/soundness.mjs that tests import (tests/unit/codegen/suite-soundness.test.ts).

/** A test group of the JSON Schema Test Suite, with the file it comes from. */
export interface SuiteGroup {
  file: string;
  description: string;
  schema: unknown;
  tests: Array<{ description: string; data: unknown; valid: boolean }>;
}

/** What {@link measureSoundness} found for one draft. */
export interface Soundness {
  draft: string;
  groups: number;
  excludedGroups: number;
  validAccepted: number;
  validTotal: number;
  invalidRejected: number;
  invalidTotal: number;
  rejectedValid: Array<{ group: string; test: string; data: unknown; reason: string }>;
  rejectedInvalid: string[];
}

/** The suite's folder (tests/fixtures/json-schema-test-suite). */
export declare const SUITE_DIR: string;
/** The drafts measured: `draft7`, `draft2020-12`. */
export declare const DRAFTS: string[];
/** Groups left out per draft, by `<file>` or `<file>: <group description>`, with the reason. */
export declare const EXCLUDED: Record<string, Record<string, string>>;
/** The groups of one draft. */
export declare function loadSuite(draft: string): SuiteGroup[];
/** The reason a group is excluded, or undefined. */
export declare function exclusion(draft: string, group: SuiteGroup): string | undefined;
/** Generates types for every group not excluded and type-checks every instance against them (one program). */
export declare function measureSoundness(
  draft: string,
  deps: {
    generate: (input: { model: { name: string; version: string; schema: Record<string, unknown> }; options: Record<string, unknown>; output: string }) => Promise<Array<{ path: string; content: string }>>;
    ModelRegistry: { load(root: string): Promise<{ get(name: string, version: string): unknown; bundle(record: never): { schema: Record<string, unknown> } }> };
  },
): Promise<Soundness>;
