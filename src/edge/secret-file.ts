// Files that hold secrets (.env, the saved previous values). Every write is atomic (temp file in
// the same folder, fsync, rename, fsync the folder), so a failure or Ctrl-C leaves either the old
// file or the new one, never half of one. Only regular files are read or replaced, and every read
// is bounded: a FIFO, a device or a huge file is refused, never waited on or loaded. Error
// messages name files and errno codes, never values.
import { randomBytes } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { lstat, open, readdir, readlink, realpath, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { CliError, EXIT } from '../errors.js';

export const SECRET_MODE = 0o600;
export const SECRET_DIR_MODE = 0o700;
/** .env files and saved state are a few lines; anything past this is the wrong file. */
export const MAX_SECRET_FILE_BYTES = 1024 * 1024;
/** A temp file of ours this old belongs to a run that died (a live write takes milliseconds). */
export const STALE_TEMP_MS = 60_000;

export const errnoOf = (e: unknown) => (e as NodeJS.ErrnoException | undefined)?.code;

/** A file redis-setup will not read or replace: not a regular file, a bad link, or too large. */
export class RefusedFileError extends CliError {
  constructor(message: string, fix: string, code = 'env-file') {
    super(message, EXIT.checkFailed, fix, code);
    this.name = 'RefusedFileError';
  }
}

/** Test seam: how a temp file's bytes are written (tests inject ENOSPC here). */
export const secretFileIo = {
  write: (handle: FileHandle, data: string | Uint8Array): Promise<void> => handle.writeFile(data),
};

export function kindOf(entry: Stats): string {
  if (entry.isDirectory()) return 'a directory';
  if (entry.isFIFO()) return 'a FIFO (named pipe)';
  if (entry.isCharacterDevice()) return 'a character device';
  if (entry.isBlockDevice()) return 'a block device';
  if (entry.isSocket()) return 'a socket';
  if (entry.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

const MIB = 1024 * 1024;
const sizeText = (bytes: number) =>
  bytes >= MIB ? `${(bytes / MIB).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;

function notRegular(file: string, entry: Stats, verb: 'read' | 'replace', code?: string): RefusedFileError {
  return new RefusedFileError(
    `Refusing to ${verb} ${file}: it is ${kindOf(entry)}, not a regular file.`,
    `Replace ${file} with a regular file, or point redis-setup at another one.`,
    code,
  );
}

function tooLarge(file: string, bytes: number, maxBytes: number, code?: string): RefusedFileError {
  const size = `it is ${sizeText(bytes)}, more than the ${sizeText(maxBytes)} redis-setup reads`;
  return new RefusedFileError(
    `Refusing to read ${file}: ${size}.`,
    `Check that ${file} is the right file; point redis-setup at the small text file it expects.`,
    code,
  );
}

function linkLoop(file: string, code?: string): RefusedFileError {
  return new RefusedFileError(
    `${file} is a symbolic link that loops (ELOOP).`,
    `Remove the link (rm ${file}) or point it at a real file.`,
    code,
  );
}

/**
 * Follow a symlinked .env so the link survives and the file it points to is what changes. A
 * missing file resolves to itself; a dangling or looping link is an error (writing would either
 * create a file somewhere unexpected or fail later with a confusing code).
 */
export async function resolveTarget(target: string): Promise<string> {
  const abs = path.resolve(target);
  try {
    return await realpath(abs);
  } catch (e) {
    if (errnoOf(e) === 'ELOOP') throw linkLoop(abs);
    if (errnoOf(e) !== 'ENOENT') throw e;
    const entry = await lstat(abs).catch(() => undefined);
    if (entry?.isSymbolicLink()) {
      const to = await readlink(abs).catch(() => '?');
      throw new RefusedFileError(
        `${abs} is a symbolic link to ${to}, which does not exist.`,
        `Create ${to}, or remove the link (rm ${abs}) so redis-setup writes a regular file.`,
      );
    }
    return abs; // a new file; a missing folder is reported by the write itself
  }
}

export interface WriteOptions {
  /**
   * false: the entry at `target` itself is replaced (a symlink there is replaced, not followed).
   * For files only redis-setup writes (saved state), where following a planted link is a hazard.
   */
  followLinks?: boolean;
}

/**
 * Replace `target` with `data` atomically. Writes through a symlink; refuses anything that is not
 * a regular file. A new file gets mode 0600; an existing one keeps its owner and group and the
 * stricter of its mode and 0600. Returns whether the mode lost group/other bits. A full disk is a
 * CliError (`disk-full`) that leaves the old file and no temp file.
 */
export async function writeEnvAtomic(
  target: string,
  data: string | Uint8Array,
  options: WriteOptions = {},
): Promise<{ modeTightened: boolean }> {
  const follow = options.followLinks !== false;
  const file = follow ? await resolveTarget(target) : path.resolve(target);
  const before = await lstat(file).catch((e: unknown) => {
    if (errnoOf(e) === 'ENOENT') return undefined;
    throw e;
  });
  const existing = before?.isFile() ? before : undefined;
  // /dev/null behind a link, a FIFO, a folder: never replaced. A link we do not follow is replaced.
  if (before && !existing && !(before.isSymbolicLink() && !follow)) throw notRegular(file, before, 'replace');
  const temp = tempPathFor(file);
  await writeTemp(temp, file, data, existing);
  try {
    await rename(temp, file);
  } catch (e) {
    await unlink(temp).catch(() => {});
    throw writeFailure(e, file);
  }
  await syncDir(path.dirname(file));
  return { modeTightened: existing !== undefined && (existing.mode & 0o077) !== 0 };
}

/** `.NAME.redis-setup-<12 hex>.tmp` beside the file: clearStaleTempFiles knows this shape. */
export function tempPathFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.redis-setup-${randomBytes(6).toString('hex')}.tmp`);
}

const TEMP_NAME = /^\.(.+)\.redis-setup-[0-9a-f]{12}\.tmp$/;

async function writeTemp(temp: string, file: string, data: string | Uint8Array, existing?: Stats): Promise<void> {
  const flags = constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | (constants.O_NOFOLLOW ?? 0);
  const handle = await open(temp, flags, SECRET_MODE).catch((e: unknown) => {
    throw writeFailure(e, file);
  });
  let stillOpen = true;
  try {
    await secretFileIo.write(handle, data);
    if (existing) await keepOwner(handle, existing);
    // chmod after chown, and always: the umask may have changed the create mode.
    await handle.chmod(existing ? existing.mode & SECRET_MODE : SECRET_MODE);
    await handle.sync();
    stillOpen = false;
    await handle.close();
  } catch (e) {
    if (stillOpen) await handle.close().catch(() => {});
    await unlink(temp).catch(() => {});
    throw writeFailure(e, file);
  }
}

/** Keep the owner and group of the file we replace (a run as root must not leave it root:root). */
async function keepOwner(handle: FileHandle, existing: Stats): Promise<void> {
  const uid = process.geteuid?.();
  if (uid === undefined || (existing.uid === uid && existing.gid === process.getegid?.())) return;
  try {
    await handle.chown(existing.uid, existing.gid);
  } catch (e) {
    // Root must manage; another user can only give a group it belongs to, so it keeps its own.
    if (uid === 0) throw e;
  }
}

async function syncDir(dir: string): Promise<void> {
  // Make the rename itself durable (not possible on every platform; the data is already synced).
  const d = await open(dir, 'r').catch(() => undefined);
  await d?.sync().catch(() => {});
  await d?.close().catch(() => {});
}

function diskFull(file: string, code: string): CliError {
  const why = code === 'EDQUOT' ? 'the disk quota is used up' : 'the disk is full';
  return new CliError(
    `Cannot write ${file}: ${why} (${code}). The old file is unchanged.`,
    EXIT.checkFailed,
    `Free some space on the disk that holds ${path.dirname(file)}, then run redis-setup again.`,
    'disk-full',
  );
}

function writeFailure(e: unknown, file: string): unknown {
  const code = errnoOf(e);
  return code === 'ENOSPC' || code === 'EDQUOT' ? diskFull(file, code) : e;
}

export function fileError(e: unknown, file: string): CliError {
  if (e instanceof CliError) return e;
  const code = errnoOf(e) ?? 'error';
  if (code === 'ENOSPC' || code === 'EDQUOT') return diskFull(file, code);
  return new CliError(
    `Cannot write ${file} (${code}).`,
    EXIT.checkFailed,
    code === 'EACCES' || code === 'EPERM'
      ? 'Check the permissions of the file and its folder.'
      : 'Check that the folder exists and the disk is not full; or pass another --dotenv.',
    'env-file',
  );
}

/**
 * Remove temp files a killed run left beside `dir`'s files (`.NAME.redis-setup-*.tmp`, only
 * those older than a minute, only regular files). They hold the full new value. `baseName`
 * limits it to one file's temps. Returns the paths removed.
 */
export async function clearStaleTempFiles(dir: string, baseName?: string, nowMs = Date.now()): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    const match = TEMP_NAME.exec(name);
    if (!match || (baseName !== undefined && match[1] !== baseName)) continue;
    const file = path.join(dir, name);
    const entry = await lstat(file).catch(() => undefined);
    if (!entry?.isFile() || nowMs - entry.mtimeMs < STALE_TEMP_MS) continue;
    try {
      await unlink(file);
      removed.push(file);
    } catch {
      // Not ours to remove after all (permissions): leave it.
    }
  }
  return removed;
}

