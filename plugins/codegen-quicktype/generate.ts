/**
 * The `quicktype` codegen function: types plus (de)serialisers for a model in one of
 * {@link QUICKTYPE_LANGUAGES}, produced by quicktype-core from the bundled schema.
 *
 * Files: quicktype's multi-file mode names each file; they are written into the folder of
 * `input.output`. Single-file languages get exactly `input.output`; Java gets one file per class
 * (`Converter.java`, `User.java`, ...) next to it, so give Java targets an output such as
 * `src/main/java/io/example/User.java`.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { pascalCase } from 'change-case';
import { generatedNotice, MetarepoError, type CodegenInput, type GeneratedFile } from 'metarepo/plugin';
import { QUICKTYPE_LANGUAGES, type QuicktypeLanguage } from './languages.js';
import { gofmtQuicktypeGo } from './gofmt.js';
import { fixInterfaceReceivers } from './go-receivers.js';
import { findImpossible } from './impossible.js';
import { normalizeForQuicktype } from './normalize.js';

/** Options of the `quicktype` generator (the target's `options` in `metarepo.yaml`). */
export interface QuicktypeOptions {
  /** Target language (required). */
  lang: QuicktypeLanguage;
  /** Name of the top-level type. Default: the model name in PascalCase (`user-profile` → `UserProfile`). */
  topLevel?: string;
  /** quicktype renderer options for the language, passed through (e.g. `{ "just-types": true }`). */
  rendererOptions?: Record<string, string | boolean>;
  /** Go only: the package clause (a Go identifier; default `main`, quicktype's). */
  package?: string;
}

/**
 * Generates code for `input.model` with quicktype, after {@link normalizeForQuicktype} (fixes for
 * constructs quicktype cannot type or would narrow; date and similar formats stay strings).
 * Deterministic: quicktype writes no timestamps, and the schema never leaves the process (a schema
 * store that refuses every fetch stands behind the bundled document, so no `$ref` can reach the file
 * system or network).
 * @throws MetarepoError (exit 2) for bad options or a schema quicktype rejects. A stack overflow
 *   (quicktype recurses per schema level) is rethrown as is, for the worker to report.
 */
export async function generate(input: CodegenInput): Promise<GeneratedFile[]> {
  const options = readOptions(input.options, input.model.name);
  const { quicktypeMultiFile, InputData, JSONSchemaInput, JSONSchemaStore, QuickTypeError } = await import('quicktype-core');

  class BundledOnlyStore extends JSONSchemaStore {
    async fetch(address: string): Promise<undefined> {
      throw new MetarepoError(`Model ${input.model.name} refers to "${address}", which is not bundled into it.`, {
        hint: 'Use $ref only to models and definitions the model registry can bundle.',
      });
    }
  }

  try {
    const schemaInput = new JSONSchemaInput(new BundledOnlyStore());
    await schemaInput.addSource({ name: options.topLevel, schema: normalizedText(input.model.schema) });
    const inputData = new InputData();
    inputData.addInput(schemaInput);
    const results = await quicktypeMultiFile({
      inputData,
      lang: options.lang,
      rendererOptions: { ...options.rendererOptions, ...(options.package ? { package: options.package } : {}) },
      outputFilename: path.posix.basename(input.output),
      leadingComments: [generatedNotice(input.model)],
    });
    const folder = path.posix.dirname(input.output);
    // Sorted so the file order never depends on quicktype's internal map order.
    return [...results.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, result]) => {
        const text = `${result.lines.join('\n').trimEnd()}\n`;
        return { path: path.posix.join(folder, name), content: options.lang === 'go' ? gofmtQuicktypeGo(fixInterfaceReceivers(text)) : text };
      });
  } catch (error) {
    if (!(error instanceof QuickTypeError)) throw error;
    const impossible = /empty union/i.test(error.message) ? findImpossible(input.model.schema) : undefined;
    if (impossible) {
      throw new MetarepoError(
        `quicktype cannot generate ${options.lang} for model ${input.model.name}@${input.model.version}: no value satisfies ${impossible.pointer || 'the root'}, whose schemas (with allOf) require types with nothing in common (${impossible.types.join(', ')}).`,
        { hint: 'The schema is valid but that part accepts no instance; give the allOf branches compatible types, or use the typescript generator, which types it as never.', cause: error },
      );
    }
    throw new MetarepoError(`quicktype could not generate ${options.lang} for model ${input.model.name}@${input.model.version}: ${error.message}`, {
      hint: 'Check the target options (rendererOptions names and values) and that the model is valid JSON Schema.',
      cause: error,
    });
  }
}

/**
 * Normalised schema texts of the last {@link NORMALIZED_KEPT} models, by the SHA-256 of their bundled text: a model's
 * targets in several languages reach the same warm worker one after another, and normalising a large bundle (cycle
 * search included) costs up to a few hundred ms. quicktype's own parse cannot be shared: each run builds its type
 * graph from the input and rewrites it for the language.
 */
const normalizedByDigest = new Map<string, string>();
const NORMALIZED_KEPT = 8;

function normalizedText(schema: Record<string, unknown>): string {
  const digest = createHash('sha256').update(JSON.stringify(schema)).digest('hex');
  let text = normalizedByDigest.get(digest);
  if (text === undefined) {
    text = JSON.stringify(normalizeForQuicktype(schema));
    normalizedByDigest.set(digest, text);
    if (normalizedByDigest.size > NORMALIZED_KEPT) normalizedByDigest.delete(normalizedByDigest.keys().next().value!);
  }
  return text;
}

function readOptions(raw: Record<string, unknown>, modelName: string): QuicktypeOptions & { topLevel: string } {
  const { lang, topLevel, rendererOptions, package: goPackage } = raw;
  if (typeof lang !== 'string' || !(QUICKTYPE_LANGUAGES as readonly string[]).includes(lang)) {
    throw badOption('lang', `one of ${QUICKTYPE_LANGUAGES.join(', ')}`);
  }
  if (topLevel !== undefined && (typeof topLevel !== 'string' || topLevel === '')) throw badOption('topLevel', 'a non-empty string');
  if (rendererOptions !== undefined && !isRendererOptions(rendererOptions)) {
    throw badOption('rendererOptions', 'an object of string or boolean values');
  }
  if (goPackage !== undefined && (lang !== 'go' || typeof goPackage !== 'string' || !GO_PACKAGE.test(goPackage) || GO_KEYWORDS.has(goPackage))) {
    throw badOption('package', 'a Go package name (lowercase letters, digits and _, not a keyword), for lang go only');
  }
  return { lang: lang as QuicktypeLanguage, topLevel: topLevel ?? pascalCase(modelName), rendererOptions, package: goPackage };
}

const GO_PACKAGE = /^[a-z_][a-z0-9_]*$/;
/** The Go specification's keywords, which cannot name a package. */
const GO_KEYWORDS = new Set(['break', 'case', 'chan', 'const', 'continue', 'default', 'defer', 'else', 'fallthrough', 'for', 'func', 'go', 'goto', 'if', 'import', 'interface', 'map', 'package', 'range', 'return', 'select', 'struct', 'switch', 'type', 'var']);

function isRendererOptions(value: unknown): value is Record<string, string | boolean> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string' || typeof v === 'boolean')
  );
}

function badOption(name: string, expected: string): MetarepoError {
  return new MetarepoError(`Option "${name}" of generator quicktype must be ${expected}.`, {
    hint: `Fix options.${name} of this target in metarepo.yaml.`,
  });
}

/** Loads quicktype-core ahead of the first job (the codegen pool calls it while the engine plans). */
export async function warm(): Promise<void> {
  await import('quicktype-core');
}
