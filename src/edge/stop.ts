// Stop requests: Ctrl-C (SIGINT), a cancelled CI job (SIGTERM), a closed terminal (SIGHUP).
// While a change is being made, a stop waits for the call in flight, so nothing is cut in half;
// while we only read or watch, it stops at once: children killed, what changed said, exit code.
import { EXIT } from '../errors.js';
import { stopAllGroups } from './children.js';

export type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';
export const STOP_EXIT_CODES = { SIGINT: EXIT.cancelled, SIGTERM: EXIT.terminated, SIGHUP: EXIT.hangup } as const;
const SIGNALS: StopSignal[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export interface StopGuard {
  /** The first stop request, if any. */
  readonly requested: StopSignal | undefined;
  /** 'defer' while a change is being made; 'now' otherwise. */
  phase: 'defer' | 'now';
  /** What to say when stopping now (for example: exactly what was changed, and how to undo it). */
  summary: (signal: StopSignal) => string;
  dispose(): void;
}

export function guardStops(write: (text: string) => void): StopGuard {
  let requested: StopSignal | undefined;
  const guard: StopGuard = {
    get requested() {
      return requested;
    },
    phase: 'now',
    summary: (signal) => `Stopped (${signalName(signal)}). Nothing was changed.`,
    dispose() {
      for (const s of SIGNALS) process.off(s, handlers[s]);
    },
  };
  const handlers = Object.fromEntries(
    SIGNALS.map((signal) => [
      signal,
      () => {
        requested ??= signal;
        if (guard.phase === 'defer') return;
        stopAllGroups();
        try {
          write(`\n${guard.summary(signal)}\n`);
        } catch {
          // a closed terminal (SIGHUP) may refuse the write; the exit code still tells
        }
        process.exit(STOP_EXIT_CODES[signal]);
      },
    ]),
  ) as Record<StopSignal, () => void>;
  for (const s of SIGNALS) process.on(s, handlers[s]);
  return guard;
}

export function signalName(signal: StopSignal): string {
  return signal === 'SIGINT' ? 'Ctrl-C' : signal === 'SIGHUP' ? 'SIGHUP: the terminal closed' : 'SIGTERM';
}

/** For code that runs without a guard (unit tests): nothing is ever requested. */
export const NO_STOPS: StopGuard = { requested: undefined, phase: 'now', summary: () => '', dispose: () => {} };
