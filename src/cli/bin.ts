#!/usr/bin/env node
// The metarepo CLI entry point. Only commander and the command registrations load here; each command imports
// what it needs when it runs, so `metarepo --help` stays fast.
import { Command, CommanderError } from './commander.js';
import { EXIT_BAD_INPUT } from '../core/errors.js';
import { TOOL_VERSION } from '../core/version.js';
import { registerCommands } from './commands.js';
import { configureColors, endQuietlyOnClosedPipe, reportError, type GlobalOptions } from './output.js';

// Colours only on a terminal (or with FORCE_COLOR), before any command module captures a colour function.
configureColors();
// `metarepo … | head -1`: a reader that leaves early ends the run with exit 0, without an EPIPE stack trace.
endQuietlyOnClosedPipe();

const program = new Command('metarepo')
  .description('Codegen toolkit and project generator for monorepos: versioned JSON Schema models, scaffolds, events.')
  .version(TOOL_VERSION, '-V, --version')
  .option('-C, --cwd <dir>', 'run as if started in <dir>')
  .option('--verbose', 'print stack traces and debug output')
  .option('--json', 'machine-readable JSON output')
  .option('--strict', 'development mode: an event payload that breaks its schema is an error')
  .exitOverride()
  .showHelpAfterError('(run with --help for usage)');

function globals(): GlobalOptions {
  const o = program.opts<{ cwd?: string; verbose?: boolean; json?: boolean; strict?: boolean }>();
  return { cwd: o.cwd ?? process.cwd(), verbose: !!o.verbose, json: !!o.json, strict: !!o.strict };
}

registerCommands(program, globals);
const requested = requestedCommand(process.argv.slice(2));
const versionOnly = process.argv.includes('-V') || process.argv.includes('--version');
if (!versionOnly && (requested === undefined || !program.commands.some((c) => c.name() === requested))) {
  const { registerPluginCommands } = await import('./plugin-commands.js');
  await registerPluginCommands(program, globals, cwdOption(process.argv.slice(2)) ?? process.cwd());
}

/** The first word of the command line that is not an option (or an option's value). */
function requestedCommand(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '-C' || argv[i] === '--cwd') i++;
    else if (!argv[i].startsWith('-')) return argv[i];
  }
  return undefined;
}

function cwdOption(argv: string[]): string | undefined {
  const i = argv.findIndex((a) => a === '-C' || a === '--cwd');
  return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith('--cwd='))?.slice(6);
}

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    // --help and --version exit 0; any other commander error is bad usage.
    process.exitCode = e.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
  } else {
    process.exitCode = reportError(globals(), e);
  }
}
