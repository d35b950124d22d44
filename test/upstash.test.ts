// The Upstash Developer API client (src/edge/upstash.ts) against a local fake of the API:
// every call, every documented failure mapped to its code, time bounds, and no secret in any message.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import {
  createUpstashClient,
  databaseRedisUrl,
  suggestRegion,
  UPSTASH_REGIONS,
  type UpstashDatabase,
} from '../src/edge/upstash.ts';
import { CliError } from '../src/errors.ts';
import { startFakeUpstash, upstashToken, type FakeUpstash, type FakeUpstashOptions } from './helpers/upstash-api.ts';
import { freePort, startRedis, type RedisHandle } from './helpers/redis.ts';

const EMAIL = 'dev@example.com';
const API_KEY = 'f3c1b2a4-9d8e-4c7b-a6f5-0e1d2c3b4a59';
const OLD_PW = upstashToken();

const servers: FakeUpstash[] = [];
async function fake(o: Partial<FakeUpstashOptions> = {}): Promise<FakeUpstash> {
  const f = await startFakeUpstash({
    email: EMAIL,
    apiKey: API_KEY,
    databases: [
      {
        database_id: 'db-1',
        database_name: 'bot-cache',
        endpoint: 'us1-merry-cat-32748',
        port: 6379,
        password: OLD_PW,
        primary_region: 'eu-central-1',
      },
    ],
    ...o,
  });
  servers.push(f);
  return f;
}
const client = (f: FakeUpstash, o: { apiKey?: string; timeoutMs?: number } = {}) =>
  createUpstashClient({
    email: EMAIL,
    apiKey: o.apiKey ?? API_KEY,
    baseUrl: f.baseUrl,
    ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}),
  });

