// Prints the schema-change rules catalog as a Markdown table (from the build: run `npm run build` first).
// `--write <file>` replaces the table between the `<!-- rules-table -->` and `<!-- /rules-table -->` markers of a
// doc; `--check <file>` exits 1 when that table is stale.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const { renderRulesTable } = await import(pathToFileURL(path.join(root, 'dist/src/models/diff/index.js')).href);
const table = renderRulesTable();
const [mode, file] = process.argv.slice(2);
if (!mode) {
  process.stdout.write(table);
} else {
  if ((mode !== '--write' && mode !== '--check') || !file) {
    process.stderr.write('usage: node scripts/rules-table.mjs [--write|--check <doc.md>]\n');
    process.exit(2);
  }
  const doc = fs.readFileSync(file, 'utf8');
  const start = '<!-- rules-table -->\n';
  const end = '<!-- /rules-table -->';
  const from = doc.indexOf(start);
  const to = doc.indexOf(end);
  if (from < 0 || to < from) {
    process.stderr.write(`${file} has no ${start.trim()} … ${end} markers\n`);
    process.exit(2);
  }
  const next = doc.slice(0, from + start.length) + table + doc.slice(to);
  if (mode === '--check') {
    if (next !== doc) {
      process.stderr.write(`${file}: the rules table is stale; run node scripts/rules-table.mjs --write ${file}\n`);
      process.exit(1);
    }
  } else if (next !== doc) {
    fs.writeFileSync(file, next);
  }
}
