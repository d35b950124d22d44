// How the two Redis clients our users run read a URL. Pure emulations, each checked against the real
// library by test/url-oracle.test.ts:
// - redis-py 4 `redis.from_url` (`parse_url` in redis/connection.py, 4.3.4) on Python 3.11's
//   urllib.parse (Debian's 3.11.2, which carries CPython 3.11.4's bracketed-host checks);
// - ioredis 6 `new Redis(url)` (`parseURL` in lib/utils/index.ts, then `parseOptions`); ioredis ≥ 5.11
//   parses the same way (WHATWG `new URL`).
// Error texts never quote the URL: the password is in it.
import { isIPv4, isIPv6 } from 'node:net';

export interface ClientReading {
  tls: boolean;
  /** '' when the client sends no user name. */
  username: string;
  /** '' when the client sends no password. */
  password: string;
  /** The host the client resolves, as it passes it to the socket layer. */
  host: string;
  port: number;
  db: number;
  /** Query parameters the client hands to its connection (credentials, host, port and db taken out). */
  params: Record<string, string>;
  /** Query keys given more than once (redis-py keeps the first value, ioredis the last). */
  repeated: string[];
}

export type ReaderFailure = 'scheme' | 'brackets' | 'nfkc' | 'port' | 'param-value' | 'invalid-url' | 'bad-escape';

export type ReaderResult = { ok: true; reading: ClientReading } | { ok: false; failure: ReaderFailure; detail: string };

const fail = (failure: ReaderFailure, detail: string): ReaderResult => ({ ok: false, failure, detail });

// ---------------------------------------------------------------------------------------------
// Python helpers

/** Python's `str.isspace()` set, which `re`'s \s and `str.strip()` use. */
export const PY_SPACE = '\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const PY_STRIP = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, 'g');

/** urllib.parse.unquote: valid %XX runs become UTF-8 (errors='replace'); anything else stays. */
export function pyUnquote(s: string): string {
  return s.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => {
    const bytes = Uint8Array.from(run.slice(1).split('%'), (h) => parseInt(h, 16));
    return new TextDecoder('utf-8').decode(bytes);
  });
}

/** Python `int(text)`, ASCII digits only (other Unicode digits: undefined, treated as unreadable). */
export function pyInt(text: string): number | undefined {
  const t = text.replace(PY_STRIP, '');
  if (!/^[+-]?[0-9]+(?:_[0-9]+)*$/.test(t)) return undefined;
  return Number(t.replace(/_/g, ''));
}

/** Python `float(text)` for the forms people write (digits, exponent, inf, nan). */
export function pyFloat(text: string): number | undefined {
  const t = text.replace(PY_STRIP, '').replace(/(?<=\d)_(?=\d)/g, '');
  if (/^[+-]?(inf|infinity)$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/i.test(t)) return NaN;
  return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t) ? Number(t) : undefined;
}

/** redis-py's `to_bool` for query values. */
export function pyToBool(value: string): boolean {
  return !['0', 'F', 'FALSE', 'N', 'NO'].includes(value.toUpperCase());
}

/** urllib.parse.parse_qs (3.11 defaults): `&` only, blank values and pairs without `=` dropped. */
export function pyParseQs(query: string): { values: Map<string, string>; repeated: string[] } {
  const values = new Map<string, string>();
  const repeated = new Set<string>();
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    if (pair === '' || eq === -1 || eq === pair.length - 1) continue;
    const name = pyUnquote(pair.slice(0, eq).replace(/\+/g, ' '));
    const value = pyUnquote(pair.slice(eq + 1).replace(/\+/g, ' '));
    if (values.has(name)) repeated.add(name);
    else values.set(name, value);
  }
  return { values, repeated: [...repeated] };
}

// ---------------------------------------------------------------------------------------------
// redis-py 4

interface PySplit {
  scheme: string;
  netloc: string;
  path: string;
  query: string;
}

/** urllib.parse.urlsplit on Python 3.11 (with 3.11.4's bracket checks), or the ValueError it raises. */
function pyUrlSplit(input: string): PySplit | ReaderResult {
  const url = input.replace(/^[\x00-\x20]+/, '').replace(/[\t\r\n]/g, '');
  const colon = url.indexOf(':');
  let scheme = '';
  let rest = url;
  if (colon > 0 && /^[A-Za-z][A-Za-z0-9+.-]*$/.test(url.slice(0, colon))) {
    scheme = url.slice(0, colon).toLowerCase();
    rest = url.slice(colon + 1);
  }
  let netloc = '';
  if (rest.startsWith('//')) {
    const end = firstIndexOf(rest, '/?#', 2);
    netloc = rest.slice(2, end);
    rest = rest.slice(end);
    const bracketError = pyBracketCheck(netloc);
    if (bracketError) return bracketError;
  }
  const hash = rest.indexOf('#');
  if (hash !== -1) rest = rest.slice(0, hash);
  const q = rest.indexOf('?');
  const path = q === -1 ? rest : rest.slice(0, q);
  const query = q === -1 ? '' : rest.slice(q + 1);
  if (nfkcAddsDelimiter(netloc))
    return fail(
      'nfkc',
      'non-ASCII characters in the user, password or host turn into / ? # @ or : under NFKC normalisation',
    );
  return { scheme, netloc, path, query };
}

