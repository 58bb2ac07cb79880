// `metarepo new` beside `plop` on the same plopfile: a generator with one question and three `add` actions (a
// module, its test, its README from three Handlebars templates), answered on the command line, non-interactive
// (plop's bypass `plop <generator> <answers...>`, metarepo's `new <generator> <name>`). Whole processes, from spawn
// to exit, alternating so a busy moment of the machine hits both alike; the three files are removed (untimed)
// before each run. Wall time and CPU time (user + system) of each, medians. Prints one JSON line; the target is a
// wall-time ratio ≤ 0.5 (issue 12).
import fs from 'node:fs';
import path from 'node:path';
import { BIN, REPO, median, medianOrUndefined, report, round, spawnTimed, tempDir } from './lib.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const PLOP = path.join(REPO, 'node_modules', 'plop', 'bin', 'plop.js');
const TARGET_RATIO = 0.5;

const PLOPFILE = `export default function (plop) {
  plop.setGenerator('component', {
    description: 'A UI component: its module, its test and its README',
    prompts: [{ type: 'input', name: 'name', message: 'Component name?' }],
    actions: [
      { type: 'add', path: 'src/components/{{kebabCase name}}/{{kebabCase name}}.ts', templateFile: 'plop-templates/component.ts.hbs' },
      { type: 'add', path: 'src/components/{{kebabCase name}}/{{kebabCase name}}.test.ts', templateFile: 'plop-templates/component.test.ts.hbs' },
      { type: 'add', path: 'src/components/{{kebabCase name}}/README.md', templateFile: 'plop-templates/README.md.hbs' },
    ],
  });
}
`;
const TEMPLATES = {
  'component.ts.hbs': `/** {{titleCase name}}: a component. */
export interface {{pascalCase name}}Props {
  label: string;
}

export function {{camelCase name}}(props: {{pascalCase name}}Props): string {
  return \`<div class="{{kebabCase name}}">\${props.label}</div>\`;
}
`,
  'component.test.ts.hbs': `import { {{camelCase name}} } from './{{kebabCase name}}.js';

if (!{{camelCase name}}({ label: 'x' }).includes('{{kebabCase name}}')) throw new Error('{{pascalCase name}} renders its class');
`,
  'README.md.hbs': `# {{titleCase name}}

\`{{camelCase name}}(props)\` renders a \`{{kebabCase name}}\` element.
`,
};
const OUTPUTS = ['fancy-button.ts', 'fancy-button.test.ts', 'README.md'].map((f) => `src/components/fancy-button/${f}`);

if (!fs.existsSync(PLOP)) {
  process.stderr.write(`new-vs-plop: ${PLOP} is missing; run npm install (plop is a devDependency)\n`);
  process.exit(1);
}

// A workspace made by `metarepo init`, holding the plopfile; plop runs in the same folder on the same files.
const ws = tempDir('metarepo-bench-new-');
run(process.execPath, [BIN, 'init', '--name', 'bench-new'], ws);
fs.writeFileSync(path.join(ws, 'plopfile.js'), PLOPFILE);
fs.mkdirSync(path.join(ws, 'plop-templates'));
for (const [name, text] of Object.entries(TEMPLATES)) fs.writeFileSync(path.join(ws, 'plop-templates', name), text);

const tools = {
  metarepo: [BIN, 'new', 'component', 'Fancy Button'],
  plop: [PLOP, 'component', 'Fancy Button'],
};

/** Runs one tool once from a clean state; returns its times after checking the three files it wrote. */
function timed(args) {
  fs.rmSync(path.join(ws, 'src'), { recursive: true, force: true });
  const r = run(process.execPath, args, ws);
  for (const f of OUTPUTS) if (!fs.existsSync(path.join(ws, f))) throw new Error(`${args.join(' ')} did not write ${f}`);
  return r;
}

/** Runs a process; returns `{ ms, cpuMs }` (see spawnTimed in lib.mjs). */
function run(cmd, args, cwd) {
  const r = spawnTimed(cmd, args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}${r.stdout}`);
  return r;
}

// Same output from both (byte for byte), then one warm-up run each (file-system cache).
const outputs = {};
for (const [tool, args] of Object.entries(tools)) {
  timed(args);
  outputs[tool] = OUTPUTS.map((f) => fs.readFileSync(path.join(ws, f), 'utf8'));
}
if (JSON.stringify(outputs.metarepo) !== JSON.stringify(outputs.plop)) throw new Error('metarepo new and plop wrote different files');

const times = { metarepo: [], plop: [], node: [] };
for (let i = 0; i < RUNS; i++) {
  times.metarepo.push(timed(tools.metarepo));
  times.plop.push(timed(tools.plop));
  times.node.push(run(process.execPath, ['-e', '0'], ws));
}
const wall = (k) => median(times[k].map((r) => r.ms));
const cpu = (k) => medianOrUndefined(times[k].map((r) => r.cpuMs));
const ratioOf = (a, b) => (a === undefined || b === undefined ? undefined : Math.round((a / b) * 100) / 100);
report('new-vs-plop', {
  runs: RUNS,
  files: OUTPUTS.length,
  metarepoNewMedianMs: round(wall('metarepo')),
  plopMedianMs: round(wall('plop')),
  nodeBaselineMs: round(wall('node')),
  ratio: ratioOf(wall('metarepo'), wall('plop')),
  metarepoNewCpuMedianMs: cpu('metarepo'),
  plopCpuMedianMs: cpu('plop'),
  nodeCpuMedianMs: cpu('node'),
  cpuRatio: ratioOf(cpu('metarepo'), cpu('plop')),
  targetRatio: TARGET_RATIO,
});
fs.rmSync(ws, { recursive: true, force: true });
