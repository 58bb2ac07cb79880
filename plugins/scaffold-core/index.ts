/**
 * Built-in plugin `scaffold-core`: registers the scaffold generators `ts-library`, `node-service`,
 * `model`, `generator` and `plugin` (see `generators/*.ts`; templates in `templates/<name>/`).
 */
import { definePlugin } from 'metarepo/plugin';
import { generator } from '../../generators/generator.js';
import { model } from '../../generators/model.js';
import { nodeService } from '../../generators/node-service.js';
import { plugin } from '../../generators/plugin.js';
import { tsLibrary } from '../../generators/ts-library.js';

/** The plugin; `metarepo new <name>` runs its generators through node-plop. */
export default definePlugin({
  name: 'scaffold-core',
  setup(api) {
    for (const g of [tsLibrary, nodeService, model, generator, plugin]) api.registerScaffold(g);
  },
});
