/**
 * `patterns adopt`: turns a proposal into a workspace scaffold generator, so the next member is scaffolded with
 * `metarepo new <name> --set …` instead of written by hand:
 *
 * - `generators/<name>.mjs`: a plopfile (which `metarepo new` discovers) asking one question per variable —
 *   strings as input, flags as yes/no, lists as JSON arrays — and adding the template's files;
 * - `templates/<name>/template.yaml`: name, version, description, the variables as a JSON Schema, and fixtures
 *   taken from real members;
 * - `templates/<name>/files/<path template>.hbs`: the template;
 * - `snapshots/<name>/<fixture>/<output path>`: the fixture member's real bytes, read from the workspace (for a
 *   declaration or member, its span of the file), which `metarepo template test` compares the rendering with — so
 *   a template that does not reproduce its members fails that test instead of being snapshotted as it renders.
 *
 * For declaration and member units the generator appends the rendered unit to a file the `file` answer names.
 */
import path from 'node:path';
import { kebabCase } from 'change-case';
import { stringify } from 'yaml';
import { MetarepoError } from '../core/errors.js';
import type { Tree } from '../engine/tree.js';
import { createHandlebars } from '../templates/handlebars.js';
import type { PatternProposal, PatternVariable } from './propose.js';

/** What {@link adoptProposal} wrote. */
export interface AdoptResult {
  name: string;
  /** Files written into the tree, relative to the workspace root. */
  files: string[];
  /** `metarepo new …` reproducing the first fixture. */
  example: string[];
}

/** Names a generator may have: what `metarepo new <name>` accepts comfortably. */
const NAME = /^[a-z][a-z0-9-]*$/;

/** Extra answer of non-file units: the file the unit is appended to. */
const FILE_ANSWER = 'file';

/**
 * Writes the generator, template and snapshots of `p` into `tree` (see the module comment).
 * @throws MetarepoError (exit 2) for an invalid name, a file that already exists (the tree's error), members
 *   outside the workspace (their path template starts with `..`), or a fixture member that no longer exists (or,
 *   for declarations and members, was stored without its span).
 */
export function adoptProposal(tree: Tree, p: PatternProposal, name = p.name): AdoptResult {
  if (!NAME.test(name)) {
    throw new MetarepoError(`"${name}" is not a valid generator name.`, { hint: 'Use lower-case letters, digits and "-", starting with a letter, e.g. --name api-command.' });
  }
  const fileUnits = p.unit === 'file';
  if (fileUnits && (p.pathTemplate === undefined || p.pathTemplate.startsWith('../'))) {
    throw new MetarepoError(`The members of pattern "${p.id}" are outside the workspace, so a generator cannot write beside them.`, {
      hint: 'Run "metarepo patterns detect" on folders inside the workspace, then adopt.',
    });
  }
  if (!fileUnits && p.variables.some((v) => v.name === FILE_ANSWER)) {
    throw new MetarepoError(`Pattern "${p.id}" has a variable called "${FILE_ANSWER}", which the generator needs for the target file.`, { hint: 'Rename the variable (detect with --llm, or edit the proposal) and adopt again.' });
  }
  // Declarations and members keep their file's extension, so the template file reads as that language.
  const { destination, fileTemplate } = fileUnits ? splitPath(p.pathTemplate!) : { destination: '', fileTemplate: `${name}${extensionOf(p.members[0].path)}` };
  const templateFile = `templates/${name}/files/${fileTemplate}.hbs`;
  const fixtures = pickFixtures(tree, p);
  const files: string[] = [];
  const write = (file: string, content: string) => {
    tree.write(file, content, { origin: `patterns adopt ${p.id}` });
    files.push(file);
  };
  write(`generators/${name}.mjs`, plopfile(p, name, destination, fileTemplate));
  write(`templates/${name}/template.yaml`, templateYaml(p, name, fixtures));
  write(templateFile, p.template);
  const hb = createHandlebars();
  // Snapshots hold what `template test` renders from each fixture: workspace-relative output paths.
  for (const f of fixtures) {
    const output = fileUnits ? path.posix.join(destination, hb.compile(fileTemplate, { noEscape: true, strict: true })(f.answers)) : p.members[f.member].path;
    write(`snapshots/${name}/${f.name}/${output}`, f.text);
  }
  const first = fixtures[0];
  const example = ['metarepo', 'new', name, ...Object.entries(first.answers).flatMap(([k, v]) => ['--set', `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`])];
  if (!fileUnits) example.push('--set', `${FILE_ANSWER}=${p.members[first.member].path}`);
  return { name, files, example };
}

