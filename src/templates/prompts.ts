/**
 * Prompts derived from a template's `variables` schema, for generators that declare none (the way Nx derives
 * its prompts from a generator's schema.json): one question per property, in declaration order.
 */
import type { PlopQuestion } from './scaffold/answers.js';
import type { TemplateManifest } from './manifest.js';

type PropertySchema = Record<string, unknown>;

/** The inquirer question type for a property schema: enum → list, boolean → confirm, number → number. */
function questionType(schema: PropertySchema): { type: string; choices?: unknown[] } {
  if (Array.isArray(schema.enum)) return { type: 'list', choices: schema.enum.map((v) => ({ name: String(v), value: v })) };
  const items = schema.items as PropertySchema | undefined;
  if (schema.type === 'array' && items && Array.isArray(items.enum)) {
    return { type: 'checkbox', choices: items.enum.map((v) => ({ name: String(v), value: v })) };
  }
  if (schema.type === 'boolean') return { type: 'confirm' };
  if (schema.type === 'integer' || schema.type === 'number') return { type: 'number' };
  return { type: 'input' };
}

/**
 * One question per property of `variables`: the type from the schema (`enum` → `list` with the enum values as
 * choices, an array of an enum → `checkbox`, `boolean` → `confirm`, `integer`/`number` → `number`, else
 * `input`), the message from `description` (else `title`, else the name), `default`, and `pattern` for
 * strings. A property that is neither required nor has a default is `optional`: without a terminal it stays
 * unanswered instead of being reported missing. Whole-schema rules (ranges, `additionalProperties`) are
 * checked on the answers afterwards (see `runScaffold`).
 */
export function promptsFromVariables(variables: TemplateManifest['variables']): PlopQuestion[] {
  const required = new Set(variables.required ?? []);
  return Object.entries(variables.properties).map(([name, schema]) => {
    const q: PlopQuestion = {
      name,
      ...questionType(schema),
      message: String(schema.description ?? schema.title ?? name),
    };
    if (schema.default !== undefined) q.default = schema.default;
    if (typeof schema.pattern === 'string') q.pattern = schema.pattern;
    if (!required.has(name) && schema.default === undefined) q.optional = true;
    return q;
  });
}