/** The call fails with a CliError of this code whose words hold none of the secrets. */
async function rejectsWith(p: Promise<unknown>, code: string, secrets: string[] = []): Promise<CliError> {
  let caught: unknown;
  await p.then(
    () => assert.fail(`expected ${code}, got success`),
    (e: unknown) => {
      caught = e;
    },
  );
  assert.ok(caught instanceof CliError, `not a CliError: ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  for (const s of [API_KEY, OLD_PW, ...secrets]) {
    for (const form of [s, encodeURIComponent(s), Buffer.from(`${EMAIL}:${s}`).toString('base64')]) {
      assert.ok(!caught.message.includes(form), `secret in message: ${caught.message}`);
      assert.ok(!(caught.fix ?? '').includes(form), `secret in fix: ${caught.fix}`);
    }
  }
  return caught;
}

/** Every request used Basic EMAIL:KEY in the header, and the key never went into the URL. */
function assertAuthHygiene(f: FakeUpstash, apiKey = API_KEY): void {
  const expected = `Basic ${Buffer.from(`${EMAIL}:${apiKey}`).toString('base64')}`;
  assert.ok(f.requests().length > 0);
  for (const r of f.requests()) {
    assert.equal(r.authorization, expected);
    assert.ok(!r.url.includes(apiKey) && !r.url.includes(encodeURIComponent(apiKey)) && !r.url.includes(EMAIL), r.url);
  }
}

after(async () => {
  for (const f of servers) await f.close();
});

describe('Upstash client against the fake API', () => {
  test('list and get: parsed databases, Basic auth in the header only', async () => {
    const f = await fake({
      databases: [
        {
          database_id: 'db-1',
          database_name: 'bot-cache',
          endpoint: 'us1-merry-cat-32748',
          port: 6379,
          password: OLD_PW,
        },
        { database_id: 'db-2', database_name: 'queue', type: 'payg', primary_region: 'ap-southeast-1' },
      ],
    });
    const c = client(f);
    const list = await c.listDatabases();
    assert.deepEqual(
      list.map((d) => [d.database_id, d.database_name, d.type, d.tls]),
      [
        ['db-1', 'bot-cache', 'free', true],
        ['db-2', 'queue', 'payg', true],
      ],
    );
    const one = await c.getDatabase('db-1');
    assert.equal(one.password, OLD_PW);
    assert.equal(one.endpoint, 'us1-merry-cat-32748');
    assert.deepEqual(
      f.requests().map((r) => `${r.method} ${r.url}`),
      ['GET /v2/redis/databases', 'GET /v2/redis/database/db-1'],
    );
    assertAuthHygiene(f);
  });

  test('get of an unknown id is upstash-not-found', async () => {
    const f = await fake();
    const err = await rejectsWith(client(f).getDatabase('nope/../x'), 'upstash-not-found');
    assert.match(err.message, /404/);
    // The id is one path segment, encoded: it cannot walk to another endpoint.
    assert.equal(f.requests()[0]!.url, '/v2/redis/database/nope%2F..%2Fx');
  });

  test('create sends the required fields; the free plan limit is upstash-db-limit', async () => {
    const f = await fake({ databases: [] });
    const c = client(f);
    const made = await c.createDatabase({ name: 'redis-setup', region: 'eu-central-1' });
    assert.equal(made.database_name, 'redis-setup');
    assert.equal(made.primary_region, 'eu-central-1');
    assert.ok(made.password && made.password.length > 20);
    const body = f.requests()[0]!.body as Record<string, unknown>;
    assert.equal(body.database_name, 'redis-setup');
    assert.equal(body.primary_region, 'eu-central-1');
    assert.equal(body.platform, 'aws');
    assert.equal(body.tls, true);

    const err = await rejectsWith(c.createDatabase({ name: 'second', region: 'us-central1' }), 'upstash-db-limit', [
      made.password!,
    ]);
    assert.match(err.message, /free database limit/);
    assert.match(err.fix ?? '', /--upstash-db/);
    assert.equal((f.requests()[1]!.body as Record<string, unknown>).platform, 'gcp');
    assert.equal(f.databases.length, 1, 'nothing was created');
  });

  test('reset-password returns a new password; the old one stops working on the server', async () => {
    let redis: RedisHandle | undefined;
    try {
      redis = await startRedis(['--requirepass', OLD_PW]);
      const port = redis.port;
      let current = OLD_PW;
      const f = await fake({
        databases: [
          {
            database_id: 'db-1',
            database_name: 'bot-cache',
            endpoint: '127.0.0.1',
            port,
            tls: false,
            password: OLD_PW,
          },
        ],
        onPasswordReset: async (_db, fresh) => {
          const admin = new Redis({
            host: '127.0.0.1',
            port,
            password: current,
            lazyConnect: true,
            retryStrategy: () => null,
            maxRetriesPerRequest: 0,
          });
          try {
            await admin.connect();
            await admin.config('SET', 'requirepass', fresh);
          } finally {
            admin.disconnect();
          }
          current = fresh;
        },
      });
      const c = client(f);
      const after = await c.resetPassword('db-1');
      assert.ok(after.password);
      assert.notEqual(after.password, OLD_PW);
      assert.notEqual(after.rest_token, undefined);
      assert.equal(
        (await c.getDatabase('db-1')).password,
        after.password,
        'the API serves the new password from now on',
      );
      assert.equal(await ping(databaseRedisUrl(after)), 'PONG');
      assert.match(await ping(databaseRedisUrl({ ...after, password: OLD_PW })), /WRONGPASS/);
      await rejectsWith(c.resetPassword('missing'), 'upstash-not-found', [after.password]);
      assert.deepEqual(
        f.requests().map((r) => `${r.method} ${r.url} ${r.status}`),
        [
          'POST /v2/redis/reset-password/db-1 200',
          'GET /v2/redis/database/db-1 200',
          'POST /v2/redis/reset-password/missing 404',
        ],
      );
    } finally {
      await redis?.stop();
    }
  });

  test('a wrong API key is upstash-auth (401), the key in no message', async () => {
    const f = await fake();
    const wrong = 'wrong-key-0000-1111-2222-333344445555';
    const err = await rejectsWith(client(f, { apiKey: wrong }).listDatabases(), 'upstash-auth', [wrong]);
    assert.match(err.message, /HTTP 401/);
    assertAuthHygiene(f, wrong);
  });

  for (const kind of ['vercel', 'fly'] as const) {
    test(`an account made through ${kind} is upstash-not-native`, async () => {
      const f = await fake({ accountKind: kind });
      const err = await rejectsWith(client(f).listDatabases(), 'upstash-not-native');
      assert.match(err.message, kind === 'vercel' ? /Vercel/ : /Fly/);
      assert.match(err.fix ?? '', /--url-stdin/);
    });
  }

  test('a key echoed in an error text is masked', async () => {
    const f = await fake({ respond: () => [500, { message: `internal error for key ${API_KEY}` }] });
    const err = await rejectsWith(client(f).listDatabases(), 'upstash-http');
    assert.match(err.message, /HTTP 500: internal error for key /);
  });

  test('an API that stays silent is upstash-timeout within the bound (before and after the headers)', async () => {
    for (const o of [{ delayMs: 10_000 }, { bodyDelayMs: 10_000 }]) {
      const f = await fake(o);
      const t0 = Date.now();
      const err = await rejectsWith(client(f, { timeoutMs: 300 }).listDatabases(), 'upstash-timeout');
      const took = Date.now() - t0;
      assert.ok(took >= 250 && took < 2000, `took ${took} ms for ${JSON.stringify(o)}`);
      assert.match(err.message, /300 ms/);
    }
  });

  test('nothing listening is upstash-http; an odd shape is upstash-http', async () => {
    const port = await freePort();
    const c = createUpstashClient({ email: EMAIL, apiKey: API_KEY, baseUrl: `http://127.0.0.1:${port}/v2` });
    const err = await rejectsWith(c.listDatabases(), 'upstash-http');
    assert.match(err.message, /Cannot reach/);
    const f = await fake({ respond: () => [200, [{ database_id: 1, name: 'x' }]] });
    await rejectsWith(client(f).listDatabases(), 'upstash-http');
  });
});

