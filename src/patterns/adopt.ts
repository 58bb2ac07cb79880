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
 *
 * Text from an LLM or from scanned code (descriptions, paths, answers) is data: it reaches the generator's source only
 * as JSON string literals (`JSON.stringify`), template.yaml only through the `yaml` serializer, and never a comment.
 * The generator's name is a safe generator name (see `names.ts`) that no other generator has.
 */
import path from 'node:path';
import { kebabCase } from 'change-case';
import { stringify } from 'yaml';
import { MetarepoError } from '../core/errors.js';
import type { Tree } from '../engine/tree.js';
import type { PluginHost } from '../plugins/host.js';
import { createHandlebars } from '../templates/handlebars.js';
import { GENERATOR_NAME, safeGeneratorName } from './names.js';
import type { PatternProposal, PatternVariable } from './propose.js';

/** What {@link adoptProposal} wrote. */
export interface AdoptResult {
  name: string;
  /** Files written into the tree, relative to the workspace root. */
  files: string[];
  /** `metarepo new …` reproducing the first fixture. */
  example: string[];
  /** The first fixture's member (its path), whose answers `metarepo patterns show <id> --answers <member>` prints. */
  exampleMember: string;
}

/** A generator that exists already, so its name cannot be adopted. */
export interface ExistingGenerator {
  name: string;
  /** Whose it is, for messages: `the built-in generator of plugin "x"`, `the workspace generator in plopfile.mjs`. */
  owner: string;
}

/** Options of {@link adoptProposal}. */
export interface AdoptOptions {
  /** The generator name (`--name`); default: the safe form of the proposal's name. */
  name?: string;
  /** Every generator there is (see {@link existingGenerators}): a name one of them has is refused. */
  existing?: ExistingGenerator[];
}

/** Extra answer of non-file units: the file the unit is appended to. */
const FILE_ANSWER = 'file';

/**
 * Writes the generator, template and snapshots of `p` into `tree` (see the module comment).
 * @param opts.name - the generator name (`--name`), taken as given when valid; without it, the safe form of the
 *   proposal's name (see {@link safeGeneratorName}).
 * @param opts.existing - every generator there is; adopting under one of their names would replace or hide it.
 * @throws MetarepoError (exit 2) for an invalid name, a name another generator has (naming whose it is), a file that
 *   already exists (the tree's error), members outside the workspace (their path template starts with `..`), or a
 *   fixture member that no longer exists (or, for declarations and members, was stored without its span). Nothing is
 *   written into `tree` then.
 */
