// Template snapshot-test benchmark (issue 6): `metarepo template test` over 50 workspace templates × 3 fixtures —
// each template a generators/<name>.mjs plopfile and templates/<name>/ with four files using conditionals, loops
// and case helpers. Times the first run (which writes every snapshot), then the median of passing runs, with and
// without --coverage. Prints one JSON line. Run after a build. BENCH_TEMPLATES and BENCH_TEMPLATE_RUNS shrink it (the
// e2e test runs it small, to prove it works on CI).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BIN, median, report, tempDir, timeCli } from './lib.mjs';

const TEMPLATES = Number(process.env.BENCH_TEMPLATES ?? 50);
const FIXTURES = 3;
const RUNS = Number(process.env.BENCH_TEMPLATE_RUNS ?? 5);

const write = (root, rel, content) => {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), content);
};

function workspace() {
  const root = tempDir('metarepo-bench-templates-');
  const init = spawnSync(process.execPath, [BIN, 'init', '--name', 'bench'], { cwd: root, encoding: 'utf8' });
  if (init.status !== 0) throw new Error(init.stderr);
  for (let i = 0; i < TEMPLATES; i++) {
    const name = `t-${String(i).padStart(2, '0')}`;
    write(root, `generators/${name}.mjs`, `export default function (plop) {
  plop.setGenerator('${name}', {
    description: 'bench template ${i}',
    prompts: [],
    actions: [{ type: 'addMany', destination: 'packages/{{kebabCase name}}', base: '../templates/${name}/files', templateFiles: '../templates/${name}/files/**' }],
  });
}
`);
    const fixtures = Array.from({ length: FIXTURES }, (_, f) =>
      [`  f${f}:`, `    name: Component ${i} ${f}`, `    withTests: ${f % 2 === 0}`, `    kind: ${['card', 'page', 'form'][f]}`, `    fields: [${Array.from({ length: f + i % 4 }, (_, k) => `field${k}`).join(', ')}]`].join('\n'),
    ).join('\n');
    write(root, `templates/${name}/template.yaml`, `name: ${name}
version: 1.0.${i}
description: Bench template ${i}.
variables:
  type: object
  required: [name]
  properties:
    name: { type: string, pattern: "^[A-Za-z][A-Za-z0-9 ]*$", description: Component name }
    withTests: { type: boolean, default: false, description: Write a test }
    kind: { type: string, enum: [card, page, form], default: card, description: Kind of component }
    fields: { type: array, items: { type: string }, default: [], description: Field names }
fixtures:
${fixtures}
`);
    write(root, `templates/${name}/files/src/{{kebabCase name}}.ts.hbs`, `// {{titleCase name}} (a {{kind}})
export interface {{pascalCase name}}Props {
{{#each fields}}
  {{camelCase this}}: string;
{{else}}
  id: string;
{{/each}}
}

export function {{camelCase name}}(props: {{pascalCase name}}Props): string {
  return {{json name}} + JSON.stringify(props);
}
`);
    write(root, `templates/${name}/files/src/{{kebabCase name}}.test.ts.hbs`, `{{#if withTests}}import { {{camelCase name}} } from './{{kebabCase name}}.js';
test({{json name}}, () => {{camelCase name}}({} as never));
{{else}}// no tests for {{name}}
{{/if}}`);
    write(root, `templates/${name}/files/package.json.hbs`, `{
  "name": "{{kebabCase name}}",
  "description": {{json (sentenceCase name)}},
  "version": "0.1.0"
}
`);
    write(root, `templates/${name}/files/README.md.hbs`, `# {{titleCase name}}

{{#unless withTests}}Untested. {{/unless}}Kind: {{upperCase kind}}.
{{#each fields}}- {{@index}}: {{this}}
{{/each}}`);
  }
  return root;
}

const root = workspace();
// --update writes the new snapshots whatever the caller's CI variable says (CI mode alone would refuse to).
const firstRun = timeCli(root, ['template', 'test', '--update']);
const files = fs.readdirSync(path.join(root, 'snapshots'), { recursive: true }).filter((f) => fs.statSync(path.join(root, 'snapshots', f)).isFile()).length;
const passing = median(Array.from({ length: RUNS }, () => timeCli(root, ['template', 'test'])));
const coverage = median(Array.from({ length: RUNS }, () => timeCli(root, ['template', 'test', '--coverage'])));
const seconds = (ms) => Math.round(ms / 10) / 100;
report('template-test', {
  templates: TEMPLATES,
  fixtures: TEMPLATES * FIXTURES,
  files,
  runs: RUNS,
  firstRunSeconds: seconds(firstRun),
  medianSeconds: seconds(passing),
  coverageMedianSeconds: seconds(coverage),
});
