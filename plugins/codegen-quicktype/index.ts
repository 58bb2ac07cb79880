/**
 * Built-in plugin `codegen-quicktype`: generator `quicktype` turns a model into types and
 * (de)serialisers for many languages. The work happens in `generate.js`, loaded inside a codegen
 * worker, whose stack limit catches quicktype's deep recursion on some recursive schemas.
 */
import { definePlugin } from 'metarepo/plugin';
import { QUICKTYPE_LANGUAGES } from './languages.js';

/** The plugin; registers generator `quicktype` (see `generate.ts` for its files and options). */
export default definePlugin({
  name: 'codegen-quicktype',
  setup(api) {
    api.registerCodegen({
      name: 'quicktype',
      version: '1.3.0',
      description: 'Types and (de)serialisers for many languages (quicktype).',
      module: new URL('./generate.js', import.meta.url).href,
      optionsSchema: {
        type: 'object',
        additionalProperties: false,
        required: ['lang'],
        properties: {
          lang: { enum: [...QUICKTYPE_LANGUAGES], description: 'Target language.' },
          topLevel: { type: 'string', minLength: 1, description: 'Name of the top-level type; default the model name in PascalCase.' },
          package: { type: 'string', pattern: '^[a-z_][a-z0-9_]*$', description: 'Go only: the package clause (default main).' },
          rendererOptions: {
            type: 'object',
            additionalProperties: { type: ['string', 'boolean'] },
            description: "quicktype's renderer options for the language, e.g. { \"just-types\": true }.",
          },
        },
      },
    });
  },
});
