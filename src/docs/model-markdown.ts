/**
 * A model version's reference page as Markdown (CommonMark + GFM tables, a Mermaid fence): what the `docs`
 * generator writes and what the docs site renders. Deterministic: the same facts give the same bytes.
 * Text from the schema (titles, descriptions) is untrusted: table cells escape `|`, `<` and line breaks.
 */
import { slug } from 'github-slugger';
import { typeSection, type ModelReference, type PropertyRow, type TypeSection } from './model-reference.js';
import { fence } from './page.js';

/** Where a page links to another model's page. */
export type ModelLink = (name: string, version: string) => string;

/** Classes a diagram shows at most (a big model's diagram would not be readable, nor quick to draw). */
export const DIAGRAM_MAX_CLASSES = 30;

/**
 * The reference page of `ref` in Markdown.
 * @param link - the URL of another model's page (relative to this page), for references.
 */
export function modelMarkdown(ref: ModelReference, link: ModelLink): string {
  const out: string[] = [`# ${inline(ref.title)} (${ref.name}@${ref.version})`, ''];
  if (ref.description) out.push(block(ref.description), '');
  out.push(`Model file \`${ref.file}\` · compatibility policy \`${ref.policy}\` · TypeScript type \`${ref.root.typeName}\``, '');
  out.push('## Properties', '', ...typeBody(ref.root, ref, link));
  if (ref.definitions.length > 0) {
    out.push('## Types', '');
    for (const def of ref.definitions) out.push(`### ${def.typeName}`, '', ...typeBody(def, ref, link));
  }
  if (ref.examples.length > 0) {
    out.push('## Examples', '');
    ref.examples.forEach((ex, i) => {
      const verdict = ex.errors.length === 0 ? 'valid' : `**invalid**: ${ex.errors.map(inline).join('; ')}`;
      out.push(`Example ${i + 1} (\`${ex.pointer}\`): ${verdict}.`, '', fence(JSON.stringify(ex.value, null, 2) ?? 'undefined', 'json'), '');
    });
  }
  if (ref.references.length > 0) {
    out.push('## References', '', ...ref.references.map((r) => `- [${r.name}@${r.version}](${link(r.name, r.version)})`), '');
  }
  out.push('## Diagram', '', '```mermaid', ...classDiagram(ref), '```', '');
  out.push('## Version history', '');
  if (ref.history.length === 0) out.push(`${ref.version} is the first version.`, '');
  for (const step of [...ref.history].reverse()) {
    out.push(`### ${step.from} → ${step.to}`, '', `Bump: ${step.bump}; the evolution rules require ${step.required} under \`${ref.policy}\`.`, '');
    if (step.changes.length === 0) out.push('No schema change.', '');
    else out.push('| Rule | Where | What changed |', '| --- | --- | --- |', ...step.changes.map((c) => `| \`${c.rule}\` | \`${cell(c.path || '/')}\` | ${cell(c.message)} |`), '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function typeBody(section: TypeSection, ref: ModelReference, link: ModelLink): string[] {
  const out: string[] = [];
  if (section.model) {
    const version = ref.references.find((r) => r.name === section.model)?.version ?? '';
    out.push(`Model [${section.model}@${version}](${link(section.model, version)}).`, '');
  }
  if (section.key && section.description) out.push(block(section.description), '');
  if (section.properties.length === 0) {
    out.push(`Type: \`${inline(section.type)}\``, '');
    return out;
  }
  out.push(...propertyTable(section.properties, (key) => ref.definitions.find((d) => d.key === key)), '');
  return out;
}

/**
 * A Markdown properties table of a JSON Schema object (e.g. a template's variables, an event's payload): name, type,
 * required, default, constraints, description; or one line with its type when it has no properties.
 */
export function schemaTable(schema: Record<string, unknown>): string[] {
  const definitions = typeof schema.definitions === 'object' && schema.definitions !== null ? (schema.definitions as Record<string, unknown>) : {};
  const section = typeSection('', '', schema, definitions);
  if (section.properties.length === 0) return [`Type: \`${inline(section.type)}\``];
  return propertyTable(section.properties, () => undefined);
}

function propertyTable(rows: PropertyRow[], definition: (key: string) => TypeSection | undefined): string[] {
  const out = ['| Name | Type | Required | Default | Constraints | Description |', '| --- | --- | --- | --- | --- | --- |'];
  for (const p of rows) out.push(propertyRow(p, p.ref === undefined ? undefined : definition(p.ref)));
  return out;
}

function propertyRow(p: PropertyRow, target: TypeSection | undefined): string {
  const type = target ? `[\`${cell(p.type)}\`](#${slug(target.typeName)})` : `\`${cell(p.type)}\``;
  return `| \`${cell(p.name)}\` | ${type} | ${p.required ? 'yes' : 'no'} | ${p.default === undefined ? '' : `\`${cell(p.default)}\``} | ${cell(p.constraints.join(', '))} | ${cell(p.description ?? '')} |`;
}

/**
 * A Mermaid class diagram: one class per type, a member per property, an arrow per reference (a property's, or a
 * union's member), breadth first
 * from the root up to {@link DIAGRAM_MAX_CLASSES} classes.
 */
function classDiagram(ref: ModelReference): string[] {
  const byKey = new Map(ref.definitions.map((d) => [d.key, d]));
  const lines = ['classDiagram'];
  const seen = new Set<string>();
  const queue: TypeSection[] = [ref.root];
  const edges: string[] = [];
  while (queue.length > 0 && seen.size < DIAGRAM_MAX_CLASSES) {
    const section = queue.shift()!;
    const id = diagramName(section.typeName);
    if (seen.has(id)) continue;
    seen.add(id);
    lines.push(`  class ${id} {`);
    for (const p of section.properties) lines.push(`    +${diagramName(memberType(p.type))} ${diagramName(p.name)}`);
    lines.push('  }');
    const links = [...section.properties.map((p) => [p.ref, p.name] as const), ...(section.members ?? []).map((key) => [key, 'member'] as const)];
    for (const [key, label] of links) {
      const target = key === undefined ? undefined : byKey.get(key);
      if (!target) continue;
      edges.push(`  ${id} --> ${diagramName(target.typeName)} : ${diagramName(label)}`);
      queue.push(target);
    }
  }
  const shown = edges.filter((e) => seen.has(e.trim().split(' ')[2]!));
  const hidden = ref.definitions.length + 1 - seen.size;
  if (hidden > 0) lines.push(`  note "${hidden} more type(s) not drawn"`);
  return [...lines, ...shown];
}

/** Mermaid class and member names allow identifier characters only; anything else becomes `_`. */
function diagramName(text: string): string {
  return text.replace(/[^A-Za-z0-9_[\]]/g, '_') || '_';
}

/** A member's type for the diagram: a union or literal is too wide for a class box, so it shows its kind. */
function memberType(type: string): string {
  if (/^"|^-?\d/.test(type)) return 'enum';
  if (type.includes('|') || type.includes('&')) return 'union';
  if (type.startsWith('{')) return 'object';
  return type;
}

/** Text for a table cell: one line, `|` escaped, no raw HTML. */
function cell(text: string): string {
  return inline(text).replace(/\|/g, '\\|');
}

function inline(text: string): string {
  return block(text).replace(/\s*\n\s*/g, ' ');
}

/** Untrusted Markdown text with raw HTML neutralised (`<` as an entity), which renders as the literal character. */
function block(text: string): string {
  return text.replace(/</g, '&lt;').trim();
}
