// .env on disk: set or remove one variable, keeping every other byte (core/envfile.ts edits the
// text; edge/secret-file.ts writes it atomically at 0600).
import { chmod, stat } from 'node:fs/promises';
import path from 'node:path';
import { removeVar, renderTemplate, setVar } from '../core/envfile.js';
import { fileError, readIfExists, resolveTarget, SECRET_MODE, writeEnvAtomic } from './secret-file.js';

export interface EnvUpdate {
  path: string;
  created: boolean;
  changed: boolean;
  previous?: string;
  /** The file was readable by group/others and is now 0600. */
  modeTightened: boolean;
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

