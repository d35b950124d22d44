// Before a run that writes: take the project's lock (one run at a time), and clear temp files a
// killed run of ours left behind (they hold a full URL).
import path from 'node:path';
import { acquireProjectLock, type ProjectLock } from '../edge/project-lock.js';
import { clearStaleTempFiles, resolveTarget } from '../edge/secret-file.js';
import { STATE_DIR } from '../edge/state-trust.js';

/** How long a second run waits for the first before refusing, naming it. */
const LOCK_WAIT_MS = 3000;

export async function guardProject(cwd: string, envFile: string | undefined): Promise<ProjectLock> {
  const lock = await acquireProjectLock(cwd, { waitMs: LOCK_WAIT_MS });
  await clearStaleTempFiles(path.join(cwd, STATE_DIR)).catch(() => []);
  if (envFile) {
    const real = await resolveTarget(envFile).catch(() => undefined);
    if (real) await clearStaleTempFiles(path.dirname(real), path.basename(real)).catch(() => []);
  }
  return lock;
}
