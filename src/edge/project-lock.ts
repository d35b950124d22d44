// One run at a time per project folder. Two runs at once lose the saved previous values and
// each other's updates, so setup and restore hold `.redis-setup/lock` while they read, change
// and save. The lock appears complete or not at all (written to a temp file, then hard-linked
// into place, which fails if a lock exists), and names its holder: pid, process start time, host.
// A lock whose process is gone, or whose pid now belongs to another process, is taken over.
import { randomBytes } from 'node:crypto';
import { constants, readFileSync, unlinkSync } from 'node:fs';
import { link, open, rename, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CliError, EXIT } from '../errors.js';
import { errnoOf, fileError, readBoundedRegularFile, SECRET_MODE, tempPathFor } from './secret-file.js';
import { ensureStateDir, removeStateDirIfEmpty } from './state-trust.js';

export const LOCK_FILE = 'lock';

export interface LockHolder {
  pid: number;
  /** When the lock was taken (ISO). */
  startedAt: string;
  /** The process's start time in clock ticks since boot (/proc/PID/stat field 22), where known. */
  procStart: string | null;
  host: string;
  /** Tells this lock from a later one by the same pid. */
  nonce: string;
}

export interface ProjectLock {
  readonly file: string;
  /** Idempotent; removes the lock only while it is still ours. */
  release(): Promise<void>;
  /** The same, synchronously: usable from process.on('exit'). */
  releaseSync(): void;
}

export interface LockOptions {
  /** How long to wait for a running run to finish before refusing (default 0: refuse at once). */
  waitMs?: number;
  /** How often to look again while waiting (default 100 ms). */
  pollMs?: number;
}

type Seen = LockHolder | 'gone' | 'garbage';

/** Take the project's lock, waiting up to `waitMs` for another run; refuses with a CliError naming it. */
export async function acquireProjectLock(projectDir: string, options: LockOptions = {}): Promise<ProjectLock> {
  const deadline = Date.now() + (options.waitMs ?? 0);
  const me = ownHolder();
  let file = path.join(projectDir, '.redis-setup', LOCK_FILE);
  let folderVanished = 0;
  for (;;) {
    try {
      file = path.join(await ensureStateDir(projectDir), LOCK_FILE);
      if (await tryCreate(file, me)) return lockHandle(projectDir, file, me);
    } catch (e) {
      // The folder vanished under us (a finishing run removes it when empty): make it again.
      if (errnoOf(e) === 'ENOENT' && ++folderVanished < 10) continue;
      throw fileError(e, file);
    }
    const holder = await readHolder(file);
    if (holder === 'gone') continue;
    if (holder === 'garbage' || staleReason(holder, me) !== undefined) {
      await takeOver(file, holder);
      continue;
    }
    const left = deadline - Date.now();
    if (left <= 0) throw lockedError(projectDir, file, holder);
    await sleep(Math.min(options.pollMs ?? 100, left));
  }
}

function ownHolder(): LockHolder {
  return {
    pid: process.pid,
    startedAt: new Date().toISOString(),
    procStart: procStartOf(process.pid),
    host: os.hostname(),
    nonce: randomBytes(8).toString('hex'),
  };
}

/** Write the holder to a temp file, then link it into place: EEXIST means another run holds it. */
async function tryCreate(file: string, me: LockHolder): Promise<boolean> {
  const temp = tempPathFor(file);
  const flags = constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | (constants.O_NOFOLLOW ?? 0);
  const handle = await open(temp, flags, SECRET_MODE);
  try {
    await handle.writeFile(`${JSON.stringify(me)}\n`);
    await handle.chmod(SECRET_MODE); // whatever the umask
    await handle.close();
    await link(temp, file);
    return true;
  } catch (e) {
    await handle.close().catch(() => {});
    if (errnoOf(e) === 'EEXIST') return false;
    throw e;
  } finally {
    await unlink(temp).catch(() => {});
  }
}

