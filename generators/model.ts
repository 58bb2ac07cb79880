/**
 * Built-in scaffold generator `model`: a starter data model `models/<kebab name>/1.0.0.schema.json`
 * (JSON Schema draft-07 with `$id`, title, description and an `id` property).
 */
import { sentenceCase } from 'change-case';
import type { ScaffoldGenerator } from 'metarepo/plugin';
import { namePrompt, templatesDir } from './common.js';

/** The `model` generator. Answers: `name`, `description` (default "A <name> record."). */
export const model: ScaffoldGenerator = {
  name: 'model',
  description: 'A starter data model (JSON Schema draft-07) under models/',
  templatesDir: templatesDir('model'),
  positional: 'name',
  prompts: [namePrompt('model'), { name: 'description', type: 'input', message: 'What one instance describes (empty for "One <name>.")', default: '' }],
  actions: (answers) => [
    {
      type: 'add',
      path: 'models/{{kebabCase name}}/1.0.0.schema.json',
      templateFile: 'schema.json.hbs',
      data: { summary: String(answers.description ?? '') || `One ${sentenceCase(String(answers.name), { locale: false }).toLowerCase()}.` },
    },
  ],
};
