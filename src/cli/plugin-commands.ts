import { Command, type Command as CommandType } from './commander.js';
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.js';
import { MetarepoError } from '../core/errors.js';
import { PACKAGE_ROOT } from '../core/package-root.js';
import { CONFIG_FILE, STATE_DIR } from '../core/layout.js';
import { findWorkspaceRoot } from '../workspace/root.js';
import { reportError, type GlobalOptions } from './output.js';

/**
 * Adds the commands that plugins declare in their manifests (`contributes.commands`) to the program, reading
 * manifests only: the plugin itself loads when its command runs. Called only when the command line does not
 * name a built-in command (or asks for help), so built-in commands never pay for discovery; and the list is
 * cached in `.metarepo/cache/plugin-commands.json`, valid while metarepo.yaml, the plugin folders and every
 * manifest keep their size and modification time, so `metarepo --help` usually reads one small file.
 */
export async function registerPluginCommands(program: CommandType, globals: () => GlobalOptions, cwd: string): Promise<void> {
  const root = findWorkspaceRoot(cwd);
  const declared = (root && readCommandCache(root)) || (await discoverCommands(root));
  const builtin = new Set(program.commands.map((c) => c.name()));
  for (const d of declared.filter((c) => !builtin.has(c.name))) {
    program
      .command(d.name)
      .description(`${d.description} ${`(plugin ${d.plugin})`}`)
      .argument('[args...]')
      .allowUnknownOption()
      .helpOption(false)
      .action(async (args: string[]) => {
        const g = globals();
        try {
          process.exitCode = await runPluginCommand(g, d.name, args);
        } catch (e) {
          process.exitCode = reportError(g, e);
        }
      });
  }
}

type DeclaredCommands = Array<{ plugin: string; name: string; description: string }>;

/** Files whose size and modification time decide whether the cached command list is still right. */
type CacheKey = Array<[file: string, mtimeMs: number, size: number]>;

const CACHE_FILE = path.join(STATE_DIR, 'cache', 'plugin-commands.json');

/** Discovers the plugins (manifests only) and caches their declared commands for the next start. */
async function discoverCommands(root: string | null): Promise<DeclaredCommands> {
  // Imported here: when the cache is valid, help loads none of the config, plugin or event modules.
  const [{ loadConfig }, { openPluginHost }, { InProcessBus }, { GIT_PLUGINS_DIR }] = await Promise.all([
    import('../workspace/config.js'),
    import('../plugins/open.js'),
    import('../events/in-process-bus.js'),
    import('../plugins/discovery.js'),
  ]);
  try {
    const loaded = root ? await loadConfig(root) : undefined;
    const host = await openPluginHost({ root, config: loaded?.config, document: loaded?.document, bus: new InProcessBus() });
    const declared = host.declaredCommands();
    if (root) {
      const watched = [path.join(root, CONFIG_FILE), path.join(root, 'plugins'), path.join(root, GIT_PLUGINS_DIR), path.join(PACKAGE_ROOT, 'plugins')];
      for (const r of host.list()) watched.push(path.join(r.manifest.dir, 'package.json'));
      for (const p of host.problems) watched.push(path.join(p.dir, 'package.json'));
      writeFileAtomic(path.join(root, CACHE_FILE), JSON.stringify({ key: cacheKey(watched), commands: declared }));
    }
    return declared;
  } catch {
    return []; // a broken metarepo.yaml or manifest is reported by the command that needs it, not by help
  }
}

/** The cached command list, if none of the files it was built from changed since. */
function readCommandCache(root: string): DeclaredCommands | undefined {
  try {
    const cached = JSON.parse(fs.readFileSync(path.join(root, CACHE_FILE), 'utf8')) as { key: CacheKey; commands: DeclaredCommands };
    const now = cacheKey(cached.key.map(([file]) => file));
    return JSON.stringify(now) === JSON.stringify(cached.key) ? cached.commands : undefined;
  } catch {
    return undefined;
  }
}

function cacheKey(files: string[]): CacheKey {
  return files.map((file) => {
    try {
      const st = fs.statSync(file);
      return [file, st.mtimeMs, st.size];
    } catch {
      return [file, 0, -1];
    }
  });
}

/** Loads the plugin that declares `name`, parses `rawArgs` with the command's own arguments and options, runs it. */
async function runPluginCommand(g: GlobalOptions, name: string, rawArgs: string[]): Promise<number> {
  const { closeWorkspace, openWorkspace } = await import('../workspace/open.js');
  const ws = await openWorkspace(g.cwd, name, { strict: g.strict });
  let code = 1;
  try {
    const command = await (await ws.plugins()).command(name);
    if (!command) throw new MetarepoError(`No plugin provides the command "${name}".`, { hint: 'See `metarepo plugin list`.' });
    // exitOverride throws instead of exiting; the error is reported once, below, not also by commander itself.
    const parser = new Command(`metarepo ${name}`).description(command.description).exitOverride().configureOutput({ writeErr: () => undefined });
    if (command.arguments) for (const a of command.arguments.split(/\s+/).filter(Boolean)) parser.argument(a);
    for (const o of command.options ?? []) parser.option(o.flags, o.description);
    try {
      parser.parse(rawArgs, { from: 'user' });
    } catch (e) {
      throw new MetarepoError(`metarepo ${name}: ${(e as Error).message.replace(/^error: /, '')}`, { hint: parser.helpInformation().trim() });
    }
    const result = await command.run({
      root: ws.root,
      args: parser.args,
      options: parser.opts(),
      print: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    });
    code = typeof result === 'number' ? result : 0;
    return code;
  } finally {
    await closeWorkspace(ws, code);
  }
}
