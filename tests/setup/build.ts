// Vitest global setup: compile once so e2e tests drive the real CLI (dist/src/cli/bin.js) and worker threads
// load compiled code. `npm test` builds before vitest too; this keeps `npx vitest` working on its own.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  if (process.env.METAREPO_SKIP_BUILD === '1') return;
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: root, stdio: 'inherit' });
  execFileSync(process.execPath, [path.join(root, 'scripts/build-validators.mjs')], { cwd: root, stdio: 'inherit' });
}
