// The Redis URL model. Pure. One reading of a URL, shared by check, setup and doctor: what redis-py 4
// and ioredis do with the text (core/url-readers.ts emulates both). Where they agree we follow them;
// where they differ we warn, naming both readings, and follow redis-py (the Python bot and worker);
// where the text itself is ambiguous we refuse before anything is contacted. A URL we write is
// canonical: every client reads it the same way, and .env never needs quotes around it.
import { isIPv6 } from 'node:net';
import { domainToASCII } from 'node:url';
import { maskSecret, maskText } from './mask.js';
import { judgeParams, PYTHON_ONLY_TLS_PARAMS } from './url-params.js';
import {
  comparableHost,
  readWithIoredis,
  readWithRedisPy,
  type ClientReading,
  type ReaderFailure,
  type ReaderResult,
} from './url-readers.js';

export type Provider = 'railway-private' | 'railway-public' | 'upstash' | 'other';

export interface RedisUrl {
  tls: boolean;
  /** '' when no user name is sent. */
  username: string;
  /** '' when no password is sent. */
  password: string;
  /** ASCII (punycode for IDN names), lower case, IPv6 without brackets. */
  host: string;
  port: number;
  db: number;
  /** Query parameters redis-py 4 accepts and uses as meant (see core/url-params.ts). */
  params: Record<string, string>;
}

export type UrlIssueCode =
  | 'invalid-url'
  | 'rest-url'
  | 'tls-required'
  | 'private-host'
  | 'ambiguous-url'
  | 'unsupported-param';

export interface UrlIssue {
  code: UrlIssueCode;
  message: string;
  fix: string;
  /** A corrected URL to offer, when there is one. Contains the secret: mask before showing. */
  suggestedUrl?: string;
}

export type UrlWarningCode =
  | 'unencoded-password'
  | 'no-password'
  | 'user-without-password'
  | 'readers-disagree'
  | 'python-only-param';

export interface UrlWarning {
  code: UrlWarningCode;
  message: string;
  fix: string;
}

/** What each client makes of the text. Readings hold the secret: never print them. */
export interface UrlReadings {
  redisPy: ReaderResult;
  ioredis: ReaderResult;
}

export type UrlAnalysis =
  | { ok: true; url: RedisUrl; provider: Provider; normalized: string; warnings: UrlWarning[]; readings: UrlReadings }
  | { ok: false; issue: UrlIssue; provider?: Provider };

type Failed = Extract<UrlAnalysis, { ok: false }>;

export function classifyHost(host: string): Provider {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (h.endsWith('.railway.internal')) return 'railway-private';
  if (h.endsWith('.proxy.rlwy.net') || h.endsWith('.railway.app')) return 'railway-public';
  if (h.endsWith('.upstash.io')) return 'upstash';
  return 'other';
}

/**
 * Percent-encode everything outside RFC 3986's unreserved set (A-Z a-z 0-9 - . _ ~), as UTF-8.
 * encodeURIComponent leaves ! ' ( ) * alone; a ' would force quotes around the value in .env.
 * Equal to Python's `quote(s, safe='')`.
 */
