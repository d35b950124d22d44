// The diagnosis catalogue. Pure: every outcome of a URL check maps to one stable code with a
// one-line cause and an exact fix. The README's table is generated from the same words.
import type { Provider } from './url.js';

export const CHECK_CODES = [
  'ok',
  'invalid-url',
  'ambiguous-url',
  'unsupported-param',
  'rest-url',
  'tls-required',
  'private-host',
  'dns',
  'refused',
  'timeout',
  'tls-mismatch',
  'tls-cert',
  'wrong-password',
  'auth-required',
  'max-clients',
  'quota-exceeded',
  'not-redis',
] as const;
export type CheckCode = (typeof CHECK_CODES)[number];

export interface Diagnosis {
  code: CheckCode;
  message: string;
  fix: string;
}

/** What the probe observed when it failed. `message` must already be free of secrets. */
export interface ProbeFailure {
  /** Node/OpenSSL error code (ECONNREFUSED, ENOTFOUND, SELF_SIGNED_CERT_IN_CHAIN…), if any. */
  errorCode?: string;
  /** Error message: a Redis reply (`WRONGPASS …`) or a socket error text. */
  message: string;
  /** Did a plain TCP connection to host:port succeed before the Redis handshake? */
  tcpConnected: boolean;
  /** Did our own time bound fire (as opposed to an error)? */
  timedOut: boolean;
}

export interface DiagnosisContext {
  host: string;
  port: number;
  tls: boolean;
  provider: Provider;
  timeoutSeconds: number;
}

const TLS_CERT_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

/** Map a probe failure to its catalogue code. Order matters: Redis replies are the most specific. */
export function classifyFailure(f: ProbeFailure, ctx: Pick<DiagnosisContext, 'tls'>): CheckCode {
  const m = f.message;
  if (/WRONGPASS|invalid password|invalid username-password/i.test(m)) return 'wrong-password';
  if (/NOAUTH|Authentication required|without any password configured/i.test(m)) return 'auth-required';
  if (/max number of clients/i.test(m)) return 'max-clients';
  if (/max (daily )?requests? limit exceeded|quota exceeded|max concurrent connections exceeded/i.test(m))
    return 'quota-exceeded';
  if (/Unknown RESP type|Protocol error|unexpected reply/i.test(m)) return 'not-redis';
  const code = f.errorCode ?? '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') return 'dns';
  if (code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'refused';
  if (TLS_CERT_CODES.has(code) || /certificate/i.test(m)) return 'tls-cert';
  if (code === 'EPROTO' || /wrong version number|packet length too long|unexpected eof while reading/i.test(m))
    return 'tls-mismatch';
  if (f.tcpConnected) {
    // TCP works but the TLS handshake hangs (rediss:// to a plain port) or the server resets
    // our plaintext (redis:// to a TLS-only port).
    if (ctx.tls && (code === 'ETIMEDOUT' || f.timedOut)) return 'tls-mismatch';
    if (!ctx.tls && (code === 'ECONNRESET' || code === 'EPIPE')) return 'tls-mismatch';
  }
  if (code === 'ETIMEDOUT' || f.timedOut || /timed out/i.test(m)) return 'timeout';
  if (code === 'ECONNRESET' || code === 'EPIPE' || /Connection is closed/i.test(m))
    return ctx.tls ? 'tls-mismatch' : 'not-redis';
  return 'not-redis';
}

const where = (ctx: DiagnosisContext) => `${ctx.host}:${ctx.port}`;

