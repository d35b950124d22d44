// The Redis URL model. Pure: parsing, host classification and the rules that turn a pasted URL
// into either a usable connection or one clear answer (what is wrong, why, the exact fix).
import { z } from 'zod';
import { maskSecret } from './mask.js';

export type Provider = 'railway-private' | 'railway-public' | 'upstash' | 'other';

export interface RedisUrl {
  tls: boolean;
  username: string;
  password: string;
  host: string;
  port: number;
  db: number;
  /** Query parameters other than the ones we understand, kept as given. */
  params: Record<string, string>;
}

export type UrlIssueCode = 'invalid-url' | 'rest-url' | 'tls-required' | 'private-host';

export interface UrlIssue {
  code: UrlIssueCode;
  message: string;
  fix: string;
  /** A corrected URL to offer, when there is one. Contains the secret: mask before showing. */
  suggestedUrl?: string;
}

export interface UrlWarning {
  code: 'family-param' | 'unencoded-password' | 'no-password';
  message: string;
  fix: string;
}

export type UrlAnalysis =
  | { ok: true; url: RedisUrl; provider: Provider; normalized: string; warnings: UrlWarning[] }
  | { ok: false; issue: UrlIssue; provider?: Provider };

const DEFAULT_PORT = 6379;

export function classifyHost(host: string): Provider {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (h.endsWith('.railway.internal')) return 'railway-private';
  if (h.endsWith('.proxy.rlwy.net') || h.endsWith('.railway.app')) return 'railway-public';
  if (h.endsWith('.upstash.io')) return 'upstash';
  return 'other';
}

/** Percent-encode user and password the way both ioredis and redis-py decode them. */
export function buildUrl(u: Pick<RedisUrl, 'tls' | 'username' | 'password' | 'host' | 'port' | 'db'> & { params?: Record<string, string> }): string {
  const auth = u.password !== '' || u.username !== ''
    ? `${encodeURIComponent(u.username)}${u.password !== '' ? `:${encodeURIComponent(u.password)}` : ''}@`
    : '';
  const host = u.host.includes(':') && !u.host.startsWith('[') ? `[${u.host}]` : u.host;
  const query = u.params && Object.keys(u.params).length > 0 ? `?${new URLSearchParams(u.params).toString()}` : '';
  return `${u.tls ? 'rediss' : 'redis'}://${auth}${host}:${u.port}${u.db ? `/${u.db}` : ''}${query}`;
}

