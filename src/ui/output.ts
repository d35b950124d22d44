// The last word of a run that failed: our own message and fix, never a stack (unless --debug,
// masked), as one JSON object with --json. Also the one place that prints --json reports.
import { maskText, sanitizeForTerminal } from '../core/mask.js';
import { CliError, EXIT } from '../errors.js';

const INTERNAL_FIX = 'This is a bug in redis-setup. Run again with --debug and report the output.';

export function asCliError(e: unknown): CliError {
  if (e instanceof CliError) return e;
  const what = maskText(e instanceof Error ? e.message : String(e));
  return new CliError(`Unexpected error: ${what}`, EXIT.checkFailed, INTERNAL_FIX, 'internal');
}

export function printFailure(
  e: unknown,
  opts: { json: boolean; debug: boolean; mask?: (t: string) => string },
): number {
  const err = asCliError(e);
  const mask = (t: string) => (opts.mask ? opts.mask(t) : maskText(t));
  if (opts.json) {
    printJson({ ok: false, code: err.code, message: mask(err.message), fix: mask(err.fix ?? '') });
  } else {
    // Stripped first: a secret split by an escape sequence would be joined again after masking.
    const shown = (t: string) => mask(sanitizeForTerminal(t));
    process.stderr.write(`✖ ${shown(err.message)}\n${err.fix ? `  Fix: ${shown(err.fix)}\n` : ''}`);
  }
  if (opts.debug && e instanceof Error && e.stack) process.stderr.write(`${mask(e.stack)}\n`);
  return err.exitCode;
}

export function printJson(value: unknown, mask: (t: string) => string = maskText): void {
  process.stdout.write(`${mask(JSON.stringify(value, null, 2))}\n`);
}
