// A codegen generator of an isolated (process) plugin: editing the plugin's code re-renders its targets, as editing a
// workspace generator's module does. Its code is part of the targets' input hash (issue 13, item 9's report).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { metarepoAsync as metarepo, setTargets, tempDir, writeModel } from './cli.js';

const plugin = (greeting: string) => `export default {
  name: 'shout',
  setup(api) {
    api.registerCodegen({ name: 'shout', version: '1.0.0', description: 'Writes a greeting.', module: import.meta.url });
  },
};
export async function generate(input) {
  return [{ path: input.output, content: '${greeting} ' + input.model.name + '\\n' }];
}
`;

describe('process plugin codegen', () => {
  it('re-renders when the plugin code changes, with no model or config change', async () => {
    const dir = tempDir();
    expect((await metarepo(dir, ['init', '--name', 'shout'])).code).toBe(0);
    const folder = path.join(dir, 'plugins', 'shout');
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(
      path.join(folder, 'package.json'),
      JSON.stringify({ name: 'shout', version: '1.0.0', type: 'module', main: 'index.mjs', metarepo: { engines: { metarepo: '^0.1.0' }, isolation: 'process', contributes: { generators: ['shout'] } } }),
    );
    fs.writeFileSync(path.join(folder, 'index.mjs'), plugin('hello'));
    writeModel(dir, 'user', '1.0.0', { title: 'User', type: 'object' });
    setTargets(dir, ['  - model: user', '    generator: shout', '    output: gen/user.txt']);
    const first = await metarepo(dir, ['generate']);
    expect(first.code, first.stderr).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'gen/user.txt'), 'utf8')).toBe('hello user\n');
    fs.writeFileSync(path.join(folder, 'index.mjs'), plugin('goodbye'));
    const second = await metarepo(dir, ['generate']);
    expect(second.code, second.stderr).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'gen/user.txt'), 'utf8')).toBe('goodbye user\n');
    expect((await metarepo(dir, ['generate', '--check'])).code).toBe(0);
  });
});
