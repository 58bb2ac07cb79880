import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanGeneratedImports, usesType } from '../../../src/models/usage.js';

function files(tree: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'metarepo-usage-'));
  for (const [rel, text] of Object.entries(tree)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

describe('scanGeneratedImports', () => {
  const root = files({
    'projects/api/src/generated/user.ts': 'export interface User {}',
    'projects/api/src/index.ts': "import type { User, Address as Addr } from './generated/user.js';\nimport def, { type Role } from './generated/user';\n",
    'projects/api/src/all.ts': "import * as U from './generated/user.js';\nexport { Team } from \"./generated/user.js\";\n",
    'projects/api/src/other.ts': "import { x } from 'user';\nimport { y } from './generated/other.js';\n",
    'projects/api/node_modules/dep/index.ts': "import { Hidden } from '../../src/generated/user.js';",
    'projects/web/app.tsx': "import {\n  User,\n} from '../api/src/generated/user.js';\n",
  });
  const projects = [
    { name: 'api', path: 'projects/api' },
    { name: 'web', path: 'projects/web' },
  ];

  it('finds named, default, type-only, namespace and re-exports of generated files across projects', async () => {
    const imports = await scanGeneratedImports(root, projects, ['projects/api/src/generated/user.ts']);
    expect(imports).toEqual([
      { project: 'api', file: 'projects/api/src/all.ts', generated: 'projects/api/src/generated/user.ts', names: '*' },
      { project: 'api', file: 'projects/api/src/all.ts', generated: 'projects/api/src/generated/user.ts', names: ['Team'] },
      { project: 'api', file: 'projects/api/src/index.ts', generated: 'projects/api/src/generated/user.ts', names: ['User', 'Address'] },
      { project: 'api', file: 'projects/api/src/index.ts', generated: 'projects/api/src/generated/user.ts', names: ['Role', 'default'] },
      { project: 'web', file: 'projects/web/app.tsx', generated: 'projects/api/src/generated/user.ts', names: ['User'] },
    ]);
  });

  it('tells used types from unused ones', async () => {
    const imports = (await scanGeneratedImports(root, projects, ['projects/api/src/generated/user.ts'])).filter((i) => i.names !== '*');
    expect(usesType(imports, 'user')).toBe(true);
    expect(usesType(imports, 'Address')).toBe(true);
    expect(usesType(imports, 'Invoice')).toBe(false);
    expect(usesType([{ project: 'p', file: 'f', generated: 'g', names: '*' }], 'Invoice')).toBe(true);
  });
});
