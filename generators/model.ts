/**
 * Built-in scaffold generator `model`: a starter data model `<modelsDir>/<kebab name>/1.0.0.schema.json`
 * (JSON Schema draft-07 with `$id`, title, description and an `id` property), where `modelsDir` is the workspace's
 * (metarepo.yaml, default `models`).
 */
import { sentenceCase } from 'change-case';
import type { ScaffoldGenerator } from 'metarepo/plugin';
import { modelsDirOf, namePrompt, templatesDir, type ActionsContext } from './common.js';

/** The `model` generator. Answers: `name`, `description` (default "One <name>."). Writes under the workspace's modelsDir. */
export const model: ScaffoldGenerator = {
  name: 'model',
  description: 'A starter data model (JSON Schema draft-07) under models/',
  templatesDir: templatesDir('model'),
  positional: 'name',
  prompts: [namePrompt('model'), { name: 'description', type: 'input', message: 'What one instance describes (empty for "One <name>.")', default: '' }],
  actions: (answers, context?: ActionsContext) => [
    {
      type: 'add',
      // modelsDir reaches the path as data, not spliced into the template text, so no character of it is syntax.
      path: '{{modelsDir}}/{{kebabCase name}}/1.0.0.schema.json',
      templateFile: 'schema.json.hbs',
      data: {
        modelsDir: modelsDirOf(context),
        summary: String(answers.description ?? '') || `One ${sentenceCase(String(answers.name), { locale: false }).toLowerCase()}.`,
      },
    },
  ],
};