/** `.ts` for `src/a.ts`, `.d.ts` for `types/a.d.ts`; empty without an extension. */
function extensionOf(file: string): string {
  return /(\.d)?\.[A-Za-z0-9]+$/.exec(path.posix.basename(file))?.[0] ?? '';
}

/** The literal folder before the first variable, and the rest (which becomes the file name under `files/`). */
function splitPath(pathTemplate: string): { destination: string; fileTemplate: string } {
  const firstTag = pathTemplate.indexOf('{{');
  const cut = pathTemplate.lastIndexOf('/', firstTag < 0 ? pathTemplate.length : firstTag);
  return { destination: cut < 0 ? '.' : pathTemplate.slice(0, cut), fileTemplate: pathTemplate.slice(cut + 1) };
}

interface Fixture {
  name: string;
  member: number;
  answers: Record<string, unknown>;
  text: string;
}

/**
 * Up to three members as fixtures: the first, the one using the most sections, and the last — distinct members
 * only, named after their keys.
 */
function pickFixtures(tree: Tree, p: PatternProposal): Fixture[] {
  const weight = (a: unknown): number =>
    a === true ? 1 : Array.isArray(a) ? a.length + a.reduce((n: number, x) => n + weight(x), 0) : a && typeof a === 'object' ? Object.values(a).reduce((n: number, x) => n + weight(x), 0) : 0;
  let richest = 0;
  p.answers.forEach((a, i) => {
    if (weight(a) > weight(p.answers[richest])) richest = i;
  });
  const picked = [...new Set([0, richest, p.members.length - 1])];
  const names = new Set<string>();
  return picked.map((i) => {
    let base = kebabCase(p.members[i].key) || `member-${i + 1}`;
    while (names.has(base)) base = `${base}-${i + 1}`;
    names.add(base);
    return { name: base, member: i, answers: p.answers[i], text: memberText(tree, p, i) };
  });
}

/** The member's bytes as they are in the workspace now (not a rendering: the snapshot must be what is real). */
function memberText(tree: Tree, p: PatternProposal, i: number): string {
  const m = p.members[i];
  const again = { hint: 'Run "metarepo patterns detect" again, then adopt.' };
  const text = tree.read(m.path);
  if (text === null) throw new MetarepoError(`Member ${m.path} of pattern "${p.id}" no longer exists, so it cannot be a fixture.`, again);
  if (p.unit === 'file') return text;
  if (!m.span || m.span.end > text.length) throw new MetarepoError(`Pattern "${p.id}" does not say where ${m.key} is in ${m.path}.`, again);
  return text.slice(m.span.start, m.span.end);
}

/** JSON Schema of one variable's answer. */
function variableSchema(v: PatternVariable, all: PatternVariable[]): Record<string, unknown> {
  if (v.kind === 'flag') return { type: 'boolean', default: false, description: v.description };
  if (v.kind === 'list') {
    const fields = all.filter((f) => f.list === v.name);
    const items = v.stringItems
      ? { type: 'string' }
      : { type: 'object', additionalProperties: false, properties: Object.fromEntries(fields.map((f) => [f.name, variableSchema(f, all)])), required: fields.filter((f) => f.kind !== 'flag' && f.kind !== 'list' && f.requires.length === 0).map((f) => f.name) };
    return { type: 'array', default: [], items, description: v.description };
  }
  return { type: 'string', description: v.requires.length > 0 ? `${v.description} Used when ${v.requires.join(' and ')}.` : v.description };
}