/** The URL with its password masked: safe to print. Works on invalid input too. */
export function maskUrl(input: string): string {
  const text = input.trim();
  const at = text.lastIndexOf('@');
  const schemeEnd = text.indexOf('://');
  if (at === -1 || schemeEnd === -1 || at < schemeEnd) return text;
  const auth = text.slice(schemeEnd + 3, at);
  const colon = auth.indexOf(':');
  if (colon === -1) {
    // `redis://secret@host`: a lone userinfo is treated as the password by redis-cli and others.
    return `${text.slice(0, schemeEnd + 3)}${maskSecret(decodeSafe(auth))}${text.slice(at)}`;
  }
  const user = auth.slice(0, colon);
  const pass = auth.slice(colon + 1);
  return `${text.slice(0, schemeEnd + 3)}${user}:${pass === '' ? '' : maskSecret(decodeSafe(pass))}${text.slice(at)}`;
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** What a person pastes: trim whitespace and newlines, strip matching quotes around it. */
export function cleanPastedUrl(input: string): string {
  let s = input.trim();
  if (s.length >= 2 && (s[0] === '"' || s[0] === "'") && s.at(-1) === s[0]) s = s.slice(1, -1).trim();
  return s;
}

// Characters that must be percent-encoded inside userinfo for every client to read the same password.
const NEEDS_ENCODING = /[@:/#?%+ \s]|[^\x20-\x7e]/;

const schemeSchema = z.enum(['redis', 'rediss'], {
  error: (issue) => `the scheme must be redis:// or rediss://, not ${String(issue.input)}://`,
});
const portSchema = z.coerce
  .number({ error: 'the port must be a number' })
  .int('the port must be a whole number')
  .min(1, 'the port must be between 1 and 65535')
  .max(65535, 'the port must be between 1 and 65535');
const dbSchema = z.coerce
  .number({ error: 'the database number after the / must be a number' })
  .int('the database number must be a whole number')
  .min(0, 'the database number must be 0 or more');
const hostSchema = z.string().min(1, 'the host is missing');

function invalid(message: string, fix: string, suggestedUrl?: string): UrlAnalysis {
  return { ok: false, issue: { code: 'invalid-url', message, fix, ...(suggestedUrl ? { suggestedUrl } : {}) } };
}

const FIX_FORMAT = 'Use the form redis://default:PASSWORD@HOST:PORT (or rediss:// for TLS), copied from your provider.';

/**
 * Parse and judge a Redis URL. Rules that make the URL unusable return `ok: false` with one issue;
 * rules that leave it usable but risky come back as warnings.
 */
export function analyzeUrl(input: string): UrlAnalysis {
  const text = cleanPastedUrl(input);
  if (text === '') return invalid('No Redis URL was given.', FIX_FORMAT);

  const schemeMatch = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(text);
  if (!schemeMatch) {
    return invalid('This is not a URL: it does not start with redis:// or rediss://.', FIX_FORMAT);
  }
  const scheme = schemeMatch[1]!.toLowerCase();
  const rest = text.slice(schemeMatch[0].length);

  // Split userinfo at the LAST @ so an unencoded @ in the password does not move the host.
  const lastAt = rest.lastIndexOf('@');
  const authority = lastAt === -1 ? '' : rest.slice(0, lastAt);
  const afterAuth = lastAt === -1 ? rest : rest.slice(lastAt + 1);
  const hostEnd = afterAuth.search(/[/?#]/);
  const hostPort = hostEnd === -1 ? afterAuth : afterAuth.slice(0, hostEnd);
  const tail = hostEnd === -1 ? '' : afterAuth.slice(hostEnd);

  const { host, port: portText } = splitHostPort(hostPort);
  const provider = host ? classifyHost(host) : undefined;

  if (scheme === 'https' || scheme === 'http') {
    const where = provider === 'upstash'
      ? 'Open your database in the Upstash console and copy the rediss:// URL from the "Connect" section (the TCP endpoint, not the REST one).'
      : 'Copy the redis:// or rediss:// URL of the database instead.';
    return {
      ok: false,
      provider,
      issue: {
        code: 'rest-url',
        message: provider === 'upstash'
          ? 'This is the Upstash REST URL (https://…), not a Redis URL. Redis clients such as redis-py and ioredis cannot use it.'
          : 'This is an HTTP URL, not a Redis URL.',
        fix: where,
      },
    };
  }

  const schemeResult = schemeSchema.safeParse(scheme);
  if (!schemeResult.success) return invalid(`Invalid scheme: ${schemeResult.error.issues[0]!.message}.`, FIX_FORMAT);
  const tls = scheme === 'rediss';

  const hostResult = hostSchema.safeParse(host);
  if (!hostResult.success) return invalid(`Invalid host: ${hostResult.error.issues[0]!.message}.`, FIX_FORMAT);
  if (/[\s@]/.test(host)) return invalid('Invalid host: it contains a space or @.', FIX_FORMAT);

  let port = DEFAULT_PORT;
  if (portText !== undefined) {
    const portResult = portSchema.safeParse(portText);
    if (!portResult.success || portText === '') {
      // The text is never echoed: without an @, what sits in the port place is often the password.
      return invalid(`Invalid port: ${portResult.success ? 'the port is empty' : portResult.error.issues[0]!.message}.`,
        `${FIX_FORMAT} If the password contains a : / # or ?, it must be percent-encoded.`);
    }
    port = portResult.data;
  }

  const { path, query } = splitTail(tail);
  let db = 0;
  if (path !== '' && path !== '/') {
    const dbResult = dbSchema.safeParse(path.slice(1));
    if (!dbResult.success) {
      return invalid(`Invalid database number after the host: ${dbResult.error.issues[0]!.message}.`,
        `${FIX_FORMAT} If the password contains / # or ?, it must be percent-encoded.`);
    }
    db = dbResult.data;
  }
  const params: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(query)) params[k] = v;
  if (params.db !== undefined) {
    const dbResult = dbSchema.safeParse(params.db);
    if (!dbResult.success) return invalid(`Invalid db= parameter: ${dbResult.error.issues[0]!.message}.`, FIX_FORMAT);
    db = dbResult.data;
    delete params.db;
  }

  const colon = authority.indexOf(':');
  const rawUser = colon === -1 ? '' : authority.slice(0, colon);
  // A lone `redis://secret@host` is a password to redis-cli and redis-py alike.
  const rawPass = colon === -1 ? authority : authority.slice(colon + 1);
  // Split at the last @ and the first : is unambiguous, so a password that is not validly
  // percent-encoded is read literally; the warning below offers the encoded form.
  const username = percentDecode(rawUser) ?? rawUser;
  const password = percentDecode(rawPass) ?? rawPass;
  const badEncoding = percentDecode(rawUser) === undefined || percentDecode(rawPass) === undefined;

  const url: RedisUrl = { tls, username, password, host, port, db, params };
  const warnings: UrlWarning[] = [];
  const normalized = buildUrl(url);

  if (provider === 'upstash' && !tls) {
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

  if (provider === 'railway-private') {
    return {
      ok: false,
      provider,
      issue: {
        code: 'private-host',
        message: `${host} is Railway's private network: it only resolves inside Railway, so it cannot be reached from this machine.`,
        fix: 'For checks and .env, use the Redis service\'s public URL (REDIS_PUBLIC_URL; turn on Public Networking for the Redis service if it is missing). For services inside the same Railway project, use the reference ${{Redis.REDIS_URL}} (redis-setup setup --provider reference).',
      },
    };
  }

  if (badEncoding || needsEncoding(rawUser) || needsEncoding(rawPass)) {
    warnings.push({
      code: 'unencoded-password',
      message: 'The password contains characters (@ : / # ? % + space or non-ASCII) that must be percent-encoded; clients may read a different password or host.',
      fix: 'Use the percent-encoded URL, which ioredis and redis-py both read the same way.',
    });
  }
  if ('family' in params) {
    warnings.push({
      code: 'family-param',
      message: 'The URL has a family= parameter. redis-py (the Python bot and Dramatiq) fails on it with "unexpected keyword argument \'family\'".',
      fix: 'Remove ?family=… from the URL; set family: 0 in the Node client options instead (ioredis ≥ 5.8.2 already defaults to it).',
    });
  }
  if (password === '') {
    warnings.push({
      code: 'no-password',
      message: 'The URL has no password.',
      fix: 'Hosted Redis (Railway, Upstash) always needs one: copy the full URL including default:PASSWORD@.',
    });
  }

  return { ok: true, url, provider: provider ?? 'other', normalized, warnings };
}

function splitHostPort(hostPort: string): { host: string; port?: string } {
  if (hostPort.startsWith('[')) {
    const end = hostPort.indexOf(']');
    if (end === -1) return { host: hostPort };
    const host = hostPort.slice(1, end);
    const after = hostPort.slice(end + 1);
    return after.startsWith(':') ? { host, port: after.slice(1) } : { host };
  }
  const colon = hostPort.lastIndexOf(':');
  if (colon === -1) return { host: hostPort };
  return { host: hostPort.slice(0, colon), port: hostPort.slice(colon + 1) };
}

function splitTail(tail: string): { path: string; query: string } {
  const hash = tail.indexOf('#');
  const noHash = hash === -1 ? tail : tail.slice(0, hash);
  const q = noHash.indexOf('?');
  return q === -1 ? { path: noHash, query: '' } : { path: noHash.slice(0, q), query: noHash.slice(q + 1) };
}

function percentDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

/** Raw userinfo text that clients may split or decode differently (a valid %XX escape is fine). */
function needsEncoding(raw: string): boolean {
  return NEEDS_ENCODING.test(raw.replace(/%[0-9a-fA-F]{2}/g, ''));
}

/** A Railway reference variable: carries no secret and follows future password changes. */
export function referenceValue(redisService: string, variable = 'REDIS_URL'): string {
  return `\${{${redisService}.${variable}}}`;
}

export function isReference(value: string): boolean {
  return /\$\{\{[^}]+\}\}/.test(value);
}

/** The password inside a URL value, to mask it wherever it might appear. */
export function passwordOf(value: string): string | undefined {
  const m = /^[a-z]+:\/\/[^:@/]*:([^@]*)@/i.exec(value.trim()) ?? /^[a-z]+:\/\/([^:@/]+)@/i.exec(value.trim());
  if (!m?.[1]) return undefined;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return m[1];
  }
}