export function adoptProposal(tree: Tree, p: PatternProposal, opts: AdoptOptions = {}): AdoptResult {
  const name = opts.name ?? safeGeneratorName(p.name);
  if (name === undefined || !GENERATOR_NAME.test(name)) {
    throw new MetarepoError(`${JSON.stringify(name ?? p.name)} is not a valid generator name.`, {
      hint: 'Use lower-case letters, digits and "-", starting with a letter, e.g. --name api-command.',
    });
  }
  const owners = (opts.existing ?? []).filter((g) => g.name === name);
  if (owners.length > 0) {
    const taken = new Set((opts.existing ?? []).map((g) => g.name));
    let free = `${name}-pattern`;
    for (let i = 2; taken.has(free); i++) free = `${name}-pattern-${i}`;
    throw new MetarepoError(`The generator name "${name}" is taken: it is ${[...new Set(owners.map((o) => o.owner))].join(', and ')}.`, {
      hint: `${opts.name === undefined ? `Pattern "${p.id}" would replace or hide it. ` : ''}Adopt under another name with --name <generator>, e.g. --name ${free}.`,
    });
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
  return { name, files, example, exampleMember: p.members[first.member].path };
}

/**
 * Every scaffold generator of the workspace with whose it is: those plugins register (built-in ones and the rest,
 * activating the plugins that declare any), those that plugins declare but do not register now (disabled or failed:
 * enabled again, they would clash), and those of the workspace's plopfiles (the root plopfile and
 * `generators/*.mjs`).
 * @throws MetarepoError as `metarepo new` does when a workspace plopfile cannot be loaded or two define one name.
 */
export async function existingGenerators(root: string, plugins: PluginHost): Promise<ExistingGenerator[]> {
  await plugins.scaffolds();
  const pluginOwner = (plugin: string) => {
    const source = plugins.records.get(plugin)?.manifest.source;
    return source === 'builtin' ? `the built-in generator of plugin "${plugin}"` : `the generator of ${source ? `${source} ` : ''}plugin "${plugin}"`;
  };
  const out: ExistingGenerator[] = plugins.registry.list('scaffold').map((c) => ({ name: c.item.name, owner: pluginOwner(c.plugin) }));
  for (const r of plugins.list()) {
    for (const declared of r.manifest.contributes.scaffolds) {
      if (!out.some((o) => o.name === declared && o.owner === pluginOwner(r.manifest.name))) {
        out.push({ name: declared, owner: `${pluginOwner(r.manifest.name)} (${r.lifecycle.state === 'failed' ? 'failed' : r.enabledInConfig ? 'declared' : 'disabled'})` });
      }
    }
  }
  const { loadPlopfiles } = await import('../templates/scaffold/plopfiles.js');
  for (const g of await loadPlopfiles(root)) out.push({ name: g.name, owner: `the workspace generator in ${path.relative(root, g.plopfile).split(path.sep).join('/')}` });
  return out;
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
  if (p.unit !== 'file') prompts.push(`      { type: 'input', name: ${js(FILE_ANSWER)}, message: 'File to append to (relative to the workspace root)' },`);
  const action =
    p.unit === 'file'
      ? `{ type: 'addMany', destination: ${js(destination)}, base: ${js(`../templates/${name}/files`)}, templateFiles: ${js(`../templates/${name}/files/**`)} }`
      : // An empty `add` first, so appending to a file that does not exist yet creates it (and a fixture renders alone).
        `{ type: 'add', path: ${js(`{{${FILE_ANSWER}}}`)}, template: '', skipIfExists: true }, { type: 'append', path: ${js(`{{${FILE_ANSWER}}}`)}, templateFile: ${js(`../templates/${name}/files/${fileTemplate}.hbs`)}, separator: '', unique: false }`;
  // Comments hold fixed text only (and the name, which is checked to be a safe generator name); everything that
  // came from the LLM or from scanned code is in the string literals below.
  return [
    `// Scaffold generator adopted by \`metarepo patterns adopt\`: GENERATOR is its name, PATTERN the detected pattern.`,
    `// metarepo loads every generators/*.mjs file as a plopfile, so \`metarepo new ${name}\` runs it. The template is`,
    `// templates/${name}/files/; its variables and fixtures are described in templates/${name}/template.yaml.`,
    '',
    `const GENERATOR = ${js(name)};`,
    `export const PATTERN = ${js(p.id)};`,
    `const DESCRIPTION = ${js(p.description)};`,
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
    '  plop.setGenerator(GENERATOR, {',
    '    description: DESCRIPTION,',
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
  const when = v.requires.length > 0 ? `, when: (a) => ${v.requires.map((r) => `a[${js(r)}] === true`).join(' && ')}` : '';
  const message = js(v.description);
  if (v.kind === 'flag') return `      { type: 'confirm', name: ${js(v.name)}, message: ${message}, default: false${when} },`;
  if (v.kind === 'list') return `      { type: 'input', name: ${js(v.name)}, message: ${js(`${v.description} (a JSON array)`)}, default: [], filter: jsonList${when} },`;
  return `      { type: 'input', name: ${js(v.name)}, message: ${message}${when} },`;
}

/**
 * A JavaScript string literal of `s`: JSON.stringify escapes quotes, backslashes, line breaks, control characters
 * and lone surrogates; U+2028 and U+2029 are escaped too, so the line of source stays one line for every reader.
 */
function js(s: string): string {
  return JSON.stringify(s).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

