// The `.redis-setup` folder holds state redis-setup wrote itself (the saved previous values, the
// run lock). A repository can carry a planted copy (force-added despite its .gitignore), and a
// planted copy decides what restore writes where. So state is used only when it is provably ours:
// not tracked by git, owned by us, 0600 in a 0700 folder, no symlinks, paths inside the project.
// Once the folder is ours and 0700, nobody else can swap files in it between check and use.
import { realpathSync, type Stats } from 'node:fs';
import { chmod, lstat, mkdir, readdir, rmdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { CliError, EXIT } from '../errors.js';
import { isTrackedByGit } from './git.js';
import { errnoOf, kindOf, readBoundedRegularFile, SECRET_DIR_MODE, writeEnvAtomic } from './secret-file.js';

export const STATE_DIR = '.redis-setup';
export const stateDirOf = (projectDir: string) => path.join(projectDir, STATE_DIR);

const octal = (mode: number) => `0${(mode & 0o777).toString(8)}`;

function untrusted(file: string, why: string, fix: string): CliError {
  return new CliError(
    `Refusing to use ${file}: ${why}. redis-setup only uses state it wrote itself on this machine.`,
    EXIT.checkFailed,
    fix,
    'untrusted-state',
  );
}

const deleteIt = (file: string) => `delete it (rm -r ${file}); the next setup saves a new one`;

/** Ours: the right type (never a symlink), owned by our user, nothing for group or others. */
function assertOwnedPrivate(file: string, entry: Stats, kind: 'file' | 'folder'): void {
  const isRightType = kind === 'folder' ? entry.isDirectory() : entry.isFile();
  if (!isRightType) {
    const wanted = kind === 'folder' ? 'folder' : 'regular file';
    throw untrusted(file, `it is ${kindOf(entry)}, not a ${wanted}`, `If you did not put it there, ${deleteIt(file)}.`);
  }
  const uid = process.geteuid?.();
  if (uid === undefined) return; // Windows: no uid or mode bits to compare
  if (entry.uid !== uid) {
    throw untrusted(
      file,
      `it belongs to uid ${entry.uid}, not to you (uid ${uid})`,
      `Run redis-setup as the user who ran setup, or ${deleteIt(file)}.`,
    );
  }
  if ((entry.mode & 0o077) !== 0) {
    const wanted = kind === 'folder' ? '700' : '600';
    throw untrusted(
      file,
      `its mode is ${octal(entry.mode)}, open to other users (redis-setup writes 0${wanted})`,
      `If redis-setup wrote it, chmod ${wanted} ${file}; otherwise ${deleteIt(file)}.`,
    );
  }
}

/**
 * Refuses `file` (in `.redis-setup`) unless redis-setup wrote it here: folder and file are ours,
 * private and not symlinks, and git does not track the file. The file must exist.
 */
export async function assertTrustedStateFile(projectDir: string, file: string): Promise<void> {
  const dir = path.dirname(file);
  assertOwnedPrivate(dir, await lstat(dir), 'folder');
  assertOwnedPrivate(file, await lstat(file), 'file');
  const tracked = await isTrackedByGit(file);
  if (tracked === 'tracked') {
    const rel = path.relative(projectDir, file);
    throw untrusted(
      file,
      'it is tracked by git, so it came with the repository, not from a run here',
      `Remove it from the repository (git rm --cached ${rel}, then commit) and delete it; ` +
        'the next setup saves a new one.',
    );
  }
  if (tracked === 'unknown') {
    const why =
      'git could not say whether it is tracked ' +
      '(git refuses a repository owned by another user, or did not answer)';
    throw untrusted(file, why, `Run redis-setup as the owner of ${projectDir}, or check \`git status\` there.`);
  }
}

/** `candidate` lies strictly inside `root`; both already resolved. Pure. */
export function isPathInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

/**
 * Whether the file `candidatePath` (absolute, or relative to the project) lies inside the project.
 * `..` and the symlinks of its existing parent folders are resolved as the kernel would; the file
 * itself may be a symlink (a symlinked .env is the user's own choice and is written through).
 */
export function isInsideProject(projectDir: string, candidatePath: string): boolean {
  const root = resolvePhysically(path.resolve(projectDir));
  // Joined without normalising: `link/..` must mean the parent of the link's target.
  const raw = path.isAbsolute(candidatePath) ? candidatePath : `${projectDir}${path.sep}${candidatePath}`;
  const base = path.basename(raw);
  if (base === '' || base === '.' || base === '..') return false;
  const parent = resolvePhysically(path.dirname(raw));
  return root !== undefined && parent !== undefined && isPathInside(root, path.join(parent, base));
}

/** realpath of the longest existing prefix, plus the rest; undefined for `missing/..` or a loop. */
function resolvePhysically(p: string): string | undefined {
  try {
    return realpathSync.native(p);
  } catch (e) {
    if (errnoOf(e) !== 'ENOENT') return undefined;
    const parent = path.dirname(p);
    const base = path.basename(p);
    if (parent === p || base === '..') return undefined;
    const resolved = resolvePhysically(parent);
    return resolved === undefined ? undefined : base === '.' ? resolved : path.join(resolved, base);
  }
}

/** What restore takes from a saved state file; the shape it needs, not the whole schema. */
export interface StateTargets {
  envFile?: { path: string; name: string };
  services: { service: string; name: string; environment: string | null }[];
  shared?: { name: string; environment: string | null }[];
}

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,255}$/;
// Names go into `railway` argv: one starting with '-' would be read as a flag.
const isPlainName = (s: string) =>
  s.length > 0 && s.length <= 256 && !s.startsWith('-') && !/[\u0000-\u001f\u007f]/.test(s);

