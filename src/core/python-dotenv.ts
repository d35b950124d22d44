// python-dotenv's reading of a .env file, ported from its parser (src/dotenv/parser.py, variables.py
// and main.py `resolve_variables`; the grammar is the same from 0.21.0 to 1.2.2). Pure. Checked
// against the real python-dotenv by test/python-dotenv.test.ts.
//
// How it differs from Node's dotenv: `${VAR}` and `${VAR:-default}` are expanded (from earlier keys
// and the environment), `\"`, `\\`, `\'`, `\n`… are decoded in double quotes and `\\`, `\'` in
// single quotes, backticks are not quotes, `KEY: value` lines are skipped as errors, an unquoted
// value is cut only at whitespace + `#`, and a quoted value may span lines.
import { PY_SPACE } from './url-readers.js';

export interface PyBinding {
  /** null for blank lines, comments and lines python-dotenv could not parse. */
  key: string | null;
  /** null for a bare `KEY` with no `=` (load_dotenv then leaves the variable unset). */
  value: string | null;
  error: boolean;
  /** 1-based line where the binding starts. */
  line: number;
}

const SP = PY_SPACE;
const SP_NO_NL = PY_SPACE.replace('\\n', '').replace('\\r', '');
const re = (source: string) => new RegExp(source, 'y');

const MULTILINE_WHITESPACE = re(`[${SP}]*`);
const WHITESPACE = re(`[${SP_NO_NL}]*`);
const EXPORT = re(`(?:export[${SP_NO_NL}]+)?`);
const SINGLE_QUOTED_KEY = re(`'([^']+)'`);
const UNQUOTED_KEY = re(`([^=#${SP}]+)`);
const EQUAL_SIGN = re(`(=[${SP_NO_NL}]*)`);
const SINGLE_QUOTED_VALUE = re(`'((?:\\\\'|[^'])*)'`);
const DOUBLE_QUOTED_VALUE = re(`"((?:\\\\"|[^"])*)"`);
const UNQUOTED_VALUE = re('([^\\r\\n]*)');
const COMMENT = re(`(?:[${SP_NO_NL}]*#[^\\r\\n]*)?`);
const END_OF_LINE = re(`[${SP_NO_NL}]*(?:\\r\\n|\\n|\\r|$)`);
const REST_OF_LINE = re('[^\\r\\n]*(?:\\r|\\n|\\r\\n)?');
const INLINE_COMMENT = new RegExp(`[${SP}]+#.*`);
const TRAILING_SPACE = new RegExp(`[${SP}]+$`);

const DOUBLE_QUOTE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

class ParseError extends Error {}

class Reader {
  pos = 0;
  constructor(readonly text: string) {}
  hasNext(): boolean {
    return this.pos < this.text.length;
  }
  peek(): string {
    return this.text.slice(this.pos, this.pos + 1);
  }
  read(regex: RegExp): string[] {
    regex.lastIndex = this.pos;
    const m = regex.exec(this.text);
    if (!m) throw new ParseError();
    this.pos += m[0].length;
    return m.slice(1);
  }
}

function parseValue(reader: Reader): string {
  const c = reader.peek();
  if (c === "'") return reader.read(SINGLE_QUOTED_VALUE)[0]!.replace(/\\[\\']/g, (e) => e[1]!);
  if (c === '"') {
    return reader.read(DOUBLE_QUOTED_VALUE)[0]!.replace(/\\[\\'"abfnrtv]/g, (e) => DOUBLE_QUOTE_ESCAPES[e[1]!]!);
  }
  if (c === '' || c === '\n' || c === '\r') return '';
  const part = reader.read(UNQUOTED_VALUE)[0]!;
  return part.replace(INLINE_COMMENT, '').replace(TRAILING_SPACE, '');
}

function parseBinding(reader: Reader, line: number): PyBinding {
  try {
    reader.read(MULTILINE_WHITESPACE);
    if (!reader.hasNext()) return { key: null, value: null, error: false, line };
    reader.read(EXPORT);
    const c = reader.peek();
    const key = c === '#' ? null : reader.read(c === "'" ? SINGLE_QUOTED_KEY : UNQUOTED_KEY)[0]!;
    reader.read(WHITESPACE);
    let value: string | null = null;
    if (reader.peek() === '=') {
      reader.read(EQUAL_SIGN);
      value = parseValue(reader);
    }
    reader.read(COMMENT);
    reader.read(END_OF_LINE);
    return { key, value, error: false, line };
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    reader.read(REST_OF_LINE); // from where it failed, as python-dotenv does
    return { key: null, value: null, error: true, line };
  }
}

/** Python opens .env in text mode: CRLF and lone CR become LF before the parser sees them. */
export function universalNewlines(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/** `parse_stream`: every binding of the file, in order. */
export function parsePythonDotenvBindings(fileText: string): PyBinding[] {
  const reader = new Reader(universalNewlines(fileText));
  const out: PyBinding[] = [];
  let line = 1;
  while (reader.hasNext()) {
    const start = reader.pos;
    out.push(parseBinding(reader, line));
    line += (reader.text.slice(start, reader.pos).match(/\n/g) ?? []).length;
  }
  return out;
}

const POSIX_VARIABLE = /\$\{([^}:]*)(?::-([^}]*))?\}/g;

/** `${NAME}` / `${NAME:-default}` expansion, as `parse_variables` + `Variable.resolve`. */
export function expandPythonVariables(value: string, env: ReadonlyMap<string, string | null>): string {
  return value.replace(POSIX_VARIABLE, (_m, name: string, fallback: string | undefined) =>
    env.has(name) ? (env.get(name) ?? '') : (fallback ?? ''),
  );
}

export interface PythonDotenvOptions {
  /** The process environment `${VAR}` can read. Pass it in: core never reads process.env. */
  environ?: Readonly<Record<string, string | undefined>>;
  /** load_dotenv's default is false (the environment wins inside `${…}`); dotenv_values uses true. */
  override?: boolean;
  interpolate?: boolean;
}

/** What python-dotenv's `DotEnv(...).dict()` holds: the last binding of each key, expanded. */
export function parsePythonDotenv(fileText: string, opts: PythonDotenvOptions = {}): Record<string, string | null> {
  const environ = Object.entries(opts.environ ?? {}).filter((e): e is [string, string] => e[1] !== undefined);
  const values = new Map<string, string | null>();
  for (const b of parsePythonDotenvBindings(fileText)) {
    if (b.key === null) continue;
    if (opts.interpolate === false || b.value === null) {
      values.set(b.key, b.value);
      continue;
    }
    const layers = opts.override === true ? [...environ, ...values] : [...values, ...environ];
    const env = new Map<string, string | null>(layers);
    values.set(b.key, expandPythonVariables(b.value, env));
  }
  return Object.fromEntries(values);
}
