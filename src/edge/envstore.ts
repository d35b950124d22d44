// Files that hold secrets: .env and the saved previous values for `restore`. Every write is
// atomic (temp file in the same folder, fsync, rename, fsync the folder) with mode 0600, so a
// failure or Ctrl-C leaves either the old file or the new one, never half of one.
// Nothing here logs, and error messages name files and errno codes, never values.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { appendFile, chmod, mkdir, open, readdir, readFile, realpath, rename, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { removeVar, renderTemplate, setVar } from '../core/envfile.js';
import { CliError, EXIT } from '../errors.js';

const SECRET_MODE = 0o600;
const SECRET_DIR_MODE = 0o700;

const errnoOf = (e: unknown) => (e as NodeJS.ErrnoException | undefined)?.code;

/** Follow a symlinked .env so the link survives and the file it points to is what changes. */
async function resolveTarget(target: string): Promise<string> {
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
export async function writeEnvAtomic(target: string, text: string): Promise<{ modeTightened: boolean }> {
  const file = await resolveTarget(path.resolve(target));
  const dir = path.dirname(file);
  const before = await stat(file).catch(() => undefined);
  const temp = path.join(dir, `.${path.basename(file)}.redis-setup-${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, SECRET_MODE);
  try {
    await handle.writeFile(text, 'utf8');
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

export interface EnvUpdate {
  path: string;
  created: boolean;
  changed: boolean;
  previous?: string;
  /** The file was readable by group/others and is now 0600. */
  modeTightened: boolean;
}

function fileError(e: unknown, file: string): CliError {
  if (e instanceof CliError) return e;
  const code = errnoOf(e) ?? 'error';
  return new CliError(`Cannot write ${file} (${code}).`, EXIT.checkFailed,
    code === 'EACCES' || code === 'EPERM' ? 'Check the permissions of the file and its folder.' : 'Check that the folder exists and the disk is not full; or pass another --env-file.', 'env-file');
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') return undefined;
    throw e;
  }
}

/** Set one variable in a .env file, creating it from the template when missing. */
export async function updateEnvFile(opts: { path: string; name: string; value: string; templatePath: string }): Promise<EnvUpdate> {
  const file = path.resolve(opts.path);
  try {
    const text = await readIfExists(file);
    if (text === undefined) {
      // A missing template is a packaging fault; the variable alone is still a valid .env.
      const template = (await readIfExists(opts.templatePath)) ?? '';
      await writeEnvAtomic(file, renderTemplate(template, opts.name, opts.value));
      return { path: file, created: true, changed: true, modeTightened: false };
    }
    const result = setVar(text, opts.name, opts.value);
    let modeTightened: boolean;
    if (result.changed) {
      ({ modeTightened } = await writeEnvAtomic(file, result.text));
    } else {
      const real = await resolveTarget(file);
      modeTightened = ((await stat(real)).mode & 0o077) !== 0;
      if (modeTightened) await chmod(real, SECRET_MODE);
    }
    return { path: file, created: false, changed: result.changed, ...(result.previous !== undefined ? { previous: result.previous } : {}), modeTightened };
  } catch (e) {
    throw fileError(e, file);
  }
}

/** Remove the variable (restore of "it was not set"). False when the file or variable is absent. */
export async function removeEnvVar(file: string, name: string): Promise<boolean> {
  try {
    const text = await readIfExists(file);
    if (text === undefined) return false;
    const result = removeVar(text, name);
    if (result.changed) await writeEnvAtomic(file, result.text);
    return result.changed;
  } catch (e) {
    throw fileError(e, file);
  }
}

// ── Saved previous values (for `restore`) ────────────────────────────────────────────────────

const BackupSchema = z.object({
  version: z.literal(1),
  createdAt: z.string(),
  envFile: z.object({ path: z.string(), name: z.string(), existed: z.boolean(), previousValue: z.string().optional() }).optional(),
  services: z.array(z.object({
    environment: z.string().nullable(),
    service: z.string(),
    name: z.string(),
    hadValue: z.boolean(),
    previousValue: z.string().optional(),
  })),
});

export interface BackupEnvFile { path: string; name: string; existed: boolean; previousValue?: string }
export interface BackupService { environment: string | null; service: string; name: string; hadValue: boolean; previousValue?: string }
/** What `restore` puts back. Holds secrets (the previous values): 0600, git-ignored. */
export interface BackupState {
  version: 1;
  createdAt: string;
  envFile?: BackupEnvFile;
  services: BackupService[];
}

export const BACKUP_DIR = '.redis-setup';
export const backupPath = (projectDir: string) => path.join(projectDir, BACKUP_DIR, 'last-change.json');

/** Mode 0600 in a 0700 folder that git-ignores itself (`*`). Returns the file's path. */
export async function saveBackup(projectDir: string, state: BackupState): Promise<string> {
  const file = backupPath(projectDir);
  const dir = path.dirname(file);
  try {
    await mkdir(dir, { recursive: true, mode: SECRET_DIR_MODE });
    await chmod(dir, SECRET_DIR_MODE);
    const ignore = path.join(dir, '.gitignore');
    if ((await readIfExists(ignore)) !== '*\n') await writeFile(ignore, '*\n');
    await writeEnvAtomic(file, `${JSON.stringify(state, null, 2)}\n`);
  } catch (e) {
    throw fileError(e, file);
  }
  return file;
}

export async function loadBackup(projectDir: string): Promise<BackupState | undefined> {
  const file = backupPath(projectDir);
  let text: string | undefined;
  try {
    text = await readIfExists(file);
  } catch (e) {
    throw new CliError(`Cannot read ${file} (${errnoOf(e) ?? 'error'}).`, EXIT.checkFailed, 'Check the permissions of the file and its folder.', 'bad-backup');
  }
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = BackupSchema.safeParse(json);
  // The message stays generic: the file holds secrets and zod issues can quote them.
  if (!parsed.success) {
    throw new CliError(`${file} is not a redis-setup backup.`, EXIT.checkFailed, 'Delete it; there is nothing redis-setup can restore from it.', 'bad-backup');
  }
  return parsed.data as BackupState;
}

/** Delete the saved values; the folder goes too when nothing else is in it. */
export async function clearBackup(projectDir: string): Promise<void> {
  const file = backupPath(projectDir);
  const dir = path.dirname(file);
  await unlink(file).catch((e: unknown) => {
    if (errnoOf(e) !== 'ENOENT') throw fileError(e, file);
  });
  const left = await readdir(dir).catch(() => undefined);
  if (left && left.every((f) => f === '.gitignore')) {
    await unlink(path.join(dir, '.gitignore')).catch(() => {});
    await rmdir(dir).catch(() => {});
  }
}

// ── git ──────────────────────────────────────────────────────────────────────────────────────

/** Whether git ignores the file. 'no-git': not in a repository, git missing, or git too slow. */
export function gitIgnoreStatus(file: string): Promise<'ignored' | 'not-ignored' | 'no-git'> {
  const abs = path.resolve(file);
  return new Promise((resolve) => {
    execFile('git', ['check-ignore', '-q', '--', path.basename(abs)], { cwd: path.dirname(abs), timeout: 5000, windowsHide: true }, (err) => {
      if (!err) return resolve('ignored');
      // Exit 1: not ignored (also when the file is already tracked). 128: not a repository.
      resolve((err as { code?: unknown }).code === 1 ? 'not-ignored' : 'no-git');
    });
  });
}

/** Append `entry` as a line of `<dir>/.gitignore`, keeping every existing byte. False if already listed. */
export async function addToGitignore(dir: string, entry: string): Promise<boolean> {
  const file = path.join(dir, '.gitignore');
  const text = (await readIfExists(file)) ?? '';
  if (text.split(/\r?\n/).some((l) => l.trim() === entry)) return false;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  await appendFile(file, `${text === '' || /\n$/.test(text) ? '' : eol}${entry}${eol}`);
  return true;
}
