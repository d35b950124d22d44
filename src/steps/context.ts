// What every step receives: resolved options (never raw flags), the one UI, the run's secrets,
// and whether anyone can be asked. A step asks only when no flag answered.
import type { Secrets } from '../core/secrets.js';
import { UsageError } from '../errors.js';
import type { Ui } from '../ui/prompts.js';

export interface StepContext<Options> {
  options: Options;
  ui: Ui;
  secrets: Secrets;
  /** False with --yes, --json or without a terminal (CI). */
  canPrompt: boolean;
}

/** A missing answer in a run that cannot ask: say which flag gives it. */
export function missingFlag(what: string, flag: string): UsageError {
  return new UsageError(
    `${what} is needed, and this run cannot ask for it (no terminal, --yes or --json).`,
    `Pass ${flag}.`,
  );
}
