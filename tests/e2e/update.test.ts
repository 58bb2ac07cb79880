import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { metarepoAsync as metarepo, snapshotTree } from './cli.js';
import { WIDGET_NAME_PROMPT, initWorkspace, writeWidget } from './workspaces.js';

const NAME = WIDGET_NAME_PROMPT;
const V1 = {
  'README.md.hbs': '# {{name}}\n\nA widget.\n\n## Usage\n\nImport it.\n',
  'src/index.js.hbs': "// {{name}}\nexport const name = '{{name}}';\n\nexport function render() {\n  return name;\n}\n",
};
const V2 = {
  'README.md.hbs': '# {{name}}\n\nA widget for dashboards.\n\n## Usage\n\nImport it.\n',
  'src/index.js.hbs': "// {{name}}: a widget\nexport const name = '{{name}}';\n\nexport function render() {\n  return name;\n}\n",
  'LICENSE.txt.hbs': '{{license}} licence.\n',
};
const PROJECT = 'projects/demo-widget';

/** A workspace with projects/demo-widget scaffolded from widget 1.0.0, edited by a person, and widget at 1.1.0. */
async function edited(): Promise<{ dir: string; read: (rel: string) => string }> {
  const dir = await initWorkspace('demo');
  writeWidget(dir, '1.0.0', V1, NAME);
  const created = await metarepo(dir, ['new', 'widget', 'demo-widget']);
  expect(created.code, created.stderr).toBe(0);
  const read = (rel: string) => fs.readFileSync(path.join(dir, PROJECT, rel), 'utf8');
  const record = JSON.parse(fs.readFileSync(path.join(dir, '.metarepo/answers/demo-widget.json'), 'utf8'));
  expect(record).toMatchObject({ generator: 'widget', templateVersion: '1.0.0', answers: { name: 'demo-widget' } });
  expect(Object.keys(record.files)).toEqual([`${PROJECT}/README.md`, `${PROJECT}/src/index.js`]);
  // The person's edits: one where the template will not change (index.js), one where it will (README).
  fs.appendFileSync(path.join(dir, PROJECT, 'src/index.js'), '\nexport const size = 3;\n');
  fs.writeFileSync(path.join(dir, PROJECT, 'README.md'), read('README.md').replace('A widget.', 'A small widget.'));
  writeWidget(dir, '1.1.0', V2, [...NAME, { type: 'input', name: 'license', message: 'Licence', default: 'MIT' }]);
  return { dir, read };
}

describe('metarepo update', () => {
  it('--dry-run shows the diff and writes nothing', async () => {
    const { dir } = await edited();
    const before = snapshotTree(dir);
    const r = await metarepo(dir, ['update', 'demo-widget', '--dry-run']);
    expect(r.stdout).toContain('update demo-widget: template widget 1.0.0 → 1.1.0');
    expect(r.stdout).toContain(`create ${PROJECT}/LICENSE.txt`);
    expect(r.stdout).toContain('-// demo-widget\n+// demo-widget: a widget');
    expect(r.stdout).toContain('dry run: nothing was written');
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('adds the new file, merges the edited file, reports the conflict and records the new version and answers', async () => {
    const { dir, read } = await edited();
    const readmeBefore = read('README.md');
    const r = await metarepo(dir, ['update', 'demo-widget', '--set', 'license=Apache-2.0']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('new questions: license="Apache-2.0"');
    expect(read('LICENSE.txt')).toBe('Apache-2.0 licence.\n');
    expect(read('src/index.js')).toBe("// demo-widget: a widget\nexport const name = 'demo-widget';\n\nexport function render() {\n  return name;\n}\n\nexport const size = 3;\n");
    expect(r.stdout).toContain(`update ${PROJECT}/src/index.js (merged with your edits)`);
    expect(r.stdout).toContain(`conflict ${PROJECT}/README.md: left untouched`);
    expect(r.stdout).toMatch(/< A small widget\.\n.*\n.*\| A widget\.\n.*\n.*> A widget for dashboards\./);
    expect(read('README.md')).toBe(readmeBefore);
    const record = JSON.parse(fs.readFileSync(path.join(dir, '.metarepo/answers/demo-widget.json'), 'utf8'));
    expect(record).toMatchObject({ templateVersion: '1.1.0', answers: { name: 'demo-widget', license: 'Apache-2.0' } });
    expect(Object.keys(record.files)).toEqual([`${PROJECT}/LICENSE.txt`, `${PROJECT}/README.md`, `${PROJECT}/src/index.js`]);

    // The README still conflicts on the next update (its base did not move); markers resolve it in the file.
    const again = await metarepo(dir, ['update', 'demo-widget', '--conflicts', 'markers']);
    expect(again.code).toBe(1);
    expect(read('README.md')).toContain('<<<<<<< ours (on disk)\nA small widget.\n||||||| base\nA widget.\n=======\nA widget for dashboards.\n>>>>>>> theirs (generated)\n');
    fs.writeFileSync(path.join(dir, PROJECT, 'README.md'), read('README.md').replace(/<<<<<<<[^]*>>>>>>> theirs \(generated\)\n/, 'A small widget for dashboards.\n'));
    const clean = await metarepo(dir, ['update', 'demo-widget']);
    expect(clean.code, clean.stdout).toBe(0);
    expect(read('README.md')).toContain('A small widget for dashboards.');
    expect(read('LICENSE.txt')).toBe('Apache-2.0 licence.\n');
  });

  it('takes the default for a new question when nobody answers it', async () => {
    const { dir, read } = await edited();
    const r = await metarepo(dir, ['update', 'demo-widget']);
    // The fixture's README conflicts (exit 1); the new question's default still applies to the files that merge.
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toContain('conflict projects/demo-widget/README.md');
    expect(read('LICENSE.txt')).toBe('MIT licence.\n');
  });

  it('removes a file the template dropped unless it was edited', async () => {
    const { dir, read } = await edited();
    writeWidget(dir, '2.0.0', { 'src/index.js.hbs': V1['src/index.js.hbs'] }, NAME);
    fs.writeFileSync(path.join(dir, PROJECT, 'README.md'), read('README.md'));
    const r = await metarepo(dir, ['update', 'demo-widget']);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain(`note ${PROJECT}/README.md: no longer in the template; kept because it was edited`);
    expect(fs.existsSync(path.join(dir, PROJECT, 'README.md'))).toBe(true);
    // Undo the edit of index.js: now the template may drop it.
    fs.writeFileSync(path.join(dir, PROJECT, 'src/index.js'), read('src/index.js').replace('\nexport const size = 3;\n', ''));
    writeWidget(dir, '3.0.0', { 'NOTES.md.hbs': 'Notes on {{name}}.\n' }, NAME);
    const dropped = await metarepo(dir, ['update', 'demo-widget']);
    expect(dropped.stdout).toContain(`remove ${PROJECT}/src/index.js`);
    expect(fs.existsSync(path.join(dir, PROJECT, 'src/index.js'))).toBe(false);
  });

  it('names the projects it knows for an unknown project', async () => {
    const { dir } = await edited();
    const r = await metarepo(dir, ['update', 'nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Project "nope" has no answers record');
    expect(r.stderr).toContain('demo-widget');
  });
});
