/**
 * Built-in plugin `codegen-docs`: generator `docs` writes a model version's Markdown reference page (see
 * `generate.ts` and docs/docs.md). The check that every model example matches its schema, `model-examples`, is
 * checks-core's: it applies to every workspace, with or without a docs target.
 */
import { definePlugin } from 'metarepo/plugin';

/** The plugin; registers generator `docs`. */
export default definePlugin({
  name: 'codegen-docs',
  setup(api) {
    api.registerCodegen({
      name: 'docs',
      version: '1.0.0',
      description: 'A Markdown reference page per model version: properties, types, examples, references, a Mermaid diagram, version history.',
      module: new URL('./generate.js', import.meta.url).href,
      optionsSchema: {
        type: 'object',
        additionalProperties: false,
        properties: {
          links: {
            type: 'string',
            default: '{name}.md',
            description: "URL of a referenced model's page relative to this page; {name} and {version} are replaced.",
          },
        },
      },
    });
  },
});
