/** One model file written by {@link buildExampleModels}. */
export interface WrittenModel {
  /** Model name, e.g. `webhooks-common`. */
  name: string;
  /** Model version (semver), e.g. `1.0.0`. */
  version: string;
  /** Absolute path of the written `<name>/<version>.schema.json`. */
  file: string;
  /** Size of the file in bytes. */
  bytes: number;
}

/**
 * Writes the example models (webhooks split, openapi versions) into `targetModelsDir`.
 * @throws {Error} when a source package is missing, an event matches no family, or a `$ref` does not resolve
 */
export function buildExampleModels(targetModelsDir: string): Promise<WrittenModel[]>;

/**
 * The `metarepo.yaml` block for the example: `targets` (model range, codegen generator, output path, quicktype
 * `lang`) and `compatibility: none` for the `openapi` model, whose 3.0 → 3.1 step is breaking by design.
 */
export function exampleConfig(targets: Array<[string, string, string, (string | null)?]>): string;
