// Editing one variable of a .env file. Pure: text in, text out.
//
// Two readers matter: Node's dotenv 18 (parseEnv/readVar follow its default parser exactly) and
// python-dotenv (core/python-dotenv.ts; readPythonVar). They disagree on `${VAR}`, escapes,
// backticks and `KEY: value`. Writing changes only the value token of one
// assignment: comments, order, blank lines, `export `, `KEY = v` spacing, the quote style, inline
// comments, CRLF/LF and a missing final newline all stay byte-identical. Written values read back
// unchanged in both dotenv (Node) and python-dotenv; every edit is re-parsed to prove it.
import { CliError, EXIT } from '../errors.js';
import { parsePythonDotenv, type PythonDotenvOptions } from './python-dotenv.js';

export type EnvQuote = '"' | "'" | '`' | '';

export interface EnvAssignment {
  /** The value as dotenv reads it. */
  value: string;
  /** 1-based line of the name, as an editor shows it. */
  line: number;
  /** Quote around the value in the file ('`' is written only where the line already had it). */
  quote: EnvQuote;
  exported: boolean;
}

export interface SetVarResult {
  text: string;
  changed: boolean;
  /** The value dotenv read before the change (undefined when the variable was absent). */
  previous?: string;
}

// dotenv 18 `LINE` (lib/main.js), unchanged except that `export`, the separator and the value are
// captured, and the `d` flag gives their offsets.
const BT = '`';
const DOTENV_LINE = new RegExp(
  String.raw`(?:^|^)\s*(export\s+)?([\w.-]+)(\s*=\s*?|:\s+?)` +
    String.raw`(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*${BT}(?:\\${BT}|[^${BT}])*${BT}|[^#\r\n]+)?` +
    String.raw`\s*(?:#.*)?(?:$|$)`,
  'dgm',
);

const VALID_NAME = /^[\w.-]+$/;

/** One assignment found by the dotenv regex. Offsets are into the LF-normalised text. */
interface Found {
  name: string;
  value: string;
  quote: EnvQuote;
  exported: boolean;
  keyStart: number;
  /** Where the value's text (without surrounding whitespace) starts and ends. */
  tokenStart: number;
  tokenEnd: number;
}

/** dotenv turns CRLF and lone CR into LF before parsing; keep a map back to the original offsets. */
function normalise(text: string): { norm: string; orig: number[] } {
  let norm = '';
  const orig: number[] = [];
  for (let i = 0; i < text.length; i++) {
    orig.push(i);
    if (text[i] === '\r') {
      norm += '\n';
      if (text[i + 1] === '\n') i++;
    } else {
      norm += text[i];
    }
  }
  orig.push(text.length);
  return { norm, orig };
}

function scan(norm: string): Found[] {
  const found: Found[] = [];
  DOTENV_LINE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = DOTENV_LINE.exec(norm)) !== null) {
    if (m[0] === '') {
      DOTENV_LINE.lastIndex++;
      continue;
    } // cannot happen (a name is required), but never loop
    const idx = m.indices!;
    const raw = m[4] ?? '';
    const trimmed = raw.trim();
    const first = trimmed[0];
    let value = trimmed.replace(/^(['"`])([\s\S]*)\1$/gm, '$2');
    if (first === '"') value = value.replace(/\\n/g, '\n').replace(/\\r/g, '\r');
    const quoted = trimmed.length >= 2 && (first === '"' || first === "'" || first === '`') && trimmed.endsWith(first);
    const rawStart = idx[4] ? idx[4][0] : idx[3]![1]; // no value: right after the `=`
    const lead = raw.length - raw.trimStart().length;
    const tokenStart = trimmed === '' ? rawStart : rawStart + lead;
    found.push({
      name: m[2]!,
      value,
      quote: quoted ? (first as EnvQuote) : '',
      exported: m[1] !== undefined,
      keyStart: idx[2]![0],
      tokenStart,
      tokenEnd: trimmed === '' ? rawStart : tokenStart + trimmed.length,
    });
  }
  return found;
}

/** The whole file as dotenv 18's `parse` reads it. */
export function parseEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of scan(normalise(text).norm)) out[f.name] = f.value;
  return out;
}

