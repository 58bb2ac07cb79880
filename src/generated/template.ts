/* Generated from meta-models/template/1.0.0.schema.json by scripts/generate-meta-types.mjs. Do not edit by hand. */

/**
 * The template.yaml file of a template folder (templates/<name>/ or generators/<name>/): what the template is, the variables it takes, the fixtures its snapshot tests render, and the checks `metarepo template test --verify` runs on the output.
 */
export interface TemplateManifestFile {
  /**
   * Name of the template; equal to its folder name. Snapshots live in snapshots/<name>/.
   */
  name: string;
  /**
   * semver version of the template (MAJOR.MINOR.PATCH); bump it when the output changes, so projects made from it can be updated.
   */
  version: string;
  /**
   * One sentence: what the template creates.
   */
  description: string;
  /**
   * Name of the scaffold generator that renders this template (a built-in, or one of the workspace's plopfiles). Defaults to the template's name.
   */
  generator?: string;
  /**
   * JSON Schema (draft-07) of the answers the template takes: an object schema whose properties are the variables, with types, defaults, enums and descriptions. Prompts derive from it when the generator declares none.
   */
  variables: {
    type: "object";
    properties: {
      [k: string]: {};
    };
    required?: string[];
  };
  /**
   * Values the generator computes and passes to the templates besides the answers (plop action `data`), by name. Lint accepts them as variables; `from` names the variables each is computed from, which counts as using them.
   */
  data?: {
    [k: string]: {
      description?: string;
      from?: string[];
    };
  };
  /**
   * Named answer sets. `metarepo template test` renders the template with each and compares the output with snapshots/<template>/<fixture>/.
   */
  fixtures: {
    [k: string]: {};
  };
  /**
   * Checks that `metarepo template test --verify` runs on each fixture's output in a temp folder: `tsc` (tsc --noEmit), `node-check` (node --check on .js/.mjs/.cjs), `json` (every .json parses), or `{ command: ... }` (a shell command that must exit 0).
   */
  checks?: (
    | ("tsc" | "node-check" | "json")
    | {
        check: "tsc" | "node-check" | "json";
        /**
         * Globs (relative to the output root) of the files to check; default: every file the check applies to.
         *
         * @minItems 1
         */
        files?: [string, ...string[]];
      }
    | {
        /**
         * Shell command run in the output root; it fails the check when it exits with a non-zero code.
         */
        command: string;
        /**
         * Folder to run it in, relative to the output root (rendered like a path, e.g. projects/{{kebabCase name}}).
         */
        cwd?: string;
      }
  )[];
}
