// Read one variable from a .env file the way the apps will. The Python apps (python-dotenv) are the
// default reading; Node apps (dotenv) may read the same file differently, and both are reported.
// Missing file: undefined.
import { decodeEnvBytes, isValidUtf8 } from '../core/env-bytes.js';
import { readPythonVar, readVar } from '../core/envfile.js';
import { readSecretFile } from './secret-file.js';

export interface EnvReadings {
  /** What python-dotenv's load_dotenv gives the variable (`${VAR}` expanded), undefined when unset or empty. */
  python?: string;
  /** What Node's dotenv gives it, undefined when unset or empty. */
  node?: string;
  /** The file is not valid UTF-8: python-dotenv raises UnicodeDecodeError, so Python apps read nothing. */
  pythonUnreadable: boolean;
}

const nonEmpty = (v: string | undefined) => (v === undefined || v === '' ? undefined : v);

/** Both readings of NAME. `environ` feeds `${VAR}` expansion, as the app's environment would. */
export async function readEnvReadings(
  path: string,
  name: string,
  environ: Readonly<Record<string, string | undefined>> = process.env,
): Promise<EnvReadings | undefined> {
  const bytes = await readSecretFile(path);
  if (bytes === undefined) return undefined;
  const text = decodeEnvBytes(bytes);
  const pythonUnreadable = !isValidUtf8(bytes);
  const python = pythonUnreadable ? undefined : nonEmpty(readPythonVar(text, name, { environ }));
  const node = nonEmpty(readVar(text, name)?.value);
  return { ...(python !== undefined ? { python } : {}), ...(node !== undefined ? { node } : {}), pythonUnreadable };
}

/** The value the apps use: python-dotenv's reading, else (a file Python cannot read) Node's. */
export async function readEnvValue(path: string, name: string): Promise<string | undefined> {
  const readings = await readEnvReadings(path, name);
  if (readings === undefined) return undefined;
  return readings.pythonUnreadable ? readings.node : readings.python;
}
