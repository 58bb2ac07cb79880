/**
 * The shapes of a schema diff: what {@link diffSchemas} returns and what the rules catalog,
 * the compatibility policies and the renderers consume.
 */

/** A JSON Schema document or subschema: an object schema or a boolean schema. */
export type JsonSchema = Record<string, unknown> | boolean;

/**
 * Who a change breaks. The two data directions are Confluent Schema Registry's compatibility
 * directions; `source` is Buf's source-versus-wire split applied to generated code.
 */
export interface Impacts {
  /**
   * BACKWARD-breaking: the new schema rejects an instance the old one accepted, so data at rest
   * and old writers fail validation under the new schema.
   */
  backward: boolean;
  /**
   * FORWARD-breaking: the new schema accepts an instance the old one rejected, so old readers
   * receive data they do not expect.
   */
  forward: boolean;
  /**
   * SOURCE-breaking: code generated from the schema changes incompatibly even where the instance
   * set may not (a type renamed or removed, optionality flipped, `T` → `T | null`, int → float).
   */
  source: boolean;
}

/** One difference between two schemas, found by one rule. */
export interface SchemaChange {
  /** The stable rule id, a key of `RULES` (`PROPERTY_REMOVED_CLOSED`). */
  rule: string;
  /** JSON pointer (RFC 6901, plain form) into the old schema; absent when the old side has no such keyword. */
  oldPointer?: string;
  /** JSON pointer into the new schema; absent when the new side has no such keyword. */
  newPointer?: string;
  /** The pointer to show: `newPointer`, else `oldPointer` (for `required` changes, the property's pointer). */
  path: string;
  /** One line for a person. */
  message: string;
  /** The old value where one is meaningful (a bound, a type list, an enum value, a pattern). */
  before?: unknown;
  /** The new value where one is meaningful. */
  after?: unknown;
  /** Who the change breaks. */
  impacts: Impacts;
  /**
   * The nearest enclosing generated type: the `definitions` / `$defs` entry the change lies in (new
   * side first) by its `title`, else its key; else the root's `title`; `undefined` for an untitled root.
   */
  typeName?: string;
  /** The old side's name for that type when it differs (a renamed type: code still imports the old name). */
  oldTypeName?: string;
  /**
   * The definition (its pointer, `/definitions/X`) one side reached through a `$ref` where the other side is
   * written inline: the change is shown at the use site (`path`, `typeName`), and `oldPointer` / `newPointer`
   * point into this definition, which itself did not change.
   */
  via?: string;
}

/** How to read an undeclared key of an open object (`additionalProperties` absent or `true`). */
export type OpenContentPolicy = 'lenient' | 'strict';

/** Options of {@link diffSchemas}. */
export interface DiffOptions {
  /**
   * `lenient` (default): an undeclared key of an open object is assumed unused, so adding an
   * optional property to an open object breaks nobody, nor does dropping one (Confluent Schema
   * Registry's lenient policy, confluentinc/schema-registry PRs #3930 and #4292).
   * `strict`: such a key may hold any value, so declaring it is BACKWARD-breaking and dropping it
   * FORWARD-breaking (Confluent's default). Closed objects (`additionalProperties: false`) are
   * strict under both: validators enforce the closure.
   */
  openContent?: OpenContentPolicy;
  /**
   * Report a property removed and another added with a structurally equal schema and the same
   * requiredness as one `PROPERTY_RENAMED` (and likewise `DEFINITION_RENAMED`). Default `true`.
   */
  detectRenames?: boolean;
}
