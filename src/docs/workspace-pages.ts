/**
 * The pages of the docs site that are not models: projects (README and `docs/**\/*.md`), templates (template.yaml's
 * description, variables with their schema, a fixture rendered), plugins (what each contributes) and the event
 * catalogue (each type's payload schema). Text read from the workspace is untrusted; it reaches HTML only through
 * the Markdown renderer with raw HTML off.
 */
import fs from 'node:fs';
import path from 'node:path';
import { glob } from 'tinyglobby';
import { MetarepoError } from '../core/errors.js';
import { PACKAGE_ROOT } from '../core/package-root.js';
import type { WorkspaceConfig } from '../generated/workspace.js';
import type { PluginHost } from '../plugins/host.js';
import type { TemplateCatalog, TemplateLocation } from '../templates/catalog.js';
import { schemaTable } from './model-markdown.js';
import { fence, safeSegment, type SitePage } from './page.js';

/** Each project's README.md (its page) and every `docs/**\/*.md` of it, with `.md` links kept working. */
export async function projectPages(root: string, config: WorkspaceConfig): Promise<SitePage[]> {
  const pages: SitePage[] = [];
  const index = ['# Projects', ''];
  for (const project of config.projects ?? []) {
    const dir = path.join(root, project.path);
    const base = `projects/${safeSegment(project.name)}`;
    const readme = path.join(dir, 'README.md');
    const docs = fs.existsSync(dir) ? await glob('docs/**/*.md', { cwd: dir, onlyFiles: true }) : [];
    const list = docs.sort().map((d) => `- [${d}](${d.replace(/\.md$/, '.html')})`);
    const readmeText = fs.existsSync(readme) ? fs.readFileSync(readme, 'utf8') : `# ${project.name}\n\nThis project has no README.md.`;
    pages.push({
      path: `${base}/index.html`,
      title: `Project ${project.name}`,
      section: 'projects',
      markdown: `${readmeText.trimEnd()}\n\n---\n\nFolder \`${project.path}\`${project.kind ? ` · kind ${project.kind}` : ''}${list.length ? `\n\n## Documents\n\n${list.join('\n')}` : ''}\n`,
    });
    for (const doc of docs) {
      const text = fs.readFileSync(path.join(dir, doc), 'utf8');
      pages.push({ path: `${base}/${doc.replace(/\.md$/, '.html')}`, title: `${project.name}: ${firstHeading(text) ?? doc}`, section: 'projects', markdown: text });
    }
    index.push(`- [${project.name}](${safeSegment(project.name)}/index.html) — \`${project.path}\``);
  }
  if ((config.projects ?? []).length === 0) index.push('The workspace has no projects yet.');
  pages.push({ path: 'projects/index.html', title: 'Projects', section: 'projects', markdown: index.join('\n') });
  return pages;
}

/**
 * A page per template (built-in and the workspace's): description, generator, variables table (with the variables'
 * JSON Schema), and the files its first fixture renders to. A template that cannot render says why on its page.
 */
export async function templatePages(catalog: TemplateCatalog): Promise<SitePage[]> {
  const pages: SitePage[] = [];
  const index = ['# Templates and generators', '', '| Template | Source | Description |', '| --- | --- | --- |'];
  for (const t of catalog.locations) {
    const page = `templates/${safeSegment(t.name)}.html`;
    try {
      const manifest = await catalog.manifest(t);
      index.push(`| [${t.name}](${safeSegment(t.name)}.html) | ${t.source} | ${manifest.description.replace(/[|<\n]/g, ' ')} |`);
      const lines = [`# Template ${t.name}`, '', manifest.description, '', `Version ${manifest.version} · generator \`${manifest.generator}\` · ${t.source} · \`metarepo new ${manifest.generator}\``, ''];
      lines.push('## Variables', '', ...schemaTable(manifest.variables), '', fence(JSON.stringify(manifest.variables, null, 2), 'json'), '');
      lines.push(...(await renderedExample(catalog, t, Object.keys(manifest.fixtures)[0])));
      pages.push({ path: page, title: `Template ${t.name}`, section: 'templates', markdown: lines.join('\n') });
    } catch (e) {
      if (!(e instanceof MetarepoError)) throw e;
      index.push(`| [${t.name}](${safeSegment(t.name)}.html) | ${t.source} | (invalid template.yaml) |`);
      pages.push({ path: page, title: `Template ${t.name}`, section: 'templates', markdown: `# Template ${t.name}\n\nIts template.yaml cannot be read: ${e.message}\n` });
    }
  }
  pages.push({ path: 'templates/index.html', title: 'Templates', section: 'templates', markdown: index.join('\n') });
  return pages;
}