function lastAssignment(norm: string, name: string): Found | undefined {
  return scan(norm)
    .filter((f) => f.name === name)
    .pop();
}

const lineOf = (norm: string, offset: number) => norm.slice(0, offset).split('\n').length;

/** The assignment dotenv uses: the last one in the file. */
export function readVar(text: string, name: string): EnvAssignment | undefined {
  const { norm } = normalise(text);
  const f = lastAssignment(norm, name);
  return f && { value: f.value, line: lineOf(norm, f.keyStart), quote: f.quote, exported: f.exported };
}

/** The value python-dotenv gives NAME (expanded as load_dotenv does), or undefined when it is unset. */
export function readPythonVar(text: string, name: string, opts: PythonDotenvOptions = {}): string | undefined {
  const values = parsePythonDotenv(text, opts);
  return Object.hasOwn(values, name) ? (values[name] ?? undefined) : undefined;
}

/** The file's line ending: the most common one, LF when there is none. */
export function detectEol(text: string): '\n' | '\r\n' | '\r' {
  const crlf = (text.match(/\r\n/g) ?? []).length;
  const lf = (text.match(/(?<!\r)\n/g) ?? []).length;
  const cr = (text.match(/\r(?!\n)/g) ?? []).length;
  if (crlf > lf && crlf >= cr) return '\r\n';
  if (cr > lf && cr > crlf) return '\r';
  return '\n';
}

// Why each style can or cannot hold a value (python-dotenv decodes \\ \' \" \n … in quotes;
// dotenv decodes only \n \r in double quotes; dotenv cuts an unquoted value at any #,
// python-dotenv only at whitespace + #; both trim unquoted values). Backticks are dotenv-only:
// python-dotenv keeps them as part of the value, so they are never written. Each candidate is then
// proven by re-parsing with both grammars: the first style both read back unchanged wins.
type WriteQuote = '"' | "'" | '';

