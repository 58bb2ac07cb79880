/**
 * `template.yaml`: the manifest of a template folder, validated against the meta-model
 * `meta-models/template/1.0.0.schema.json` (ajv), with file, line and column on every error.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Ajv, AnySchemaObject, Options, ValidateFunction } from 'ajv';
import semver from 'semver';
import { MetarepoError, type SourceLocation } from '../core/errors.js';
import { loadPrecompiled } from '../generated/precompiled.js';
import type { TemplateManifestFile } from '../generated/template.js';
import { loadDocument, type PositionedDocument } from '../core/document.js';
import { metaModelPath } from '../core/package-root.js';

/** File name of a template's manifest inside its folder. */
export const TEMPLATE_MANIFEST = 'template.yaml';

/** The template meta-model version manifests are validated against. */
export const TEMPLATE_SCHEMA_VERSION = '1.0.0';

/** Name of the precompiled manifest validator (see `scripts/build-validators.mjs`). */
export const TEMPLATE_MANIFEST_VALIDATOR = `template-${TEMPLATE_SCHEMA_VERSION}`;

/** A post-render check of `template test --verify`, normalised from its shorthand. */
export type TemplateCheck =
  | { kind: 'tsc' | 'node-check' | 'json'; files?: string[] }
  | { kind: 'command'; command: string; cwd?: string };

/** A value the generator computes for the templates (plop action `data`), declared in `data`. */
export interface TemplateDataEntry {
  description?: string;
  /** Variables it is computed from (they count as used). */
  from: string[];
}

/** A validated `template.yaml`, with defaults applied. */
export interface TemplateManifest {
  /** Equal to the folder name. */
  name: string;
  /** A valid semver version. */
  version: string;
  description: string;
  /** The scaffold generator that renders it: `generator`, else the template's name. */
  generator: string;
  /** JSON Schema (draft-07) of the answers; always `type: object` with `properties`. */
  variables: { type: 'object'; properties: Record<string, Record<string, unknown>>; required?: string[]; [k: string]: unknown };
  data: Record<string, TemplateDataEntry>;
  /** Fixture name → answers, in the order of the file. */
  fixtures: Record<string, Record<string, unknown>>;
  checks: TemplateCheck[];
  /** Absolute path of the template folder. */
  dir: string;
  /** The manifest file as shown in messages (relative to `root` when given and inside it). */
  file: string;
  /** The parsed file, to locate values (`document.locate('/fixtures/minimal')`) for later errors. */
  document: PositionedDocument;
}

/** One problem found in a manifest, with its position. */
export interface ManifestProblem {
  message: string;
  location: Required<SourceLocation>;
}

let validator: Promise<ValidateFunction> | undefined;

/** The Ajv instance and schema that validate template.yaml; `extra` is used at build time to precompile. */
export async function createTemplateManifestAjv(extra: Options = {}): Promise<{ ajv: Ajv; schema: AnySchemaObject }> {
  const { default: Ajv } = await import('ajv');
  const schema = JSON.parse(fs.readFileSync(metaModelPath('template', TEMPLATE_SCHEMA_VERSION), 'utf8'));
  return { ajv: new Ajv.default({ ...extra, allErrors: true, strict: false }), schema };
}

function manifestValidator(): Promise<ValidateFunction> {
  validator ??= (async () => {
    const precompiled = loadPrecompiled(TEMPLATE_MANIFEST_VALIDATOR);
    if (precompiled) return precompiled;
    const { ajv, schema } = await createTemplateManifestAjv();
    return ajv.compile(schema);
  })();
  return validator;
}

let variablesAjv: Promise<Ajv> | undefined;

/** The Ajv (draft-07) that compiles templates' `variables` schemas; imported on first use. */
function getVariablesAjv(): Promise<Ajv> {
  variablesAjv ??= import('ajv').then(({ default: Ajv }) => new Ajv.default({ allErrors: true, strict: false }));
  return variablesAjv;
}

/** Compiled `variables` schemas, by manifest, so fixtures and derived prompts share one compile. */
const compiledVariables = new WeakMap<object, ValidateFunction>();

/**
 * The ajv validator of a manifest's `variables` schema (compiled once per manifest).
 * @throws MetarepoError (exit 2) at `/variables` when the schema does not compile.
 */
export async function variablesValidator(manifest: Pick<TemplateManifest, 'variables' | 'document'>): Promise<ValidateFunction> {
  const known = compiledVariables.get(manifest.variables);
  if (known) return known;
  const ajv = await getVariablesAjv();
  let validate: ValidateFunction;
  try {
    validate = ajv.compile(manifest.variables);
  } catch (e) {
    throw new MetarepoError(`The variables schema of ${manifest.document.file} does not compile: ${(e as Error).message}`, {
      location: manifest.document.locate('/variables'),
      hint: 'variables is a JSON Schema (draft-07) object schema: type: object, properties: { name: { type: string, … } }.',
    });
  }
  compiledVariables.set(manifest.variables, validate);
  return validate;
}

/**
 * Reads and validates `<dir>/template.yaml`.
 * @param dir - the template folder; its name must equal the manifest's `name`.
 * @param options.root - folder that locations are shown relative to (the workspace, or metarepo's package for
 *   built-ins); absolute paths otherwise.
 * @returns the manifest with `generator`, `data` and `checks` defaulted and checks normalised to `{ kind, … }`.
 * @throws MetarepoError (exit 2) when the file is missing, is not YAML, breaks the meta-model, has a name other
 *   than its folder's, a version semver rejects, `required` variables that are not properties, or a variables
 *   schema that does not compile; the location is the offending value and `details` lists every violation.
 */