async function renderedExample(catalog: TemplateCatalog, t: TemplateLocation, fixture: string | undefined): Promise<string[]> {
  if (fixture === undefined) return ['## Example', '', 'template.yaml declares no fixture to render.', ''];
  const manifest = await catalog.manifest(t);
  const lines = ['## Example', '', `Fixture \`${fixture}\`:`, '', fence(JSON.stringify(manifest.fixtures[fixture], null, 2), 'json'), ''];
  try {
    const { renderFixture } = await import('../templates/render.js');
    const rendered = await renderFixture(t, manifest, await catalog.generator(t), fixture);
    for (const [file, content] of rendered.files) lines.push(`### ${file}`, '', fence(content, languageOf(file)), '');
  } catch (e) {
    if (!(e instanceof MetarepoError)) throw e;
    lines.push(`The fixture does not render: ${e.message}`, '');
  }
  return lines;
}

/** A page per plugin: version, source, state, and its declared generators, scaffolds, checks, commands, events. */
export function pluginPages(host: PluginHost): SitePage[] {
  const pages: SitePage[] = [];
  const index = ['# Plugins', '', '| Plugin | Version | Source | Contributes |', '| --- | --- | --- | --- |'];
  for (const record of host.list()) {
    const m = record.manifest;
    const c = m.contributes;
    const kinds: Array<[string, string[]]> = [
      ['Codegen generators', c.generators],
      ['Scaffold generators', c.scaffolds],
      ['Checks', c.checks],
      ['Commands', c.commands.map((d) => `${d.name} — ${d.description}`)],
      ['Events', c.events],
      ['Pattern detection', c.patterns],
    ];
    const summary = kinds.filter(([, items]) => items.length > 0).map(([kind, items]) => `${items.length} ${kind.toLowerCase()}`).join(', ');
    index.push(`| [${m.name}](${safeSegment(m.name)}.html) | ${m.version} | ${m.source} | ${summary || 'nothing'} |`);
    const lines = [`# Plugin ${m.name}`, '', `Version ${m.version} · ${m.source} · ${m.isolation}${record.enabledInConfig ? '' : ' · disabled in metarepo.yaml'}`, ''];
    for (const [kind, items] of kinds) if (items.length > 0) lines.push(`## ${kind}`, '', ...items.map((i) => `- \`${i.split(' — ')[0]}\`${i.includes(' — ') ? ` — ${i.split(' — ').slice(1).join(' — ')}` : ''}`), '');
    if (m.configSchema) lines.push('## Configuration', '', ...schemaTable(m.configSchema), '');
    pages.push({ path: `plugins/${safeSegment(m.name)}.html`, title: `Plugin ${m.name}`, section: 'plugins', markdown: lines.join('\n') });
  }
  pages.push({ path: 'plugins/index.html', title: 'Plugins', section: 'plugins', markdown: index.join('\n') });
  return pages;
}

/**
 * The event catalogue: metarepo's `core:*` types (meta-models/events/) and the types plugins declare with a schema
 * (`<plugin>/events/<domain.entity.action>/<version>.schema.json`), a page each with the newest payload schema.
 */
export async function eventPages(host: PluginHost): Promise<SitePage[]> {
  const folders = [path.join(PACKAGE_ROOT, 'meta-models', 'events'), ...host.list().map((r) => path.join(r.manifest.dir, 'events'))];
  const pages: SitePage[] = [];
  const index = ['# Events', '', 'Every event is a CloudEvents 1.0 envelope whose `data` matches its type\'s payload schema.', '', '| Type | Description |', '| --- | --- |'];
  for (const folder of folders) {
    if (!fs.existsSync(folder)) continue;
    for (const entry of fs.readdirSync(folder).sort()) {
      if (entry === 'envelope') continue;
      const files = fs.readdirSync(path.join(folder, entry)).filter((f) => f.endsWith('.schema.json')).sort();
      if (files.length === 0) continue;
      const schema = JSON.parse(fs.readFileSync(path.join(folder, entry, files.at(-1)!), 'utf8')) as Record<string, unknown>;
      const type = entry.replace(/\./g, ':');
      const description = typeof schema.description === 'string' ? schema.description : '';
      index.push(`| [\`${type}\`](${safeSegment(entry)}.html) | ${description.replace(/[|<\n]/g, ' ')} |`);
      const lines = [`# Event ${type}`, '', description.replace(/</g, '&lt;'), '', `Payload schema version ${files.at(-1)!.replace('.schema.json', '')}.`, '', '## Payload', '', ...schemaTable(schema), ''];
      lines.push(fence(JSON.stringify(schema, null, 2), 'json'));
      pages.push({ path: `events/${safeSegment(entry)}.html`, title: `Event ${type}`, section: 'events', markdown: lines.join('\n') });
    }
  }
  pages.push({ path: 'events/index.html', title: 'Events', section: 'events', markdown: index.join('\n') });
  return pages;
}

function firstHeading(markdown: string): string | undefined {
  return /^#\s+(.+)$/m.exec(markdown)?.[1]?.trim();
}

function languageOf(file: string): string {
  const ext = path.extname(file).slice(1);
  return { ts: 'typescript', js: 'javascript', mjs: 'javascript', md: 'markdown', yml: 'yaml' }[ext] ?? ext;
}
