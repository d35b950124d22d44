// A conservative static check for the regular expressions in redis-setup.json. JavaScript's regex
// engine backtracks: `^(.*)*!$` on an ordinary log line runs for hours, and even `.*.*x` takes
// about 20 s on one 4 KiB line. This check refuses what can do that, without running anything:
// backreferences; repeated groups that contain a quantifier or `|` (`(a+)+`, `(a|aa)+`); more than
// one unbounded repetition (`*`, `+`, `{n,}`); and too many ways to split a line overall. It
// refuses some safe patterns too (`(a|b)+`); the reason says what to write instead. Pure.

export const MAX_PATTERN_LENGTH = 512;
/** The longest log line matched (health.ts cuts lines there): what an unbounded repetition can span. */
export const MATCHED_LINE_LIMIT = 4096;
/** Worst-case choices of all quantifiers together: one unbounded repetition and a few small ones. */
const MAX_CHOICES = (MATCHED_LINE_LIMIT + 1) * 8;

export type RegexVerdict = { ok: true } | { ok: false; reason: string };

interface Frame {
  hasQuantifier: boolean;
  hasAlternation: boolean;
}

interface Quantifier {
  min: number;
  max: number; // Infinity for *, +, {n,}
  end: number;
}

const BACKREFERENCE = 'backreferences (\\1, \\k<name>) can take exponential time; they are not allowed';
const TOO_MANY_CHOICES =
  'its repetitions together allow too many ways to match a long log line; ' +
  'use smaller {n,m} counts or fewer ? and repetitions';
const NESTED =
  'a repeated group contains a quantifier or | (like (a+)+, (.*)* or (a|aa)+), which can backtrack ' +
  'exponentially; repeat a plain group such as (ab)+, or use a character class such as [ab]+';

/** Whether `source` (a valid JavaScript regex) is safe to run on every log line. */
export function checkRegexSafety(source: string): RegexVerdict {
  if (source.length > MAX_PATTERN_LENGTH) {
    return { ok: false, reason: `it is ${source.length} characters long; at most ${MAX_PATTERN_LENGTH}` };
  }
  const stack: Frame[] = [{ hasQuantifier: false, hasAlternation: false }];
  let unbounded = 0;
  let choices = 1;
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    let closed: Frame | undefined;
    if (c === '\\') {
      const esc = readEscape(source, i);
      if (esc.backreference) return { ok: false, reason: BACKREFERENCE };
      i = esc.end;
    } else if (c === '[') {
      i = classEnd(source, i);
    } else if (c === '(') {
      stack.push({ hasQuantifier: false, hasAlternation: false });
      i = groupBodyStart(source, i);
      continue;
    } else if (c === ')') {
      closed = stack.length > 1 ? stack.pop() : undefined;
      i++;
    } else if (c === '|') {
      top(stack).hasAlternation = true;
      i++;
      continue;
    } else {
      i++;
    }
    const q = readQuantifier(source, i);
    if (q) {
      i = q.end;
      if (closed && q.max > 1 && (closed.hasQuantifier || closed.hasAlternation)) return { ok: false, reason: NESTED };
      if (q.max === Infinity) unbounded++;
      const ways = Math.min(q.max, MATCHED_LINE_LIMIT) - Math.min(q.min, MATCHED_LINE_LIMIT) + 1;
      choices = Math.min(choices * ways, Number.MAX_SAFE_INTEGER);
      top(stack).hasQuantifier = true;
    }
    if (closed) {
      top(stack).hasQuantifier ||= closed.hasQuantifier;
      top(stack).hasAlternation ||= closed.hasAlternation;
    }
  }
  if (unbounded > 1) {
    return {
      ok: false,
      reason:
        `it has ${unbounded} unbounded repetitions (*, +, {n,}); two can already take seconds ` +
        'on one long log line, so at most one is allowed (split it into two patterns)',
    };
  }
  if (choices > MAX_CHOICES) {
    return { ok: false, reason: TOO_MANY_CHOICES };
  }
  return { ok: true };
}

const top = (stack: Frame[]): Frame => stack[stack.length - 1] as Frame;

/** Past `\X`; `\p{…}`, `\P{…}` and `\u{…}` whole. Digits 1-9 and `\k<` are backreferences. */
function readEscape(source: string, at: number): { end: number; backreference: boolean } {
  const next = source[at + 1] ?? '';
  if (/[1-9]/.test(next) || (next === 'k' && source[at + 2] === '<')) return { end: at + 2, backreference: true };
  if ((next === 'p' || next === 'P' || next === 'u') && source[at + 2] === '{') {
    const close = source.indexOf('}', at + 3);
    return { end: close < 0 ? source.length : close + 1, backreference: false };
  }
  return { end: at + 2, backreference: false };
}

/** Past the `]` that closes the class opened at `at` (a class is one atom, whatever it holds). */
function classEnd(source: string, at: number): number {
  let i = at + 1;
  if (source[i] === '^') i++;
  while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
  return i + 1;
}

/** Past `(`, `(?:`, `(?=`, `(?!`, `(?<=`, `(?<!` or `(?<name>`. */
function groupBodyStart(source: string, at: number): number {
  if (source[at + 1] !== '?') return at + 1;
  if (source[at + 2] === '<' && source[at + 3] !== '=' && source[at + 3] !== '!') {
    const close = source.indexOf('>', at + 3);
    return close < 0 ? source.length : close + 1;
  }
  return at + (source[at + 2] === '<' ? 4 : 3);
}

// Sticky, on the whole source: a count of any length is still a count to the regex engine.
const COUNTED = /\{(\d+)(,(\d*))?\}/y;

/** `*`, `+`, `?` or `{n}`, `{n,}`, `{n,m}` at `at` (with a lazy `?` after it), or undefined. */
function readQuantifier(source: string, at: number): Quantifier | undefined {
  const c = source[at];
  let q: Quantifier | undefined;
  if (c === '*') q = { min: 0, max: Infinity, end: at + 1 };
  else if (c === '+') q = { min: 1, max: Infinity, end: at + 1 };
  else if (c === '?') q = { min: 0, max: 1, end: at + 1 };
  else if (c === '{') {
    COUNTED.lastIndex = at;
    const m = COUNTED.exec(source);
    if (!m) return undefined; // a literal brace
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
    q = { min, max, end: at + m[0].length };
  }
  if (q && source[q.end] === '?') q.end++;
  return q;
}
