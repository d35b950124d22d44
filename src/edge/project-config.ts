// redis-setup.json from the project folder: read here, validated by core/config.ts.
import path from 'node:path';
import { CONFIG_FILE_NAME, MAX_CONFIG_CHARS, parseProjectConfig, type ProjectConfig } from '../core/config.js';
import { CliError, UsageError } from '../errors.js';
import { errnoOf, readBoundedRegularFile } from './secret-file.js';

export async function loadProjectConfig(cwd: string): Promise<ProjectConfig | undefined> {
  const file = path.join(cwd, CONFIG_FILE_NAME);
  let bytes: Buffer | undefined;
  try {
    bytes = await readBoundedRegularFile(file, MAX_CONFIG_CHARS * 4);
  } catch (e) {
    // Not a regular file, too big, unreadable: a usage problem of the project, not a bug.
    const why = e instanceof CliError ? e.message : `Cannot read ${file} (${errnoOf(e) ?? 'error'}).`;
    throw new UsageError(why, 'Check its permissions and size, or delete it.');
  }
  if (bytes === undefined) return undefined;
  const parsed = parseProjectConfig(bytes.toString('utf8'));
  if (!parsed.ok) throw new UsageError(`${CONFIG_FILE_NAME} is invalid: ${parsed.message}`, `Fix or delete ${file}.`);
  return parsed.config;
}

/** Remember the answers (never a secret) so the next rotation is one confirmation. */
export async function saveProjectConfig(file: string, config: Record<string, unknown>): Promise<void> {
  const { writeFile } = await import('node:fs/promises');
  try {
    await writeFile(file, `${JSON.stringify(config, null, 2)}\n`);
  } catch {
    // Remembering is a convenience; failing to write it changes nothing that matters.
  }
}