export async function loadTemplateManifest(dir: string, options: { root?: string } = {}): Promise<TemplateManifest> {
  const abs = path.resolve(dir);
  const absFile = path.join(abs, TEMPLATE_MANIFEST);
  const file = displayPath(absFile, options.root);
  let text: string;
  try {
    text = fs.readFileSync(absFile, 'utf8');
  } catch {
    throw new MetarepoError(`Cannot read ${file}.`, {
      location: { file },
      hint: 'Every template folder has a template.yaml (name, version, description, variables, fixtures); see docs/templates.md.',
    });
  }
  const { describeAjvError } = await import('../core/document.js');
  const document = loadDocument(text, file, 'yaml');
  const value = (document.value ?? {}) as TemplateManifestFile;
  const validate = await manifestValidator();
  const problems: ManifestProblem[] = validate(value) ? semanticProblems(value, abs, document) : (validate.errors ?? []).map((e) => describeAjvError(e, document));
  if (problems.length > 0) {
    throw new MetarepoError(`${file} is not a valid template manifest: ${problems[0].message}.`, {
      location: problems[0].location,
      hint: `See the template meta-model (${metaModelPath('template', TEMPLATE_SCHEMA_VERSION)}) and docs/templates.md.`,
      details: problems.map((p) => `${p.location.file}:${p.location.line}:${p.location.column}: ${p.message}`),
    });
  }
  const manifest: TemplateManifest = {
    name: value.name,
    version: value.version,
    description: value.description,
    generator: value.generator ?? value.name,
    variables: value.variables as TemplateManifest['variables'],
    data: Object.fromEntries(Object.entries(value.data ?? {}).map(([k, d]) => [k, { ...d, from: d.from ?? [] }])),
    fixtures: value.fixtures as TemplateManifest['fixtures'],
    checks: (value.checks ?? []).map(normaliseCheck),
    dir: abs,
    file,
    document,
  };
  await variablesValidator(manifest);
  return manifest;
}

/**
 * The generator a template folder belongs to, read from its `template.yaml` without the full validation: the
 * `generator` field, else `name`, else the folder name (each only when it is a string).
 * @param options.root - as for {@link loadTemplateManifest}.
 * @throws MetarepoError (exit 2) when the file cannot be read or is not YAML (file, line, column, hint) — so a
 *   broken manifest is reported, never taken for another generator's.
 */
export function manifestGenerator(dir: string, options: { root?: string } = {}): string {
  const abs = path.resolve(dir);
  const file = displayPath(path.join(abs, TEMPLATE_MANIFEST), options.root);
  let text: string;
  try {
    text = fs.readFileSync(path.join(abs, TEMPLATE_MANIFEST), 'utf8');
  } catch {
    throw new MetarepoError(`Cannot read ${file}.`, { location: { file }, hint: 'Every template folder has a readable template.yaml; see docs/templates.md.' });
  }
  const value = loadDocument(text, file, 'yaml').value as { generator?: unknown; name?: unknown } | null;
  const declared = typeof value === 'object' && value !== null ? [value.generator, value.name].find((v) => typeof v === 'string') : undefined;
  return (declared as string | undefined) ?? path.basename(abs);
}

/** Rules the meta-model cannot state: name = folder name, semver, required ⊆ properties. */
function semanticProblems(value: TemplateManifestFile, dir: string, doc: PositionedDocument): ManifestProblem[] {
  const out: ManifestProblem[] = [];
  if (value.name !== path.basename(dir)) {
    out.push({ message: `name "${value.name}" differs from the folder name "${path.basename(dir)}"`, location: doc.locate('/name') });
  }
  if (!semver.valid(value.version)) out.push({ message: `version "${value.version}" is not a semver version`, location: doc.locate('/version') });
  const props = new Set(Object.keys(value.variables.properties));
  (value.variables.required ?? []).forEach((r, i) => {
    if (!props.has(r)) out.push({ message: `required variable "${r}" is not among variables.properties`, location: doc.locate(`/variables/required/${i}`) });
  });
  return out;
}

function normaliseCheck(c: NonNullable<TemplateManifestFile['checks']>[number]): TemplateCheck {
  if (typeof c === 'string') return { kind: c };
  if ('command' in c) return { kind: 'command', command: c.command, ...(c.cwd === undefined ? {} : { cwd: c.cwd }) };
  return { kind: c.check, ...(c.files ? { files: [...c.files] } : {}) };
}

/**
 * Validates every fixture against the manifest's `variables` schema (required variables, types, enums,
 * patterns, unknown variables when `additionalProperties: false`).
 * @returns one problem per violation, located at the offending fixture value in template.yaml; empty when all hold.
 */
export async function validateFixtures(manifest: TemplateManifest): Promise<ManifestProblem[]> {
  const validate = await variablesValidator(manifest);
  const { describeAjvError } = await import('../core/document.js');
  const out: ManifestProblem[] = [];
  for (const [name, answers] of Object.entries(manifest.fixtures)) {
    if (validate(answers)) continue;
    for (const e of validate.errors ?? []) {
      const described = describeAjvError({ ...e, instancePath: `/fixtures/${name}${e.instancePath}` }, manifest.document);
      const message = described.message.replace(`/fixtures/${name}`, '').replace(/ at $/, '').trim();
      out.push({ message: `fixture "${name}": ${message}`, location: described.location });
    }
  }
  return out;
}

/** `abs` relative to `root` when inside it, else absolute; `/`-separated. */
export function displayPath(abs: string, root?: string): string {
  if (!root) return abs;
  const rel = path.relative(root, abs);
  return rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel.split(path.sep).join('/');
}
