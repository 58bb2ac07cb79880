/**
 * Built-in scaffold generator `node-service`: the `ts-library` package plus a small `node:http`
 * server (`src/server.ts`), a `start` script and a `port` answer.
 */
import type { ScaffoldGenerator } from 'metarepo/plugin';
import { namePrompt, packageName, scopePrompt, templatesDir } from './common.js';
import { libraryActions, PROJECT_PATH } from './ts-library.js';

/** Adds `scripts.start` to a package.json text, keeping the scripts sorted by name. */
export function addStartScript(packageJson: string): string {
  const pkg = JSON.parse(packageJson) as { scripts?: Record<string, string> };
  const scripts: Record<string, string> = { ...pkg.scripts, start: 'node dist/server.js' };
  pkg.scripts = Object.fromEntries(Object.keys(scripts).sort().map((k) => [k, scripts[k]]));
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

/** The `node-service` generator. Answers: `name`, `scope`, `description`, `port` (default 3000). */
export const nodeService: ScaffoldGenerator = {
  name: 'node-service',
  description: 'A Node.js HTTP service package (TypeScript, node:http, vitest) under projects/',
  templatesDir: templatesDir('node-service'),
  positional: 'name',
  prompts: [
    namePrompt('service'),
    scopePrompt,
    { name: 'description', type: 'input', message: 'One-line description', default: 'A Node.js HTTP service.' },
    {
      name: 'port',
      type: 'number',
      message: 'Port the server listens on when PORT is not set',
      default: 3000,
      pattern: '^([0-9]{1,4}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])$',
      validateMessage: 'A port is a whole number from 0 to 65535.',
    },
  ],
  actions: (answers) => [
    ...libraryActions(answers, '../ts-library/files'),
    {
      type: 'add',
      path: `${PROJECT_PATH}/src/server.ts`,
      templateFile: 'server.ts.hbs',
      data: { packageName: packageName(answers) },
    },
    { type: 'modify', path: `${PROJECT_PATH}/package.json`, transform: addStartScript },
  ],
  project: { path: PROJECT_PATH, kind: 'node-service' },
};
