// Typed exits: every failure a user can see is one of these, written for them.
// The top level prints `message` and `fix`, never a stack, and exits with `exitCode`.

export const EXIT = {
  ok: 0,
  checkFailed: 1,
  usage: 2,
  railway: 3,
  unhealthy: 4,
  hangup: 129,
  cancelled: 130,
  terminated: 143,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

// `check` ships as its own bundle, with its own copy of these classes; the entry point's error
// printer comes from the shared one. A brand, not the copy, says what a CliError is.
const BRAND = Symbol.for('redis-setup.CliError');

export class CliError extends Error {
  readonly [BRAND] = true;

  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class on the right of instanceof (maybe a subclass)
    if (this !== CliError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
  }

  constructor(
    message: string,
    readonly exitCode: ExitCode,
    readonly fix?: string,
    /** Stable machine-readable code for --json output. */
    readonly code: string = 'error',
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export class UsageError extends CliError {
  constructor(message: string, fix?: string) {
    super(message, EXIT.usage, fix, 'usage');
    this.name = 'UsageError';
  }
}

export class CancelledError extends CliError {
  constructor(
    message = 'Cancelled.',
    /** Ctrl-C at a prompt, as opposed to while something was being changed. */
    readonly atPrompt = false,
    /** 130 for Ctrl-C; 143 for SIGTERM and 129 for SIGHUP. */
    exitCode: ExitCode = EXIT.cancelled,
  ) {
    super(message, exitCode, undefined, 'cancelled');
    this.name = 'CancelledError';
  }
}
