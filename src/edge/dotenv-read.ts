// Read one variable from a .env file the way the apps will (dotenv's parser). Missing file: undefined.
import { readFile } from 'node:fs/promises';
import { parse } from 'dotenv';

export async function readEnvValue(path: string, name: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  const value = parse(text)[name];
  return value === undefined || value === '' ? undefined : value;
}
