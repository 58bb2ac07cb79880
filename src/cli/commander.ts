import { createRequire } from 'node:module';

// commander is CommonJS; requiring it directly skips the ESM wrapper, which costs ~15 ms of every start.
const commander = createRequire(import.meta.url)('commander') as typeof import('commander');

export const { Command, CommanderError, InvalidArgumentError, Option } = commander;
export type Command = import('commander').Command;
