// Files that hold secrets (.env, the saved previous values). Every write is atomic (temp file in
// the same folder, fsync, rename, fsync the folder) with mode 0600, so a failure or Ctrl-C leaves
// either the old file or the new one, never half of one. Error messages name files and errno
// codes, never values.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { open, readFile, realpath, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { CliError, EXIT } from '../errors.js';

export const SECRET_MODE = 0o600;
export const SECRET_DIR_MODE = 0o700;

export const errnoOf = (e: unknown) => (e as NodeJS.ErrnoException | undefined)?.code;

/** Follow a symlinked .env so the link survives and the file it points to is what changes. */
export async function resolveTarget(target: string): Promise<string> {
  try {
    return await realpath(target);
  } catch {
    return target;
  }
}

/**
 * Replace `target` with `text` atomically, mode 0600. Returns whether an existing file had a
 * looser mode (group/other bits) that is now tightened.
 */
export async function writeEnvAtomic(target: string, text: string | Uint8Array): Promise<{ modeTightened: boolean }> {
  const file = await resolveTarget(path.resolve(target));
  const dir = path.dirname(file);
  const before = await stat(file).catch(() => undefined);
  const temp = path.join(dir, `.${path.basename(file)}.redis-setup-${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, SECRET_MODE);
  try {
    await handle.writeFile(text);
    await handle.chmod(SECRET_MODE); // the umask may have changed the create mode
    await handle.sync();
    await handle.close();
    await rename(temp, file);
  } catch (e) {
    await handle.close().catch(() => {});
    await unlink(temp).catch(() => {});
    throw e;
  }
  // Make the rename itself durable (not possible on every platform; the data is already synced).
  const d = await open(dir, 'r').catch(() => undefined);
  await d?.sync().catch(() => {});
  await d?.close().catch(() => {});
  return { modeTightened: before !== undefined && (before.mode & 0o077) !== 0 };
}

export function fileError(e: unknown, file: string): CliError {
  if (e instanceof CliError) return e;
  const code = errnoOf(e) ?? 'error';
  return new CliError(`Cannot write ${file} (${code}).`, EXIT.checkFailed,
    code === 'EACCES' || code === 'EPERM' ? 'Check the permissions of the file and its folder.' : 'Check that the folder exists and the disk is not full; or pass another --env-file.', 'env-file');
}

export async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') return undefined;
    throw e;
  }
}


/**
 * The bytes of a file we read secrets from or edit (.env, saved state), or undefined when it is
 * missing. Bytes, not text: an edit must keep every byte outside the line it changes.
 */
export async function readSecretFile(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') return undefined;
    throw e;
  }
}
