// Failure injection: a test makes the next matching call fail (or stall, or answer a canned API body).
import { Exit, RwError } from './errors.ts';
import type { Cli } from './io.ts';
import { mutate, sleepSync } from './state.ts';
import type { FakeInjection, FakeState, ServiceState } from './types.ts';

/** What a call is about when it checks for injections. */
export interface InjectionTarget {
  /** The resolved service, or null at the project/environment stage (and for `api`). */
  service: ServiceState | null;
  /** `api`: the root fields of the document. */
  rootFields?: string[];
}

function matches(inj: FakeInjection, cli: Cli, target: InjectionTarget): boolean {
  if (inj.command !== '*' && inj.command !== cli.command) return false;
  if (inj.times !== undefined && inj.times <= 0) return false;
  // An injection for a service fires once the service is known; one without fires at the first stage.
  if (
    inj.service === undefined
      ? target.service !== null
      : target.service?.name.toLowerCase() !== inj.service.toLowerCase()
  )
    return false;
  return inj.operation === undefined || (target.rootFields ?? []).includes(inj.operation);
}

/** Claims the first matching injection (counting it down under the lock) and waits out its delay. */
export function takeInjection(cli: Cli, state: FakeState, target: InjectionTarget): FakeInjection | null {
  const idx = state.inject.findIndex((inj) => matches(inj, cli, target));
  if (idx < 0) return null;
  const hit = mutate(cli.dir, (s) => {
    const live = s.inject[idx];
    if (!live || (live.times !== undefined && live.times <= 0)) return null;
    if (live.times !== undefined) live.times -= 1;
    live.hits = (live.hits ?? 0) + 1;
    return { ...live };
  });
  if (hit?.delayMs) sleepSync(hit.delayMs);
  return hit;
}

/** The CLI's text for a 429 outside `railway api` (src/errors.rs ratelimit_message). */
export function rateLimitMessage(seconds: number): string {
  return seconds > 90
    ? `You are being ratelimited. Try again in about ${Math.ceil(seconds / 60)} minutes`
    : `You are being ratelimited. Try again in ${seconds} seconds`;
}

/** For every command but `api`: fail the way the injection says, or carry on after a delay. */
export function maybeInject(cli: Cli, state: FakeState, target: InjectionTarget): void {
  const hit = takeInjection(cli, state, target);
  if (!hit) return;
  if (hit.rateLimitSeconds !== undefined) throw new RwError(rateLimitMessage(hit.rateLimitSeconds));
  if (hit.exit === undefined && hit.stderr === undefined && hit.stdout === undefined) return;
  if (hit.stdout) cli.write(hit.stdout.endsWith('\n') ? hit.stdout : `${hit.stdout}\n`);
  if (hit.stderr) process.stderr.write(hit.stderr.endsWith('\n') ? hit.stderr : `${hit.stderr}\n`);
  throw new Exit(hit.exit ?? 1);
}
