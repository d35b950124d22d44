// End to end on the BUILT binary: an Upstash password rotation with no browser. The fake Upstash
// API
// resets the password of a database that is really a local redis-server (CONFIG SET requirepass),
// the
// fake railway runs bot and worker on the old URL; setup must reset once, after the plan, and prove
// both services healthy on the new password, with no secret in any output or railway argv.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { createFakeRailway, type FakeRailway } from './helpers/fake-railway.ts';
import { startRedis, type RedisHandle } from './helpers/redis.ts';
import { assertNoSecret, runCli } from './helpers/cli.ts';
import { railwayChanges } from './helpers/railway-changes.ts';
import { startFakeUpstash, type FakeUpstash } from './helpers/upstash-api.ts';

const EMAIL = 'ops@example.com';
const API_KEY = '7d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6';
// Has '=' like an Upstash token, so the URL must carry it percent-encoded.
const OLD_PW = 'AX8vACQgOldPasswordOfTheBotCache0123=';
const DB_NAME = 'bot-cache';

let redis: RedisHandle;
let railway: FakeRailway;
let currentPassword = OLD_PW;
const upstashServers: FakeUpstash[] = [];
const dirs: string[] = [];
const resets: { at: number; password: string }[] = [];
const everyNewPassword: string[] = [];

const urlFor = (password: string) => `redis://default:${encodeURIComponent(password)}@127.0.0.1:${redis.port}`;

/** What the Upstash side does on a reset: the server's password really changes, at once. */
async function setServerPassword(fresh: string): Promise<void> {
  const admin = new Redis({
    host: '127.0.0.1',
    port: redis.port,
    password: currentPassword,
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
  });
  admin.on('error', () => {});
  try {
    await admin.connect();
    await admin.config('SET', 'requirepass', fresh);
  } finally {
    admin.disconnect();
  }
  currentPassword = fresh;
}

/** `serverFollows: false` makes a reset that Upstash reports but the server never applies (a broken new URL). */
async function upstash(o: { freeLimit?: number; serverFollows?: boolean } = {}): Promise<FakeUpstash> {
  const f = await startFakeUpstash({
    email: EMAIL,
    apiKey: API_KEY,
    databases: [
      // Listed first, same host, another port: a reset found by URL must match host AND port.
      {
        database_id: 'a1b2c3d4-0000-4000-8000-000000000002',
        database_name: 'other-db',
        endpoint: '127.0.0.1',
        port: redis.port === 65535 ? 1024 : redis.port + 1,
        tls: false,
        type: 'payg',
      },
      {
        database_id: 'a1b2c3d4-0000-4000-8000-000000000001',
        database_name: DB_NAME,
        endpoint: '127.0.0.1',
        port: redis.port,
        tls: false,
        password: currentPassword,
        type: 'free',
      },
    ],
    ...(o.freeLimit !== undefined ? { freeLimit: o.freeLimit } : {}),
    onPasswordReset: async (_db, fresh) => {
      everyNewPassword.push(fresh);
      if (o.serverFollows !== false) await setServerPassword(fresh);
      resets.push({ at: Date.now(), password: fresh });
    },
  });
  upstashServers.push(f);
  return f;
}

before(async () => {
  redis = await startRedis(['--requirepass', OLD_PW]);
  railway = await createFakeRailway({
    services: [
      { name: 'bot', app: 'bot', variables: { REDIS_URL: urlFor(OLD_PW) } },
      { name: 'worker', app: 'worker', variables: { REDIS_URL: urlFor(OLD_PW) } },
    ],
    timing: { buildMs: 100, successAfterMs: 200, appTickMs: 300, workerRestartDelayMs: 500 },
  });
  await Promise.all([railway.deploy('bot'), railway.deploy('worker')]);
});

