// The wizard as a person uses it: the built binary in a real pseudo-terminal (@lydell/node-pty).
// Bounded: a wait that times out kills the whole tree and fails with the screen; `dispose()` in
// t.after() makes sure nothing outlives the test.
import pty from '@lydell/node-pty';
import { BIN, killTree } from './cli.ts';

// Colours and cursor moves off, so the screen reads as text.
export const stripAnsi = (s: string) => s.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, '').replace(/\x1b[()][0-9A-Za-z]/g, '');

export const KEYS = { ENTER: '\r', DOWN: '\x1b[B', UP: '\x1b[A', SPACE: ' ', CTRL_C: '\x03' } as const;

export interface PtyRun {
  pid: number;
  screen(): string;
  /** Resolves when the text is on screen; past `ms`, kills the tree and throws with the screen. */
  waitFor(text: string | RegExp, ms?: number): Promise<void>;
  press(keys: string): void;
  exited: Promise<number>;
  /** Exit code, or the screen in the error when it does not exit within `ms`. */
  exitCode(ms?: number): Promise<number>;
  dispose(): void;
}

export function spawnPty(
  args: string[],
  opts: { cwd: string; env: Record<string, string>; deadlineMs?: number },
): PtyRun {
  const env = { ...opts.env, TERM: 'xterm-256color', FORCE_COLOR: '0' };
  delete (env as Record<string, string | undefined>).CI;
  const p = pty.spawn(process.execPath, [BIN, ...args], {
    name: 'xterm-256color',
    cols: 110,
    rows: 40,
    cwd: opts.cwd,
    env,
  });
  let buf = '';
  p.onData((d) => {
    buf += d;
  });
  let done = false;
  const exited = new Promise<number>((resolve) => {
    p.onExit(({ exitCode }) => {
      done = true;
      resolve(exitCode);
    });
  });
  const screen = () => stripAnsi(buf);
  const kill = () => {
    if (!done) killTree(p.pid);
  };
  const deadline = setTimeout(kill, opts.deadlineMs ?? 120_000);
  void exited.then(() => clearTimeout(deadline));
  const fail = (what: string): never => {
    kill();
    throw new Error(`${what}\n--- screen ---\n${screen()}`);
  };
  return {
    pid: p.pid,
    screen,
    async waitFor(text, ms = 20_000) {
      const t0 = Date.now();
      const seen = () => (typeof text === 'string' ? screen().includes(text) : text.test(screen()));
      while (!seen()) {
        if (done) fail(`exited before ${text} appeared`);
        if (Date.now() - t0 > ms) fail(`timed out after ${ms} ms waiting for ${text}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    press: (keys) => p.write(keys),
    exited,
    async exitCode(ms = 30_000) {
      const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), ms).unref());
      const code = await Promise.race([exited, timer]);
      if (code === 'timeout') fail(`did not exit within ${ms} ms`);
      return code as number;
    },
    dispose() {
      kill();
      clearTimeout(deadline);
    },
  };
}
