/**
 * Built-in plugin `codegen-docs`: generator `docs` writes a model version's Markdown reference page (see
 * `generate.ts` and docs/docs.md); check `model-examples` reports every model example its own schema rejects
 * (`metarepo check` and the commands that write models; not `generate`, which changes none).
 */
import { definePlugin, invalidExampleFindings } from 'metarepo/plugin';

/** The plugin; registers generator `docs` and check `model-examples`. */
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
    api.registerCheck({
      name: 'model-examples',
      description: 'Every example of a model (examples, example) matches the model schema.',
      // Not during generate, which changes no model (like checks-core's templates-lint): a no-op generate of a big
      // workspace would read every model file again. `metarepo check` and the model commands run it.
      run: (ctx) => (ctx.command === 'generate' ? [] : invalidExampleFindings(ctx.root, ctx.models)),
    });
  },
});
