#!/usr/bin/env node
// The metarepo CLI entry point. Only commander and the command registrations load here; each command imports
// what it needs when it runs, so `metarepo --help` stays fast.
import { Command, CommanderError } from 'commander';
import { EXIT_BAD_INPUT } from '../errors.js';
import { TOOL_VERSION } from '../version.js';
import { registerCommands } from './commands.js';
import { reportError, type GlobalOptions } from './output.js';

const program = new Command('metarepo')
  .description('Codegen toolkit and project generator for monorepos: versioned JSON Schema models, scaffolds, events.')
  .version(TOOL_VERSION, '-V, --version')
  .option('-C, --cwd <dir>', 'run as if started in <dir>')
  .option('--verbose', 'print stack traces and debug output')
  .option('--json', 'machine-readable JSON output')
  .exitOverride()
  .showHelpAfterError('(run with --help for usage)');

function globals(): GlobalOptions {
  const o = program.opts<{ cwd?: string; verbose?: boolean; json?: boolean }>();
  return { cwd: o.cwd ?? process.cwd(), verbose: !!o.verbose, json: !!o.json };
}

registerCommands(program, globals);

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