function templateYaml(p: PatternProposal, name: string, fixtures: Fixture[]): string {
  const top = p.variables.filter((v) => v.list === undefined);
  const properties: Record<string, unknown> = Object.fromEntries(top.map((v) => [v.name, variableSchema(v, p.variables)]));
  const required = top.filter((v) => (v.kind === 'name' || v.kind === 'data') && v.requires.length === 0).map((v) => v.name);
  if (p.unit !== 'file') {
    properties[FILE_ANSWER] = { type: 'string', description: 'The file the new unit is appended to, relative to the workspace root.' };
    required.push(FILE_ANSWER);
  }
  const doc = {
    name,
    version: '1.0.0',
    description: p.description,
    variables: { type: 'object', additionalProperties: false, required, properties },
    fixtures: Object.fromEntries(fixtures.map((f) => [f.name, p.unit === 'file' ? f.answers : { ...f.answers, [FILE_ANSWER]: p.members[f.member].path }])),
  };
  return stringify(doc, { lineWidth: 0 });
}

/** The plopfile of the adopted generator. */
function plopfile(p: PatternProposal, name: string, destination: string, fileTemplate: string): string {
  const top = p.variables.filter((v) => v.list === undefined);
  const prompts = top.map((v) => promptSource(v));
  if (p.unit !== 'file') prompts.push(`      { type: 'input', name: '${FILE_ANSWER}', message: 'File to append to (relative to the workspace root)' },`);
  const action =
    p.unit === 'file'
      ? `{ type: 'addMany', destination: ${js(destination)}, base: '../templates/${name}/files', templateFiles: '../templates/${name}/files/**' }`
      : // An empty `add` first, so appending to a file that does not exist yet creates it (and a fixture renders alone).
        `{ type: 'add', path: '{{${FILE_ANSWER}}}', template: '', skipIfExists: true }, { type: 'append', path: '{{${FILE_ANSWER}}}', templateFile: '../templates/${name}/files/${fileTemplate}.hbs', separator: '', unique: false }`;
  return [
    `// Scaffold generator "${name}", adopted by \`metarepo patterns adopt ${p.id}\` from ${p.description}.`,
    `// metarepo loads every generators/*.mjs file as a plopfile, so \`metarepo new ${name}\` runs it. The template is`,
    `// templates/${name}/files/; its variables and fixtures are described in templates/${name}/template.yaml.`,
    '',
    '/** Lists are answered as JSON arrays, e.g. --set items=\'["a","b"]\'. */',
    'function jsonList(value) {',
    "  if (typeof value !== 'string') return value;",
    '  let parsed;',
    '  try {',
    '    parsed = JSON.parse(value);',
    '  } catch {',
    '    parsed = undefined;',
    '  }',
    "  if (!Array.isArray(parsed)) throw new Error(`expects a JSON array, e.g. [\"a\"] or [{\"field\":\"a\"}], not ${value}`);",
    '  return parsed;',
    '}',
    '',
    'export default function (plop) {',
    `  plop.setGenerator(${js(name)}, {`,
    `    description: ${js(p.description)},`,
    '    prompts: [',
    ...prompts,
    '    ],',
    `    actions: [${action}],`,
    '  });',
    '}',
    '',
  ].join('\n');
}

function promptSource(v: PatternVariable): string {
  const when = v.requires.length > 0 ? `, when: (a) => ${v.requires.map((r) => `a.${r} === true`).join(' && ')}` : '';
  const message = js(v.description);
  if (v.kind === 'flag') return `      { type: 'confirm', name: ${js(v.name)}, message: ${message}, default: false${when} },`;
  if (v.kind === 'list') return `      { type: 'input', name: ${js(v.name)}, message: ${js(`${v.description} (a JSON array)`)}, default: [], filter: jsonList${when} },`;
  return `      { type: 'input', name: ${js(v.name)}, message: ${message}${when} },`;
}

function js(s: string): string {
  return JSON.stringify(s);
}