/** The words a person reads for each code. */
const WORDS: Record<CheckCode, (ctx: DiagnosisContext) => Omit<Diagnosis, 'code'>> = {
  ok: (ctx) => ({ message: `Redis at ${where(ctx)} accepted the credentials and answered PING.`, fix: '' }),
  'invalid-url': () => ({
    message: 'The URL is not a valid Redis URL.',
    fix: 'Use the form redis://default:PASSWORD@HOST:PORT (or rediss:// for TLS).',
  }),
  'ambiguous-url': () => ({
    message:
      'The URL has an @ after a /, ? or # (or the clients read different servers from it): the ' +
      'password could go to another host. Nothing was contacted.',
    fix:
      'Percent-encode the password (@ → %40, / → %2F, # → %23, ? → %3F, % → %25), or copy the ' +
      'URL again from your provider.',
  }),
  'unsupported-param': () => ({
    message:
      'The URL has a query parameter redis-py 4 refuses (for example family=0: "TypeError: ' +
      'unexpected keyword argument"), so the Python bot and worker would fail.',
    fix: "Remove the parameter from the URL; set client options in the app's code instead.",
  }),
  'rest-url': () => ({
    message: 'This is an Upstash REST URL (https://…), not a Redis URL.',
    fix: 'Copy the rediss:// URL from the database\'s "Connect" section in the Upstash console.',
  }),
  'tls-required': () => ({
    message: 'Upstash only speaks TLS: use rediss://.',
    fix: 'Replace redis:// with rediss://.',
  }),
  'private-host': (ctx) => ({
    message: `${ctx.host} is on Railway's private network, which only resolves inside Railway.`,
    fix:
      "Use the Redis service's public URL (REDIS_PUBLIC_URL) here and in .env; inside Railway, " +
      'use the reference ${{Redis.REDIS_URL}}.',
  }),
  dns: (ctx) => ({
    message: `The host name ${ctx.host} does not resolve: it was mistyped, or the database was deleted or renamed.`,
    fix:
      ctx.provider === 'railway-public'
        ? "Copy the current REDIS_PUBLIC_URL from the Redis service's Variables tab (the TCP " +
          'proxy domain changes when networking is reset).'
        : ctx.provider === 'upstash'
          ? 'Copy the current rediss:// URL from the Upstash console; check the database still exists.'
          : "Check the host name in the URL, and that this machine's DNS works.",
  }),
  refused: (ctx) => ({
    message: `Nothing accepts connections at ${where(ctx)}: the port is wrong or Redis is not running.`,
    fix:
      ctx.provider === 'railway-public'
        ? 'The TCP proxy port changes when Public Networking is re-created: copy the current ' +
          'REDIS_PUBLIC_URL, and check the Redis service is running.'
        : 'Check the port in the URL and that the Redis server is running.',
  }),
  timeout: (ctx) => ({
    message:
      `No answer from ${where(ctx)} within ${ctx.timeoutSeconds} s: a firewall drops the ` +
      `traffic, or the server accepted the connection but never replied.`,
    fix:
      'Check the host and port, any firewall or VPN in between, and that the server is Redis. ' +
      'Try a longer bound with --timeout.',
  }),
  'tls-mismatch': (ctx) =>
    ctx.tls
      ? {
          message: `The server at ${where(ctx)} does not speak TLS, but the URL starts with rediss://.`,
          fix:
            ctx.provider === 'upstash'
              ? 'Upstash always uses TLS: check the host and port in the URL.'
              : "Use redis:// for this server (Railway's TCP proxy is plain TCP: redis://).",
        }
      : {
          message: `The server at ${where(ctx)} only accepts TLS, but the URL starts with redis://.`,
          fix: 'Use rediss:// instead of redis://.',
        },
  'tls-cert': (ctx) => ({
    message:
      `The TLS certificate of ${ctx.host} is not trusted by this machine (self-signed, ` +
      `unknown CA, expired, or for another name).`,
    fix:
      "Pass the server's CA certificate with --ca FILE (or NODE_EXTRA_CA_CERTS=FILE), and use " +
      'the host name the certificate was issued for.',
  }),
  'wrong-password': (ctx) => ({
    message:
      'The server was reached, but it rejected this password; it was probably rotated, so copy ' +
      'the current URL again.',
    fix:
      ctx.provider === 'railway-public'
        ? 'Copy the current REDIS_PUBLIC_URL from the Redis service (or run redis-setup setup, ' +
          'which reads it for you).'
        : ctx.provider === 'upstash'
          ? 'Copy the current rediss:// URL from the Upstash console (a password reset changes it).'
          : 'Copy the current URL, with its password, from your Redis provider.',
  }),
  'auth-required': () => ({
    message: 'The server requires a password, but the URL has none.',
    fix: 'Use the full URL with credentials: redis://default:PASSWORD@HOST:PORT.',
  }),
  'max-clients': () => ({
    message: 'The server is full: it reached its maximum number of client connections (maxclients).',
    fix: 'Stop idle clients or raise maxclients; on a hosted plan, upgrade the connection limit.',
  }),
  'quota-exceeded': () => ({
    message:
      'The provider rejected the command because a plan quota is used up (Upstash monthly requests or data size).',
    fix:
      'Raise the plan limit or upgrade in the Upstash console, or wait for the monthly reset. ' +
      'A Dramatiq worker polls constantly: set dramatiq_worker_timeout higher.',
  }),
  'not-redis': (ctx) => ({
    message: `Something answers at ${where(ctx)}, but it is not Redis (it may be an HTTP server or another service).`,
    fix:
      "Check the port: Railway's public Redis port is the TCP proxy port from " + 'REDIS_PUBLIC_URL, not the web port.',
  }),
};

export function explain(code: CheckCode, ctx: DiagnosisContext): Diagnosis {
  return { code, ...WORDS[code](ctx) };
}

export const EVICTION_WARNING = {
  code: 'eviction-policy',
  fix:
    'Dramatiq keeps its queue in Redis: set maxmemory-policy to noeviction (CONFIG SET ' +
    "maxmemory-policy noeviction, or the provider's setting) so messages are never dropped.",
} as const;

export function evictionWarning(policy: string): { code: 'eviction-policy'; message: string; fix: string } | undefined {
  if (policy === 'noeviction') return undefined;
  return {
    code: 'eviction-policy',
    message:
      `maxmemory-policy is ${policy}: when memory is full, Redis will silently evict keys, ` +
      `including Dramatiq's queued messages.`,
    fix: EVICTION_WARNING.fix,
  };
}
