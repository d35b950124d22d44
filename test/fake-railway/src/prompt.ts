// inquire-style confirmation, only ever shown when stdin is a terminal.
import { Exit } from './errors.ts';
import type { Cli } from './io.ts';

/** y/N on a raw terminal; Ctrl-C or Esc cancels with "Operation cancelled." and exit 130. */
export async function promptConfirm(cli: Cli, message: string): Promise<boolean> {
  process.stderr.write(`? ${message} (y/N) `);
  if (!process.stdin.isTTY) return false;
  process.stdin.setRawMode(true);
  process.stdin.resume();
  let buf = '';
  try {
    return await new Promise<boolean>((resolve, reject) => {
      process.stdin.on('data', (d: Buffer) => {
        for (const ch of d.toString('utf8')) {
          if (ch === '\x03' || ch === '\x1b') {
            reject(new Exit(130));
            return;
          }
          if (ch === '\r' || ch === '\n') {
            resolve(/^y(es)?$/i.test(buf.trim()));
            return;
          }
          if (ch === '\x7f') buf = buf.slice(0, -1);
          else buf += ch;
          process.stderr.write(ch === '\x7f' ? '\b \b' : ch);
        }
      });
    });
  } catch (e) {
    if (e instanceof Exit) cli.err('\nOperation cancelled.');
    throw e;
  } finally {
    process.stdin.setRawMode(false);
    process.stdin.pause();
    process.stderr.write('\n');
  }
}