export interface ReadOptions {
  /** false: a symlink is refused (O_NOFOLLOW), for files only redis-setup writes. */
  followLinks?: boolean;
  /** CliError code for refusals. */
  code?: string;
}

/**
 * The bytes of a regular file, at most `maxBytes`, or undefined when it is missing. A FIFO, a
 * device, a folder or a larger file is a RefusedFileError; opening never blocks (O_NONBLOCK) and
 * the type and size are checked again on the open handle, so a swap in between changes nothing.
 */
export async function readBoundedRegularFile(
  file: string,
  maxBytes: number,
  options: ReadOptions = {},
): Promise<Buffer | undefined> {
  const follow = options.followLinks !== false;
  const check = (entry: Stats) => {
    if (!entry.isFile()) throw notRegular(file, entry, 'read', options.code);
    if (entry.size > maxBytes) throw tooLarge(file, entry.size, maxBytes, options.code);
  };
  const missingOr = (e: unknown): undefined => {
    if (errnoOf(e) === 'ENOENT') return undefined;
    if (errnoOf(e) === 'ELOOP' && follow) throw linkLoop(file, options.code);
    if (errnoOf(e) === 'ELOOP') {
      throw new RefusedFileError(
        `Refusing to read ${file}: it is a symbolic link.`,
        `Remove the link (rm ${file}).`,
        options.code,
      );
    }
    throw e;
  };
  const entry = await (follow ? stat(file) : lstat(file)).catch(missingOr);
  if (!entry) return undefined;
  check(entry);
  const noFollow = follow ? 0 : (constants.O_NOFOLLOW ?? 0);
  const flags = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0) | noFollow;
  const handle = await open(file, flags).catch(missingOr);
  if (!handle) return undefined;
  try {
    check(await handle.stat());
    return await readAtMost(handle, maxBytes, file, options.code);
  } finally {
    await handle.close().catch(() => {});
  }
}

async function readAtMost(handle: FileHandle, maxBytes: number, file: string, code?: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(64 * 1024), 0, 64 * 1024, null);
    if (bytesRead === 0) return Buffer.concat(chunks, total);
    chunks.push(buffer.subarray(0, bytesRead));
    total += bytesRead;
    if (total > maxBytes) throw tooLarge(file, total, maxBytes, code); // it grew after the size check
  }
}

/**
 * The bytes of a file we read secrets from or edit (.env, saved state), or undefined when it is
 * missing. Bytes, not text: an edit must keep every byte outside the line it changes. Bounded
 * (1 MiB) and regular files only.
 */
export async function readSecretFile(file: string): Promise<Buffer | undefined> {
  return readBoundedRegularFile(file, MAX_SECRET_FILE_BYTES);
}

export async function readIfExists(file: string): Promise<string | undefined> {
  return (await readSecretFile(file))?.toString('utf8');
}
