// The Upstash Developer (Management) API, https://api.upstash.com/v2: list, get, create, and reset
// the password of Redis databases, so a rotation needs no browser.
// - Auth is HTTP Basic EMAIL:API_KEY in a header, never in the URL; plain http only to loopback
// (tests).
// - Every request (headers and body) is bounded by one AbortSignal timeout.
// - No message ever holds the key, a password or a token: server text is masked before it is shown.
// - The module reads no env: the caller passes UPSTASH_API_BASE_URL as `baseUrl` if it wants one.
import * as z from 'zod/mini';
import { CliError, EXIT, UsageError } from '../errors.js';
import { maskText } from '../core/mask.js';
import { buildUrl } from '../core/url.js';
import { platformForRegion, suggestRegion, UPSTASH_REGIONS } from '../core/upstash-regions.js';

export { platformForRegion, suggestRegion, UPSTASH_REGIONS };

export const UPSTASH_API_BASE_URL = 'https://api.upstash.com/v2';
export const DEFAULT_UPSTASH_TIMEOUT_MS = 15_000;

// Only the fields we use; unknown ones (read_only_rest_token, budget…) are dropped on parse.
// Lenient where legacy databases differ: regional ones have `region` and no `primary_region`.
const DatabaseSchema = z.object({
  database_id: z.string().check(z.minLength(1)),
  database_name: z.string(),
  endpoint: z.string().check(z.minLength(1)),
  port: z.coerce.number().check(z.int(), z.positive()),
  tls: z._default(z.optional(z.boolean()), true),
  state: z.optional(z.string()),
  type: z.optional(z.string()),
  primary_region: z.optional(z.string()),
  region: z.optional(z.string()),
  password: z.optional(z.string()),
  rest_token: z.optional(z.string()),
});
export type UpstashDatabase = z.infer<typeof DatabaseSchema>;

const SECRET_FIELDS = ['password', 'rest_token'] as const;

/**
 * Secrets stay readable (`db.password`) but are non-enumerable, so JSON.stringify, console.log and
 * util.inspect of a database never print them. A spread copy (`{...db}`) drops them.
 */
function hideSecrets(db: UpstashDatabase): UpstashDatabase {
  for (const field of SECRET_FIELDS) {
    if (db[field] !== undefined)
      Object.defineProperty(db, field, { enumerable: false, writable: true, configurable: true });
  }
  return db;
}

