import type { Bus } from '../events/bus.js';
import type { WorkspaceConfig } from './config.js';
import type { PositionedDocument } from '../core/document.js';
import type { PluginHost } from '../plugins/host.js';
import type { ModelRegistry } from '../models/registry.js';

/** An opened workspace: its root, validated config and the bus every step publishes on. */
export interface Workspace {
  root: string;
  config: WorkspaceConfig;
  /** metarepo.yaml as parsed: `document.locate('/targets/0/model')` gives file, line, column for errors. */
  document: PositionedDocument;
  bus: Bus;
  /** The plugin host, opened on first use (discovery reads package.json files only; plugins load lazily). */
  plugins(): Promise<PluginHost>;
  /** Set once {@link Workspace.plugins} was called, so closing unloads only what was opened. */
  pluginHost?: Promise<PluginHost>;
  /** The model registry, loaded (and validated) once per run on first use. */
  models(): Promise<ModelRegistry>;
  /** Releases the writer lock, if this run took it (see `openWorkspace` in open.ts); called by `closeWorkspace`. */
  release?(): void;
}
