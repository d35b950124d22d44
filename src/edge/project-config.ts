// redis-setup.json from the project folder: read here, validated by core/config.ts.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CONFIG_FILE_NAME, parseProjectConfig, type ProjectConfig } from '../core/config.js';
import { UsageError } from '../errors.js';
import { errnoOf } from './secret-file.js';

export async function loadProjectConfig(cwd: string): Promise<ProjectConfig | undefined> {
  const file = path.join(cwd, CONFIG_FILE_NAME);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') return undefined;
    throw new UsageError(`Cannot read ${file} (${errnoOf(e) ?? 'error'}).`, 'Check its permissions, or delete it.');
  }
  const parsed = parseProjectConfig(text);
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