/** The host of an endpoint that may be a slug (`eu2-cat-1234`) or a full host (`eu2-cat-1234.upstash.io`). */
export function databaseHost(endpoint: string): string {
  const host = endpoint
    .trim()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    .replace(/[/?#].*$/, '')
    .replace(/:\d+$/, '');
  return host.includes('.') ? host : `${host}.upstash.io`;
}

/**
 * `rediss://default:<password>@<host>:<port>`. TLS unless the API says `tls: false` (only legacy
 * databases, or a local server in tests). The result holds the password: mask it before showing.
 */
export function databaseRedisUrl(db: UpstashDatabase): string {
  if (!db.password) {
    throw new CliError(
      `Upstash did not return the password of the database ${db.database_name}.`,
      EXIT.checkFailed,
      'Copy the rediss:// URL from the database page in the Upstash console, then paste it (or ' +
        'pipe it with --url-stdin).',
      'upstash-http',
    );
  }
  return buildUrl({
    tls: db.tls !== false,
    username: 'default',
    password: db.password,
    host: databaseHost(db.endpoint),
    port: db.port,
    db: 0,
  });
}

export interface UpstashClientOptions {
  email: string;
  apiKey: string;
  /** Default https://api.upstash.com/v2. Tests pass a loopback server. */
  baseUrl?: string;
  /** Bound for each request, headers and body. Default 15 s. */
  timeoutMs?: number;
}

export interface CreateDatabaseInput {
  name: string;
  region: string;
  /** free | payg | fixed_250mb … ; omitted: Upstash picks free or payg from the account. */
  plan?: string;
}

export interface UpstashClient {
  listDatabases(): Promise<UpstashDatabase[]>;
  getDatabase(id: string): Promise<UpstashDatabase>;
  createDatabase(input: CreateDatabaseInput): Promise<UpstashDatabase>;
  /** New credentials; the old password and both REST tokens stop working at once. */
  resetPassword(id: string): Promise<UpstashDatabase>;
}

type Method = 'GET' | 'POST';

// One closure keeps the credentials out of every object it returns; each method in it is short.
// biome-ignore lint/complexity/noExcessiveLinesPerFunction: see above
export function createUpstashClient(opts: UpstashClientOptions): UpstashClient {
  const base = checkedBaseUrl(opts.baseUrl ?? UPSTASH_API_BASE_URL);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_UPSTASH_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
    throw new UsageError(`The Upstash API timeout must be a positive number of milliseconds, not ${timeoutMs}.`);
  const credentials = Buffer.from(`${opts.email}:${opts.apiKey}`).toString('base64');
  // Everything secret this client knows, for masking whatever the server says back.
  const secrets = new Set<string>([opts.apiKey, credentials]);

  async function request(method: Method, path: string, body?: unknown): Promise<unknown> {
    const what = `${method} ${path}`;
    const signal = AbortSignal.timeout(timeoutMs);
    let status: number;
    let text: string;
    try {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: {
          Authorization: `Basic ${credentials}`,
          Accept: 'application/json',
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal,
        redirect: 'error', // a redirect could carry the Authorization header somewhere else
      });
      status = res.status;
      text = await res.text(); // still under the same signal
    } catch (e) {
      if (signal.aborted) {
        throw new CliError(
          `The Upstash API did not answer ${what} within ${formatMs(timeoutMs)}.`,
          EXIT.checkFailed,
          'Check your connection and https://status.upstash.com, then run again.',
          'upstash-timeout',
        );
      }
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      const reason = mask(cause?.code ?? cause?.message ?? (e as Error).message);
      throw new CliError(
        `Cannot reach the Upstash API at ${new URL(base).host} (${reason}).`,
        EXIT.checkFailed,
        'Check your network connection (and any proxy), then run again.',
        'upstash-http',
      );
    }
    const json = parseJson(text);
    if (status >= 200 && status < 300) return json;
    throw upstashError(status, mask(errorText(json, text)), method, path);
  }

  function mask(text: string): string {
    return maskText(text, [...secrets])
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 300);
  }

  function parseDb(value: unknown, what: string): UpstashDatabase {
    const r = DatabaseSchema.safeParse(value);
    if (!r.success) {
      // Field names only: the values may be secrets.
      const fields = [...new Set(r.error.issues.map((i) => i.path.join('.') || '(whole answer)'))].join(', ');
      throw new CliError(
        `The Upstash API answered ${what} with an unexpected shape (${fields}).`,
        EXIT.checkFailed,
        'Update redis-setup (npx redis-setup@latest), or copy the rediss:// URL from the Upstash console.',
        'upstash-http',
      );
    }
    for (const field of SECRET_FIELDS) {
      const s = r.data[field];
      if (s) secrets.add(s);
    }
    return hideSecrets(r.data);
  }

  const dbPath = (id: string) => `/redis/database/${encodeURIComponent(id)}`;

  async function getDatabase(id: string): Promise<UpstashDatabase> {
    return parseDb(await request('GET', dbPath(id)), `GET ${dbPath(id)}`);
  }

  /** Use the answer when it carries the password; otherwise (e.g. a bare "OK") read the database back. */
  async function withCredentials(answer: unknown, what: string, id?: string): Promise<UpstashDatabase> {
    const r = DatabaseSchema.safeParse(answer);
    if (r.success && r.data.password) return parseDb(answer, what);
    const known = id ?? (r.success ? r.data.database_id : undefined);
    return known ? getDatabase(known) : parseDb(answer, what);
  }

  return {
    async listDatabases() {
      const list = await request('GET', '/redis/databases');
      if (list === null || list === undefined) return [];
      if (!Array.isArray(list)) {
        throw new CliError(
          'The Upstash API answered GET /redis/databases with something other than a list.',
          EXIT.checkFailed,
          'Update redis-setup (npx redis-setup@latest), or copy the rediss:// URL from the Upstash console.',
          'upstash-http',
        );
      }
      return list.map((item) => parseDb(item, 'GET /redis/databases'));
    },
    getDatabase,
    async createDatabase(input) {
      // What the official CLI sends ({database_name, region: 'global', primary_region,
      // read_regions})
      // plus the OpenAPI's other required field, platform, and an explicit tls (always on at
      // Upstash).
      const body = {
        database_name: input.name,
        platform: platformForRegion(input.region),
        primary_region: input.region,
        region: 'global',
        read_regions: [] as string[],
        tls: true,
        ...(input.plan ? { plan: input.plan } : {}),
      };
      return withCredentials(await request('POST', '/redis/database', body), 'POST /redis/database');
    },
    async resetPassword(id) {
      const path = `/redis/reset-password/${encodeURIComponent(id)}`;
      return withCredentials(await request('POST', path), `POST ${path}`, id);
    },
  };
}

function checkedBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(
      `The Upstash API base URL is not a URL: ${maskText(raw)}`,
      'Leave UPSTASH_API_BASE_URL unset to use https://api.upstash.com/v2.',
    );
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.username || url.password || (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))) {
    throw new UsageError(
      `The Upstash API base URL must be https:// without credentials: ${maskText(raw)}`,
      'Leave UPSTASH_API_BASE_URL unset to use https://api.upstash.com/v2; the API key goes in UPSTASH_API_KEY.',
    );
  }
  return url.toString().replace(/\/+$/, '');
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** What the official CLI shows: JSON `error`, else `message`, else the raw text. */
function errorText(json: unknown, text: string): string {
  if (json && typeof json === 'object') {
    const o = json as Record<string, unknown>;
    if (typeof o.error === 'string' && o.error) return o.error;
    if (typeof o.message === 'string' && o.message) return o.message;
  }
  if (typeof json === 'string') return json;
  return text;
}

// How a Vercel- or Fly-created account shows up is not documented; we match the platform names
// in any 4xx answer (the fake server in test/helpers/upstash-api.ts answers 403 with such a text).
const NOT_NATIVE = /vercel|fly\.io|\bfly\b|not a native|native (upstash )?account/i;
const FREE_DB_LIMIT = /free (database|db)|up to \d+ free|(max(imum)?|limit)\b.*\bdatabases?|databases? (limit|quota)/i;

function upstashError(status: number, said: string, method: Method, path: string): CliError {
  const what = `${method} ${path}`;
  const quoted = said ? `: ${said}` : '';
  if (status >= 400 && status < 500 && NOT_NATIVE.test(said)) {
    return new CliError(
      `The Upstash Developer API does not serve this account: it was created through Vercel or ` +
        `Fly (HTTP ${status}${quoted}).`,
      EXIT.checkFailed,
      'Open the Upstash console of that platform (Vercel: Storage → your database; Fly: fly redis ' +
        'dashboard), copy the rediss:// URL, and paste it instead (or pipe it with ' +
        '--url-stdin).',
      'upstash-not-native',
    );
  }
  if (status === 401 || status === 403) {
    return new CliError(
      `Upstash rejected the email or API key (HTTP ${status}${quoted}).`,
      EXIT.checkFailed,
      'Create a key in the Upstash console → Account → Management API, then set UPSTASH_EMAIL ' +
        '(the account email) and UPSTASH_API_KEY. Accounts created through Vercel or Fly have ' +
        'no API access: paste their rediss:// URL instead.',
      'upstash-auth',
    );
  }
  if (
    method === 'POST' &&
    path === '/redis/database' &&
    status >= 400 &&
    status < 500 &&
    status !== 429 &&
    FREE_DB_LIMIT.test(said)
  ) {
    return new CliError(
      `Upstash will not create another database: the free database limit is reached (HTTP ${status}${quoted}).`,
      EXIT.checkFailed,
      'The free plan allows one database: reuse the existing one (--upstash-db NAME), or upgrade ' +
        'the Upstash account and run again.',
      'upstash-db-limit',
    );
  }
  if (status === 404) {
    const id = /^\/redis\/(?:database|reset-password)\/([^/]+)$/.exec(path)?.[1];
    return new CliError(
      id
        ? `Upstash has no database with id ${decodeURIComponent(id)} (HTTP 404${quoted}).`
        : `The Upstash API has no ${what} (HTTP 404${quoted}).`,
      EXIT.checkFailed,
      'Run without --upstash-db to list your databases, then pick one by name.',
      'upstash-not-found',
    );
  }
  return new CliError(
    `The Upstash API failed ${what} (HTTP ${status}${quoted}).`,
    EXIT.checkFailed,
    status === 429
      ? 'Too many requests: wait a minute, then run again.'
      : 'Run again; if it keeps failing, check https://status.upstash.com.',
    'upstash-http',
  );
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}
