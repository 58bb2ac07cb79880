import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, metarepoAsync as metarepo, runAsync, snapshotTree } from './cli.js';
import { initWorkspace } from './workspaces.js';

const monoWorkspace = () => initWorkspace('mono');

const tsc = (args: string[], cwd: string) => runAsync(process.execPath, [path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), ...args], { cwd });

describe('metarepo new (built-in generators)', () => {
  it('lists the generators', async () => {
    const r = await metarepo(await monoWorkspace(), ['new', '--json']);
    expect(JSON.parse(r.stdout).generators.map((g: { name: string }) => g.name)).toEqual(['generator', 'model', 'node-service', 'plugin', 'ts-library']);
  });

  it('ts-library: files from flags, registered in metarepo.yaml and npm workspaces, answers recorded, sources compile', async () => {
    const dir = await monoWorkspace();
    const r = await metarepo(dir, ['new', 'ts-library', 'PaymentGateway', '--set', 'description=Talks to the bank']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'projects/payment-gateway/package.json'), 'utf8'));
    expect(pkg.name).toBe('payment-gateway');
    expect(pkg.description).toBe('Talks to the bank');
    expect(fs.readFileSync(path.join(dir, 'metarepo.yaml'), 'utf8')).toMatch(/- name: payment-gateway\n\s+path: projects\/payment-gateway/);
    const answers = JSON.parse(fs.readFileSync(path.join(dir, '.metarepo/answers/payment-gateway.json'), 'utf8'));
    expect(answers).toMatchObject({ generator: 'ts-library', answers: { name: 'PaymentGateway', description: 'Talks to the bank' } });
    const status = JSON.parse((await metarepo(dir, ['status', '--json'])).stdout);
    expect(status.projects).toEqual([{ name: 'payment-gateway', path: 'projects/payment-gateway', generator: 'ts-library', kind: 'ts-library' }]);
    const compiled = await tsc(['--noEmit', '--strict', '--skipLibCheck', '--module', 'NodeNext', '--target', 'ES2022', 'projects/payment-gateway/src/index.ts'], dir);
    expect(compiled.stdout + compiled.stderr).toBe('');
  });

  it('node-service with a typed answer', async () => {
    const dir = await monoWorkspace();
    const r = await metarepo(dir, ['new', 'node-service', 'orders', '--set', 'port=8088', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).answers.port).toBe(8088);
    expect(fs.readFileSync(path.join(dir, 'projects/orders/src/server.ts'), 'utf8')).toContain('8088');
  });

  it('model writes a starter schema that the registry accepts', async () => {
    const dir = await monoWorkspace();
    expect((await metarepo(dir, ['new', 'model', 'purchase-order'])).code).toBe(0);
    const list = JSON.parse((await metarepo(dir, ['model', 'list', '--json'])).stdout);
    expect(list.models).toEqual([{ name: 'purchase-order', versions: ['1.0.0'], latest: '1.0.0' }]);
  });

  it('generator writes a workspace generator that metarepo new then runs', async () => {
    const dir = await monoWorkspace();
    expect((await metarepo(dir, ['new', 'generator', 'widget'])).code).toBe(0);
    const list = JSON.parse((await metarepo(dir, ['new', '--json'])).stdout).generators;
    expect(list).toContainEqual(expect.objectContaining({ name: 'widget', source: 'workspace' }));
    const run = await metarepo(dir, ['new', 'widget', '--set', 'name=fancy-button', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).changes.length).toBeGreaterThan(0);
  });

  it('plugin scaffolds a workspace plugin whose own test passes', async () => {
    const dir = await monoWorkspace();
    expect((await metarepo(dir, ['new', 'plugin', 'readme-police'])).code).toBe(0);
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'plugins/readme-police/package.json'), 'utf8'));
    expect(pkg.metarepo.contributes.checks).toEqual(['readme-police-readme']);
    const test = await runAsync(process.execPath, ['--test'], { cwd: path.join(dir, 'plugins/readme-police') });
    expect(test.stdout).toMatch(/# pass 2/);
    expect(test.code).toBe(0);
  });

  it('missing answers without a TTY: exit 2 naming each, nothing written', async () => {
    const dir = await monoWorkspace();
    const before = snapshotTree(dir);
    const r = await metarepo(dir, ['new', 'ts-library']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/name/);
    expect(r.stderr).toContain('--set name=');
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('--dry-run prints what would be created and writes nothing', async () => {
    const dir = await monoWorkspace();
    const before = snapshotTree(dir);
    const r = await metarepo(dir, ['new', 'ts-library', 'lib', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('create projects/lib/package.json');
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('refuses to overwrite an existing project file', async () => {
    const dir = await monoWorkspace();
    fs.mkdirSync(path.join(dir, 'projects/lib'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'projects/lib/README.md'), 'mine\n');
    const before = snapshotTree(dir);
    const r = await metarepo(dir, ['new', 'ts-library', 'lib']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('projects/lib/README.md');
    expect(snapshotTree(dir)).toEqual(before);
  });
});

const PLOPFILE = `
export default function (plop) {
  plop.setHelper('shout', (s) => String(s).toUpperCase() + '!');
  plop.setGenerator('component', {
    description: 'A component with an index entry',
    prompts: [{ type: 'input', name: 'name', message: 'Component name' }],
    actions: [
      { type: 'add', path: 'src/components/{{pascalCase name}}.ts', templateFile: 'plop-templates/component.hbs' },
      { type: 'addMany', destination: 'src/components/{{kebabCase name}}', base: 'plop-templates/extra', templateFiles: 'plop-templates/extra/**' },
      { type: 'modify', path: 'src/index.ts', pattern: /(\\/\\/ exports)/, template: '$1\\nexport * from "./components/{{pascalCase name}}.js";' },
      { type: 'append', path: 'CHANGELOG.md', template: '- added {{shout name}}' },
    ],
  });
  plop.setGenerator('escape', {
    description: 'writes outside',
    prompts: [],
    actions: [{ type: 'add', path: '{{target}}', template: 'x' }],
  });
}
`;

async function plopWorkspace(): Promise<string> {
  const dir = await monoWorkspace();
  const files: Record<string, string> = {
    'plopfile.mjs': PLOPFILE,
    'plop-templates/component.hbs': 'export const {{camelCase name}} = "{{shout name}}";\n',
    'plop-templates/extra/{{kebabCase name}}.css': '.{{kebabCase name}} { color: red; }\n',
    'plop-templates/extra/README.md': '# {{name}}\n',
    'src/index.ts': '// exports\n',
    'CHANGELOG.md': '# Changes\n',
  };
  for (const [f, c] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), c);
  }
  return dir;
}

describe('metarepo new (a plopfile)', () => {
  it('runs plop add, addMany, modify, append and a custom helper through the Tree', async () => {
    const dir = await plopWorkspace();
    const r = await metarepo(dir, ['new', 'component', 'date picker']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const read = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8');
    expect(read('src/components/DatePicker.ts')).toBe('export const datePicker = "DATE PICKER!";\n');
    expect(read('src/components/date-picker/date-picker.css')).toBe('.date-picker { color: red; }\n');
    expect(read('src/components/date-picker/README.md')).toBe('# date picker\n');
    expect(read('src/index.ts')).toBe('// exports\nexport * from "./components/DatePicker.js";\n');
    expect(read('CHANGELOG.md')).toBe('# Changes\n\n- added DATE PICKER!'); // plop joins with its default separator
  });

  it('--dry-run lists the plop changes and writes nothing', async () => {
    const dir = await plopWorkspace();
    const before = snapshotTree(dir);
    const r = await metarepo(dir, ['new', 'component', 'x', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('create src/components/X.ts');
    expect(r.stdout).toContain('update src/index.ts');
    expect(snapshotTree(dir)).toEqual(before);
  });

  it.each([['../x.txt'], ['/tmp/metarepo-absolute-escape.txt']])('a template path %s outside the workspace: exit 2, nothing written', async (target) => {
    const dir = await plopWorkspace();
    const before = snapshotTree(dir);
    const r = await metarepo(dir, ['new', 'escape', '--set', `target=${target}`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/leaves the workspace|is absolute/);
    expect(r.stderr).toContain('generator escape in plopfile.mjs');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(snapshotTree(dir)).toEqual(before);
    expect(fs.existsSync(path.resolve(dir, target))).toBe(false);
  });
});
