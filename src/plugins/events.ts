import fs from 'node:fs';
import path from 'node:path';
import { MetarepoError } from '../core/errors.js';
import type { Bus } from '../events/bus.js';
import { createEnvelope } from '../events/envelope.js';
import type { PluginTypeSchema } from '../events/types.js';
import { declarePluginEventSchemas } from '../events/validate.js';
import type { PluginManifest } from './manifest.js';

/** Where a plugin keeps its event payload schemas, as metarepo keeps the core ones in `meta-models/events/`. */
export const PLUGIN_EVENTS_DIR = 'events';

const SCHEMA_FILE = /^(.+)\.schema\.json$/;

/**
 * Reads a plugin's event payload schemas — `<plugin>/events/<type with ':' as '.'>/<semver>.schema.json`, the newest
 * version of each type — and declares them for validation (see `declarePluginEventSchemas`): every event of such a
 * type the plugin publishes is then checked against it, as core events are. A declared type without a folder is
 * published unchecked. A plugin without an `events/` folder costs one `stat`.
 * @throws MetarepoError (exit 2) naming the file or folder, see {@link readPluginEventSchemas}; or a schema that does not compile.
 */
export async function loadPluginEventSchemas(manifest: PluginManifest): Promise<void> {
  declarePluginEventSchemas(manifest.name, await readPluginEventSchemas(manifest));
}

/**
 * Reads (without compiling) a plugin's event payload schemas, the newest version of each type, sorted by type.
 * @throws MetarepoError (exit 2) naming the file or folder: a folder for a type that `metarepo.contributes.events`
 *   does not declare, a folder with no `<semver>.schema.json`, a schema that is not JSON.
 */
export async function readPluginEventSchemas(manifest: Pick<PluginManifest, 'name' | 'dir' | 'contributes'>): Promise<PluginTypeSchema[]> {
  const dir = path.join(manifest.dir, PLUGIN_EVENTS_DIR);
  let folders: string[];
  try {
    folders = fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  } catch {
    folders = [];
  }
  if (folders.length === 0) return [];
  // Loaded only here: every plugin activation reads its events folder, and most plugins have none.
  const [{ default: semver }, { parseJsonObject }] = await Promise.all([import('semver'), import('./manifest.js')]);
  const schemas: PluginTypeSchema[] = [];
  for (const folder of folders) {
    const type = folder.replaceAll('.', ':');
    const where = path.join(dir, folder);
    if (!manifest.contributes.events.includes(type)) {
      throw new MetarepoError(`${where} holds a payload schema for ${type}, which plugin ${manifest.name} does not declare.`, {
        location: { file: path.join(manifest.dir, 'package.json') },
        hint: `Add "${type}" to metarepo.contributes.events in the plugin's package.json, or rename the folder after a declared type (':' written as '.').`,
      });
    }
    const versions = fs.readdirSync(where).map((f) => SCHEMA_FILE.exec(f)?.[1]).filter((v): v is string => v !== undefined && semver.valid(v) === v);
    const newest = versions.sort(semver.rcompare)[0];
    if (!newest) {
      throw new MetarepoError(`${where} holds no <version>.schema.json file.`, { location: { file: where }, hint: `Put the payload schema of ${type} in ${path.join(where, '1.0.0.schema.json')}.` });
    }
    const file = path.join(where, `${newest}.schema.json`);
    schemas.push({ type, version: newest, file, schema: await parseJsonObject(fs.readFileSync(file, 'utf8'), file) });
  }
  return schemas;
}

/** Plugin and type pairs already warned about, so each undeclared type is reported once per process. */
const warned = new Set<string>();

/**
 * The bus a plugin publishes through: `bus`, plus a warning on stderr (once per type) when the plugin publishes a
 * type its manifest does not declare in `contributes.events`.
 * @param options.contain - report a publish that throws (an invalid payload under `--strict`) on stderr instead of
 *   throwing, and return the envelope that was not published (no `sequence`): for a `process` plugin, whose
 *   publications arrive as IPC messages that no caller waits for.
 */
export function pluginEventBus(bus: Bus, manifest: PluginManifest, options: { contain?: boolean } = {}): Bus {
  const declared = new Set(manifest.contributes.events);
  return {
    runid: bus.runid,
    subscribe: (pattern, handler) => bus.subscribe(pattern, handler),
    close: () => bus.close(),
    publish(type, data, source) {
      const key = `${manifest.name}\0${type}`;
      if (!declared.has(type) && !warned.has(key)) {
        warned.add(key);
        process.stderr.write(
          `metarepo: warning: plugin ${manifest.name} publishes ${type}, which it does not declare: add it to metarepo.contributes.events in ${path.join(manifest.dir, 'package.json')}` +
            ` (and its payload schema to ${path.join(manifest.dir, PLUGIN_EVENTS_DIR, type.replaceAll(':', '.'), '1.0.0.schema.json')})\n`,
        );
      }
      if (!options.contain) return bus.publish(type, data, source);
      try {
        return bus.publish(type, data, source);
      } catch (e) {
        process.stderr.write(`metarepo: error: plugin ${manifest.name}: ${(e as Error).message} The event was not published.\n`);
        return createEnvelope(type, data, source ?? manifest.name, bus.runid);
      }
    },
  };
}
