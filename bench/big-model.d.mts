// Types of the part of bench/big-model.mjs that tests import (tests/e2e/big-model.test.ts).

/** Root properties of the big model (~50 MB of JSON Schema). */
export declare const BIG_MODEL_PROPERTIES: number;
/** Largest number of properties whose model stays under the default size limit of code generation (20 MB). */
export declare const AT_LIMIT_PROPERTIES: number;
/** A deterministic JSON Schema (draft-07) of `properties` root properties; see bench/big-model.mjs. */
export declare function bigModel(properties?: number): Record<string, unknown>;
