// The live Redis check: one bounded connection with ioredis, no reconnect loop, no hang.
// ioredis hides the real cause behind `Connection is closed.`, so we keep the last 'error' event.
// We never keep or print the error object itself: ioredis puts the password in err.command.args.
// What the server says (its errors, version, settings) may carry escape sequences: stripped here,
// before masking, so no form of output (text or --json) can pass them to a terminal.
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import type { RedisUrl } from '../core/url.js';
import type { ProbeFailure } from '../core/diagnosis.js';
import { maskText, sanitizeForTerminal } from '../core/mask.js';

export interface ProbeOptions {
  url: RedisUrl;
  timeoutMs: number;
  /** Extra CA certificates (PEM) for TLS servers. */
  ca?: string | Buffer;
  /** How many PINGs to time for the median round-trip. */
  pings?: number;
}

export type ProbeResult =
  | { ok: true; tls: boolean; latencyMs: number; serverVersion?: string; maxmemoryPolicy?: string }
  | { ok: false; tls: boolean; failure: ProbeFailure };

interface ErrorFacts {
  code?: string;
  message: string;
}

class Deadline extends Error {}

type RedisClass = typeof import('ioredis').Redis;

/**
 * The Redis client class alone: ioredis's index also loads its Cluster code, which a probe never
 * needs and every `check` would pay for at start-up. CommonJS: the class is `default` (twice, bundled).
 */
async function loadRedis(): Promise<RedisClass> {
  const mod = (await import('ioredis/built/Redis.js')) as unknown as { default: RedisClass | { default: RedisClass } };
  const first = mod.default;
  return 'default' in first ? first.default : first;
}

export async function probeRedis(opts: ProbeOptions): Promise<ProbeResult> {
  const { url, timeoutMs } = opts;
  // ioredis is CommonJS: in the bundle its class sits on the default export.
  const Redis = await loadRedis();
  const secrets = [url.password];
  let lastError: ErrorFacts | undefined;

  const client = new Redis({
    ...connectionOptions(url, opts.ca),
    family: 0,
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    retryStrategy: () => null,
    reconnectOnError: () => false,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: true,
    // Without this the "max number of clients" reply is swallowed by CLIENT SETINFO.
    disableClientInfo: true,
    disconnectTimeout: 100,
  });
  // Whether plain TCP reached the port tells "nothing there" from "there, but not our protocol".
  // ioredis reports 'connect' only after the TLS handshake, so rediss:// gets its own TCP check.
  let tcpConnected = false;
  const tcpCheck = url.tls
    ? tcpReachable(url.host, url.port, timeoutMs).then((ok) => {
        tcpConnected ||= ok;
      })
    : Promise.resolve();
  client.on('connect', () => {
    tcpConnected = true;
  });
  client.on('error', (e: NodeJS.ErrnoException) => {
    lastError = {
      code: typeof e.code === 'string' ? e.code : undefined,
      message: serverText(String(e.message), secrets),
    };
  });

  const started = performance.now();
  const remaining = () => Math.max(1, timeoutMs - (performance.now() - started));
  try {
    await bounded(client.connect(), remaining());
    const pings = Math.max(1, opts.pings ?? 5);
    const times: number[] = [];
    for (let i = 0; i < pings; i++) {
      const t0 = performance.now();
      await bounded(client.ping(), remaining());
      times.push(performance.now() - t0);
    }
    const serverVersion = await optional(async () =>
      serverField(parseInfoField(String(await bounded(client.info('server'), remaining())), 'redis_version'), secrets),
    );
    const maxmemoryPolicy = await optional(async () => {
      const reply = (await bounded(client.config('GET', 'maxmemory-policy'), remaining())) as unknown;
      return serverField(configValue(reply, 'maxmemory-policy'), secrets);
    });
    return { ok: true, tls: url.tls, latencyMs: round(median(times)), serverVersion, maxmemoryPolicy };
  } catch (e) {
    const timedOut = e instanceof Deadline;
    const thrown =
      e instanceof Error && !timedOut
        ? { code: (e as NodeJS.ErrnoException).code, message: serverText(e.message, secrets) }
        : undefined;
    // Prefer the event's error: the rejection is usually the generic "Connection is closed."
    const facts = lastError ?? thrown ?? { message: 'no answer' };
    await tcpCheck; // bounded by the same timeout, started at the same moment
    return {
      ok: false,
      tls: url.tls,
      failure: {
        errorCode: facts.code,
        message: facts.message,
        tcpConnected,
        timedOut: timedOut || /timed out/i.test(facts.message),
      },
    };
  } finally {
    client.disconnect();
  }
}

/**
 * The parsed URL as ioredis options, so the probe sends what redis-py 4 sends: a user name with an
 * empty password still goes out as `AUTH user ""` (ioredis does that only when password is a
 * string), and ssl_cert_reqs=none turns certificate checks off as it does in redis-py.
 */
export function connectionOptions(url: RedisUrl, ca?: string | Buffer) {
  const verify = url.params.ssl_cert_reqs !== 'none';
  return {
    host: url.host,
    port: url.port,
    username: url.username || undefined,
    password: url.username !== '' ? url.password : url.password || undefined,
    db: url.db,
    tls: url.tls
      ? {
          servername: net.isIP(url.host) ? undefined : url.host,
          ...(ca ? { ca } : {}),
          ...(verify ? {} : { rejectUnauthorized: false }),
        }
      : undefined,
  };
}

/** A plain TCP connect, to tell "nothing there" from "something there that did not speak our protocol". */
function tcpReachable(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, family: 0 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function bounded<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Deadline('deadline')), ms);
  });
  return Promise.race([p, deadline]).finally(() => clearTimeout(timer));
}

async function optional<T>(f: () => Promise<T | undefined>): Promise<T | undefined> {
  try {
    return await f();
  } catch {
    return undefined; // e.g. CONFIG is disabled on Upstash and on ACL-restricted users
  }
}

/** Text from the server, safe to print: control characters out first (they could split a secret), then masked. */
function serverText(text: string, secrets: string[]): string {
  return maskText(sanitizeForTerminal(text), secrets);
}

const serverField = (text: string | undefined, secrets: string[]) =>
  text === undefined ? undefined : serverText(text, secrets);

function parseInfoField(info: string, field: string): string | undefined {
  const m = new RegExp(`^${field}:(.*)$`, 'm').exec(info);
  return m?.[1]?.trim();
}

function configValue(reply: unknown, key: string): string | undefined {
  if (Array.isArray(reply)) {
    const i = reply.indexOf(key);
    return i >= 0 && typeof reply[i + 1] === 'string' ? reply[i + 1] : undefined;
  }
  if (reply instanceof Map) return reply.get(key) as string | undefined;
  if (reply && typeof reply === 'object') return (reply as Record<string, string>)[key];
  return undefined;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
