// The saved previous values for `restore`. They hold secrets: mode 0600 in a 0700 folder that
// git-ignores itself, written atomically. Loading uses only a file redis-setup wrote here
// (state-trust.ts): a copy carried by a repository must not decide what restore writes where.
import { lstat, unlink } from 'node:fs/promises';
import path from 'node:path';
import * as z from 'zod/mini';
import type { SavedChange } from '../core/plan.js';
import { CliError, EXIT } from '../errors.js';
import { errnoOf, fileError, MAX_SECRET_FILE_BYTES, readBoundedRegularFile, writeEnvAtomic } from './secret-file.js';
import {
  assertStateTargets,
  assertTrustedStateFile,
  ensureStateDir,
  removeStateDirIfEmpty,
  STATE_DIR,
} from './state-trust.js';

// Version 2 adds the shared variable and marks sealed values; version 1 files still load.
// Typed as BackupState, so the schema and the type cannot drift apart.
const BackupSchema: z.ZodMiniType<BackupState> = z.object({
  version: z.union([z.literal(1), z.literal(2)]),
  createdAt: z.string(),
  envFile: z.optional(
    z.object({ path: z.string(), name: z.string(), existed: z.boolean(), previousValue: z.optional(z.string()) }),
  ),
  services: z.array(
    z.object({
      environment: z.nullable(z.string()),
      service: z.string(),
      name: z.string(),
      hadValue: z.boolean(),
      previousValue: z.optional(z.string()),
      sealed: z.optional(z.boolean()),
    }),
  ),
  shared: z.optional(
    z.array(
      z.object({
        environment: z.nullable(z.string()),
        name: z.string(),
        hadValue: z.boolean(),
        previousValue: z.optional(z.string()),
        sealed: z.optional(z.boolean()),
      }),
    ),
  ),
});

/** What `restore` puts back. Holds secrets (the previous values): 0600, git-ignored. */
export type BackupState = SavedChange & { version: 1 | 2 };

export const BACKUP_DIR = STATE_DIR;
export const backupPath = (projectDir: string) => path.join(projectDir, BACKUP_DIR, 'last-change.json');

/** A restore's own undo point, kept beside the restore point until the restore has finished. */
export const undoPath = (projectDir: string) => path.join(projectDir, BACKUP_DIR, 'restore-undo.json');

/** Mode 0600 in a 0700 folder that git-ignores itself (`*`). Returns the file's path. */
export async function saveBackup(projectDir: string, state: BackupState): Promise<string> {
  return saveState(projectDir, backupPath(projectDir), state);
}

export async function saveUndo(projectDir: string, state: BackupState): Promise<string> {
  return saveState(projectDir, undoPath(projectDir), state);
}

export async function clearUndo(projectDir: string): Promise<void> {
  await unlink(undoPath(projectDir)).catch(() => {});
}

async function saveState(projectDir: string, file: string, state: BackupState): Promise<string> {
  try {
    await ensureStateDir(projectDir);
    // Not through a link: only this folder's own entry is replaced.
    await writeEnvAtomic(file, `${JSON.stringify(state, null, 2)}\n`, { followLinks: false });
  } catch (e) {
    throw fileError(e, file);
  }
  return file;
}

/** The saved values, or undefined when there are none. Refuses a file redis-setup did not write here. */
export async function loadBackup(projectDir: string): Promise<BackupState | undefined> {
  const file = backupPath(projectDir);
  const exists = await lstat(file).then(
    () => true,
    (e: unknown) => {
      if (errnoOf(e) === 'ENOENT' || errnoOf(e) === 'ENOTDIR') return false;
      throw unreadable(file, e);
    },
  );
  if (!exists) return undefined;
  await assertTrustedStateFile(projectDir, file).catch((e: unknown) => {
    throw e instanceof CliError ? e : unreadable(file, e);
  });
  let bytes: Buffer | undefined;
  try {
    bytes = await readBoundedRegularFile(file, MAX_SECRET_FILE_BYTES, { followLinks: false, code: 'bad-backup' });
  } catch (e) {
    throw e instanceof CliError ? e : unreadable(file, e);
  }
  if (bytes === undefined) return undefined;
  const state = parseBackup(file, bytes);
  assertStateTargets(projectDir, file, state);
  return state;
}

function unreadable(file: string, e: unknown): CliError {
  return new CliError(
    `Cannot read ${file} (${errnoOf(e) ?? 'error'}).`,
    EXIT.checkFailed,
    'Check the permissions of the file and its folder.',
    'bad-backup',
  );
}

function parseBackup(file: string, bytes: Buffer): BackupState {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    json = undefined;
  }
  const parsed = BackupSchema.safeParse(json);
  // The message stays generic: the file holds secrets and zod issues can quote them.
  if (!parsed.success) {
    throw new CliError(
      `${file} is not a redis-setup backup.`,
      EXIT.checkFailed,
      'Delete it; there is nothing redis-setup can restore from it.',
      'bad-backup',
    );
  }
  return parsed.data;
}

/** Delete the saved values; the folder goes too when nothing else is in it. */
export async function clearBackup(projectDir: string): Promise<void> {
  const file = backupPath(projectDir);
  await unlink(file).catch((e: unknown) => {
    if (errnoOf(e) !== 'ENOENT') throw fileError(e, file);
  });
  await removeStateDirIfEmpty(projectDir);
}
