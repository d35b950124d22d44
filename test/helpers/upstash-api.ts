// A fake Upstash Developer API (https://api.upstash.com/v2) on a random loopback port, for tests.
// Endpoints: GET /v2/redis/databases, GET /v2/redis/database/{id}[?credentials=hide],
// POST /v2/redis/database, POST /v2/redis/reset-password/{id}, DELETE /v2/redis/database/{id}.
// Error shapes: JSON {"error": "..."} as the real API (the official CLI reads `error`, then
// `message`).
// - Bad or missing Basic auth → 401 {"error":"Unauthorized"}.
// - accountKind 'vercel' | 'fly' with good credentials → 403 with a text naming the platform and
//   "not a native Upstash account" (the real answer is undocumented; the client matches the names).
// - A free database beyond `freeLimit` (default 1) → 400 "You can create up to N free database(s)".
// - Unknown database → 404 {"error":"database not found"}.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeDatabase {
  database_id: string;
  database_name: string;
  endpoint: string;
  port: number;
  tls: boolean;
  state: string;
  type: string;
  region: string;
  primary_region: string;
  read_regions: string[];
  password: string;
  rest_token: string;
  read_only_rest_token: string;
  creation_time: number;
}

export interface RecordedRequest {
  method: string;
  /** Path and query as sent, e.g. /v2/redis/databases. */
  url: string;
  /** Same as url (kept for readers who expect `path`). */
  path: string;
  /** The Authorization header as received (tests compare it; it is never printed). */
  authorization: string | undefined;
  authOk: boolean;
  /** Parsed JSON body with any secret-looking field replaced by "[redacted]". */
  body?: unknown;
  /** The status the fake answered (0 while the answer is pending or when the client left first). */
  status: number;
}

export interface FakeUpstashOptions {
  email: string;
  apiKey: string;
  databases?: Array<Partial<FakeDatabase> & { database_name: string }>;
  /** How many free databases the account may hold (default 1). */
  freeLimit?: number;
  accountKind?: 'native' | 'vercel' | 'fly';
  /** Wait this long before sending the headers of each answer. */
  delayMs?: number;
  /** Send the headers at once, then wait this long before the body. */
  bodyDelayMs?: number;
  /** Override: return [status, body] to answer a request yourself, or undefined to let the fake answer. */
  respond?: (req: RecordedRequest) => [number, unknown] | undefined;
  /** Runs after a reset, before the answer: e.g. CONFIG SET requirepass on a local redis-server. */
  onPasswordReset?: (db: FakeDatabase, newPassword: string) => void | Promise<void>;
}

export interface FakeUpstash {
  /** Ends in /v2, like the real base URL. */
  baseUrl: string;
  requests(): RecordedRequest[];
  /** The live list: resets and creates change it. */
  databases: FakeDatabase[];
  /** Answer the next request with this status and body (a string is sent as is, else as JSON). */
  failNext(status: number, body: unknown): void;
  close(): Promise<void>;
}

const REGIONS = new Set([
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'eu-central-1',
  'eu-west-1',
  'eu-west-2',
  'sa-east-1',
  'ap-south-1',
  'ap-northeast-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'af-south-1',
  'us-central1',
  'us-east4',
  'europe-west1',
  'asia-northeast1',
]);
const GCP = new Set(['us-central1', 'us-east4', 'europe-west1', 'asia-northeast1']);

/** Token-like secret: Upstash's console says the token is also the database password. */
export const upstashToken = (): string => `AX${randomBytes(30).toString('base64url')}=`;
export const newPassword = upstashToken;
export const newRestToken = upstashToken;

let counter = 0;
export function makeFakeDatabase(seed: Partial<FakeDatabase> & { database_name: string }): FakeDatabase {
  const slug = `${seed.database_name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${10000 + (++counter % 90000)}`;
  return {
    database_id: seed.database_id ?? randomUUIDLike(),
    endpoint: `${slug}.upstash.io`,
    port: 6379,
    tls: true,
    state: 'active',
    type: 'free',
    region: 'global',
    primary_region: 'us-east-1',
    read_regions: [],
    password: newPassword(),
    rest_token: newRestToken(),
    read_only_rest_token: newRestToken(),
    creation_time: Math.floor(Date.now() / 1000),
    ...seed,
  };
}

function randomUUIDLike(): string {
  const h = randomBytes(16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const SECRET_KEY = /pass|token|secret|api_?key/i;
function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) ? '[redacted]' : redact(v)]),
    );
  }
  return value;
}