export function encodeStrict(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** A host as a written URL spells it: lower case, IDN names in punycode, IPv6 bare. Undefined: not a host. */
export function canonicalHost(host: string): string | undefined {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  if (bare.includes(':')) return isIPv6(bare) ? bare.toLowerCase() : undefined; // else a zone id or a stray port
  const ascii = domainToASCII(bare);
  return ascii === '' ? undefined : ascii;
}

/** The canonical URL: read identically by redis-py 4, ioredis 5/6 and this tool. */
export type UrlParts = Pick<RedisUrl, 'tls' | 'username' | 'password' | 'host' | 'port' | 'db'> & {
  params?: Record<string, string>;
};

export function buildUrl(u: UrlParts): string {
  // A user always comes with its colon, so no client reads a lone user name as a password.
  const auth = u.username !== '' || u.password !== '' ? `${encodeStrict(u.username)}:${encodeStrict(u.password)}@` : '';
  const host = canonicalHost(u.host) ?? u.host;
  const entries = Object.entries(u.params ?? {});
  const query = entries.map(([k, v]) => `${encodeStrict(k)}=${encodeStrict(v)}`).join('&');
  const hostPart = host.includes(':') ? `[${host}]` : host;
  const tail = `${u.db ? `/${u.db}` : ''}${query ? `?${query}` : ''}`;
  return `${u.tls ? 'rediss' : 'redis'}://${auth}${hostPart}:${u.port}${tail}`;
}

/** The URL with every secret-looking part masked: safe to print. Works on any text, URL or not. */
export function maskUrl(input: string): string {
  return maskText(input.trim());
}

/** What a person pastes: trim whitespace and newlines, strip matching quotes around it. */
export function cleanPastedUrl(input: string): string {
  let s = input.trim();
  if (s.length >= 2 && (s[0] === '"' || s[0] === "'") && s.at(-1) === s[0]) s = s.slice(1, -1).trim();
  return s;
}

const FIX_FORMAT = 'Use the form redis://default:PASSWORD@HOST:PORT (or rediss:// for TLS), copied from your provider.';

function invalid(message: string, fix: string, suggestedUrl?: string): Failed {
  return { ok: false, issue: { code: 'invalid-url', message, fix, ...(suggestedUrl ? { suggestedUrl } : {}) } };
}

/** The parts of the text, split the way both clients split it once the text is unambiguous. */
function partsOf(text: string): { userinfo?: string; hostPort: string; path: string } {
  const rest = text.slice(text.indexOf('://') + 3);
  const end = rest.search(/[/?#]/);
  const authority = end === -1 ? rest : rest.slice(0, end);
  const tail = end === -1 ? '' : rest.slice(end);
  const at = authority.lastIndexOf('@');
  return {
    ...(at === -1 ? {} : { userinfo: authority.slice(0, at) }),
    hostPort: authority.slice(at + 1),
    path: /^[^?#]*/.exec(tail)![0],
  };
}

/**
 * Parse and judge a Redis URL. Rules that make the URL unusable return `ok: false` with one issue;
 * rules that leave it usable but risky come back as warnings.
 */
export function analyzeUrl(input: string): UrlAnalysis {
  const text = cleanPastedUrl(input).replace(/[\t\r\n]/g, ''); // both clients drop these anywhere
  const early = refuseEarly(text);
  if (early) return early;
  const readings: UrlReadings = { redisPy: readWithRedisPy(text), ioredis: readWithIoredis(text) };
  if (!readings.redisPy.ok) return unreadable(text, readings.redisPy, readings.ioredis);
  const agreed = agree(readings.redisPy.reading, readings.ioredis);
  if ('ok' in agreed) return agreed;
  return judge(text, agreed, readings);
}

function refuseEarly(text: string): Failed | undefined {
  if (text === '') return invalid('No Redis URL was given.', FIX_FORMAT);
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(text);
  if (!m) return invalid('This is not a URL: it does not start with redis:// or rediss://.', FIX_FORMAT);
  const scheme = m[1]!.toLowerCase();
  if (scheme === 'http' || scheme === 'https') return restUrl(text);
  if (scheme !== 'redis' && scheme !== 'rediss') {
    const shown = scheme.slice(0, 12);
    return invalid(`Invalid scheme: the scheme must be redis:// or rediss://, not ${shown}://.`, FIX_FORMAT);
  }
  const rest = text.slice(m[0].length);
  const end = rest.search(/[/?#]/);
  if (end !== -1 && rest.includes('@', end)) return ambiguous();
  // Both clients fall back to localhost; from a pasted URL that is a truncated copy, not a choice.
  const { hostPort } = partsOf(text);
  if (hostPort === '' || hostPort.startsWith(':')) return invalid('Invalid host: the host is missing.', FIX_FORMAT);
  return undefined;
}

function ambiguous(): Failed {
  return {
    ok: false,
    issue: {
      code: 'ambiguous-url',
      message:
        'This URL has an @ after a /, ? or #, so the password and the host cannot be told apart: ' +
        'the clients may read another host than the one you mean and send the password there. Nothing was contacted.',
      fix:
        'Percent-encode the password (@ → %40, / → %2F, # → %23, ? → %3F, % → %25), or copy the URL again from your ' +
        'provider.',
    },
  };
}

function restUrl(text: string): Failed {
  let host = '';
  try {
    host = new URL(text).hostname;
  } catch {
    /* no host to name */
  }
  const provider = host ? classifyHost(host) : undefined;
  const upstash = provider === 'upstash';
  return {
    ok: false,
    ...(provider ? { provider } : {}),
    issue: {
      code: 'rest-url',
      message: upstash
        ? 'This is the Upstash REST URL (https://…), not a Redis URL. Redis clients such as redis-py and ioredis ' +
          'cannot use it.'
        : 'This is an HTTP URL, not a Redis URL.',
      fix: upstash
        ? 'Open your database in the Upstash console and copy the rediss:// URL from the "Connect" section (the TCP ' +
          'endpoint, not the REST one).'
        : 'Copy the redis:// or rediss:// URL of the database instead.',
    },
  };
}

const UNREADABLE_FIX: Record<ReaderFailure, string> = {
  brackets:
    'Percent-encode [ as %5B and ] as %5D in the user name and password; only an IPv6 host goes in brackets, ' +
    'like redis://default:PASSWORD@[2001:db8::1]:6379.',
  port:
    `${FIX_FORMAT} The port must be a number from 1 to 65535. If the password contains : / # or ?, they must be ` +
    `percent-encoded.`,
  nfkc: 'Percent-encode the non-ASCII characters of the password (npx redis-setup writes the URL encoded for you).',
  'param-value': 'Correct the value of that parameter, or remove it from the URL.',
  scheme: FIX_FORMAT,
  'invalid-url': FIX_FORMAT,
  'bad-escape': 'Percent-encode a literal % as %25.',
};

/** redis-py raises on the text: the Python apps cannot start with it. */
function unreadable(text: string, py: Extract<ReaderResult, { ok: false }>, io: ReaderResult): Failed {
  const { hostPort, userinfo } = partsOf(text);
  if (!hostPort.startsWith('[') && (hostPort.match(/:/g) ?? []).length >= 2) {
    return invalid(
      'The host looks like an IPv6 address without brackets: redis-py and ioredis both reject it.',
      'Put an IPv6 address in brackets, like redis://default:PASSWORD@[2001:db8::1]:6379.',
    );
  }
  if (py.failure === 'port') {
    // The text is never echoed: without an @, what sits in the port place is often the password.
    const noAt =
      userinfo === undefined
        ? ' There is no @, so if the part after the colon is a password, the host is missing.'
        : '';
    return invalid(`Invalid port: ${py.detail}.${noAt}`, UNREADABLE_FIX.port);
  }
  const fixable = io.ok && (py.failure === 'brackets' || py.failure === 'nfkc');
  const suggestion = fixable ? suggestFrom(io.reading) : undefined;
  const message = `redis-py (the Python bot and Dramatiq) cannot read this URL: ${py.detail}.`;
  return invalid(message, UNREADABLE_FIX[py.failure], suggestion);
}

function suggestFrom(r: ClientReading): string | undefined {
  const host = canonicalHost(r.host);
  if (!host) return undefined;
  return buildUrl({ ...r, host, params: judgeParams(r.params, r.repeated, r.tls).kept });
}

interface Agreed {
  reading: ClientReading;
  repeated: string[];
  warnings: UrlWarning[];
}

/** Follow the clients where they agree; refuse when they would contact different servers. */
function agree(py: ClientReading, io: ReaderResult): Agreed | Failed {
  if (!io.ok) {
    const warning = disagree(`ioredis (Node apps) cannot read it: ${io.detail}`);
    return { reading: py, repeated: py.repeated, warnings: [warning] };
  }
  const other = io.reading;
  const warnings: UrlWarning[] = [];
  if (other.port === 0) return invalid('Invalid port: the port must be between 1 and 65535.', FIX_FORMAT);
  if (comparableHost(py.host) !== comparableHost(other.host) || py.port !== other.port) {
    const sameName = canonicalHost(py.host) !== undefined && canonicalHost(py.host) === canonicalHost(other.host);
    if (!sameName || py.port !== other.port) return differentServers(py, other);
    warnings.push(
      disagree(
        `ioredis looks up the host exactly as written (${other.host}), which no DNS server resolves, ` +
          `while redis-py converts it (${canonicalHost(py.host)})`,
      ),
    );
  }
  const diff = differences(py, other);
  if (diff.length > 0) warnings.push(disagree(diff.join('; ')));
  return { reading: py, repeated: [...new Set([...py.repeated, ...other.repeated])], warnings };
}

function differentServers(py: ClientReading, io: ClientReading): Failed {
  const at = (r: ClientReading) => `${r.host.includes(':') ? `[${r.host}]` : r.host}:${r.port}`;
  return {
    ok: false,
    issue: {
      code: 'ambiguous-url',
      message:
        `redis-py would connect to ${maskText(at(py))} and ioredis to ${maskText(at(io))}: the two clients read ` +
        `a different server from this text. Nothing was contacted.`,
      fix:
        'Write the host and port plainly (an IPv6 address in brackets) and percent-encode the password, or copy the ' +
        'URL again from your provider.',
    },
  };
}

const shownUser = (u: string) => (u === 'default' || u === 'default_ro' ? u : maskSecret(u) || '****');

function auth(r: ClientReading): string {
  if (r.username === '' && r.password === '') return 'no credentials';
  if (r.username === '') return `a password alone (${maskSecret(r.password)})`;
  return (
    `user ${shownUser(r.username)} with ` +
    `${r.password === '' ? 'an empty password' : `a password (${maskSecret(r.password)})`}`
  );
}

function differences(py: ClientReading, io: ClientReading): string[] {
  const out: string[] = [];
  if (py.tls !== io.tls) {
    out.push(
      `redis-py ${py.tls ? 'uses' : 'does not use'} TLS and ioredis ${io.tls ? 'does' : 'does not'}` +
        `${py.tls && !io.tls ? ' (ioredis turns TLS on only for a lower-case rediss://)' : ''}`,
    );
  }
  if (py.username !== io.username || py.password !== io.password) {
    out.push(`redis-py sends ${auth(py)}, ioredis ${auth(io)}`);
  }
  if (py.db !== io.db) out.push(`redis-py selects db ${py.db}, ioredis db ${io.db}`);
  return out;
}

function disagree(what: string): UrlWarning {
  return {
    code: 'readers-disagree',
    message:
      `redis-py (Python apps) and ioredis (Node apps) read this URL differently: ${what}. This check follows ` +
      `redis-py.`,
    fix:
      'Let npx redis-setup write the URL: percent-encoded, credentials in user:password@, one db, so both clients ' +
      'read the same.',
  };
}

/** The agreed reading, judged: host, db, query parameters, provider rules, then warnings. */
function judge(text: string, agreed: Agreed, readings: UrlReadings): UrlAnalysis {
  const { reading } = agreed;
  const host = canonicalHost(reading.host);
  if (!host) return invalid('Invalid host: it is not a valid host name or IP address.', FIX_FORMAT);
  const { path } = partsOf(text);
  if (!/^\/?(\d+\/?)?$/.test(path) || reading.db < 0) {
    return invalid(
      'Invalid database number after the host: the database number after the / must be a number (0 or more).',
      `${FIX_FORMAT} If the password contains / # or ?, it must be percent-encoded.`,
    );
  }
  const provider = classifyHost(host);
  const { kept, refused } = judgeParams(reading.params, agreed.repeated, reading.tls);
  const { tls, username, password, port, db } = reading;
  const url: RedisUrl = { tls, username, password, host, port, db, params: kept };
  if (refused.length > 0) return unsupportedParams(refused, url, provider);
  const ruled = providerRules(url, provider);
  if (ruled) return ruled;
  const warnings = [...agreed.warnings, ...urlWarnings(text, url)];
  return { ok: true, url, provider, normalized: buildUrl(url), warnings, readings };
}

function unsupportedParams(refused: string[], url: RedisUrl, provider: Provider): Failed {
  return {
    ok: false,
    provider,
    issue: {
      code: 'unsupported-param',
      message:
        `The URL has query parameters redis-py 4 (the Python bot and Dramatiq) refuses or misreads: ` +
        `${refused.join(' ')}`,
      fix:
        'Remove them from the URL (the corrected URL keeps only the parameters redis-py accepts); set client ' +
        "options in the app's code instead.",
      suggestedUrl: buildUrl(url),
    },
  };
}

function providerRules(url: RedisUrl, provider: Provider): Failed | undefined {
  if (provider === 'upstash' && !url.tls) {
    return {
      ok: false,
      provider,
      issue: {
        code: 'tls-required',
        message: 'Upstash only speaks TLS: use rediss://.',
        fix: 'Use the same URL with rediss:// instead of redis://.',
        suggestedUrl: buildUrl({ ...url, tls: true }),
      },
    };
  }
  if (provider !== 'railway-private') return undefined;
  return {
    ok: false,
    provider,
    issue: {
      code: 'private-host',
      message:
        `${url.host} is Railway's private network: it only resolves inside Railway, so it cannot be reached ` +
        `from this machine.`,
      fix:
        "For checks and .env, use the Redis service's public URL (REDIS_PUBLIC_URL; turn on Public Networking for " +
        'the Redis service if it is missing). For services inside the same Railway project, use the reference ' +
        '${{Redis.REDIS_URL}} (redis-setup setup --provider reference).',
    },
  };
}

// Characters clients may split or decode differently when they are not percent-encoded.
const NEEDS_ENCODING = /[@:/#?%+ \s]|[^\x20-\x7e]/;

/** Raw userinfo text that clients may split or decode differently (a valid %XX escape is fine). */
function needsEncoding(raw: string): boolean {
  return NEEDS_ENCODING.test(raw.replace(/%[0-9a-fA-F]{2}/g, ''));
}

function urlWarnings(text: string, url: RedisUrl): UrlWarning[] {
  const warnings: UrlWarning[] = [];
  const { userinfo = '' } = partsOf(text);
  const colon = userinfo.indexOf(':');
  const rawUser = colon === -1 ? userinfo : userinfo.slice(0, colon);
  const rawPass = colon === -1 ? '' : userinfo.slice(colon + 1);
  if (needsEncoding(rawUser) || needsEncoding(rawPass)) {
    warnings.push({
      code: 'unencoded-password',
      message:
        'The password contains characters (@ : / # ? % + space or non-ASCII) that must be percent-encoded; ' +
        'clients may read a different password or host.',
      fix: 'Use the percent-encoded URL, which ioredis and redis-py both read the same way.',
    });
  }
  if (url.username !== '' && url.password === '') {
    warnings.push({
      code: 'user-without-password',
      message:
        'The URL has a user name and no password: redis-py and ioredis both send AUTH <user> "". In ' +
        'redis://NAME@host, NAME is a user name, not a password.',
      fix:
        'If that name is really the password, write redis://default:PASSWORD@HOST:PORT (or ' +
        'redis://:PASSWORD@HOST:PORT).',
    });
  } else if (url.password === '') {
    warnings.push({
      code: 'no-password',
      message: 'The URL has no password.',
      fix: 'Hosted Redis (Railway, Upstash) always needs one: copy the full URL including default:PASSWORD@.',
    });
  }
  const pythonOnly = Object.keys(url.params).filter((k) => PYTHON_ONLY_TLS_PARAMS.includes(k));
  if (pythonOnly.length > 0) {
    warnings.push({
      code: 'python-only-param',
      message:
        `redis-py applies ${pythonOnly.join(', ')}; ioredis (Node apps) ignores ` +
        `${pythonOnly.length > 1 ? 'them' : 'it'} and verifies the certificate with Node's defaults.`,
      fix: "Set the same TLS options in the Node client's code if a Node app uses this URL.",
    });
  }
  return warnings;
}

/** A Railway reference variable: carries no secret and follows future password changes. */
export function referenceValue(redisService: string, variable = 'REDIS_URL'): string {
  return `\${{${redisService}.${variable}}}`;
}

export function isReference(value: string): boolean {
  return /\$\{\{[^}]+\}\}/.test(value);
}

/**
 * The secret inside a URL value, to mask it wherever it might appear: the password both clients
 * read, or a lone `redis://NAME@host` user name (clients send it as a user, but people paste passwords there).
 */
export function passwordOf(value: string): string | undefined {
  const text = cleanPastedUrl(value);
  // Ambiguous text: the secret is most likely everything up to the last @ (what a person typed).
  if (refuseEarly(text)?.issue.code === 'ambiguous-url') return fromLastAt(text);
  for (const read of [readWithRedisPy, readWithIoredis]) {
    const r = read(text);
    if (!r.ok) continue;
    if (r.reading.password !== '') return r.reading.password;
    const lone = !(partsOf(text).userinfo ?? ':').includes(':');
    if (lone && r.reading.username !== '' && r.reading.username !== 'default') return r.reading.username;
    return undefined;
  }
  return fromLastAt(text);
}

function fromLastAt(text: string): string | undefined {
  const m = /^[a-z][a-z0-9+.-]*:\/\/(.*)@/is.exec(text);
  if (!m?.[1]) return undefined;
  const raw = m[1].includes(':') ? m[1].slice(m[1].indexOf(':') + 1) : m[1];
  try {
    return decodeURIComponent(raw) || undefined;
  } catch {
    return raw || undefined;
  }
}