function firstIndexOf(s: string, chars: string, from: number): number {
  let end = s.length;
  for (const c of chars) {
    const i = s.indexOf(c, from);
    if (i !== -1 && i < end) end = i;
  }
  return end;
}

const BRACKETS =
  'a [ or ] outside an IPv6 host: Python raises "ValueError: Invalid IPv6 URL" (or "does not appear to ' +
  'be an IPv4 or IPv6 address")';

function pyBracketCheck(netloc: string): ReaderResult | undefined {
  const open = netloc.includes('[');
  const close = netloc.includes(']');
  if (open !== close) return fail('brackets', BRACKETS);
  if (!open) return undefined;
  const hostPort = netloc.slice(netloc.lastIndexOf('@') + 1);
  const br = hostPort.indexOf('[');
  if (br === -1) return fail('brackets', BRACKETS); // the host check then fails on a name or IPv4
  if (br > 0) return fail('brackets', BRACKETS);
  const end = hostPort.indexOf(']', br);
  const host = end === -1 ? hostPort.slice(br + 1) : hostPort.slice(br + 1, end);
  const after = end === -1 ? '' : hostPort.slice(end + 1);
  if (after !== '' && !after.startsWith(':')) return fail('brackets', BRACKETS);
  if (host.startsWith('v')) return /^v[a-fA-F0-9]+\..+$/.test(host) ? undefined : fail('brackets', BRACKETS);
  return isIPv6(host.split('%')[0]!) ? undefined : fail('brackets', BRACKETS);
}

