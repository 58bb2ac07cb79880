import { InvalidArgumentError, Option, type Command } from './commander.js';
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
    .option('--answers <file>', 'answers as a JSON object from a file, or - for stdin (--set wins for the keys it names)')
    .option('--dry-run', 'print what would be created, write nothing')
    .option('-y, --yes', 'accept defaults for prompts not answered by --set')
    .action(act(async () => (await import('./new.js')).newCommand));

  program
    .command('generate')
    .description('render every target of metarepo.yaml and write what changed')
    .option('--dry-run', 'print the changes as a diff, write nothing')
    .option('--check', 'write nothing; exit 1 listing stale files (for CI)')
    .option('--force', 'overwrite generated files edited by hand')
    .option('--merge', '3-way merge generated files edited by hand with the new output (base: .metarepo/base/)')
    .addOption(new Option('--conflicts <mode>', 'with --merge: leave conflicting files untouched and report the hunks, or write conflict markers').choices(['report', 'markers']).default('report'))
    .action(act(async () => (await import('./generate.js')).generateCommand));

  program
    .command('update <project>')
    .description("re-render a scaffolded project's template at its current version with the recorded answers and 3-way merge it into the project")
    .option('-s, --set <key=value...>', 'change an answer, or answer a new question', collect, [])
    .option('--dry-run', 'print the changes as a diff, write nothing')
    .option('-y, --yes', 'take defaults for new questions not answered by --set')
    .addOption(new Option('--conflicts <mode>', 'leave conflicting files untouched and report the hunks, or write conflict markers').choices(['report', 'markers']).default('report'))
    .action(act(async () => (await import('./update.js')).updateCommand));

  program
    .command('watch')
    .description('regenerate when a model, template, generator, plugin or metarepo.yaml changes (one line per run)')
    .option('--debounce <ms>', 'quiet period after the last change before a run', '100')
    .option('--merge', '3-way merge generated files edited by hand (see generate --merge)')
    .addOption(new Option('--conflicts <mode>', 'with --merge: report conflicts, or write conflict markers').choices(['report', 'markers']).default('report'))
    .option('--force', 'overwrite generated files edited by hand')
    .action(act(async () => (await import('./watch.js')).watchCommand));

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
    .command('add [name]')
    .description('add new models at version 1.0.0: one JSON Schema file (named by [name], its $id or its path), or a folder or glob of them with their references kept')
    .requiredOption('--from <file|folder|glob>', 'a JSON Schema file, a folder (every **/*.json) or a quoted glob')
    .option('--dry-run', 'print the models it would add and the missing references, write nothing')
    .option('--strict-refs', 'refuse (exit 2, nothing written) when a reference leads to no schema')
    .action(act(async () => (await import('./model.js')).modelAddCommand));
  model
    .command('infer <name>')
    .description('write the draft of a model inferred from sample JSON/YAML documents or a TypeScript type (file.ts#Type); refines an existing model')
    .requiredOption('--from <sources...>', 'sample files (.json, .yaml) and/or <file.ts>#<Type>')
    .action(act(async () => (await import('./model-infer.js')).modelInferCommand));
  model
    .command('diff <name> [from] [to]')
    .description('list the changes between two versions (default: the draft against the newest, or the two newest) with rule, pointer, impacts')
    .action(act(async () => (await import('./model-diff.js')).modelDiffCommand));
  model
    .command('draft <name>')
    .description('start the working draft (models/<name>/draft.schema.json) from the newest version')
    .action(act(async () => (await import('./model-release.js')).modelDraftCommand));
  model
    .command('bump <name>')
    .description('release the draft as the next version, with the semver bump its changes require under the policy')
    .option('--as <version>', 'release as this version (refused when it understates the change)')
    .option('--dry-run', 'print the version it would release, write nothing')
    .action(act(async () => (await import('./model-release.js')).modelBumpCommand));
  model
    .command('changelog <name>')
    .description('Markdown changelog across versions, also written to docs/models/<name>.md with a reference page per version')
    .option('--no-write', 'print only')
    .action(act(async () => (await import('./model-release.js')).modelChangelogCommand));
  model
    .command('impact <spec>')
    .description('targets, generated files and projects a version (name@version) reaches, and which it breaks')
    .action(act(async () => (await import('./model-diff.js')).modelImpactCommand));

  const docs = program.command('docs').description("the workspace's docs site: models, changelogs, projects, templates, plugins, events, with search");
  docs
    .command('build')
    .description('write the static HTML site (works from file:// and from a server) with its search index')
    .option('--out <dir>', 'the site folder (default .metarepo/docs-site)')
    .action(act(async () => (await import('./docs.js')).docsBuildCommand));
  docs
    .command('search <query>')
    .description('full-text search of the docs: ranked pages with title, site path and a snippet')
    .option('--limit <n>', 'hits at most', (v) => parseCount(v, 1), 10)
    .action(act(async () => (await import('./docs.js')).docsSearchCommand));
  docs
    .command('serve')
    .description('build the site, serve it on 127.0.0.1 and rebuild and reload pages when the workspace changes')
    .option('--port <port>', 'port on 127.0.0.1 (default: one the OS picks)', (v) => parseCount(v, 0))
    .option('--out <dir>', 'the site folder (default .metarepo/docs-site)')
    .action(act(async () => (await import('./docs.js')).docsServeCommand));

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
    .option('--since <sequence|time>', 'only events after this sequence number, or at/after a time (2026-12-07T10:00Z) or age (2h)')
    .option('--until <sequence|time>', 'only events up to this sequence number, time or age')
    .option('--run <runid>', 'only events of this run')
    .option('--source <source>', 'only events from this source (core, a plugin name)')
    .option('--limit <n>', 'only the newest n matching events', (v) => parseCount(v, 1))
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

  const template = program.command('template').description('template authoring: snapshot tests, lint, coverage, output checks, dev loop');
  template
    .command('list')
    .description('every template (workspace and built-in) with its version, generator and fixtures')
    .action(act(async () => (await import('./template.js')).templateListCommand));
  template
    .command('test [names...]')
    .description("render each fixture and compare with snapshots/<template>/<fixture>/; exit 1 on a difference")
    .option('-u, --update', 'rewrite snapshots that differ and remove obsolete ones')
    .option('--fixture <name>', 'only this fixture')
    .option('--coverage', 'report {{#if}}/{{#unless}}/{{#each}}/{{#with}} branches no fixture renders')
    .option('--verify', "run template.yaml's checks (tsc, node-check, json, commands) on each fixture's output")
    .option('--ci', 'never write a missing snapshot: fail instead (also when the CI variable is set, unless --update is given)')
    .option('--builtin', "metarepo's built-in templates (default: the workspace's)")
    .action(act(async () => (await import('./template.js')).templateTestCommand));
  template
    .command('lint [names...]')
    .description('undefined and unused variables, unknown helpers, missing partials, unsafe file names, syntax, JSX braces')
    .option('--builtin', "metarepo's built-in templates (default: the workspace's)")
    .action(act(async () => (await import('./template.js')).templateLintCommand));
  template
    .command('dev <name>')
    .description('render a fixture into .metarepo/preview/ on every save and print the diff against its snapshot')
    .option('--fixture <name>', 'the fixture to render (default: the first in template.yaml)')
    .action(act(async () => (await import('./template-dev.js')).templateDevCommand));
  const patterns = program.command('patterns').description('find families of similar files or declarations and turn them into generators');
  patterns
    .command('detect <path...>')
    .description('find families of similar units, verify a template for each (byte-exact), store them in .metarepo/patterns/')
    .option('--unit <kind>', 'what to compare: file, declaration, member (or a kind a plugin adds)', 'file')
    .option('--min-members <n>', 'smallest family', (v) => parseCount(v, 1), 3)
    .option('--min-savings <share>', 'quality gate: least savings, 0-1 (default 0.25, config patterns.gates)', Number)
    .option('--max-variables-per-member <n>', 'quality gate: most variables per member (default 2)', Number)
    .option('--min-fixed-share <share>', 'quality gate: least share of the template that is fixed text, 0-1 (default 0.2)', Number)
    .option('--llm', 'name variables and families with an OpenAI-compatible model (config patterns.llm or OPENAI_BASE_URL / OPENAI_API_KEY); every suggestion is re-verified')
    .action(act(async () => (await import('./patterns.js')).patternsDetectCommand));
  patterns
    .command('show <id>')
    .description('a stored pattern: template, variables, members and verification')
    .option('--answers <member>', "print one member's answers (its path or key) as JSON, for metarepo new <generator> --answers -")
    .action(act(async () => (await import('./patterns.js')).patternsShowCommand));
  patterns
    .command('adopt <id>')
    .description('turn a pattern into a scaffold generator: generators/<name>.mjs, templates/<name>/, snapshots/<name>/')
    .option('--name <name>', 'generator name (default: the pattern name)')
    .action(act(async () => (await import('./patterns.js')).patternsAdoptCommand));

  program
    .command('mcp')
    .description('MCP server for assistants and editors: tools, resources and prompts over the workspace (stdio; --http for Streamable HTTP on 127.0.0.1)')
    .option('--http', 'serve Streamable HTTP on 127.0.0.1 with a bearer token written to .metarepo/mcp.json (mode 0600)')
    .option('--port <port>', 'with --http: the TCP port (default: one the system picks)')
    .option('--read-only', 'offer no tool that writes')
    .action(act(async () => (await import('./mcp.js')).mcpCommand));

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