after(async () => {
  await railway?.cleanup();
  for (const f of upstashServers) await f.close();
  await redis?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  cwd: string;
}

function projectDir(): string {
  const cwd = mkdtempSync(path.join(tmpdir(), 'upstash-e2e-'));
  dirs.push(cwd);
  writeFileSync(path.join(cwd, '.env'), `APP_NAME=bot\nREDIS_URL=${urlFor(OLD_PW)}\n`);
  return cwd;
}

async function run(args: string[], f: FakeUpstash, o: { apiKey?: string; cwd?: string } = {}): Promise<Run> {
  const cwd = o.cwd ?? projectDir();
  const env = {
    ...railway.env,
    CI: 'true',
    NO_COLOR: '1',
    UPSTASH_EMAIL: EMAIL,
    UPSTASH_API_KEY: o.apiKey ?? API_KEY,
    UPSTASH_API_BASE_URL: f.baseUrl,
  };
  const r = await runCli(args, { cwd, env, exactEnv: true, timeoutMs: 40_000 });
  return { code: r.code, stdout: r.stdout, stderr: r.stderr, cwd };
}

const ROTATE = [
  'setup',
  '--yes',
  '--json',
  '--provider',
  'upstash',
  '--upstash-db',
  DB_NAME,
  '--upstash-reset-password',
  '--services',
  'bot,worker',
  '--roles',
  'bot=bot,worker=worker',
  '--settle',
  '1',
  '--timeout',
  '20',
];

const resetRequests = (f: FakeUpstash) =>
  f.requests().filter((r) => r.method === 'POST' && /\/redis\/reset-password\//.test(r.url));
const changingCalls = (from: number) =>
  railway
    .calls()
    .slice(from)
    .filter(
      (c) =>
        (/^(variable|variables)$/.test(c.argv[0] ?? '') && c.argv.includes('set')) ||
        ['redeploy', 'restart', 'up'].includes(c.argv[0] ?? '') ||
        (c.argv[0] === 'api' && c.argv[1]!.startsWith('mutation')),
    );

/** No secret in any railway argv since call `from`, raw or percent-encoded. */
function assertArgvClean(from: number, secrets: string[]): void {
  for (const call of railway.calls().slice(from)) {
    const argv = call.argv.join(' ');
    for (const s of secrets) {
      assert.ok(!argv.includes(s) && !argv.includes(encodeURIComponent(s)), `secret in railway argv: ${argv}`);
    }
  }
}

async function serverAccepts(password: string): Promise<boolean> {
  const r = new Redis({
    host: '127.0.0.1',
    port: redis.port,
    password,
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
  });
  r.on('error', () => {});
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

test('--dry-run shows the reset in the plan but never calls it', async () => {
  const f = await upstash();
  const from = railway.calls().length;
  const r = await run([...ROTATE, '--dry-run'], f);
  assert.equal(r.code, 0, r.stderr);
  const body = JSON.parse(r.stdout) as { ok: boolean; code: string };
  assert.equal(body.code, 'dry-run');
  assert.match(r.stderr, /reset the password of bot-cache/);
  assert.equal(resetRequests(f).length, 0, 'a dry run reset the password');
  assert.ok(
    f.requests().some((q) => q.method === 'GET'),
    'the database was looked up',
  );
  assert.deepEqual(changingCalls(from), []);
  assert.ok(await serverAccepts(OLD_PW));
  assertNoSecret(r, API_KEY, OLD_PW);
  assertArgvClean(from, [API_KEY, OLD_PW]);
});

test('rotation: one reset after the plan, services healthy on the new password, no secret shown', async () => {
  const f = await upstash();
  const from = railway.calls().length;
  const started = Date.now();
  const r = await run(ROTATE, f);
  const newPassword = currentPassword;
  const secrets = [API_KEY, OLD_PW, newPassword];
  assertNoSecret(r, ...secrets);
  assertArgvClean(from, secrets);
  assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
  assert.notEqual(newPassword, OLD_PW);

  const body = JSON.parse(r.stdout) as {
    ok: boolean;
    provider: string;
    env: { changed: boolean };
    services: { name: string; status: string }[];
  };
  assert.equal(body.ok, true);
  assert.equal(body.provider, 'upstash');
  assert.deepEqual(body.services.map((s) => `${s.name}:${s.status}`).sort(), ['bot:healthy', 'worker:healthy']);
  assert.equal(body.env.changed, true);

  // Exactly one reset, and the server now takes only the new password.
  assert.equal(resetRequests(f).length, 1);
  const reset = resets.filter((x) => x.at >= started);
  assert.equal(reset.length, 1);
  assert.ok(await serverAccepts(newPassword));
  assert.equal(await serverAccepts(OLD_PW), false, 'the old password still works');

  // After the plan: every read of the services' current values came before the reset, every write
  // after it.
  const calls = railway.calls().slice(from);
  const resetAt = reset[0]!.at;
  const reads = calls.filter(
    (c) =>
      (c.argv[0] === 'variable' && c.argv[1] === 'list') ||
      (c.argv[0] === 'api' && c.argv[1]!.startsWith('query RawVariables')),
  );
  const writes = railwayChanges(railway, calls).filter((c) => c.kind === 'set');
  assert.ok(reads.length >= 1 && writes.length >= 2, JSON.stringify(calls.map((c) => c.argv)));
  for (const c of reads) assert.ok(Date.parse(c.time) <= resetAt, `read ${c.argv.join(' ')} after the reset`);
  for (const c of writes) assert.ok(Date.parse(c.time) >= resetAt, `write of ${c.service} before the reset`);

  // .env and both services carry the new URL; nothing else in .env moved.
  const env = readFileSync(path.join(r.cwd, '.env'), 'utf8');
  assert.match(env, /^APP_NAME=bot$/m);
  const written = /^REDIS_URL=(.*)$/m.exec(env)?.[1]?.replace(/^["']|["']$/g, '');
  assert.ok(written, env.replace(newPassword, '***'));
  assert.equal(decodeURIComponent(new URL(written).password), newPassword);
  assert.equal(new URL(written).port, String(redis.port));
  for (const svc of ['bot', 'worker']) {
    const id = body.services.find((s) => s.name === svc) as { deploymentId?: string } | undefined;
    const deployed = railway.deployment(id!.deploymentId!).variables.REDIS_URL!;
    assert.equal(decodeURIComponent(new URL(deployed).password), newPassword, `${svc} runs with the new password`);
  }

  // The API was called with Basic auth in the header and the key never in a URL.
  const basic = `Basic ${Buffer.from(`${EMAIL}:${API_KEY}`).toString('base64')}`;
  for (const q of f.requests()) {
    assert.equal(q.authorization, basic);
    assert.ok(!q.url.includes(API_KEY) && !q.url.includes(encodeURIComponent(API_KEY)));
  }
});

test('a wrong API key: exit 1 with the 401 message, nothing changed', async () => {
  const f = await upstash();
  const from = railway.calls().length;
  const before = currentPassword;
  const cwd = projectDir();
  const envBefore = readFileSync(path.join(cwd, '.env'), 'utf8');
  const wrongKey = '00000000-dead-beef-0000-000000000000';
  const r = await run(ROTATE, f, { apiKey: wrongKey, cwd });
  assert.equal(r.code, 1, `${r.stdout}\n${r.stderr}`);
  const body = JSON.parse(r.stdout) as { ok: boolean; code: string; message: string; fix: string };
  assert.equal(body.ok, false);
  assert.equal(body.code, 'upstash-auth');
  assert.match(body.message, /401/);
  assert.match(body.fix, /UPSTASH_API_KEY/);
  assertNoSecret(r, API_KEY, wrongKey, OLD_PW, before);
  assertArgvClean(from, [API_KEY, wrongKey, before]);
  assert.equal(resetRequests(f).length, 0);
  assert.deepEqual(changingCalls(from), []);
  assert.equal(currentPassword, before);
  assert.ok(await serverAccepts(before));
  assert.equal(readFileSync(path.join(cwd, '.env'), 'utf8'), envBefore);
});

test('--upstash-create at the free database limit: exit 1 upstash-db-limit, nothing changed', async () => {
  const f = await upstash({ freeLimit: 1 });
  const databasesBefore = f.databases.length;
  const from = railway.calls().length;
  const cwd = projectDir();
  const envBefore = readFileSync(path.join(cwd, '.env'), 'utf8');
  const r = await run(
    [
      'setup',
      '--yes',
      '--json',
      '--provider',
      'upstash',
      '--upstash-create',
      'second-db',
      '--upstash-region',
      'eu-central-1',
      '--services',
      'bot,worker',
      '--roles',
      'bot=bot,worker=worker',
      '--settle',
      '1',
      '--timeout',
      '20',
    ],
    f,
    { cwd },
  );
  assert.equal(r.code, 1, `${r.stdout}\n${r.stderr}`);
  const body = JSON.parse(r.stdout) as { ok: boolean; code: string; message: string; fix: string };
  assert.equal(body.code, 'upstash-db-limit');
  assert.match(body.fix, /--upstash-db/);
  assertNoSecret(r, API_KEY, OLD_PW, currentPassword);
  assertArgvClean(from, [API_KEY, currentPassword]);
  const creates = f.requests().filter((q) => q.method === 'POST' && /\/redis\/database$/.test(q.url));
  assert.equal(creates.length, 1, 'the create was tried once, after the plan');
  assert.equal(f.databases.length, databasesBefore, 'nothing was created');
  assert.deepEqual(changingCalls(from), []);
  assert.equal(readFileSync(path.join(cwd, '.env'), 'utf8'), envBefore);
});

test('a reset whose new URL fails its check: exit 1, the reset said so, Railway and .env untouched', async () => {
  // No --upstash-db: the database to reset is the one the .env URL points at.
  const f = await upstash({ serverFollows: false });
  const from = railway.calls().length;
  const cwd = projectDir();
  writeFileSync(path.join(cwd, '.env'), `REDIS_URL=${urlFor(currentPassword)}\n`);
  const envBefore = readFileSync(path.join(cwd, '.env'), 'utf8');
  const r = await run(
    ROTATE.filter((a, i) => a !== '--upstash-db' && ROTATE[i - 1] !== '--upstash-db'),
    f,
    { cwd },
  );
  const brokenPassword = everyNewPassword.at(-1)!;
  assertNoSecret(r, API_KEY, OLD_PW, currentPassword, brokenPassword);
  assertArgvClean(from, [API_KEY, currentPassword, brokenPassword]);
  assert.equal(r.code, 1, `${r.stdout}\n${r.stderr}`);
  const body = JSON.parse(r.stdout) as { ok: boolean; code: string; message: string; fix: string };
  assert.equal(body.code, 'wrong-password');
  assert.match(body.message, /reset the password of bot-cache .*succeeded, but the new URL failed its check/);
  assert.match(body.fix, /old password no longer works/);
  assert.deepEqual(
    resetRequests(f).map((q) => q.url),
    ['/v2/redis/reset-password/a1b2c3d4-0000-4000-8000-000000000001'],
  );
  assert.deepEqual(changingCalls(from), []);
  assert.equal(readFileSync(path.join(cwd, '.env'), 'utf8'), envBefore);
});
