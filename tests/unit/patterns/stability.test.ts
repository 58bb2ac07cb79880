// Issue 13, item 13: a family's members and template do not change when unrelated files sit in the same folder.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PatternProposal } from '../../../src/patterns/propose.js';
import { REPO_ROOT } from '../../e2e/cli.js';
import { detectIn } from './helpers.js';

const handlers = (() => {
  const dir = path.join(REPO_ROOT, 'tests/fixtures/patterns/handlers');
  return Object.fromEntries(fs.readdirSync(dir).map((f) => [`src/${f}`, fs.readFileSync(path.join(dir, f), 'utf8')]));
})();

/** A bundle: one handler's text followed by much unrelated code (it contains a member, it is not one). */
function bundle(): string {
  const parts = [handlers['src/CreateInvoiceHandler.ts'].replaceAll('CreateInvoice', 'Bundle')];
  for (let i = 1; i <= 8; i++) {
    parts.push(
      `\nexport function helper${i}(values: number[]): number {\n  let total = 0;\n  for (const v of values) total += v * ${i};\n  return total / Math.max(1, values.length);\n}\n`,
      `\nexport const TABLE_${i} = { id: ${i}, label: "row ${i}", enabled: ${i % 2 === 0} };\n`,
    );
  }
  return parts.join('');
}

/** What a user adopts: everything but the id (ids are unique per run, so another family's name can number it). */
function essence(p: PatternProposal) {
  const { id: _id, description: _d, ...rest } = p;
  return rest;
}

describe('stable families', () => {
  it('proposes the same family, template and answers alone and with unrelated code in the same folder', async () => {
    const alone = await detectIn(handlers);
    expect(alone.proposals).toHaveLength(1);
    const beside = await detectIn({
      ...handlers,
      'src/bundle.ts': bundle(),
      'src/HealthCheck.ts': 'import { Router } from "../router";\n\nexport class HealthCheck {\n  constructor(private readonly router: Router) {}\n\n  register(): void {\n    this.router.get("/health", () => ({ ok: true, uptime: process.uptime() }));\n  }\n}\n',
    });
    const same = beside.proposals.filter((p) => p.members.some((m) => m.path === 'src/CreateInvoiceHandler.ts'));
    expect(same).toHaveLength(1);
    expect(essence(same[0])).toEqual(essence(alone.proposals[0]));
  });
});
