// A rollback that cannot make things worse. Pure: given what each changed service held before,
// whether that value still works, and how each service ended, decide what goes back.
// - A previous value Redis rejects is never put back: it would only restore the outage.
// - Same server (a password rotation): only the services that failed go back; healthy ones keep.
// - Another server (a provider switch): all go back or none does, so the bot never enqueues on
//   one server while the worker consumes from the other.

export interface RollbackCandidate {
  name: string;
  /** It did not prove healthy (or, after a change that stopped partway, nothing was proven). */
  failed: boolean;
  /** Does its previous value still work? false: Redis rejects it; undefined: cannot be told from here. */
  previousAlive: boolean | undefined;
  /** Why it is dead, in words (for the explanation). */
  deadBecause?: string;
  /** A sealed previous value cannot be put back at all. */
  sealed?: boolean;
}

export interface RollbackInput {
  services: RollbackCandidate[];
  /** The new value points at another server than the previous ones. */
  switched: boolean;
  env?: { previousAlive: boolean | undefined };
  shared?: { previousAlive: boolean | undefined };
}

export interface RollbackDecision {
  restore: string[];
  keep: { name: string; why: string }[];
  env: boolean;
  shared: boolean;
  /** One line per service (and .env, shared): what this rollback does to it. */
  lines: string[];
}

const canGoBack = (c: RollbackCandidate) => !c.sealed && c.previousAlive !== false;

function whyKept(c: RollbackCandidate, input: RollbackInput, allOrNothing: boolean): string {
  if (!c.failed && !allOrNothing) return 'it is healthy on the new value';
  if (c.sealed) return 'its previous value was sealed: it could not be saved, so it cannot be put back';
  if (c.previousAlive === false)
    return (
      `its previous value is rejected${c.deadBecause ? ` (${c.deadBecause})` : ''}: putting ` +
      `it back would only restore the outage`
    );
  if (allOrNothing) return 'another service cannot go back, and the services must not end up on two servers';
  return input.switched ? 'kept with the others' : 'kept';
}

export function decideRollback(input: RollbackInput): RollbackDecision {
  const { services } = input;
  let restore: RollbackCandidate[];
  let allOrNothing = false;
  if (input.switched) {
    // Everything goes back to the previous server, or nothing does.
    allOrNothing = !services.every(canGoBack) || input.shared?.previousAlive === false;
    restore = allOrNothing ? [] : services;
  } else {
    restore = services.filter((c) => c.failed && canGoBack(c));
  }
  const names = new Set(restore.map((c) => c.name));
  const keep = services
    .filter((c) => !names.has(c.name))
    .map((c) => ({ name: c.name, why: whyKept(c, input, allOrNothing) }));
  // .env and a shared value serve every service: they go back only when every service does.
  const everything = services.length > 0 && restore.length === services.length && input.switched;
  const env = everything && input.env !== undefined && input.env.previousAlive !== false;
  const shared = everything && input.shared !== undefined && input.shared.previousAlive !== false;
  const lines = [
    ...restore.map((c) => `${c.name}: back to its previous value`),
    ...keep.map((k) => `${k.name}: keeps the new value (${k.why})`),
    ...(input.shared ? [`shared variable: ${shared ? 'back to its previous value' : 'keeps the new value'}`] : []),
    ...(input.env ? [`.env: ${env ? 'back to its previous value' : 'keeps the new value'}`] : []),
  ];
  return { restore: restore.map((c) => c.name), keep, env, shared, lines };
}
