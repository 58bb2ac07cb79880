// Writes the tool list of docs/mcp.md from the MCP server's own schemas (run after `npm run build`);
// `--check` exits 1 when docs/mcp.md is not current instead.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { withToolList } = await import(path.join(repo, 'dist/src/mcp/tool-docs.js'));
const file = path.join(repo, 'docs/mcp.md');
const before = fs.readFileSync(file, 'utf8');
const after = withToolList(before);
if (process.argv.includes('--check')) {
  if (before !== after) {
    process.stderr.write('docs/mcp.md: the tool list is not current; run node scripts/mcp-tools-doc.mjs\n');
    process.exit(1);
  }
} else if (before !== after) {
  fs.writeFileSync(file, after);
  process.stdout.write('docs/mcp.md: tool list updated\n');
}
