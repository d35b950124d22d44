// git, read-only except for appending to .gitignore: is a file ignored?
import { execFile } from 'node:child_process';
import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { readIfExists } from './secret-file.js';

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
