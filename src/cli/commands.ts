import { InvalidArgumentError, type Command } from './commander.js';
import type { GlobalOptions } from './output.js';
import { reportError } from './output.js';

type Globals = () => GlobalOptions;

/**
 * Registers every command. Actions import their module on first use: startup loads only commander.
 * A command's function returns its exit code.
 */
export function registerCommands(program: Command, globals: Globals): void {
  const act =
    <A extends unknown[]>(load: () => Promise<(g: GlobalOptions, ...args: A) => Promise<number>>) =>
    async (...args: A) => {
      const g = globals();
      try {
        process.exitCode = await (await load())(g, ...args);
      } catch (e) {
        process.exitCode = reportError(g, e);
      }
    };

  program
    .command('init [dir]')
    .description('create a workspace: metarepo.yaml, models/, templates/, generators/, plugins/, projects/, .metarepo/')
    .option('--name <name>', 'workspace name (default: the folder name)')
    .action(act(async () => (await import('./init.js')).initCommand));

  program
    .command('new [generator] [name]')
    .description('scaffold from a generator (built-in, plopfile or generators/*.mjs); lists generators without arguments')
    .option('-s, --set <key=value...>', 'answer a prompt', collect, [])
    .option('--dry-run', 'print what would be created, write nothing')
    .option('-y, --yes', 'accept defaults for prompts not answered by --set')
    .action(act(async () => (await import('./new.js')).newCommand));

  program
    .command('generate')
    .description('render every target of metarepo.yaml and write what changed')
    .option('--dry-run', 'print the changes as a diff, write nothing')
    .option('--check', 'write nothing; exit 1 listing stale files (for CI)')
    .option('--force', 'overwrite generated files edited by hand')
    .action(act(async () => (await import('./generate.js')).generateCommand));

  const model = program.command('model').description('versioned JSON Schema models');
  model
    .command('list')
    .description('list models and their versions')
    .action(act(async () => (await import('./model.js')).modelListCommand));
  model
    .command('show <spec>')
    .description('print a model (name or name@range, e.g. user@^1.2)')
    .option('--bundled', 'print the bundled schema that code generators receive')
    .action(act(async () => (await import('./model.js')).modelShowCommand));
  model
    .command('add <name>')
    .description('add a new model at version 1.0.0 from a JSON Schema file')
    .requiredOption('--from <file>', 'the JSON Schema file')
    .action(act(async () => (await import('./model.js')).modelAddCommand));

  const broker = program.command('broker').description('the ZeroMQ event broker: start, stop, status');
  broker
    .command('start')
    .description('start the broker in the background (ipc sockets in .metarepo/; --tcp for 127.0.0.1)')
    .option('--tcp', 'listen on tcp://127.0.0.1 (ports chosen by the OS)')
    .option('--port <port>', 'tcp port of the publish socket (implies --tcp)')
    .action(act(async () => (await import('./broker.js')).brokerStartCommand));
  broker
    .command('stop')
    .description('stop the broker')
    .action(act(async () => (await import('./broker.js')).brokerStopCommand));
  broker
    .command('status')
    .description('whether a broker runs, its endpoints, latest sequence and counters')
    .action(act(async () => (await import('./broker.js')).brokerStatusCommand));

  const events = program
    .command('events')
    .description('print logged events')
    .option('--type <pattern>', 'only types matching the pattern, e.g. core:file:*')
    .option('--since <sequence>', 'only events after this sequence number', (v) => parseSequence(v))
    .option('--follow', 'keep printing new events')
    .action(act(async () => (await import('./events.js')).eventsCommand));
  events
    .command('types')
    .description('every event type with its schema and who declares it (core or a plugin)')
    .action(act(async () => (await import('./events.js')).eventTypesCommand));

  program
    .command('status')
    .description('workspace, projects, models, targets (up to date or not), hand-edited generated files')
    .action(act(async () => (await import('./status.js')).statusCommand));

  const plugin = program.command('plugin').description('plugins: list, info, install, uninstall, enable, disable, dev');
  plugin
    .command('list')
    .description('every plugin with its state, version, source, contributions and failure reason')
    .action(act(async () => (await import('./plugin.js')).pluginListCommand));
  plugin
    .command('info <name>')
    .description("a plugin's manifest and state")
    .action(act(async () => (await import('./plugin.js')).pluginInfoCommand));
  plugin
    .command('install <spec>')
    .description('install from a local path, a git URL (git+…, …/x.git) or an npm package, and record it in metarepo.yaml')
    .action(act(async () => (await import('./plugin.js')).pluginInstallCommand));
  plugin
    .command('uninstall <name>')
    .description('remove an installed plugin and its metarepo.yaml entry')
    .action(act(async () => (await import('./plugin.js')).pluginUninstallCommand));
  plugin
    .command('enable <name>')
    .description('enable a plugin (metarepo.yaml)')
    .action(act(async () => (await import('./plugin.js')).pluginToggleCommand(true)));
  plugin
    .command('disable <name>')
    .description('disable a plugin (metarepo.yaml): it is discovered but never loaded')
    .action(act(async () => (await import('./plugin.js')).pluginToggleCommand(false)));
  plugin
    .command('dev <path>')
    .description("run a local plugin in its own process and reload it whenever its files change")
    .action(act(async () => (await import('./plugin-dev.js')).pluginDevCommand));

  const patterns = program.command('patterns').description('find families of similar files or declarations and turn them into generators');
  patterns
    .command('detect <path...>')
    .description('find families of similar units, verify a template for each (byte-exact), store them in .metarepo/patterns/')
    .option('--unit <kind>', 'what to compare: file, declaration, member (or a kind a plugin adds)', 'file')
    .option('--min-members <n>', 'smallest family', (v) => parseCount(v, 2), 3)
    .option('--llm', 'name variables and families with an OpenAI-compatible model (config patterns.llm or OPENAI_BASE_URL / OPENAI_API_KEY); every suggestion is re-verified')
    .action(act(async () => (await import('./patterns.js')).patternsDetectCommand));
  patterns
    .command('show <id>')
    .description('a stored pattern: template, variables, members and verification')
    .action(act(async () => (await import('./patterns.js')).patternsShowCommand));
  patterns
    .command('adopt <id>')
    .description('turn a pattern into a scaffold generator: generators/<name>.mjs, templates/<name>/, snapshots/<name>/')
    .option('--name <name>', 'generator name (default: the pattern name)')
    .action(act(async () => (await import('./patterns.js')).patternsAdoptCommand));

  program
    .command('check')
    .description("run every plugin's consistency checks on the workspace; exit 1 on errors")
    .action(act(async () => (await import('./check.js')).checkCommand));

  program
    .command('health')
    .description('check config, models, templates and an event round trip')
    .action(act(async () => (await import('./health.js')).healthCommand));
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseCount(v: string, min: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected a whole number ≥ ${min}`);
  return n;
}

function parseSequence(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number ≥ 0');
  return n;
}
