// The only module that talks to @clack/prompts. Every prompt answers or throws CancelledError
// (exit 130); off a terminal, output is plain lines and spinners become one line per step.
import * as clack from '@clack/prompts';
import { CancelledError, UsageError } from '../errors.js';

/** One gate for "may we prompt?": both ends are terminals and we are not in CI (any truthy CI). */
export function isInteractive(): boolean {
  const ci = process.env.CI;
  const inCI = ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
  return Boolean(process.stdin.isTTY && process.stdout.isTTY) && !inCI;
}

export interface Ui {
  interactive: boolean;
  intro(title: string): void;
  outro(message: string): void;
  info(message: string): void;
  step(message: string): void;
  success(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  note(body: string, title?: string): void;
  /** Run `work` with a spinner (or plain lines). Ctrl-C during it exits 130: clack's spinner would swallow it. */
  task<T>(label: string, work: (update: (message: string) => void) => Promise<T>, done?: (result: T) => string): Promise<T>;
  text(opts: { message: string; placeholder?: string; initialValue?: string; validate?: (v: string | undefined) => string | undefined | Promise<string | undefined> }): Promise<string>;
  password(opts: { message: string; validate?: (v: string | undefined) => string | undefined | Promise<string | undefined> }): Promise<string>;
  select<T extends string>(opts: { message: string; options: { value: T; label: string; hint?: string }[]; initialValue?: T }): Promise<T>;
  multiselect<T extends string>(opts: { message: string; options: { value: T; label: string; hint?: string }[]; initialValues?: T[]; required?: boolean }): Promise<T[]>;
  confirm(opts: { message: string; initialValue?: boolean }): Promise<boolean>;
}

function answered<T>(value: T | symbol): Exclude<T, symbol> {
  if (clack.isCancel(value)) throw new CancelledError('Cancelled.', true);
  return value as Exclude<T, symbol>;
}

/** Output for humans. `stream` is stderr when stdout carries --json. */
export function createUi(opts: { json?: boolean } = {}): Ui {
  const interactive = !opts.json && isInteractive();
  const out = opts.json ? process.stderr : process.stdout;
  const fancy = interactive;
  const plain = (prefix: string) => (m: string) => { out.write(`${prefix}${m}\n`); };
  const needTty = (what: string): never => {
    throw new UsageError(`${what} needs an answer, but this is not an interactive terminal.`, 'Pass the matching flag (see redis-setup --help).');
  };

  return {
    interactive,
    intro: (t) => (fancy ? clack.intro(t) : plain('')(t)),
    outro: (m) => (fancy ? clack.outro(m) : plain('')(m)),
    info: (m) => (fancy ? clack.log.info(m) : plain('  ')(m)),
    step: (m) => (fancy ? clack.log.step(m) : plain('• ')(m)),
    success: (m) => (fancy ? clack.log.success(m) : plain('✔ ')(m)),
    warn: (m) => (fancy ? clack.log.warn(m) : plain('! ')(m)),
    error: (m) => (fancy ? clack.log.error(m) : plain('✖ ')(m)),
    note: (body, title) => (fancy ? clack.note(body, title) : plain('')(`${title ? `${title}\n` : ''}${body}`)),
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
      s.start(label);
      try {
        const result = await work((m) => s.message(m));
        s.stop(done ? done(result) : label);
        return result;
      } catch (e) {
        s.error(label);
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
