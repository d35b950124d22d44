// The only module that talks to @clack/prompts. Every prompt answers or throws CancelledError
// (exit 130); off a terminal, output is plain lines and spinners become one line per step.
import * as clack from '@clack/prompts';
import { maskText, sanitizeForTerminal } from '../core/mask.js';
import { CancelledError, UsageError } from '../errors.js';

/** clack's log, with every message masked first. */
function clackLog(mask: (m: string) => string) {
  return {
    info: (m: string) => clack.log.info(mask(m)),
    step: (m: string) => clack.log.step(mask(m)),
    success: (m: string) => clack.log.success(mask(m)),
    warn: (m: string) => clack.log.warn(mask(m)),
    error: (m: string) => clack.log.error(mask(m)),
  };
}

/** One gate for "may we prompt?": both ends are terminals and we are not in CI (any truthy CI). */
export function isInteractive(): boolean {
  const ci = process.env.CI;
  const inCI = ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
  return Boolean(process.stdin.isTTY && process.stdout.isTTY) && !inCI;
}

/** Lines redrawn in place (a terminal only): the live watch. */
export interface LiveArea {
  readonly width: number;
  update(lines: string[]): void;
  done(): void;
}

export interface Ui {
  interactive: boolean;
  /** A block redrawn in place, or undefined off a terminal (plain lines are printed instead). */
  live(): LiveArea | undefined;
  intro(title: string): void;
  outro(message: string): void;
  info(message: string): void;
  step(message: string): void;
  success(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  note(body: string, title?: string): void;
  /** Run `work` with a spinner (or plain lines). Ctrl-C during it exits 130: clack's spinner would swallow it. */
  task<T>(
    label: string,
    work: (update: (message: string) => void) => Promise<T>,
    done?: (result: T) => string,
  ): Promise<T>;
  text(opts: {
    message: string;
    placeholder?: string;
    initialValue?: string;
    validate?: (v: string | undefined) => string | undefined | Promise<string | undefined>;
  }): Promise<string>;
  password(opts: {
    message: string;
    validate?: (v: string | undefined) => string | undefined | Promise<string | undefined>;
  }): Promise<string>;
  select<T extends string>(opts: {
    message: string;
    options: { value: T; label: string; hint?: string }[];
    initialValue?: T;
  }): Promise<T>;
  multiselect<T extends string>(opts: {
    message: string;
    options: { value: T; label: string; hint?: string }[];
    initialValues?: T[];
    required?: boolean;
  }): Promise<T[]>;
  confirm(opts: { message: string; initialValue?: boolean }): Promise<boolean>;
}

function answered<T>(value: T | symbol): Exclude<T, symbol> {
  if (clack.isCancel(value)) throw new CancelledError('Cancelled.', true);
  return value as Exclude<T, symbol>;
}

/** Output for humans, masked with `secrets`. It goes to stderr when stdout carries --json. */
export function createUi(opts: { json?: boolean; secrets?: { mask(text: string): string } } = {}): Ui {
  const interactive = !opts.json && isInteractive();
  const stream = opts.json ? process.stderr : process.stdout;
  // Everything shown passes here: masked, and stripped of escape sequences a server or a child may send.
  // Stripped first: a secret split by an escape sequence would be joined again after masking.
  const mask = (m: string) => {
    const plain = sanitizeForTerminal(m);
    return opts.secrets ? opts.secrets.mask(plain) : maskText(plain);
  };
  const out = { write: (m: string) => stream.write(mask(m)) };
  const fancy = interactive;
  const plain = (prefix: string) => (m: string) => {
    out.write(`${prefix}${m}\n`);
  };
  const log = clackLog(mask);
  const needTty = (what: string): never => {
    throw new UsageError(
      `${what} needs an answer, but this is not an interactive terminal.`,
      'Pass the matching flag (see redis-setup --help).',
    );
  };

  return {
    interactive,
    live: () => (fancy ? liveArea(mask) : undefined),
    intro: (t) => (fancy ? clack.intro(mask(t)) : plain('')(t)),
    outro: (m) => (fancy ? clack.outro(mask(m)) : plain('')(m)),
    info: (m) => (fancy ? log.info(m) : plain('  ')(m)),
    step: (m) => (fancy ? log.step(m) : plain('• ')(m)),
    success: (m) => (fancy ? log.success(m) : plain('✔ ')(m)),
    warn: (m) => (fancy ? log.warn(m) : plain('! ')(m)),
    error: (m) => (fancy ? log.error(m) : plain('✖ ')(m)),
    note: (body, title) =>
      fancy ? clack.note(mask(body), title && mask(title)) : plain('')(`${title ? `${title}\n` : ''}${body}`),
    async task(label, work, done) {
      if (!fancy) {
        out.write(`• ${label}…\n`);
        const result = await work((m) => out.write(`  ${m}\n`));
        if (done) out.write(`  ${done(result)}\n`);
        return result;
      }
      const s = clack.spinner({
        onCancel: () => {
          process.exitCode = 130;
          process.exit(130);
        },
      });
      s.start(mask(label));
      try {
        const result = await work((m) => s.message(mask(m)));
        s.stop(mask(done ? done(result) : label));
        return result;
      } catch (e) {
        s.error(mask(label));
        throw e;
      }
    },
    async text(o) {
      if (!interactive) return needTty(o.message);
      return answered(await clack.text(o));
    },
    async password(o) {
      if (!interactive) return needTty(o.message);
      return answered(await clack.password({ ...o, mask: '•' }));
    },
    async select(o) {
      if (!interactive) return needTty(o.message);
      return answered(await clack.select(o as Parameters<typeof clack.select>[0])) as never;
    },
    async multiselect(o) {
      if (!interactive) return needTty(o.message);
      return answered(await clack.multiselect(o as Parameters<typeof clack.multiselect>[0])) as never;
    },
    async confirm(o) {
      if (!interactive) return needTty(o.message);
      return answered(await clack.confirm(o));
    },
  };
}

const CURSOR_HIDE = '\x1b[?25l';
const CURSOR_SHOW = '\x1b[?25h';
const showCursor = () => process.stdout.write(CURSOR_SHOW);

/** Redraws the same lines in place under clack's rail; the cursor comes back whatever ends the run. */
function liveArea(mask: (m: string) => string): LiveArea {
  let shown = 0;
  process.stdout.write(CURSOR_HIDE);
  process.once('exit', showCursor);
  return {
    width: Math.max(40, (process.stdout.columns ?? 100) - 4),
    update(lines) {
      let out = shown > 0 ? `\x1b[${shown}A` : '';
      for (const line of lines) out += `\x1b[2K│  ${mask(line)}\n`;
      for (let i = lines.length; i < shown; i++) out += '\x1b[2K\n';
      process.stdout.write(out);
      shown = Math.max(shown, lines.length);
    },
    done() {
      showCursor();
      process.off('exit', showCursor);
    },
  };
}