export async function startFakeUpstash(opts: FakeUpstashOptions): Promise<FakeUpstash> {
  const databases: FakeDatabase[] = (opts.databases ?? []).map(makeFakeDatabase);
  const recorded: RecordedRequest[] = [];
  const freeLimit = opts.freeLimit ?? 1;
  const expectedAuth = `Basic ${Buffer.from(`${opts.email}:${opts.apiKey}`).toString('base64')}`;
  const timers = new Set<NodeJS.Timeout>();
  let nextFailure: { status: number; body: unknown } | undefined;

  const statusOf = new WeakMap<http.ServerResponse, RecordedRequest>();
  const send = (res: http.ServerResponse, status: number, body: unknown) => {
    if (res.destroyed || res.writableEnded) return; // the client gave up (timeout test)
    const record = statusOf.get(res);
    if (record) record.status = status;
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': typeof body === 'string' ? 'text/plain' : 'application/json' });
    if (!opts.bodyDelayMs) return void res.end(text);
    res.flushHeaders();
    later(opts.bodyDelayMs, () => {
      if (!res.destroyed) res.end(text);
    });
  };
  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };
  const fail = (res: http.ServerResponse, status: number, error: string) => send(res, status, { error });
  const find = (id: string) => databases.find((d) => d.database_id === decodeURIComponent(id));

  async function route(req: http.IncomingMessage, res: http.ServerResponse, body: unknown): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname.replace(/^\/v2(?=\/)/, '');
    const method = req.method ?? 'GET';

    if (method === 'GET' && path === '/redis/databases') return send(res, 200, databases);

    let m = /^\/redis\/database\/([^/]+)$/.exec(path);
    if (m && method === 'GET') {
      const db = find(m[1]!);
      if (!db) return fail(res, 404, 'database not found');
      if (url.searchParams.get('credentials') === 'hide') {
        const { password: _p, rest_token: _r, read_only_rest_token: _ro, ...rest } = db;
        return send(res, 200, rest);
      }
      return send(res, 200, db);
    }
    if (m && method === 'DELETE') {
      const db = find(m[1]!);
      if (!db) return fail(res, 404, 'database not found');
      databases.splice(databases.indexOf(db), 1);
      return send(res, 200, 'OK');
    }

    if (method === 'POST' && path === '/redis/database') {
      const b = (body ?? {}) as Record<string, unknown>;
      if (typeof b.database_name !== 'string' || b.database_name === '')
        return fail(res, 400, 'database_name is required');
      if (typeof b.primary_region !== 'string' || !REGIONS.has(b.primary_region))
        return fail(res, 400, `invalid primary_region: ${String(b.primary_region)}`);
      const platform = GCP.has(b.primary_region) ? 'gcp' : 'aws';
      if (b.platform !== platform) return fail(res, 400, `platform must be ${platform} for ${b.primary_region}`);
      if (b.region !== undefined && b.region !== 'global') return fail(res, 400, 'region must be global');
      if (databases.some((d) => d.database_name === b.database_name))
        return fail(res, 400, `database name ${b.database_name} already exists`);
      const plan = typeof b.plan === 'string' ? b.plan : 'free';
      if (plan === 'free' && databases.filter((d) => d.type === 'free').length >= freeLimit) {
        return fail(
          res,
          400,
          `You can create up to ${freeLimit} free database(s). Upgrade your account or delete the existing one.`,
        );
      }
      const db = makeFakeDatabase({
        database_name: b.database_name,
        primary_region: b.primary_region,
        read_regions: Array.isArray(b.read_regions) ? (b.read_regions as string[]) : [],
        type: plan === 'free' ? 'free' : plan === 'payg' ? 'payg' : 'paid',
      });
      databases.push(db);
      return send(res, 200, db);
    }

    m = /^\/redis\/reset-password\/([^/]+)$/.exec(path);
    if (m && method === 'POST') {
      const db = find(m[1]!);
      if (!db) return fail(res, 404, 'database not found');
      db.password = newPassword();
      db.rest_token = newRestToken();
      db.read_only_rest_token = newRestToken();
      try {
        await opts.onPasswordReset?.({ ...db }, db.password);
      } catch (e) {
        return fail(res, 500, `password reset hook failed: ${(e as Error).message}`);
      }
      return send(res, 200, db);
    }

    return fail(res, 404, `no route for ${method} ${url.pathname}`);
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = raw;
      }
      const authOk = req.headers.authorization === expectedAuth;
      const record: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        path: req.url ?? '',
        authorization: req.headers.authorization,
        authOk,
        ...(body !== undefined ? { body: redact(body) } : {}),
        status: 0,
      };
      recorded.push(record);
      statusOf.set(res, record);
      const answer = async () => {
        if (nextFailure) {
          const f = nextFailure;
          nextFailure = undefined;
          return send(res, f.status, f.body);
        }
        const custom = opts.respond?.({ ...record });
        if (custom) return send(res, custom[0], custom[1]);
        if (!authOk) return fail(res, 401, 'Unauthorized');
        if (opts.accountKind === 'vercel' || opts.accountKind === 'fly') {
          const platform = opts.accountKind === 'vercel' ? 'Vercel' : 'Fly.io';
          return fail(
            res,
            403,
            `This account was created through ${platform} and is not a native Upstash account; ` +
              `the Developer API is not available for it.`,
          );
        }
        await route(req, res, body);
      };
      const run = () => answer().catch((e: Error) => fail(res, 500, e.message));
      if (opts.delayMs) {
        later(opts.delayMs, () => void run());
      } else {
        void run();
      }
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v2`,
    requests: () => recorded.map((r) => ({ ...r })),
    databases,
    failNext(status, body) {
      nextFailure = { status, body };
    },
    close: () =>
      new Promise<void>((ok) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
