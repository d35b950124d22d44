import type { Options } from '../clap.ts';
import type { Cli } from '../io.ts';
import type { FakeState } from '../types.ts';

/** A parsed command line: subcommand path, flags, positionals. */
export interface Command {
  path: string[];
  opts: Options;
  pos: string[];
}

export type CommandHandler = (cli: Cli, state: FakeState, cmd: Command) => void | Promise<void>;
