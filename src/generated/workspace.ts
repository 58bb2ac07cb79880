/* Generated from meta-models/workspace/1.1.0.schema.json by scripts/generate-meta-types.mjs. Do not edit by hand. */

/**
 * The metarepo.yaml file at the root of a metarepo workspace.
 */
export interface WorkspaceConfig {
  /**
   * Version of this configuration format. Always 1 for now.
   */
  version: 1;
  /**
   * Name of the workspace (the monorepo).
   */
  name: string;
  /**
   * Folder holding models/<name>/<version>.schema.json, relative to the workspace root.
   */
  modelsDir?: string;
  /**
   * Default compatibility policy of every model (Confluent Schema Registry's modes): backward — a new version can read data written with the previous one; forward — the previous version can read data written with the new one; full — both; none — no check. The *_transitive variants check against every earlier version, not just the previous one. A change that breaks the policy needs a major version.
   */
  compatibility?:
    "backward" | "backward_transitive" | "forward" | "forward_transitive" | "full" | "full_transitive" | "none";
  /**
   * Settings per model, by model name.
   */
  models?: {
    [k: string]: {
      /**
       * Compatibility policy of this model (overrides the workspace default).
       */
      compatibility?:
        "backward" | "backward_transitive" | "forward" | "forward_transitive" | "full" | "full_transitive" | "none";
      /**
       * How adding an optional property to an open object (no additionalProperties: false) is classified: lenient — compatible; strict — breaking for old data, whose extra key of that name may not match (Confluent's strict open content model).
       */
      openContent?: "lenient" | "strict";
    };
  };
  /**
   * Subprojects scaffolded in this workspace.
   */
  projects?: {
    /**
     * Project name.
     */
    name: string;
    /**
     * Folder of the project, relative to the workspace root.
     */
    path: string;
    /**
     * Scaffold generator that created it.
     */
    generator?: string;
    /**
     * Kind of project, e.g. ts-library or node-service.
     */
    kind?: string;
  }[];
  /**
   * Code generation targets: each binds a model range to a codegen generator and an output path.
   */
  targets?: {
    /**
     * Target name; defaults to '<model>-<generator>'.
     */
    name?: string;
    /**
     * Model name and semver range, e.g. user@^1.2 (newest matching version is used).
     */
    model: string;
    /**
     * Codegen generator name, e.g. typescript or quicktype.
     */
    generator: string;
    /**
     * Output file, relative to the workspace root.
     */
    output: string;
    /**
     * Options for the generator (e.g. { lang: python } for quicktype).
     */
    options?: {
      [k: string]: unknown;
    };
  }[];
  /**
   * Limits for each codegen conversion (run in a worker thread).
   */
  codegen?: {
    timeoutSeconds?: number;
    memoryLimitMb?: number;
    /**
     * Stack size of each conversion worker in MB. Recursive generators (quicktype) need more on deeply nested schemas.
     */
    stackSizeMb?: number;
    /**
     * Limits for one generator, by its name, overriding the ones above, e.g. quicktype: { stackSizeMb: 16, timeoutSeconds: 120 }.
     */
    generators?: {
      [k: string]: {
        timeoutSeconds?: number;
        stackSizeMb?: number;
      };
    };
  };
  /**
   * Event log settings.
   */
  events?: {
    /**
     * Rotate events.jsonl beyond this size (bytes).
     */
    maxLogBytes?: number;
    /**
     * Retention: most rotated segments kept (no limit unless set).
     */
    keepSegments?: number;
    /**
     * Retention: most events kept in rotated segments.
     */
    keepEvents?: number;
    /**
     * Retention: a rotated segment whose newest event is older than this many days is deleted.
     */
    keepDays?: number;
    /**
     * Retention: most bytes kept in rotated segments.
     */
    keepBytes?: number;
  };
  /**
   * Pattern detection settings (metarepo patterns).
   */
  patterns?: {
    /**
     * The OpenAI-compatible endpoint `patterns detect --llm` asks to name variables and families. The API key comes from OPENAI_API_KEY only, never from this file.
     */
    llm?: {
      /**
       * Base URL of the API, e.g. http://127.0.0.1:11434/v1 (default: OPENAI_BASE_URL, else the OpenAI API).
       */
      baseURL?: string;
      /**
       * Model name (default: OPENAI_MODEL, else gpt-4o-mini).
       */
      model?: string;
      /**
       * Families asked about at once (default 4).
       */
      concurrency?: number;
    };
    /**
     * Quality gates every proposed family must pass (docs/patterns.md, "Quality gates"); the command-line flags of patterns detect override them.
     */
    gates?: {
      /**
       * Least savings, 1 - (template + answers) / members in bytes (default 0.25).
       */
      minSavings?: number;
      /**
       * Most template variables per verified member (default 2).
       */
      maxVariablesPerMember?: number;
      /**
       * Least share of the template's characters that are literal text, not {{...}} tags (default 0.2).
       */
      minFixedShare?: number;
    };
  };
  /**
   * Plugins by package name: where each comes from (npm package, local path or git URL), whether it is enabled, its configuration. An entry with no source configures or disables a built-in or workspace plugin.
   */
  plugins?: {
    [k: string]: {
      /**
       * npm package, resolved from <root>/node_modules/<package>.
       */
      package?: string;
      /**
       * Folder of a local plugin, relative to the workspace root.
       */
      path?: string;
      /**
       * Git URL; installed into .metarepo/plugins/<name>/.
       */
      git?: string;
      /**
       * false keeps the plugin discovered but never loads it.
       */
      enabled?: boolean;
      /**
       * The plugin's configuration, validated against its configSchema.
       */
      config?: {
        [k: string]: unknown;
      };
    };
  };
}
