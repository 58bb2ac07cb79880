// Startup stays fast because heavy libraries load only inside the commands that need them (dynamic import).
// This walks the *static* import graph of the built CLI entry point and of each command module and checks that
// no heavy library is reachable from it.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const DIST = path.resolve(__dirname, '../../dist/src');
const HEAVY = ['ts-morph', 'quicktype-core', 'node-plop', 'json-schema-to-typescript', 'openai', 'zeromq', 'inquirer', 'ajv', 'typescript'];
const STATIC_IMPORT = /^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm;

/** Package names reachable through static imports from `entry` (relative files followed; packages not). */
function staticPackages(entry: string): Set<string> {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = fs.readFileSync(file, 'utf8');
    for (const m of source.matchAll(STATIC_IMPORT)) {
      const spec = m[1] ?? m[2];
      if (spec.startsWith('node:')) continue;
      if (spec.startsWith('.')) visit(path.resolve(path.dirname(file), spec));
      else packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
    }
  };
  visit(entry);
  return packages;
}

describe('lazy loading', () => {
  it('the CLI entry point (all that `metarepo --help` loads) statically reaches only light packages', () => {
    const pkgs = [...staticPackages(path.join(DIST, 'cli/bin.js'))].sort();
    expect(pkgs).toEqual(['picocolors']); // commander is required (CommonJS), not imported
  });

  it.each(['status', 'generate', 'model', 'new', 'events', 'health', 'init'])('the %s command does not statically import a heavy library', (cmd) => {
    const pkgs = staticPackages(path.join(DIST, `cli/${cmd}.js`));
    expect(HEAVY.filter((h) => pkgs.has(h))).toEqual([]);
  });

  it('the walker does find a static package import (control)', () => {
    expect(staticPackages(path.join(DIST, 'templates/handlebars.js')).has('change-case')).toBe(true);
  });
});