function nfkcAddsDelimiter(netloc: string): boolean {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(netloc)) return false;
  const n = netloc.replace(/[@:#?]/g, '');
  const normal = n.normalize('NFKC');
  return normal !== n && /[/?#@:]/.test(normal);
}

/** `ParseResult.hostname`, `.port` and the userinfo split, as Python 3.11 computes them. */
function pyNetloc(netloc: string) {
  const at = netloc.lastIndexOf('@');
  const userinfo = at === -1 ? undefined : netloc.slice(0, at);
  const hostinfo = netloc.slice(at + 1);
  const colon = userinfo?.indexOf(':') ?? -1;
  const username = userinfo === undefined ? undefined : colon === -1 ? userinfo : userinfo.slice(0, colon);
  const password = userinfo === undefined || colon === -1 ? undefined : userinfo.slice(colon + 1);
  let hostname: string;
  let port: string;
  const br = hostinfo.indexOf('[');
  if (br !== -1) {
    const inner = hostinfo.slice(br + 1);
    const close = inner.indexOf(']');
    hostname = close === -1 ? inner : inner.slice(0, close);
    const after = close === -1 ? '' : inner.slice(close + 1);
    port = after.includes(':') ? after.slice(after.indexOf(':') + 1) : '';
  } else {
    const c = hostinfo.indexOf(':');
    hostname = c === -1 ? hostinfo : hostinfo.slice(0, c);
    port = c === -1 ? '' : hostinfo.slice(c + 1);
  }
  const pct = hostname.indexOf('%');
  const lowered = pct === -1 ? hostname.toLowerCase() : hostname.slice(0, pct).toLowerCase() + hostname.slice(pct);
  return { username, password, hostname: lowered, port };
}

/** The query keys both clients take for themselves: credentials, host, port and db. */
function takeConsumed(take: (key: string) => string | undefined) {
  const [username, password, host, port, db] = ['username', 'password', 'host', 'port', 'db'].map(take);
  return { username, password, host, port, db };
}

const PY_TYPED: Record<string, (v: string) => unknown> = {
  db: pyInt,
  socket_timeout: pyFloat,
  socket_connect_timeout: pyFloat,
  socket_keepalive: pyToBool,
  retry_on_timeout: pyToBool,
  retry_on_error: (v) => [...v],
  max_connections: pyInt,
  health_check_interval: pyInt,
  ssl_check_hostname: pyToBool,
};

/** What `redis.from_url(text)` in redis-py 4 connects with, or why it raises. */
export function readWithRedisPy(text: string): ReaderResult {
  const split = pyUrlSplit(text);
  if ('ok' in split) return split;
  if (split.scheme !== 'redis' && split.scheme !== 'rediss')
    return fail('scheme', 'redis-py takes only redis://, rediss:// and unix:// URLs');
  const { values, repeated } = pyParseQs(split.query);
  const params: Record<string, string> = {};
  for (const [name, value] of values) {
    const parser = PY_TYPED[name];
    const v = pyUnquote(value); // parse_url unquotes each value a second time
    if (parser && parser(v) === undefined)
      return fail('param-value', `redis-py raises "Invalid value for \`${name}\` in connection URL."`);
    params[name] = v;
  }
  const net = pyNetloc(split.netloc);
  let urlPort: number | undefined;
  if (net.port !== '') {
    if (!/^[0-9]+$/.test(net.port))
      return fail('port', 'the port must be a whole number (redis-py: "Port could not be cast to integer value")');
    urlPort = Number(net.port);
    if (urlPort > 65535)
      return fail('port', 'the port must be between 1 and 65535 (redis-py: "Port out of range 0-65535")');
  }
  return pyReading(split, net, params, urlPort || undefined, repeated); // `if url.port:` skips port 0
}

function pyReading(
  split: PySplit,
  net: ReturnType<typeof pyNetloc>,
  params: Record<string, string>,
  urlPort: number | undefined,
  repeated: string[],
): ReaderResult {
  const take = (key: string) => {
    const v = params[key];
    delete params[key];
    return v;
  };
  const query = takeConsumed(take);
  // Connection() runs int(port) on a port= value; the URL's own port wins when it is not 0.
  const port = urlPort ?? (query.port === undefined ? 6379 : pyInt(query.port));
  if (port === undefined) return fail('port', 'the port= value is not a whole number (redis-py raises ValueError)');
  let db = query.db === undefined ? 0 : pyInt(query.db)!;
  if (query.db === undefined && split.path !== '') db = pyInt(pyUnquote(split.path).replace(/\//g, '')) ?? 0;
  return {
    ok: true,
    reading: {
      tls: split.scheme === 'rediss',
      username: net.username ? pyUnquote(net.username) : (query.username ?? ''),
      password: net.password ? pyUnquote(net.password) : (query.password ?? ''),
      host: net.hostname ? pyUnquote(net.hostname) : (query.host ?? 'localhost'),
      port,
      db,
      params,
      repeated,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// ioredis 6

/** What `new Redis(text)` in ioredis 6 connects with, or why its constructor throws. */
export function readWithIoredis(text: string): ReaderResult {
  if (!/^rediss?:\/\//i.test(text)) return fail('scheme', 'ioredis reads only redis:// and rediss:// URLs here');
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    return fail('invalid-url', 'ioredis throws "TypeError: Invalid URL"');
  }
  let username: string | undefined;
  let password: string | undefined;
  if (parsed.username || parsed.password) {
    try {
      username = decodeURIComponent(parsed.username);
      password = decodeURIComponent(parsed.password);
    } catch {
      return fail(
        'bad-escape',
        'a % in the user or password is not followed by two hex digits of valid UTF-8: ioredis ' +
          'throws "URIError: URI malformed"',
      );
    }
  }
  const options: Record<string, string> = {};
  const seen = new Set<string>();
  const repeated = new Set<string>();
  parsed.searchParams.forEach((value, key) => {
    if (seen.has(key)) repeated.add(key);
    seen.add(key);
    options[key] = value; // later values win, as in ioredis' forEach
  });
  return ioReading(text, parsed, { username, password }, options, [...repeated]);
}

function ioReading(
  text: string,
  parsed: URL,
  auth: { username?: string; password?: string },
  options: Record<string, string>,
  repeated: string[],
): ReaderResult {
  const take = (key: string) => {
    const v = options[key];
    delete options[key];
    return v;
  };
  const query = takeConsumed(take);
  // parseURL's own fields win over query values (lodash `defaults`).
  const dbText = parsed.pathname.length > 1 ? parsed.pathname.slice(1) : query.db;
  const portText = parsed.port !== '' ? parsed.port : query.port;
  const port = portText === undefined ? 6379 : parseInt(portText, 10);
  if (Number.isNaN(port)) return fail('port', 'the port= value is not a number');
  const db = dbText === undefined ? 0 : parseInt(dbText, 10);
  return {
    ok: true,
    reading: {
      // parseOptions turns TLS on only for a lower-case `rediss://` prefix.
      tls: text.startsWith('rediss://'),
      username: auth.username ?? query.username ?? '',
      password: auth.password ?? query.password ?? '',
      host: parsed.hostname ? parsed.hostname.replace(/^\[|\]$/g, '') : (query.host ?? 'localhost'),
      port,
      db: Number.isNaN(db) ? 0 : db, // SELECT NaN is skipped: db 0
      params: options,
      repeated,
    },
  };
}

/** A host as the resolver sees it, to compare the two readings. */
export function comparableHost(host: string): string {
  // Only a text with ':' can be IPv6; asking Node otherwise compiles its large IPv6 pattern for nothing.
  const ip = isIPv4(host) || (host.includes(':') && isIPv6(host));
  return ip ? host.toLowerCase() : host.toLowerCase().replace(/\.$/, '');
}
