// The Upstash Developer API (https://api.upstash.com/v2): list, create, and reset the password of
// Redis databases, so a rotation needs no browser. HTTP Basic auth EMAIL:API_KEY in a header;
// every request has a time bound; no message ever holds the key, a password or a token.
import { z } from 'zod';
import { CliError, EXIT } from '../errors.js';
import { maskText } from '../core/mask.js';
import { buildUrl } from '../core/url.js';

export const UPSTASH_API = 'https://api.upstash.com/v2';

export const UPSTASH_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'eu-central-1', 'eu-west-1', 'eu-west-2',
  'sa-east-1', 'ap-south-1', 'ap-northeast-1', 'ap-southeast-1', 'ap-southeast-2', 'af-south-1',
  'us-central1', 'us-east4', 'europe-west1', 'asia-northeast1',
] as const;

const DatabaseSchema = z.object({
  database_id: z.string(),
  database_name: z.string(),
  endpoint: z.string(),
  port: z.coerce.number().int(),
  tls: z.boolean().optional().default(true),
  state: z.string().optional(),
  type: z.string().optional(),
  primary_region: z.string().optional(),
  region: z.string().optional(),
  password: z.string().optional(),
  rest_token: z.string().optional(),
});
export type UpstashDatabase = z.infer<typeof DatabaseSchema>;

/** `rediss://default:<password>@<host>:<port>`; an endpoint without a dot is a slug under upstash.io. */
export function databaseRedisUrl(db: UpstashDatabase): string {
  if (!db.password) throw new CliError(`Upstash did not return the password of ${db.database_name}.`, EXIT.checkFailed, 'Copy the rediss:// URL from the Upstash console instead.', 'upstash-http');
  const host = db.endpoint.includes('.') || db.endpoint.includes(':') ? db.endpoint : `${db.endpoint}.upstash.io`;
  return buildUrl({ tls: db.tls, username: 'default', password: db.password, host, port: db.port, db: 0 });
}

/** Railway regions (us-west2, us-east4-eqdc4a, europe-west4-drams3a, asia-southeast1-eqsg3a) → nearest Upstash region. */
export function suggestRegion(railwayRegion: string | undefined): (typeof UPSTASH_REGIONS)[number] {
  const r = (railwayRegion ?? '').toLowerCase();
  if (r.startsWith('us-west')) return 'us-west-1';
  if (r.startsWith('us-east')) return 'us-east-1';
  if (r.startsWith('europe') || r.startsWith('eu')) return 'eu-central-1';
  if (r.startsWith('asia-southeast') || r.startsWith('ap-southeast')) return 'ap-southeast-1';
  if (r.startsWith('asia-northeast') || r.startsWith('ap-northeast')) return 'ap-northeast-1';
  if (r.startsWith('asia-south') || r.startsWith('ap-south')) return 'ap-south-1';
  return 'us-east-1';
}

export interface UpstashClientOptions { email: string; apiKey: string; baseUrl?: string; timeoutMs?: number }

export function createUpstashClient(opts: UpstashClientOptions) {
  const base = (opts.baseUrl ?? UPSTASH_API).replace(/\/$/, '');
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const auth = `Basic ${Buffer.from(`${opts.email}:${opts.apiKey}`).toString('base64')}`;
  const secrets = () => [opts.apiKey];

  async function request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        method,
        headers: { Authorization: auth, Accept: 'application/json', ...(body ? { 'Content-Type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      const name = (e as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw new CliError(`The Upstash API did not answer within ${Math.round(timeoutMs / 1000)} s.`, EXIT.checkFailed, 'Check your connection and https://status.upstash.com, then run again.', 'upstash-timeout');
      }
      throw new CliError('Cannot reach the Upstash API.', EXIT.checkFailed, 'Check your network connection, then run again.', 'upstash-http');
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (res.ok) return json;
    const said = maskText(errorText(json, text), secrets()).slice(0, 300);
    throw upstashError(res.status, said, path);
  }

  const parseDb = (value: unknown) => {
    const r = DatabaseSchema.safeParse(value);
    if (!r.success) throw new CliError('The Upstash API answered with an unexpected shape.', EXIT.checkFailed, 'Update redis-setup (npx redis-setup@latest), or copy the URL from the console.', 'upstash-http');
    return r.data;
  };

  return {
    async listDatabases(): Promise<UpstashDatabase[]> {
      const list = await request('GET', '/redis/databases');
      return Array.isArray(list) ? list.map(parseDb) : [];
    },
    async getDatabase(id: string): Promise<UpstashDatabase> {
      return parseDb(await request('GET', `/redis/database/${encodeURIComponent(id)}`));
    },
    async createDatabase(o: { name: string; region: string; plan?: string }): Promise<UpstashDatabase> {
      // What the official CLI sends, plus the OpenAPI's required fields.
      const platform = /^(us-central1|us-east4|europe-west1|asia-northeast1)$/.test(o.region) ? 'gcp' : 'aws';
      return parseDb(await request('POST', '/redis/database', {
        database_name: o.name, name: o.name, region: 'global', primary_region: o.region, read_regions: [], platform, tls: true,
        ...(o.plan ? { plan: o.plan } : {}),
      }));
    },
    /** New credentials; the old password and both REST tokens stop working at once. */
    async resetPassword(id: string): Promise<UpstashDatabase> {
      return parseDb(await request('POST', `/redis/reset-password/${encodeURIComponent(id)}`));
    },
  };
}

export type UpstashClient = ReturnType<typeof createUpstashClient>;

function errorText(json: unknown, text: string): string {
  if (json && typeof json === 'object') {
    const o = json as Record<string, unknown>;
    if (typeof o.error === 'string') return o.error;
    if (typeof o.message === 'string') return o.message;
  }
  if (typeof json === 'string') return json;
  return text.trim();
}

function upstashError(status: number, said: string, path: string): CliError {
  if (/vercel|fly\.io|\bfly\b|not a native|native account/i.test(said)) {
    return new CliError(`This Upstash account was created through Vercel or Fly, and the Developer API does not serve it (${said}).`, EXIT.checkFailed,
      'Use the Upstash console of that platform (Vercel → Storage, or fly redis) to copy the rediss:// URL, then run: npx redis-setup --provider upstash --url-stdin', 'upstash-not-native');
  }
  if (status === 401 || status === 403) {
    return new CliError(`Upstash rejected the email or API key (HTTP ${status}).`, EXIT.checkFailed,
      'Create a key in the Upstash console → Account → Management API, then set UPSTASH_EMAIL and UPSTASH_API_KEY.', 'upstash-auth');
  }
  if (/free (database|db)|only (one|1) free|up to 1 free|limit/i.test(said) && path === '/redis/database') {
    return new CliError(`Upstash will not create another database: ${said}`, EXIT.checkFailed,
      'The free plan allows one database: reuse the existing one (--upstash-db NAME), or upgrade the account.', 'upstash-db-limit');
  }
  if (status === 404) {
    return new CliError(`Upstash has no such database (HTTP 404${said ? `: ${said}` : ''}).`, EXIT.checkFailed,
      'List the databases with npx redis-setup --provider upstash and pick one by name.', 'upstash-not-found');
  }
  return new CliError(`The Upstash API failed (HTTP ${status}${said ? `: ${said}` : ''}).`, EXIT.checkFailed, 'Try again; if it persists, check https://status.upstash.com.', 'upstash-http');
}