describe('Upstash helpers', () => {
  test('suggestRegion maps Railway regions to the nearest Upstash region', () => {
    const cases: [string | undefined, string][] = [
      ['us-west2', 'us-west-1'],
      ['us-east4-eqdc4a', 'us-east-1'],
      ['europe-west4-drams3a', 'eu-central-1'],
      ['asia-southeast1-eqsg3a', 'ap-southeast-1'],
      ['asia-northeast1', 'ap-northeast-1'],
      ['asia-south1', 'ap-south-1'],
      [undefined, 'us-east-1'],
      ['mars-1', 'us-east-1'],
    ];
    for (const [railway, upstash] of cases) {
      assert.equal(suggestRegion(railway), upstash, String(railway));
      assert.ok((UPSTASH_REGIONS as readonly string[]).includes(upstash));
    }
  });

  test('databaseRedisUrl percent-encodes the password and expands a slug', () => {
    const base: UpstashDatabase = {
      database_id: 'x',
      database_name: 'n',
      endpoint: 'us1-merry-cat-32748',
      port: 32748,
      tls: true,
      password: 'p@ss:w/rd#?%&+ =é',
    };
    const url = databaseRedisUrl(base);
    assert.equal(
      url,
      `rediss://default:${encodeURIComponent('p@ss:w/rd#?%&+ =é')}@us1-merry-cat-32748.upstash.io:32748`,
    );
    const parsed = new URL(url);
    assert.equal(decodeURIComponent(parsed.password), 'p@ss:w/rd#?%&+ =é');
    assert.equal(parsed.hostname, 'us1-merry-cat-32748.upstash.io');
    const token = 'AX8vACQgN2Y-_tok=';
    assert.equal(
      databaseRedisUrl({ ...base, endpoint: 'fine-owl-1.upstash.io', port: 6379, password: token }),
      'rediss://default:AX8vACQgN2Y-_tok%3D@fine-owl-1.upstash.io:6379',
    );
    assert.equal(
      databaseRedisUrl({ ...base, endpoint: '127.0.0.1', port: 7000, tls: false, password: 'pw' }),
      'redis://default:pw@127.0.0.1:7000',
    );
    const { password: _p, ...noPassword } = base;
    const err = (() => {
      try {
        databaseRedisUrl(noPassword);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    assert.ok(err instanceof CliError && err.code === 'upstash-http');
  });
});

async function ping(url: string): Promise<string> {
  const r = new Redis(url, {
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    connectTimeout: 2000,
  });
  r.on('error', () => {});
  try {
    return await r.ping();
  } catch (e) {
    return String((e as Error).message);
  } finally {
    r.disconnect();
  }
}

describe('Upstash client: secrets and edge cases', () => {
  test('passwords and tokens are readable but never serialised or inspected', async () => {
    const f = await fake();
    const db = await client(f).getDatabase('db-1');
    assert.equal(db.password, OLD_PW);
    assert.ok(db.rest_token);
    const { inspect } = await import('node:util');
    for (const shown of [JSON.stringify(db), inspect(db, { depth: 5 })]) {
      assert.ok(!shown.includes(OLD_PW) && !shown.includes(db.rest_token!), shown);
      assert.match(shown, /bot-cache/);
    }
  });

  test('reset replaces the password in the API; an answer without credentials is read back', async () => {
    const f = await fake();
    const c = client(f);
    const fresh = await c.resetPassword('db-1');
    assert.notEqual(fresh.password, OLD_PW);
    assert.equal(f.databases[0]!.password, fresh.password);
    assert.ok(!f.databases.some((d) => d.password === OLD_PW), 'the old password is gone');
    f.failNext(200, '"OK"');
    const viaGet = await c.resetPassword('db-1');
    assert.equal(viaGet.password, f.databases[0]!.password);
    assert.deepEqual(
      f
        .requests()
        .slice(-2)
        .map((r) => `${r.method} ${r.url}`),
      ['POST /v2/redis/reset-password/db-1', 'GET /v2/redis/database/db-1'],
    );
  });

  test('a plain-text error body is shown masked; bodies are recorded without secrets', async () => {
    const f = await fake({ databases: [] });
    f.failNext(502, `bad gateway (auth ${Buffer.from(`${EMAIL}:${API_KEY}`).toString('base64')})`);
    const err = await rejectsWith(client(f).createDatabase({ name: 'x', region: 'us-east-1' }), 'upstash-http');
    assert.match(err.message, /HTTP 502: bad gateway/);
    const recorded = JSON.stringify(f.requests());
    assert.ok(!recorded.includes(OLD_PW));
  });

  test('the key is never sent over plain http to a non-loopback host', () => {
    for (const baseUrl of ['http://api.upstash.com/v2', 'https://user:pw@api.upstash.com/v2', 'not a url']) {
      assert.throws(
        () => createUpstashClient({ email: EMAIL, apiKey: API_KEY, baseUrl }),
        (e: unknown) => e instanceof CliError && e.code === 'usage' && !e.message.includes(API_KEY),
      );
    }
  });
});
