// Deployment logs as stored by the supervisor (NDJSON, one entry per line) and the CLI's ways of
// reading them: time arguments, Railway's filter syntax, and the text/JSON line formats.
import fs from 'node:fs';
import { RwError } from './errors.ts';

export interface LogEntry {
  message: string;
  timestamp: string;
  level?: string;
  [k: string]: unknown;
}

export function readEntries(file: string): LogEntry[] {
  let text = '';
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const entries: LogEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      entries.push(JSON.parse(line) as LogEntry);
    } catch {
      /* a line still being written */
    }
  }
  return entries;
}

const UNIT_MS: Record<string, number> = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 604800e3 };

/** `--since/--until`: 30s, 5m, 2h, 1d, 1w or ISO 8601. */
export function parseTime(input: string, now = Date.now()): number {
  const s = input.trim();
  const rel = /^(\d+)([smhdw])$/.exec(s.toLowerCase());
  if (rel) return now - Number(rel[1]) * UNIT_MS[rel[2]!]!;
  const iso = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/i.test(s)
    ? Date.parse(s.replace(' ', 'T'))
    : NaN;
  if (Number.isNaN(iso)) {
    throw new RwError(
      `Invalid time format: '${s}'. Use relative time (e.g., 30m, 2h, 1d) or ISO 8601 (e.g., 2024-01-15T10:30:00Z)`,
    );
  }
  return iso;
}

function termMatches(entry: LogEntry, term: string): boolean {
  let t = term;
  const negated = t.startsWith('-') && t.length > 1;
  if (negated) t = t.slice(1);
  const attr = /^@([\w.]+):(.*)$/.exec(t);
  let ok: boolean;
  if (attr) {
    const v = entry[attr[1]!];
    ok = v !== undefined && String(v).toLowerCase() === attr[2]!.replace(/^"|"$/g, '').toLowerCase();
  } else {
    ok = String(entry.message).toLowerCase().includes(t.replace(/^"|"$/g, '').toLowerCase());
  }
  return negated ? !ok : ok;
}

/** A small subset of Railway's log query syntax: words/"phrases", @attr:value, -negation, AND/OR. */
export function compileFilter(query: string | undefined | null): (entry: LogEntry) => boolean {
  if (!query?.trim()) return () => true;
  const tokens = query.replace(/[()]/g, ' ').match(/-?"[^"]*"|\S+/g) ?? [];
  const groups: string[][] = [[]];
  for (const tok of tokens) {
    if (tok === 'OR') groups.push([]);
    else if (tok !== 'AND') groups[groups.length - 1]!.push(tok);
  }
  return (entry) => groups.some((g) => g.every((t) => termMatches(entry, t)));
}

const LEVEL_TAGS: Record<string, string> = {
  info: '[INFO]',
  error: '[ERRO]',
  err: '[ERRO]',
  warn: '[WARN]',
  debug: '[DBUG]',
};

/** One log line the way `railway logs` prints it (src/util/logs.rs format_log_string). */
export function formatLog(entry: LogEntry, json: boolean): string {
  const { message, timestamp, ...attrs } = entry;
  if (json) return JSON.stringify({ message, timestamp, ...attrs });
  const keys = Object.keys(attrs);
  if (!keys.length || (keys.length === 1 && keys[0] === 'level')) return message;
  let level: string | null = null;
  const others: string[] = [];
  for (const [k, v] of Object.entries(attrs)) {
    if (['level', 'lvl', 'severity'].includes(k.toLowerCase())) level = String(v);
    else others.push(`${k}=${typeof v === 'string' ? `"${v}"` : JSON.stringify(v)}`);
  }
  if (level === null) return message;
  const tag = LEVEL_TAGS[level.toLowerCase()] ?? `[${level}]`;
  return others.length ? `${timestamp} ${tag} ${message} ${others.join(' ')}` : `${tag} ${message}`;
}
