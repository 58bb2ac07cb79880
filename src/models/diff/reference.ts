/**
 * A Markdown reference page for one version of a model: the root type, then each definition, with
 * a properties table (name, type, required, description, constraints) for every object.
 */
import { DEFINITION_CONTAINERS, isObjectSchema, isSchema } from '../keywords.js';
import { parsePointer } from '../../core/pointer.js';
import { acceptsAll, refOf } from './vocabulary.js';
import type { JsonSchema } from './types.js';
import { show, typeSet, valueSet } from './values.js';

/** Keywords listed under Constraints, in this order. */
const CONSTRAINTS = [
  'format', 'pattern', 'minLength', 'maxLength', 'minimum', 'exclusiveMinimum', 'maximum', 'exclusiveMaximum', 'multipleOf',
  'minItems', 'maxItems', 'uniqueItems', 'minProperties', 'maxProperties', 'default', 'readOnly', 'writeOnly', 'deprecated',
];

/** How deep inline objects are flattened into dotted rows (`address.city`). */
const MAX_DEPTH = 4;

/**
 * Renders the reference page of one model version. Types name definitions as links to their
 * sections; inline objects are flattened into dotted rows (`address.city`, `tags[].name`).
 * Deterministic: definitions sorted by name, properties in source order.
 */
export function renderReference(modelName: string, version: string, schema: JsonSchema): string {
  const root = isObjectSchema(schema) ? schema : {};
  const title = typeof root.title === 'string' ? root.title : modelName;
  const lines = [`# ${modelName} ${version}`, ''];
  lines.push('<a id="root"></a>', '', ...section(`${title} (root)`, schema, '##'));
  const definitions: Array<[string, JsonSchema]> = [];
  for (const container of DEFINITION_CONTAINERS) {
    const defs = root[container];
    if (!isObjectSchema(defs)) continue;
    for (const [name, def] of Object.entries(defs)) if (isSchema(def) && !definitions.some(([n]) => n === name)) definitions.push([name, def]);
  }
  definitions.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (definitions.length > 0) {
    lines.push('## Definitions', '');
    for (const [name, def] of definitions) lines.push(`<a id="${anchor(name)}"></a>`, '', ...section(name, def, '###'));
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** One type: heading, description, type line, constraints, and the properties table of an object. */
function section(heading: string, node: JsonSchema, level: string): string[] {
  const lines = [`${level} ${heading}`, ''];
  if (typeof node !== 'boolean' && typeof node.description === 'string') lines.push(oneLine(node.description), '');
  lines.push(`Type: ${typeOf(node, 0)}`, '');
  const constraints = constraintsOf(node);
  if (constraints) lines.push(`Constraints: ${constraints}`, '');
  const rows = propertyRows(node, '', 0);
  if (rows.length > 0) {
    lines.push('| Property | Type | Required | Description | Constraints |', '| --- | --- | --- | --- | --- |', ...rows, '');
    if (typeof node !== 'boolean' && node.additionalProperties === false) lines.push('No other properties are allowed.', '');
  }
  return lines;
}

/** Table rows for the properties of an object, recursing into inline objects and arrays of them. */
function propertyRows(node: JsonSchema, prefix: string, depth: number): string[] {
  if (typeof node === 'boolean' || !isObjectSchema(node.properties) || depth > MAX_DEPTH) return [];
  const required = new Set(Array.isArray(node.required) ? node.required : []);
  const rows: string[] = [];
  for (const [name, property] of Object.entries(node.properties)) {
    if (!isSchema(property)) continue;
    const description = typeof property !== 'boolean' && typeof property.description === 'string' ? oneLine(property.description) : '';
    rows.push(`| \`${cell(prefix + name)}\` | ${cell(typeOf(property, 0))} | ${required.has(name) ? 'yes' : 'no'} | ${cell(description)} | ${cell(constraintsOf(property))} |`);
    if (refOf(property)) continue;
    rows.push(...propertyRows(property, `${prefix}${name}.`, depth + 1));
    const items = typeof property !== 'boolean' ? property.items : undefined;
    if (isSchema(items) && !refOf(items)) rows.push(...propertyRows(items, `${prefix}${name}[].`, depth + 1));
  }
  return rows;
}

/** A short Markdown type: a link for a definition, literals for enums, `array<T>`, unions with `|`. */
function typeOf(node: JsonSchema, depth: number): string {
  if (typeof node === 'boolean') return node ? 'any' : 'never';
  const ref = refOf(node);
  if (ref) return refLink(ref.ref);
  const values = valueSet(node);
  if (values) return [...values.values()].map((v) => `\`${show(v, 40)}\``).join(' | ') || 'never';
  for (const keyword of ['oneOf', 'anyOf', 'allOf']) {
    const list = node[keyword];
    if (Array.isArray(list) && depth < 2) {
      return list.filter(isSchema).map((m) => typeOf(m, depth + 1)).join(keyword === 'allOf' ? ' & ' : ' | ');
    }
  }
  const types = typeSet(node);
  if (!types) return acceptsAll(node) ? 'any' : isObjectSchema(node.properties) ? 'object' : 'any';
  return types
    .map((t) => {
      if (t !== 'array') return t;
      const items = node.items;
      return isSchema(items) && depth < 2 ? `array<${typeOf(items, depth + 1)}>` : 'array';
    })
    .join(' | ');
}

function refLink(ref: string): string {
  if (ref === '#') return '[root](#root)';
  const segments = ref.startsWith('#/') ? parsePointer(ref.slice(1)) : [];
  if (segments.length === 2 && (DEFINITION_CONTAINERS as readonly string[]).includes(segments[0]!)) return `[${segments[1]}](#${anchor(segments[1]!)})`;
  return `\`${ref}\``;
}

function constraintsOf(node: JsonSchema): string {
  if (typeof node === 'boolean') return '';
  return CONSTRAINTS.filter((k) => node[k] !== undefined)
    .map((k) => `${k}: ${show(node[k], 40)}`)
    .join('; ');
}

/** An anchor id for a definition section: lowercase, with anything but letters, digits, `-` and `_` replaced. */
function anchor(name: string): string {
  return `definition-${name.toLowerCase().replace(/[^a-z0-9_-]/g, '-')}`;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** Escapes a table cell: pipes and line breaks. */
function cell(text: string): string {
  return oneLine(text).replace(/\|/g, '\\|');
}
