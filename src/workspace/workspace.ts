import type { Bus } from '../events/bus.js';
import type { WorkspaceConfig } from './config.js';
import type { PositionedDocument } from '../core/document.js';
import type { PluginHost } from '../plugins/host.js';
import type { ModelRegistry } from '../models/registry.js';
import type { TreeStamp } from '../core/stamps.js';

/** An opened workspace: its root, validated config and the bus every step publishes on. */
export interface Workspace {
  root: string;
  config: WorkspaceConfig;
  /** SHA-256 of metarepo.yaml's text, for caches keyed by the configuration (absent where a test builds a workspace by hand). */
  configHash?: string;
  /** metarepo.yaml as parsed: `document.locate('/targets/0/model')` gives file, line, column for errors. */
  document: PositionedDocument;
  bus: Bus;
  /** The plugin host, opened on first use (discovery reads package.json files only; plugins load lazily). */
  plugins(): Promise<PluginHost>;
  /** Set once {@link Workspace.plugins} was called, so closing unloads only what was opened. */
  pluginHost?: Promise<PluginHost>;
  /** The model registry, loaded (and validated) once per run on first use. */
  models(): Promise<ModelRegistry>;
  /**
   * The models folder as listed just before {@link Workspace.models} read it (set once it has loaded): caches of what
   * was computed from the models stamp these paths to tell later whether any model changed (src/core/stamps.ts).
   */
  modelsStamp?: TreeStamp;
  /** Releases the writer lock, if this run took it (see `openWorkspace` in open.ts); called by `closeWorkspace`. */
  release?(): void;
}
