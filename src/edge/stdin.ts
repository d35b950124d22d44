// Reading a secret from a pipe (--url-stdin): never from a terminal, never without a bound.
import { UsageError } from '../errors.js';

const MAX_STDIN_BYTES = 64 * 1024;

export async function readAllStdin(flag = '--url-stdin'): Promise<string> {
  if (process.stdin.isTTY) {
    throw new UsageError(
      `${flag} reads the URL from a pipe, but stdin is a terminal.`,
      `Pipe it: printf %s "$REDIS_URL" | npx redis-setup … ${flag}`,
    );
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    size += (chunk as Buffer).length;
    if (size > MAX_STDIN_BYTES)
      throw new UsageError(`${flag}: stdin holds more than ${MAX_STDIN_BYTES / 1024} KiB, which is no URL.`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') {
    throw new UsageError(
      `${flag} was given, but stdin was empty.`,
      `Pipe the URL in: printf %s "$URL" | npx redis-setup … ${flag}`,
    );
  }
  return text;
}
