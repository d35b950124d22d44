// Shared bits of the fake deployed apps: JSON log lines (Railway structured logs),
// a one-shot Redis operation via ioredis, and redis-py style error texts.
import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Redis } = require('ioredis');

/** One structured log line; the supervisor adds the timestamp. */
export function log(level, message) {
  process.stdout.write(`${JSON.stringify({ level, message })}\n`);
}

export function redisUrlFromEnv() {
  return process.env[process.env.REDIS_URL_VAR || 'REDIS_URL'];
}

export const tickMs = Number(process.env.FAKE_APP_TICK_MS || 1000);

const SCHEME_ERROR = 'Redis URL must specify one of the following schemes (redis://, rediss://, unix://)';

/** What redis-py's from_url raises for a missing/odd URL, or null when it parses. */
export function urlProblem(url) {
  if (!url || !/^(rediss?|unix):\/\//i.test(url)) return SCHEME_ERROR;
  return null;
}

// The fake maps <svc>.railway.internal to a loopback address; error texts show the original name.
const aliases = (() => {
  try {
    return JSON.parse(process.env.FAKE_RAILWAY_HOST_ALIASES || '{}');
  } catch {
    return {};
  }
})();

function hostPort(url) {
  try {
    const u = new URL(url);
    const key = `${u.hostname}:${u.port || 6379}`;
    return aliases[key] ?? key;
  } catch {
    return 'localhost:6379';
  }
}

const REPLY_CODE =
  /^(ERR|WRONGPASS|NOAUTH|OOM|LOADING|READONLY|NOPERM|NOSCRIPT|EXECABORT|BUSY|NOPROTO|MISCONF|MASTERDOWN) /;

/** Format like str(exception) in redis-py: reply errors lose their leading code word. */
export function formatRedisError(err, url) {
  const hp = hostPort(url);
  const msg = String(err?.message ?? err);
  switch (err?.code) {
    case 'ECONNREFUSED':
      return `Error 111 connecting to ${hp}. Connection refused.`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `Error -2 connecting to ${hp}. Name or service not known.`;
    case 'ETIMEDOUT':
      return 'Timeout connecting to server';
    case 'ECONNRESET':
      return `Error while reading from ${hp} : (104, 'Connection reset by peer')`;
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
    case 'CERT_HAS_EXPIRED':
      return (
        `Error 1 connecting to ${hp}. [SSL: CERTIFICATE_VERIFY_FAILED] ` +
        `certificate verify failed: ${msg} (_ssl.c:992).`
      );
    default:
      break;
  }
  if (msg === 'Command timed out') return 'Timeout reading from socket';
  return msg.replace(REPLY_CODE, '');
}

/** True for errors redis-py raises as ConnectionError (auth included), false for other reply errors. */
export function isConnectionError(err) {
  if (err?.code) return true;
  const msg = String(err?.message ?? '');
  return /^(WRONGPASS|NOAUTH) /.test(msg) || !REPLY_CODE.test(msg);
}

/** Run fn(client) on a fresh short-lived connection. Resolves {ok, value} or {ok:false, error, raw}. */
export async function withRedis(url, fn) {
  const problem = urlProblem(url);
  if (problem) return { ok: false, error: problem, raw: new Error(problem) };
  let client;
  let lastError;
  try {
    client = new Redis(url, {
      lazyConnect: true,
      connectTimeout: 2000,
      commandTimeout: 2000,
      retryStrategy: () => null,
      maxRetriesPerRequest: 0,
      disableClientInfo: true,
      disconnectTimeout: 100,
    });
    client.on('error', (e) => {
      lastError = e;
    });
    const value = await fn(client);
    return { ok: true, value };
  } catch (e) {
    const err = lastError && /Connection is closed/.test(String(e?.message)) ? lastError : (lastError ?? e);
    return { ok: false, error: formatRedisError(err, url), raw: err };
  } finally {
    try {
      client?.disconnect();
    } catch {
      /* already gone */
    }
  }
}

/**
 * Tell the supervisor the process has started (Railway's "container is running"). It counts the
 * time to SUCCESS from here, so an app that dies during startup never becomes SUCCESS, however slow
 * the machine is.
 */
export function ready() {
  const fd = Number(process.env.FAKE_READY_FD);
  if (!fd) return;
  try {
    fs.writeSync(fd, 'ready\n');
  } catch {
    /* not run by the supervisor */
  }
}

export function keepAlive() {
  setInterval(() => {}, 1 << 30);
}
