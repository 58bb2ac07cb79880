/**
 * Built-in scaffold generator `ts-library`: a TypeScript library package at
 * `projects/<kebab name>` (package.json, strict tsconfig.json, src/index.ts, a vitest test, README).
 */
import type { ScaffoldGenerator } from 'metarepo/plugin';
import { namePrompt, packageName, scopePrompt, templatesDir } from './common.js';

/** Folder (relative to the workspace) that a library or service named `name` goes to, as a template. */
export const PROJECT_PATH = 'projects/{{kebabCase name}}';

/**
 * The actions that write a library package: every file under `<filesBase>` (relative to the
 * generator's templates folder) into {@link PROJECT_PATH}, with `packageName` in the data.
 */
export function libraryActions(answers: Record<string, unknown>, filesBase: string): unknown[] {
  return [
    {
      type: 'addMany',
      destination: PROJECT_PATH,
      base: filesBase,
      templateFiles: `${filesBase}/**`,
      data: { packageName: packageName(answers) },
    },
  ];
}

/** The `ts-library` generator. Answers: `name`, `scope` (default none), `description`. */
export const tsLibrary: ScaffoldGenerator = {
  name: 'ts-library',
  description: 'A TypeScript library package (ESM, strict, vitest) under projects/',
  templatesDir: templatesDir('ts-library'),
  positional: 'name',
  prompts: [
    namePrompt('library'),
    scopePrompt,
    { name: 'description', type: 'input', message: 'One-line description', default: 'A TypeScript library.' },
  ],
  actions: (answers) => libraryActions(answers, 'files'),
  project: { path: PROJECT_PATH, kind: 'ts-library' },
};
