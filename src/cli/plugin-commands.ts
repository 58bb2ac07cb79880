import { Command, type Command as CommandType } from 'commander';
import { MetarepoError } from '../errors.js';
import { InProcessBus } from '../events/in-process-bus.js';
import { openPluginHost } from '../plugins/open.js';
import { loadConfig } from '../workspace/config.js';
import { findWorkspaceRoot } from '../workspace/root.js';
import { closeWorkspace, openWorkspace } from '../workspace/workspace.js';
import { reportError, type GlobalOptions } from './output.js';

/**
 * Adds the commands that plugins declare in their manifests (`contributes.commands`) to the program, reading
 * manifests only: the plugin itself loads when its command runs. Called only when the command line does not
 * name a built-in command (or asks for help), so built-in commands never pay for discovery.
 */
export async function registerPluginCommands(program: CommandType, globals: () => GlobalOptions, cwd: string): Promise<void> {
  const root = findWorkspaceRoot(cwd);
  let declared: Array<{ plugin: string; name: string; description: string }>;
  try {
    const loaded = root ? await loadConfig(root) : undefined;
    const host = await openPluginHost({ root, config: loaded?.config, document: loaded?.document, bus: new InProcessBus() });
    declared = host.declaredCommands();
  } catch {
    return; // a broken metarepo.yaml is reported by the command that needs it, not by help
  }
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

/** Loads the plugin that declares `name`, parses `rawArgs` with the command's own arguments and options, runs it. */
async function runPluginCommand(g: GlobalOptions, name: string, rawArgs: string[]): Promise<number> {
  const ws = await openWorkspace(g.cwd, name);
  let code = 1;
  try {
    const command = await (await ws.plugins()).command(name);
    if (!command) throw new MetarepoError(`No plugin provides the command "${name}".`, { hint: 'See `metarepo plugin list`.' });
    const parser = new Command(`metarepo ${name}`).description(command.description).exitOverride();
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
