// Runs one command and turns every failure into words written for the user and an exit code.
import type { Flags } from './cli.js';
import { CliError, EXIT, UsageError } from './errors.js';
import { maskText } from './core/mask.js';

export async function run(command: 'setup' | 'check' | 'doctor' | 'restore', flags: Flags, args: string[]): Promise<number> {
  try {
    switch (command) {
      case 'check':
        return await (await import('./commands/check-command.js')).checkCommand(flags, args);
      case 'setup':
        return await (await import('./commands/setup.js')).setupCommand(flags, args);
      case 'doctor':
        return await (await import('./commands/doctor.js')).doctorCommand(flags, args);
      case 'restore':
        return await (await import('./commands/restore.js')).restoreCommand(flags, args);
    }
  } catch (e) {
    return reportFailure(e, flags);
  }
}

export function reportFailure(e: unknown, flags: Pick<Flags, 'json' | 'debug'>): number {
  const err = e instanceof CliError
    ? e
    : new CliError(`Unexpected error: ${maskText(e instanceof Error ? e.message : String(e))}`, EXIT.checkFailed,
        'This is a bug in redis-setup. Run again with --debug and report the output.', 'internal');
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ ok: false, code: err.code, message: maskText(err.message), fix: err.fix ?? '' }, null, 2)}\n`);
  } else {
    process.stderr.write(`✖ ${maskText(err.message)}\n${err.fix ? `  Fix: ${maskText(err.fix)}\n` : ''}`);
  }
  if (flags.debug && e instanceof Error && e.stack) process.stderr.write(`${maskText(e.stack)}\n`);
  return err.exitCode;
}

/** Parse a positive number of seconds from a flag, or say which flag is wrong. */
export function secondsFlag(name: string, value: string | undefined, fallback: number, allowZero = false): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || (n === 0 && !allowZero) || n > 3600) {
    throw new UsageError(`--${name} must be a number of seconds between 0 and 3600, not "${value}".`, `Example: --${name} ${fallback}`);
  }
  return n;
}

export async function readAllStdin(): Promise<string> {
  if (process.stdin.isTTY) {
    throw new UsageError('--url-stdin reads the URL from a pipe, but stdin is a terminal.', 'Pipe it: printf %s "$REDIS_URL" | npx redis-setup … --url-stdin');
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
