// git, read-only except for appending to .gitignore: is a file ignored, is it tracked?
import { execFile } from 'node:child_process';
import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { readIfExists } from './secret-file.js';

/** Whether git ignores the file. 'no-git': not in a repository, git missing, or git too slow. */
export function gitIgnoreStatus(file: string): Promise<'ignored' | 'not-ignored' | 'no-git'> {
  const abs = path.resolve(file);
  return new Promise((resolve) => {
    execFile(
      'git',
      ['check-ignore', '-q', '--', path.basename(abs)],
      { cwd: path.dirname(abs), timeout: 5000, windowsHide: true },
      (err) => {
        if (!err) return resolve('ignored');
        // Exit 1: not ignored (also when the file is already tracked). 128: not a repository.
        resolve((err as { code?: unknown }).code === 1 ? 'not-ignored' : 'no-git');
      },
    );
  });
}

export type TrackedStatus = 'tracked' | 'untracked' | 'unknown';

/**
 * Whether git tracks the file. 'untracked' also when there is no repository or no git at all.
 * 'unknown': git refused to answer (a repository owned by another user: safe.directory) or was
 * too slow. fsmonitor is off: a repository's config must not run a program through us.
 */
export function isTrackedByGit(file: string): Promise<TrackedStatus> {
  const abs = path.resolve(file);
  const args = ['-c', 'core.fsmonitor=false', 'ls-files', '--error-unmatch', '--', path.basename(abs)];
  return new Promise((resolve) => {
    execFile('git', args, { cwd: path.dirname(abs), timeout: 5000, windowsHide: true }, (err, _out, stderr) => {
      if (!err) return resolve('tracked');
      const code = (err as { code?: unknown }).code;
      // 1: "did not match any file(s) known to git". ENOENT: git is not installed.
      if (code === 1 || code === 'ENOENT') return resolve('untracked');
      resolve(code === 128 && /not a git repository/i.test(String(stderr)) ? 'untracked' : 'unknown');
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
