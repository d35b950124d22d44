// The per-invocation context: folders, argv, environment, which streams are terminals, and output.
import fs from 'node:fs';
import type { Host } from './paths.ts';
import { sleepSync } from './state.ts';

export interface Tty {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
}

export interface Cli extends Host {
  argv: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  tty: Tty;
  /** The version this fake plays (`railway --version`). */
  version: string;
  /** Name the running command goes by for injections ('variable set', 'api', …). */
  command: string;
  /** A line on stdout. */
  out(line: string): void;
  /** Raw text on stdout. */
  write(text: string): void;
  /** A line on stderr. */
  err(line: string): void;
  /** indicatif spinners draw their final line on stderr, and only when stderr is a terminal. */
  spinnerDone(line: string): void;
  /** `fake_select`: the CLI echoes a choice it made for you on stderr. */
  fakeSelect(message: string, value: string): void;
}

export function createCli(host: Host, argv: string[], version: string): Cli {
  const tty: Tty = {
    stdin: Boolean(process.stdin.isTTY),
    stdout: Boolean(process.stdout.isTTY),
    stderr: Boolean(process.stderr.isTTY),
  };
  const err = (line: string) => {
    process.stderr.write(`${line}\n`);
  };
  return {
    ...host,
    argv,
    env: process.env,
    cwd: process.cwd(),
    tty,
    version,
    command: '',
    out: (line) => {
      process.stdout.write(`${line}\n`);
    },
    write: (text) => {
      process.stdout.write(text);
    },
    err,
    spinnerDone: (line) => {
      if (tty.stderr) err(line);
    },
    fakeSelect: (message, value) => err(`> ${message} ${value}`),
  };
}

/** All of stdin, synchronously (a pipe may answer EAGAIN until the writer is done). */
export function readStdin(): string {
  const chunks: Buffer[] = [];
  const buf = Buffer.alloc(65536);
  for (;;) {
    let n: number;
    try {
      n = fs.readSync(0, buf, 0, buf.length, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        sleepSync(5);
        continue;
      }
      if (code === 'EOF') break;
      throw e;
    }
    if (n === 0) break;
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** True when the caller gave us a pipe or file as stdin (not a terminal, not /dev/null). */
export function stdinIsPipeOrFile(): boolean {
  try {
    const st = fs.fstatSync(0);
    return st.isFIFO() || st.isFile() || st.isSocket();
  } catch {
    return false;
  }
}

export const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms);
  });
