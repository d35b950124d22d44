// The context of a run that changes things (setup, restore): one secrets registry, the UI that masks
// with it, and the guard that turns Ctrl-C, SIGTERM and SIGHUP into an orderly stop.
import { Secrets } from '../core/secrets.js';
import { guardStops, type StopGuard } from '../edge/stop.js';
import { createUi, isInteractive } from '../ui/prompts.js';
import type { StepContext } from './context.js';

export type ChangingRun<Options> = StepContext<Options> & { stop: StopGuard };

export function changingRun<Options extends { json: boolean; yes: boolean }>(options: Options): ChangingRun<Options> {
  const secrets = new Secrets();
  const ui = createUi({ json: options.json, secrets });
  // With --json, stdout holds only the report: the stop summary goes to stderr.
  const stop = guardStops((text) => (options.json ? process.stderr : process.stdout).write(secrets.mask(text)));
  return { options, ui, secrets, stop, canPrompt: !options.yes && !options.json && isInteractive() };
}
