// state.json under an exclusive lock file: every read-modify-write of the fake (CLI calls, supervisors
// and the test helper) goes through mutate(), so parallel invocations never lose an update.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { lockFile, stateFile } from './paths.ts';
import type { FakeState } from './types.ts';

const STALE_LOCK_MS = 5000;
const LOCK_TIMEOUT_MS = 15000;

export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** The current state; retries while a writer's rename is in flight. */
export function readState(dir: string): FakeState {
  for (let attempt = 0; ; attempt++) {
    try {
      return JSON.parse(fs.readFileSync(stateFile(dir), 'utf8')) as FakeState;
    } catch (e) {
      if (attempt > 50) throw e;
      sleepSync(5);
    }
  }
}

/** Atomic replace: a reader never sees half a file. */
export function writeState(dir: string, state: FakeState): void {
  const tmp = `${stateFile(dir)}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(state, null, 2));
  fs.renameSync(tmp, stateFile(dir));
}

function acquireLock(dir: string): void {
  const file = lockFile(dir);
  const started = Date.now();
  for (;;) {
    try {
      const fd = fs.openSync(file, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      removeStaleLock(file);
      if (Date.now() - started > LOCK_TIMEOUT_MS) throw new Error('fake railway: state lock timeout');
      sleepSync(5 + Math.floor(Math.random() * 10));
    }
  }
}

/** A holder that died mid-update must not block everyone else forever. */
function removeStaleLock(file: string): void {
  try {
    if (Date.now() - fs.statSync(file).mtimeMs > STALE_LOCK_MS) fs.rmSync(file, { force: true });
  } catch {
    /* already gone */
  }
}

/** Read-modify-write under the lock. fn gets the fresh state and may mutate it. */
export function mutate<T>(dir: string, fn: (state: FakeState) => T): T {
  acquireLock(dir);
  try {
    const state = readState(dir);
    const result = fn(state);
    writeState(dir, state);
    return result;
  } finally {
    fs.rmSync(lockFile(dir), { force: true });
  }
}

/** Fill in fields that state files written by older helpers lack. */
export function withDefaults(state: FakeState): FakeState {
  state.sharedVariables ??= {};
  state.sealed ??= {};
  state.stagedChanges ??= {};
  state.patchServiceNameKeys ??= 'resolve';
  state.inject ??= [];
  state.variables ??= {};
  state.privateNetwork ??= {};
  state.timing ??= {};
  return state;
}
