import type { CheckContext, CodegenGenerator, PluginApi, ScaffoldGenerator } from '../../src/plugins/api.js';

/** What a plugin registered through {@link recordingPluginApi}. */
export interface Registered {
  codegen: CodegenGenerator[];
  scaffold: ScaffoldGenerator[];
}

/**
 * A complete {@link PluginApi} for unit tests of a plugin's `setup`: it records codegen and scaffold generators and
 * throws on any other call, so a test notices when a plugin starts to use more of the API than it expects.
 */
export function recordingPluginApi(): { api: PluginApi; registered: Registered } {
  const registered: Registered = { codegen: [], scaffold: [] };
  const unexpected = (name: string) => () => {
    throw new Error(`the plugin under test called api.${name}, which this test does not expect`);
  };
  const api: PluginApi = {
    config: {},
    root: null,
    registerCodegen: (g) => void registered.codegen.push(g),
    registerScaffold: (g) => void registered.scaffold.push(g),
    registerCheck: unexpected('registerCheck'),
    registerCommand: unexpected('registerCommand'),
    registerPatterns: unexpected('registerPatterns'),
    registerPages: unexpected('registerPages'),
    onEvent: unexpected('onEvent'),
    publish: unexpected('publish'),
    setInterval: unexpected('setInterval'),
    setTimeout: unexpected('setTimeout'),
    spawn: unexpected('spawn'),
    onDispose: unexpected('onDispose'),
    log: unexpected('log'),
  };
  return { api, registered };
}

/** A {@link CheckContext} for `root` with nothing in it but `overrides`, as `metarepo check` would pass it. */
export function checkContext(root: string, overrides: Partial<CheckContext> = {}): CheckContext {
  return { root, workspace: {}, models: [], targets: [], changes: [], releases: [], command: 'check', ...overrides };
}
