// The layers of DESIGN.md, checked by dependency-cruiser over the real import graph (.dependency-cruiser.cjs).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cruise, type ICruiseResult } from 'dependency-cruiser';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const config = createRequire(import.meta.url)(path.join(root, '.dependency-cruiser.cjs'));

async function cruiseRepo(): Promise<ICruiseResult> {
  const cwd = process.cwd();
  process.chdir(root); // dependency-cruiser resolves paths and tsconfig against the working folder
  try {
    const result = await cruise(['src', 'plugins', 'generators'], { ruleSet: config, validate: true, ...config.options });
    return result.output as ICruiseResult;
  } finally {
    process.chdir(cwd);
  }
}

describe('layers (DESIGN.md)', () => {
  it('no import breaks a layer rule', async () => {
    const result = await cruiseRepo();
    expect(result.summary.totalCruised).toBeGreaterThan(150);
    const violations = result.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
    expect(violations).toEqual([]);
  }, 120_000);

  it('resolves metarepo/plugin in built-in plugins to the public facade', async () => {
    const result = await cruiseRepo();
    const index = result.modules.find((m) => m.source === 'plugins/scaffold-core/index.ts');
    expect(index?.dependencies.map((d) => d.resolved)).toContain('src/api/plugin.ts');
  }, 120_000);

  it('src/engine names no concrete generator, not even as a path string', () => {
    const engine = path.join(root, 'src', 'engine');
    const offenders: string[] = [];
    for (const file of fs.readdirSync(engine, { recursive: true }) as string[]) {
      if (!file.endsWith('.ts')) continue;
      const text = fs.readFileSync(path.join(engine, file), 'utf8');
      if (/codegen-(typescript|quicktype)|['"](typescript|quicktype)['"]/.test(text)) offenders.push(file);
    }
    expect(offenders).toEqual([]);
  });
});
