// Workspaces and workspace files the e2e tests share: an initialised workspace, the `user` model, and the
// workspace generator `widget` with its template.
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { metarepoAsync, tempDir } from './cli.js';

/** A fresh temp folder where `metarepo init [--name name]` succeeded (asserted); returns its path. */
export async function initWorkspace(name?: string): Promise<string> {
  const dir = tempDir();
  const r = await metarepoAsync(dir, ['init', ...(name === undefined ? [] : ['--name', name])]);
  expect(r.code, r.stderr).toBe(0);
  return dir;
}

/**
 * A draft-07 `User` model with the `$id` `https://example.test/models/user/1.0.0` (cli.ts `writeModel` moves its
 * version segment): required `id` (a string) plus `properties`.
 */
export function userModel(properties: Record<string, unknown>): { properties: Record<string, unknown>; [key: string]: unknown } {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://example.test/models/user/1.0.0',
    title: 'User',
    description: 'A user.',
    type: 'object',
    required: ['id'],
    properties: { id: { type: 'string' }, ...properties },
  };
}

/**
 * Writes the workspace generator `widget` (generators/widget.mjs: projects at `projects/<kebab name>`, kind
 * `widget`, asking `prompts`) and its template folder templates/widget at `version`, holding `files` (paths
 * relative to the template's files/ folder, Handlebars text). template.yaml declares one string variable per prompt
 * name (`name` required) and the fixtures `one` and `two`. A previous template folder is replaced whole.
 */
export function writeWidget(dir: string, version: string, files: Record<string, string>, prompts: Array<{ name: string; [key: string]: unknown }>): void {
  fs.mkdirSync(path.join(dir, 'generators'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'generators/widget.mjs'),
    `export default function (plop) {
  plop.setGenerator('widget', {
    description: 'A widget project',
    project: { path: 'projects/{{kebabCase name}}', kind: 'widget' },
    prompts: ${JSON.stringify(prompts)},
    actions: [{ type: 'addMany', destination: 'projects/{{kebabCase name}}', base: '../templates/widget/files', templateFiles: '../templates/widget/files/**' }],
  });
}
`,
  );
  const tpl = path.join(dir, 'templates/widget');
  fs.rmSync(tpl, { recursive: true, force: true });
  fs.mkdirSync(path.join(tpl, 'files'), { recursive: true });
  const manifest = [
    'name: widget',
    `version: ${version}`,
    'description: A widget project.',
    'generator: widget',
    'variables:',
    '  type: object',
    '  required: [name]',
    '  properties:',
    ...prompts.map((p) => `    ${p.name}: { type: string }`),
    'fixtures:',
    '  one: { name: one, license: MIT }',
    '  two: { name: two, license: ISC }',
  ];
  fs.writeFileSync(path.join(tpl, 'template.yaml'), `${manifest.join('\n')}\n`);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(tpl, 'files', rel)), { recursive: true });
    fs.writeFileSync(path.join(tpl, 'files', rel), text);
  }
}

/** The one question `widget` asks in most tests: its name. */
export const WIDGET_NAME_PROMPT = [{ type: 'input', name: 'name', message: 'Name' }];
