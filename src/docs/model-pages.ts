/**
 * The model pages of the docs site: per model an overview, a reference page per version (see `model-markdown.ts`),
 * a page per diff between successive versions, and a changelog.
 */
import type { WorkspaceConfig } from '../generated/workspace.js';
import { diffModel, type ModelDiff } from '../models/evolution.js';
import { renderChangelog } from '../models/diff/changelog.js';
import type { ModelRegistry } from '../models/registry.js';
import { modelMarkdown } from './model-markdown.js';
import { modelReference } from './model-reference.js';
import { modelPagePath, relativeUrl, type SitePage } from './page.js';

/**
 * Every model page of the workspace. Diffs are computed once per pair of successive versions and shared by the
 * version pages' histories, the diff pages and the changelogs.
 * @throws MetarepoError (exit 2) when a model cannot be bundled.
 */
export function modelPages(registry: ModelRegistry, config: WorkspaceConfig): SitePage[] {
  const diffs = new Map<string, ModelDiff>();
  const diff = (name: string, from: string, to: string): ModelDiff => {
    const key = `${name}@${from}..${to}`;
    let d = diffs.get(key);
    if (!d) diffs.set(key, (d = diffModel(registry, config, name, from, to)));
    return d;
  };
  const pages: SitePage[] = [];
  const names = [...new Set(registry.list().map((r) => r.name))];
  const overview = ['# Models', '', '| Model | Versions | Description |', '| --- | --- | --- |'];
  for (const name of names) {
    const versions = registry.versions(name);
    const dir = `models/${name}`;
    const newest = registry.get(name, versions.at(-1)!)!;
    const description = typeof newest.schema.description === 'string' ? newest.schema.description.split('\n')[0]!.replace(/[|<]/g, ' ') : '';
    overview.push(`| [${name}](${name}/index.html) | ${versions.map((v) => `[${v}](${name}/${v}.html)`).join(', ')} | ${description} |`);
    const lines = [`# Model ${name}`, '', '## Versions', '', ...[...versions].reverse().map((v) => `- [${v}](${v}.html)`), ''];
    for (const version of versions) {
      const record = registry.get(name, version)!;
      const path = modelPagePath(name, version);
      const ref = modelReference(registry, config, record, diff);
      pages.push({ path, title: `${ref.title} (${name}@${version})`, section: 'models', markdown: modelMarkdown(ref, (n, v) => relativeUrl(path, modelPagePath(n, v))) });
    }
    if (versions.length > 1) {
      const entries = versions.slice(1).map((to, i) => ({ from: versions[i]!, to, changes: diff(name, versions[i]!, to).changes }));
      lines.push('## Diffs', '', ...[...entries].reverse().map((e) => `- [${e.from} → ${e.to}](diff-${e.from}-${e.to}.html)`), '', `[Changelog](changelog.html)`, '');
      for (const e of entries) {
        pages.push({ path: `${dir}/diff-${e.from}-${e.to}.html`, title: `${name} ${e.from} → ${e.to}`, section: 'models', markdown: diffMarkdown(name, diff(name, e.from, e.to)) });
      }
      pages.push({ path: `${dir}/changelog.html`, title: `${name} changelog`, section: 'models', markdown: renderChangelog(name, entries) });
    }
    pages.push({ path: `${dir}/index.html`, title: `Model ${name}`, section: 'models', markdown: lines.join('\n') });
  }
  if (names.length === 0) overview.push('', 'The workspace has no models yet.');
  pages.push({ path: 'models/index.html', title: 'Models', section: 'models', markdown: overview.join('\n') });
  return pages;
}

function diffMarkdown(name: string, d: ModelDiff): string {
  const lines = [
    `# ${name} ${d.from} → ${d.to}`,
    '',
    `Policy \`${d.policy.compatibility}\` requires a **${d.required}** bump; ${d.violations.length} change(s) break it.`,
    '',
    `[${d.from}](${d.from}.html) · [${d.to}](${d.to}.html)`,
    '',
  ];
  if (d.changes.length === 0) return [...lines, 'No schema change.'].join('\n');
  lines.push('| Rule | Where | What changed | Breaks |', '| --- | --- | --- | --- |');
  for (const c of d.changes) {
    const breaks = Object.entries(c.impacts).filter(([, v]) => v).map(([k]) => k).join(', ');
    lines.push(`| \`${c.rule}\` | \`${(c.path || '/').replace(/\|/g, '\\|')}\` | ${c.message.replace(/\|/g, '\\|').replace(/</g, '&lt;')} | ${breaks} |`);
  }
  return lines.join('\n');
}
