// Entry point. Kept tiny on purpose: which command, its --help, and a strict parse of its flags.
// Each command (and every heavy dependency) is imported only when it runs, so `--help` and a
// usage error start as fast as plain node.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { COMMAND_NAMES, COMMANDS, type CommandName, commandHelp, overviewHelp } from './core/flags.js';
import type { RawFlags } from './core/options.js';

declare const __VERSION__: string | undefined;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev';

type Parsed = { command: CommandName; flags: RawFlags; args: string[] };

function usageError(message: string, command?: CommandName): never {
  const help = command ? `redis-setup ${command} --help` : 'redis-setup --help';
  process.stderr.write(`✖ ${message}\n  Fix: see ${help}\n`);
  process.exit(2);
}

function whichCommand(argv: string[]): { command: CommandName; rest: string[]; named: boolean } {
  const first = argv[0];
  if (first === undefined || first.startsWith('-')) return { command: 'setup', rest: argv, named: false };
  if ((COMMAND_NAMES as readonly string[]).includes(first)) {
    return { command: first as CommandName, rest: argv.slice(1), named: true };
  }
  if (first === 'help') {
    const topic = argv[1];
    if (topic && (COMMAND_NAMES as readonly string[]).includes(topic)) {
      process.stdout.write(`${commandHelp(topic as CommandName, VERSION)}\n`);
    } else {
      process.stdout.write(`${overviewHelp(VERSION)}\n`);
    }
    process.exit(0);
  }
  return usageError(`Unknown command "${first}". Commands: ${COMMAND_NAMES.join(', ')}.`);
}

function parseFlags(command: CommandName, rest: string[]): { flags: RawFlags; args: string[] } {
  const spec = COMMANDS[command];
  const options: ParseArgsConfig['options'] = {};
  for (const [name, flag] of Object.entries(spec.flags)) {
    options[name] = { type: flag.type, ...(flag.short ? { short: flag.short } : {}) };
    if (flag.alias) options[flag.alias] = { type: flag.type };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: rest, options, allowPositionals: true, strict: true });
  } catch (e) {
    // parseArgs names the flag: "Unknown option '--env'…", "Option '--timeout <value>' argument missing".
    return usageError(`${(e as Error).message.replace(/\. To specify a positional.*$/s, '.')}`, command);
  }
  const flags: RawFlags = { ...parsed.values };
  for (const [name, flag] of Object.entries(spec.flags)) {
    if (flag.alias && flags[flag.alias] !== undefined) {
      if (flags[name] !== undefined) usageError(`Give --${name} or --${flag.alias}, not both.`, command);
      flags[name] = flags[flag.alias];
      delete flags[flag.alias];
    }
  }
  if (parsed.positionals.length > spec.maxArgs) {
    const extra = parsed.positionals[spec.maxArgs];
    usageError(
      `${command} takes ${spec.maxArgs === 0 ? 'no arguments' : `at most ${spec.maxArgs}`} (got "${extra}").`,
      command,
    );
  }
  return { flags, args: parsed.positionals };
}

function parse(argv: string[]): Parsed {
  if (argv.includes('--version') || argv.includes('-v')) {
    process.stdout.write(`${VERSION}\n`);
    process.exit(0);
  }
  const { command, rest, named } = whichCommand(argv);
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${named ? commandHelp(command, VERSION) : overviewHelp(VERSION)}\n`);
    process.exit(0);
  }
  return { command, ...parseFlags(command, rest) };
}

async function loadCommand(command: CommandName) {
  // Literal specifiers: the bundler makes each command its own lazily loaded chunk.
  switch (command) {
    case 'check':
      return import('./commands/check.js');
    case 'setup':
      return import('./commands/setup.js');
    case 'doctor':
      return import('./commands/doctor.js');
    case 'restore':
      return import('./commands/restore.js');
  }
}

async function main(): Promise<number> {
  const { command, flags, args } = parse(process.argv.slice(2));
  try {
    return await (await loadCommand(command)).run(flags, args);
  } catch (e) {
    const { printFailure } = await import('./ui/output.js');
    return printFailure(e, { json: flags.json === true, debug: flags.debug === true });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    // printFailure itself failed: the one message that cannot be more specific.
    process.stderr.write('✖ redis-setup stopped unexpectedly.\n');
    process.exitCode = 1;
  },
);
