// A Ui for unit tests, in the style of create-astro's mockPrompt: every prompt is answered from a
// script keyed by a piece of its message, and everything printed is kept for assertions.
// An unscripted prompt fails the test at once, naming the question.
import { CancelledError } from '../../src/errors.ts';
import type { Ui } from '../../src/ui/prompts.ts';

export type Answer = unknown;
/** Answer a prompt with Ctrl-C. */
export const CANCEL = Symbol('cancel');

export interface FakeUi extends Ui {
  /** Everything printed, one entry per call, as `kind: text`. */
  lines: string[];
  /** The questions asked, in order. */
  asked: string[];
  output(): string;
}

export function createFakeUi(script: Record<string, Answer> = {}, opts: { interactive?: boolean } = {}): FakeUi {
  const lines: string[] = [];
  const asked: string[] = [];
  const say = (kind: string) => (m: string) => {
    lines.push(`${kind}: ${m}`);
  };
  const answer = async (o: { message: string }): Promise<never> => {
    asked.push(o.message);
    const key = Object.keys(script).find((k) => o.message.includes(k));
    if (key === undefined) throw new Error(`unscripted prompt: "${o.message}"`);
    const a = script[key];
    const value = typeof a === 'function' ? (a as (x: unknown) => unknown)(o) : a;
    if (value === CANCEL) throw new CancelledError('Cancelled.', true);
    return value as never;
  };
  return {
    interactive: opts.interactive ?? true,
    lines,
    asked,
    output: () => lines.join('\n'),
    live: () => undefined,
    intro: say('intro'),
    outro: say('outro'),
    info: say('info'),
    step: say('step'),
    success: say('success'),
    warn: say('warn'),
    error: say('error'),
    note: (body, title) => {
      lines.push(`note: ${title ?? ''}\n${body}`);
    },
    async task(label, work, done) {
      lines.push(`task: ${label}`);
      const result = await work((m) => lines.push(`task: ${m}`));
      if (done) lines.push(`task: ${done(result)}`);
      return result;
    },
    text: answer,
    password: answer,
    select: answer,
    multiselect: answer,
    confirm: answer,
  };
}