async function readHolder(file: string): Promise<Seen> {
  let bytes: Buffer | undefined;
  try {
    bytes = await readBoundedRegularFile(file, 4096, { followLinks: false });
  } catch (e) {
    if (e instanceof CliError) return 'garbage'; // not a regular file: not a lock we wrote
    throw fileError(e, file);
  }
  return bytes === undefined ? 'gone' : parseHolder(bytes.toString('utf8'));
}

function parseHolder(text: string): LockHolder | 'garbage' {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'garbage';
  }
  const h = value as Partial<LockHolder> | null;
  // A pid of 0 or below would address process groups in process.kill.
  const valid =
    typeof h === 'object' &&
    h !== null &&
    Number.isSafeInteger(h.pid) &&
    (h.pid ?? 0) > 0 &&
    typeof h.startedAt === 'string' &&
    typeof h.host === 'string' &&
    typeof h.nonce === 'string' &&
    (h.procStart === null || typeof h.procStart === 'string');
  return valid ? (h as LockHolder) : 'garbage';
}

/** Why the holder can no longer be running, or undefined when it may be. */
export function staleReason(holder: LockHolder, me: LockHolder = ownHolder()): string | undefined {
  if (holder.host !== me.host) return undefined; // another machine's pid says nothing here
  if (holder.pid === me.pid) {
    const sinceThisProcess = Date.parse(holder.startedAt) >= processStartMs() - 1000;
    return holder.procStart === me.procStart && sinceThisProcess ? undefined : `pid ${holder.pid} is now this run`;
  }
  if (!isAlive(holder.pid)) return `no process ${holder.pid} is running`;
  const start = procStartOf(holder.pid);
  if (start !== null && holder.procStart !== null && start !== holder.procStart) {
    return `pid ${holder.pid} now belongs to another process`;
  }
  return undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errnoOf(e) === 'EPERM'; // exists, but belongs to another user
  }
}

const processStartMs = () => Date.now() - process.uptime() * 1000;

/** Field 22 of /proc/PID/stat; the command name (field 2) may hold spaces and parentheses. */
export function procStartOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

/**
 * Move the stale lock aside and check that what moved is the one judged stale. If another run
 * took the lock in between, its lock is linked back (the residual race needs three runs within
 * that instant).
 */
async function takeOver(file: string, judged: LockHolder | 'garbage'): Promise<void> {
  const aside = `${file}.stale-${randomBytes(6).toString('hex')}`;
  try {
    await rename(file, aside);
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') return;
    throw fileError(e, file);
  }
  const moved = await readHolder(aside);
  const same = judged === 'garbage' ? moved === 'garbage' : typeof moved === 'object' && moved.nonce === judged.nonce;
  if (!same) await link(aside, file).catch(() => {});
  await unlink(aside).catch(() => {});
}

function lockedError(projectDir: string, file: string, holder: LockHolder): CliError {
  const where = holder.host === os.hostname() ? '' : ` on ${holder.host}`;
  return new CliError(
    `Another redis-setup run is working on ${projectDir}: pid ${holder.pid}${where}, started ${holder.startedAt}. ` +
      "Two runs at once would lose the saved previous values and each other's changes.",
    EXIT.checkFailed,
    `Wait for it to finish, then run again. If no such run exists, delete ${file}.`,
    'locked',
  );
}

function lockHandle(projectDir: string, file: string, me: LockHolder): ProjectLock {
  let released = false;
  const isOurs = (text: string) => {
    const holder = parseHolder(text);
    return holder !== 'garbage' && holder.nonce === me.nonce;
  };
  const releaseSync = () => {
    if (released) return;
    released = true;
    process.removeListener('exit', releaseSync);
    let text: string | undefined;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return; // already gone
    }
    if (isOurs(text)) unlinkQuietly(file);
  };
  process.on('exit', releaseSync);
  return {
    file,
    releaseSync,
    release: async () => {
      releaseSync();
      await removeStateDirIfEmpty(projectDir);
    },
  };
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // gone already
  }
}