function fits(value: string, quote: WriteQuote, commentFollows: boolean): boolean {
  if (quote === '') return value === '' ? !commentFollows : !/[\s#'"`]/.test(value);
  if (quote === "'") return !value.includes("'") && !value.includes('\\\\') && !value.endsWith('\\');
  return !value.includes('"') && !value.includes('\\');
}

/** Styles to try, the line's own first (an unquoted or backtick line tries unquoted first). */
function quoteOrder(existing: EnvQuote | undefined): WriteQuote[] {
  if (existing === "'") return ["'", '"', ''];
  if (existing === '"') return ['"', "'", ''];
  return ['', '"', "'"];
}

function assertWritable(name: string, value: string): void {
  if (!VALID_NAME.test(name))
    throw new CliError(
      `${name} is not a variable name dotenv can read.`,
      EXIT.usage,
      'Use letters, digits, _ . or -.',
      'env-name',
    );
  if (/[\x00-\x08\x0a-\x1f\x7f\u2028\u2029]/.test(value)) {
    throw new CliError(
      `The value for ${name} contains a line break or control character; .env cannot hold it safely.`,
      EXIT.checkFailed,
      'Check the value for a stray newline.',
      'env-value',
    );
  }
}

/** python-dotenv's reading before `${…}` expansion: what the file says, to compare edits. */
const pythonRaw = (text: string) => parsePythonDotenv(text, { interpolate: false });

function othersUnchanged(a: Record<string, string | null>, b: Record<string, string | null>, name: string): boolean {
  const strip = (r: Record<string, string | null>) => JSON.stringify(Object.entries(r).filter(([k]) => k !== name));
  return strip(a) === strip(b);
}

/**
 * Both grammars read every other key of `after` as in `before`, and `name` as `value` (undefined:
 * not checked, for a removal).
 */
function readsSame(before: string, after: string, name: string, value: string | undefined): boolean {
  const [nodeA, nodeB] = [parseEnv(before), parseEnv(after)];
  const [pyA, pyB] = [pythonRaw(before), pythonRaw(after)];
  if (!othersUnchanged(nodeA, nodeB, name) || !othersUnchanged(pyA, pyB, name)) return false;
  return value === undefined || (nodeB[name] === value && pyB[name] === value);
}

function editError(name: string): CliError {
  return new CliError(
    `Cannot edit ${name} in this .env so that Node's dotenv and python-dotenv both read it back unchanged ` +
      'and every other variable stays as it was (a stray quote elsewhere in the file, or a value that mixes ' +
      'quotes, backslashes and # or spaces).',
    EXIT.checkFailed,
    'Edit the file by hand (python-dotenv and dotenv must agree), or pass another --dotenv.',
    'env-edit',
  );
}

/** The first candidate text that both grammars read as intended. */
function firstThatReadsSame(before: string, candidates: string[], name: string, value: string): string {
  if (candidates.length === 0) {
    throw new CliError(
      'This value cannot be written to .env so that every dotenv reads it back unchanged (it ' +
        'mixes quotes, backslashes and spaces or #).',
      EXIT.checkFailed,
      'Set the variable in your environment instead of .env.',
      'env-value',
    );
  }
  const after = candidates.find((c) => readsSame(before, c, name, value));
  if (after === undefined) throw editError(name);
  return after;
}

/**
 * Set NAME to value. Only the value of the assignment dotenv uses (the LAST one when the name
 * appears more than once) changes; an absent name is appended with the file's line ending.
 */
export function setVar(text: string, name: string, value: string): SetVarResult {
  assertWritable(name, value);
  const { norm, orig } = normalise(text);
  const found = lastAssignment(norm, name);
  if (!found) {
    const eol = detectEol(text);
    const needsBreak = text !== '' && !/[\r\n]$/.test(text);
    const candidates = quoteOrder(undefined)
      .filter((q) => fits(value, q, false))
      .map((q) => `${text}${needsBreak ? eol : ''}${name}=${q}${value}${q}${eol}`);
    return { text: firstThatReadsSame(text, candidates, name, value), changed: true };
  }
  const previous = found.value;
  if (previous === value && pythonRaw(text)[name] === value) return { text, changed: false, previous };
  const start = orig[found.tokenStart]!;
  const end = orig[found.tokenEnd]!;
  const restOfLine = /^[^\r\n]*/.exec(text.slice(end))![0];
  const commentFollows = restOfLine.trim() !== '';
  const candidates = quoteOrder(found.quote)
    .filter((q) => fits(value, q, commentFollows))
    .map((q) => {
      // python-dotenv needs whitespace before an inline comment after an unquoted value.
      const token = `${q}${value}${q}${q === '' && restOfLine.startsWith('#') ? ' ' : ''}`;
      return text.slice(0, start) + token + text.slice(end);
    });
  return { text: firstThatReadsSame(text, candidates, name, value), changed: true, previous };
}

/** Remove the assignment dotenv uses (restore of "it was not set"); its whole line goes. */
export function removeVar(text: string, name: string): SetVarResult {
  const { norm, orig } = normalise(text);
  const found = lastAssignment(norm, name);
  if (!found) return { text, changed: false };
  const lineStart = norm.lastIndexOf('\n', found.keyStart - 1) + 1;
  // From the end of the value, not of the regex match: the match's trailing `\s*(?:#.*)?` can run
  // over the line break into a following blank or comment line, which must stay.
  const lineBreak = norm.indexOf('\n', found.tokenEnd);
  const end = lineBreak === -1 ? norm.length : lineBreak + 1;
  const after = text.slice(0, orig[lineStart]!) + text.slice(orig[end]!);
  // An earlier duplicate, if any, is what the apps read now: the name itself is not compared.
  if (!readsSame(text, after, name, undefined)) throw editError(name);
  return { text: after, changed: true, previous: found.value };
}

/** A new .env from the template: its `REDIS_URL=` placeholder line gets the name and value. */
export function renderTemplate(template: string, name: string, value: string): string {
  const named = name === 'REDIS_URL' ? template : template.replace(/^REDIS_URL=$/m, `${name}=`);
  return setVar(named, name, value).text;
}
