// One pattern-detection run in a fresh process, for bench/patterns.mjs: reads `{ root, files }` from the JSON file
// named on the command line, runs detectPatterns over exactly those files, and prints one JSON object: wall time
// (`ms`, from process start of the run: module and TypeScript-compiler load included; `detectMs`, detection alone,
// the compiler loaded beforehand), peak memory, the run's figures, and each proposal's candidate and verified
// members.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { root, files } = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const started = performance.now();
const { detectPatterns } = await import(path.join(REPO, 'dist/src/patterns/detect.js'));
const { createTypeScriptLanguage } = await import(path.join(REPO, 'dist/src/patterns/languages/typescript.js'));
// Loading the compiler is a fixed ~1.5 s whatever N is; detectPatterns's own load then hits the module cache.
await createTypeScriptLanguage();
const loaded = performance.now();
const result = await detectPatterns({ root, paths: files });
const ended = performance.now();
process.stdout.write(
  JSON.stringify({
    ms: ended - started,
    detectMs: ended - loaded,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    stats: { ...result.stats, skipped: result.stats.skipped.length },
    proposals: result.proposals.map((p) => ({
      id: p.id,
      savings: p.savings,
      members: p.members.map((m) => m.path),
      ejected: p.ejected.map((e) => ({ path: e.path, status: e.status })),
      variables: p.variables.map((v) => ({ name: v.name, kind: v.kind })),
      sections: p.sections,
      shapes: p.shapes,
    })),
    rejected: result.rejected,
  }),
);