/** The paths and names in saved state are ones setup could have written. */
export function assertStateTargets(projectDir: string, file: string, state: StateTargets): void {
  const bad = (what: string) => untrusted(file, what, `Restore that value by hand, or ${deleteIt(file)}.`);
  if (state.envFile) {
    if (!isInsideProject(projectDir, state.envFile.path)) {
      const where = `which is outside the project folder ${projectDir}`;
      throw bad(`it names ${state.envFile.path} as the .env to restore, ${where}`);
    }
    if (!VARIABLE_NAME.test(state.envFile.name)) throw bad('its .env variable name is not a variable name');
  }
  for (const s of state.services) {
    if (!VARIABLE_NAME.test(s.name)) {
      throw bad(`the variable name saved for service ${JSON.stringify(s.service.slice(0, 64))} is not a variable name`);
    }
    if (!isPlainName(s.service) || (s.environment !== null && !isPlainName(s.environment))) {
      throw bad('a saved service or environment name is not one Railway gives');
    }
  }
  for (const s of state.shared ?? []) {
    if (!VARIABLE_NAME.test(s.name)) throw bad('the saved shared variable name is not a variable name');
    if (s.environment !== null && !isPlainName(s.environment))
      throw bad('a saved environment name is not one Railway gives');
  }
}

/**
 * Create `.redis-setup` (or check the one there): a real folder owned by us, mode 0700, with a
 * `.gitignore` of `*`. A symlink or someone else's folder is refused: we would chmod and write
 * wherever it points. Returns the folder's path.
 */
export async function ensureStateDir(projectDir: string): Promise<string> {
  const dir = stateDirOf(projectDir);
  await mkdir(dir, { mode: SECRET_DIR_MODE }).catch((e: unknown) => {
    if (errnoOf(e) !== 'EEXIST') throw e;
  });
  const entry = await lstat(dir);
  if (!entry.isDirectory()) {
    throw untrusted(dir, `it is ${kindOf(entry)}, not a folder`, `If you did not put it there, ${deleteIt(dir)}.`);
  }
  const uid = process.geteuid?.();
  if (uid !== undefined && entry.uid !== uid) {
    throw untrusted(
      dir,
      `it belongs to uid ${entry.uid}, not to you (uid ${uid})`,
      `Run redis-setup as that user, or ${deleteIt(dir)}.`,
    );
  }
  await chmod(dir, SECRET_DIR_MODE);
  const ignore = path.join(dir, '.gitignore');
  const current = await readBoundedRegularFile(ignore, 64, { followLinks: false }).catch(() => undefined);
  if (current?.toString('utf8') !== '*\n') await writeEnvAtomic(ignore, '*\n', { followLinks: false });
  return dir;
}

/** Remove `.redis-setup` when nothing but its .gitignore is left in it. */
export async function removeStateDirIfEmpty(projectDir: string): Promise<void> {
  const dir = stateDirOf(projectDir);
  const left = await readdir(dir).catch(() => undefined);
  if (left?.every((f) => f === '.gitignore')) {
    await unlink(path.join(dir, '.gitignore')).catch(() => {});
    await rmdir(dir).catch(() => {});
  }
}
