// The saved previous values for `restore`. They hold secrets: mode 0600 in a 0700 folder that
// git-ignores itself, written atomically.
import { chmod, mkdir, readdir, rmdir, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { CliError, EXIT } from '../errors.js';
import { errnoOf, fileError, readIfExists, SECRET_DIR_MODE, writeEnvAtomic } from './secret-file.js';

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

/** A restore's own undo point, kept beside the restore point until the restore has finished. */
export const undoPath = (projectDir: string) => path.join(projectDir, BACKUP_DIR, 'restore-undo.json');

/** Mode 0600 in a 0700 folder that git-ignores itself (`*`). Returns the file's path. */
export async function saveBackup(projectDir: string, state: BackupState): Promise<string> {
  return saveState(backupPath(projectDir), state);
}

export async function saveUndo(projectDir: string, state: BackupState): Promise<string> {
  return saveState(undoPath(projectDir), state);
}

export async function clearUndo(projectDir: string): Promise<void> {
  await unlink(undoPath(projectDir)).catch(() => {});
}

async function saveState(file: string, state: BackupState): Promise<string> {
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

