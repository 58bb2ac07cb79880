import path from 'node:path';
import pc from 'picocolors';
import { MetarepoError, formatLocation } from '../core/errors.js';
import { reloadOnChange, type ReloadResult } from '../plugins/process/reload.js';
import { snapshotsDir } from '../templates/catalog.js';
import { displayPath, loadTemplateManifest } from '../templates/manifest.js';
import { renderFixture } from '../templates/render.js';
import { compareWithSnapshot, readSnapshot, writeSnapshot, type SnapshotDiff } from '../templates/snapshot.js';
import { STATE_DIR } from '../core/layout.js';
import type { GlobalOptions } from './output.js';
import { openTemplates } from './template.js';

/** Folder under `.metarepo/` that `template dev` renders into: `.metarepo/preview/<template>/<fixture>/`. */
export const PREVIEW_DIR = path.join(STATE_DIR, 'preview');

/** One render of the dev loop: the files written to the preview and the differences from the snapshot (null: none yet). */
interface DevRender {
  files: number;
  diffs: SnapshotDiff[] | null;
}

/**
 * `metarepo template dev <name> [--fixture f]`: renders the fixture (default: the first) into
 * `.metarepo/preview/<template>/<fixture>/`, prints the diff against its snapshot, then watches the template folder
 * and does it again on every save, until Ctrl-C. template.yaml is re-read each time; a workspace generator's code
 * (the plopfile) is loaded once, so a change to it needs a restart.
 */
export async function templateDevCommand(g: GlobalOptions, name: string, opts: { fixture?: string }): Promise<number> {
  const session = await openTemplates(g, 'template dev');
  const ws = session.ws;
  try {
    if (!ws) {
      throw new MetarepoError('metarepo template dev needs a workspace: it renders into .metarepo/preview/.', {
        hint: 'Run it inside a workspace (metarepo init creates one), or pass -C <workspace>.',
      });
    }
    const [t] = session.catalog.select([name]);
    const first = await session.catalog.manifest(t);
    const fixture = opts.fixture ?? Object.keys(first.fixtures)[0];
    if (!(fixture in first.fixtures)) {
      throw new MetarepoError(`Template "${t.name}" has no fixture "${fixture}".`, {
        location: first.document.locate('/fixtures', { key: true }),
        hint: `Its fixtures: ${Object.keys(first.fixtures).join(', ')}.`,
      });
    }
    const generator = await session.catalog.generator(t);
    const preview = path.join(ws.root, PREVIEW_DIR, t.name, fixture);
    const snapshot = path.join(snapshotsDir(t), fixture);
    const label = displayPath(snapshot, t.home);
    const render = async (): Promise<DevRender> => {
      const manifest = await loadTemplateManifest(t.dir, { root: t.home });
      if (!(fixture in manifest.fixtures)) throw new MetarepoError(`Fixture "${fixture}" is no longer in ${manifest.file}.`);
      const { files } = await renderFixture(t, manifest, generator, fixture);
      writeSnapshot(preview, files);
      const before = readSnapshot(snapshot);
      return { files: files.size, diffs: before ? compareWithSnapshot(files, before, label) : null };
    };
    const show = (result: ReloadResult<DevRender>): void => {
      const changed = result.paths.map((p) => path.relative(ws.root, p)).join(', ');
      if (g.json) {
        const data = result.ok ? { ok: true, changed: result.paths, files: result.value.files, diffs: result.value.diffs } : { ok: false, changed: result.paths, error: describeError(result.error) };
        process.stdout.write(`${JSON.stringify(data)}\n`);
        return;
      }
      const lines = changed ? [pc.dim(`changed ${changed}`)] : [];
      if (!result.ok) lines.push(`${pc.red('render failed')} ${describeError(result.error)}`);
      else {
        lines.push(`rendered ${t.name}/${fixture} → ${path.relative(ws.root, preview)} (${result.value.files} files)`);
        const diffs = result.value.diffs;
        if (diffs === null) lines.push(pc.yellow(`no snapshot yet in ${label} (metarepo template test writes it)`));
        else if (diffs.length === 0) lines.push(pc.green(`matches ${label}`));
        else lines.push(...diffs.map((d) => d.patch.trimEnd()));
      }
      process.stdout.write(`${lines.join('\n')}\n`);
    };
    show(await attempt(render));
    const watcher = await reloadOnChange(render, t.dir, show);
    if (!g.json) process.stdout.write(pc.dim(`watching ${displayPath(t.dir, ws.root)} (Ctrl-C to stop)\n`));
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await watcher.close();
    await session.close(0);
    return 0;
  } catch (e) {
    await session.close(2);
    throw e;
  }
}

async function attempt(render: () => Promise<DevRender>): Promise<ReloadResult<DevRender>> {
  try {
    return { ok: true, paths: [], value: await render() };
  } catch (error) {
    return { ok: false, paths: [], error: error as Error };
  }
}

function describeError(e: Error): string {
  if (!(e instanceof MetarepoError)) return e.message;
  const where = e.location ? `${formatLocation(e.location)}: ` : '';
  return `${where}${e.message}${e.details.length ? `\n  ${e.details.join('\n  ')}` : ''}`;
}
