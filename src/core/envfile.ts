// Editing one variable of a .env file. Pure: text in, text out. Every byte other than the one
// assignment is kept: comments, order, blank lines, `export `, quoting style, inline comments,
// CRLF or LF, and a missing final newline. Values are written so that dotenv (Node) and
// python-dotenv both read back exactly the same string.

export interface EnvAssignment {
  value: string;
  /** Index of the line (0-based). */
  line: number;
  quote: '"' | "'" | '`' | '';
  exported: boolean;
}

interface Line { body: string; eol: string }

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  const re = /([^\r\n]*)(\r\n|\n|\r|$)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (m[0] === '') break;
    lines.push({ body: m[1]!, eol: m[2]! });
  }
  return lines;
}

const join = (lines: Line[]) => lines.map((l) => l.body + l.eol).join('');

function assignmentRe(name: string): RegExp {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // dotenv: optional leading space, optional `export `, NAME, optional spaces, `=`.
  return new RegExp(`^(\\s*(?:export\\s+)?)(${escaped})(\\s*=\\s*)(.*)$`);
}

interface ParsedValue { value: string; quote: EnvAssignment['quote']; /** Text after the value (spaces and an inline comment). */ rest: string }

function parseValue(raw: string): ParsedValue {
  const q = raw[0];
  if (q === '"' || q === "'" || q === '`') {
    const end = raw.indexOf(q, 1);
    if (end > 0) {
      let value = raw.slice(1, end);
      if (q === '"') value = value.replace(/\\n/g, '\n').replace(/\\r/g, '\r');
      return { value, quote: q, rest: raw.slice(end + 1) };
    }
  }
  // Unquoted: dotenv stops at the first #, and trims.
  const hash = raw.indexOf('#');
  const body = hash === -1 ? raw : raw.slice(0, hash);
  const trimmed = body.trimEnd();
  return { value: trimmed.trim(), quote: '', rest: raw.slice(trimmed.length) };
}

/** The assignment dotenv would use: the last one. */
export function readVar(text: string, name: string): EnvAssignment | undefined {
  const re = assignmentRe(name);
  let found: EnvAssignment | undefined;
  splitLines(text).forEach((l, i) => {
    const m = re.exec(l.body);
    if (!m) return;
    const { value, quote } = parseValue(m[4]!);
    found = { value, line: i, quote, exported: /export\s/.test(m[1]!) };
  });
  return found;
}

/** Write a value in the given quote style, or pick one both parsers read back unchanged. */
export function formatValue(value: string, preferred: EnvAssignment['quote'] = ''): string {
  if (/[\r\n]/.test(value)) throw new Error('A multi-line value cannot be written to .env safely.');
  const fits = (q: EnvAssignment['quote']) => {
    if (q === '') return value !== '' && !/[\s#"'`\\]/.test(value[0] ?? '') && !/[\s#]/.test(value) && !/\\/.test(value);
    if (q === "'") return !value.includes("'");
    if (q === '"') return !value.includes('"') && !value.includes('\\');
    return !value.includes('`') && !value.includes('\\');
  };
  const order: EnvAssignment['quote'][] = [preferred, '', "'", '"'];
  const quote = order.find(fits);
  if (quote === undefined) throw new Error('This value contains both quote kinds and cannot be written to .env safely.');
  return `${quote}${value}${quote}`;
}

export interface SetVarResult { text: string; changed: boolean; previous?: string }

export function setVar(text: string, name: string, value: string): SetVarResult {
  const lines = splitLines(text);
  const current = readVar(text, name);
  if (current) {
    if (current.value === value) return { text, changed: false, previous: current.value };
    const line = lines[current.line]!;
    const m = assignmentRe(name).exec(line.body)!;
    const { rest } = parseValue(m[4]!);
    line.body = `${m[1]}${m[2]}${m[3]}${formatValue(value, current.quote)}${rest}`;
    return { text: join(lines), changed: true, previous: current.value };
  }
  const eol = detectEol(text);
  const needsBreak = text !== '' && !/(\r\n|\n|\r)$/.test(text);
  return { text: `${text}${needsBreak ? eol : ''}${name}=${formatValue(value)}${eol}`, changed: true };
}

/** Remove the assignment dotenv would use (for restoring "it was not set"). */
export function removeVar(text: string, name: string): SetVarResult {
  const current = readVar(text, name);
  if (!current) return { text, changed: false };
  const lines = splitLines(text);
  lines.splice(current.line, 1);
  return { text: join(lines), changed: true, previous: current.value };
}

export function detectEol(text: string): string {
  const m = /\r\n|\n|\r/.exec(text);
  return m ? m[0] : '\n';
}

/** A new .env from the template: its `REDIS_URL=` placeholder line gets the name and value. */
export function renderTemplate(template: string, name: string, value: string): string {
  const named = name === 'REDIS_URL' ? template : template.replace(/^REDIS_URL=$/m, `${name}=`);
  return setVar(named, name, value).text;
}
