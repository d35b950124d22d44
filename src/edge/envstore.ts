// Files that hold secrets: .env and the saved previous values for `restore`. Every write is
// atomic (temp file in the same folder, fsync, rename, fsync the folder) with mode 0600, so a
// failure or Ctrl-C leaves either the old file or the new one, never half of one.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { chmod, mkdir, open, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { removeVar, renderTemplate, setVar } from '../core/envfile.js';
import { CliError, EXIT } from '../errors.js';

export async function writeFileAtomic(target: string, text: string): Promise<void> {
  const dir = path.dirname(target);
  const temp = path.join(dir, `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
    await handle.close();
    await chmod(temp, 0o600); // the umask may have loosened the create mode
    await rename(temp, target);
  } catch (e) {
    await handle.close().catch(() => {});
    await unlink(temp).catch(() => {});
    throw e;
  }
  // Make the rename itself durable.
  const d = await open(dir, 'r').catch(() => undefined);
  await d?.sync().catch(() => {});
  await d?.close();
}

export interface EnvUpdate { path: string; created: boolean; changed: boolean; previous?: string; modeTightened: boolean }

function fileError(e: unknown, file: string): CliError {
  const code = (e as NodeJS.ErrnoException).code ?? 'error';
  return new CliError(`Cannot write ${file} (${code}).`, EXIT.checkFailed,
    code === 'EACCES' || code === 'EPERM' ? 'Check the permissions of the file and its folder.' : 'Check that the folder exists and the disk is not full; or pass another --env-file.', 'env-file');
}

export async function updateEnvFile(opts: { path: string; name: string; value: string; templatePath: string }): Promise<EnvUpdate> {
  const file = path.resolve(opts.path);
  let text: string | undefined;
  let mode: number | undefined;
  try {
    text = await readFile(file, 'utf8');
    mode = (await stat(file)).mode & 0o777;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw fileError(e, file);
  }
  try {
    if (text === undefined) {
      const template = await readFile(opts.templatePath, 'utf8');
      await writeFileAtomic(file, renderTemplate(template, opts.name, opts.value));
      return { path: file, created: true, changed: true, modeTightened: false };
    }
    const result = setVar(text, opts.name, opts.value);
    const loose = mode !== undefined && (mode & 0o077) !== 0;
    if (result.changed) await writeFileAtomic(file, result.text);
    else if (loose) await chmod(file, 0o600);
    return { path: file, created: false, changed: result.changed, ...(result.previous !== undefined ? { previous: result.previous } : {}), modeTightened: loose };
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw fileError(e, file);
  }
}

export async function removeEnvVar(file: string, name: string): Promise<boolean> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw fileError(e, file);
  }
  const result = removeVar(text, name);
  if (result.changed) await writeFileAtomic(file, result.text);
  return result.changed;
}

// ── Saved previous values (for `restore`) ────────────────────────────────────────────────────

export interface BackupState {
  version: 1;
  createdAt: string;
  envFile?: { path: string; name: string; existed: boolean; previousValue?: string };
  services: { environment: string | null; service: string; name: string; hadValue: boolean; previousValue?: string }[];
}

export const backupPath = (projectDir: string) => path.join(projectDir, '.redis-setup', 'last-change.json');

/** Mode 0600 in a 0700 folder that ignores itself in git: the old values are secrets. */
export async function saveBackup(projectDir: string, state: BackupState): Promise<string> {
  const file = backupPath(projectDir);
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  await writeFile(path.join(dir, '.gitignore'), '*\n', { mode: 0o600 });
  await writeFileAtomic(file, `${JSON.stringify(state, null, 2)}\n`);
  return file;
}

export async function loadBackup(projectDir: string): Promise<BackupState | undefined> {
  let text: string;
  try {
    text = await readFile(backupPath(projectDir), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw fileError(e, backupPath(projectDir));
  }
  try {
    const state = JSON.parse(text) as BackupState;
    if (state.version !== 1 || !Array.isArray(state.services)) throw new Error('shape');
    return state;
  } catch {
    throw new CliError(`${backupPath(projectDir)} is not a redis-setup backup.`, EXIT.checkFailed, 'Delete it; there is nothing redis-setup can restore from it.', 'bad-backup');
  }
}

export async function clearBackup(projectDir: string): Promise<void> {
  await unlink(backupPath(projectDir)).catch(() => {});
}

// ── git ──────────────────────────────────────────────────────────────────────────────────────

export function gitIgnoreStatus(file: string): Promise<'ignored' | 'not-ignored' | 'no-git'> {
  return new Promise((resolve) => {
    execFile('git', ['check-ignore', '-q', path.basename(file)], { cwd: path.dirname(file), timeout: 5000 }, (err) => {
      if (!err) return resolve('ignored');
      const code = (err as { code?: number | string }).code;
      resolve(code === 1 ? 'not-ignored' : 'no-git');
    });
  });
}

export async function addToGitignore(dir: string, entry: string): Promise<void> {
  const file = path.join(dir, '.gitignore');
  let text = '';
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const eol = /\r\n/.test(text) ? '\r\n' : '\n';
  await writeFile(file, `${text}${text === '' || /\n$/.test(text) ? '' : eol}${entry}${eol}`);
}
