// .env on disk: set or remove one variable, keeping every other byte (core/envfile.ts edits the
// text, core/env-bytes.ts maps the edit back onto the file's bytes, edge/secret-file.ts writes it
// atomically at 0600). Invalid UTF-8 or a binary prefix on another line survives untouched.
import { chmod, stat } from 'node:fs/promises';
import path from 'node:path';
import { applyTextEditToBytes, decodeEnvBytes } from '../core/env-bytes.js';
import { removeVar, renderTemplate, setVar, type SetVarResult } from '../core/envfile.js';
import { fileError, readSecretFile, resolveTarget, SECRET_MODE, writeEnvAtomic } from './secret-file.js';

export interface EnvUpdate {
  path: string;
  created: boolean;
  changed: boolean;
  previous?: string;
  /** The file was readable by group/others and is now 0600. */
  modeTightened: boolean;
}

/** Run a text edit on the file's bytes; write only when it changed something. */
type Edited = SetVarResult & { modeTightened: boolean };

async function editFile(file: string, edit: (text: string) => SetVarResult): Promise<Edited | undefined> {
  const bytes = await readSecretFile(file);
  if (bytes === undefined) return undefined;
  const before = decodeEnvBytes(bytes);
  const result = edit(before);
  if (!result.changed) return { ...result, modeTightened: false };
  const { modeTightened } = await writeEnvAtomic(file, applyTextEditToBytes(bytes, before, result.text));
  return { ...result, modeTightened };
}

/** Set one variable in a .env file, creating it from the template when missing. */
export async function updateEnvFile(opts: {
  path: string;
  name: string;
  value: string;
  templatePath: string;
}): Promise<EnvUpdate> {
  const file = path.resolve(opts.path);
  try {
    const result = await editFile(file, (text) => setVar(text, opts.name, opts.value));
    if (result === undefined) {
      // A missing template is a packaging fault; the variable alone is still a valid .env.
      const template = await readSecretFile(opts.templatePath);
      const text = template === undefined ? '' : decodeEnvBytes(template);
      await writeEnvAtomic(file, renderTemplate(text, opts.name, opts.value));
      return { path: file, created: true, changed: true, modeTightened: false };
    }
    let { modeTightened } = result;
    if (!result.changed) {
      const real = await resolveTarget(file);
      modeTightened = ((await stat(real)).mode & 0o077) !== 0;
      if (modeTightened) await chmod(real, SECRET_MODE);
    }
    return {
      path: file,
      created: false,
      changed: result.changed,
      ...(result.previous !== undefined ? { previous: result.previous } : {}),
      modeTightened,
    };
  } catch (e) {
    throw fileError(e, file);
  }
}

/** Remove the variable (restore of "it was not set"). False when the file or variable is absent. */
export async function removeEnvVar(file: string, name: string): Promise<boolean> {
  try {
    const result = await editFile(file, (text) => removeVar(text, name));
    return result?.changed ?? false;
  } catch (e) {
    throw fileError(e, file);
  }
}
