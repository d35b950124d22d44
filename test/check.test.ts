// `redis-setup check` end to end: the built binary against real redis-server processes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import http from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { makeTlsFiles, startRedis, type RedisHandle, type TlsFiles } from './helpers/redis.ts';
import { assertNoSecret, json, runCli } from './helpers/cli.ts';

interface Report {
  ok: boolean;
  code: string;
  message: string;
  fix: string;
  url: string;
  provider: string | null;
  tls: boolean | null;
  latencyMs: number | null;
  serverVersion: string | null;
  warnings: { code: string }[];
}

const PW = 'Str0ngPassw0rd-For-Tests';
const ODD_PW = 'p@ss:w/rd#?%&+ =é';
const servers: RedisHandle[] = [];
const closers: (() => void)[] = [];
let plain: RedisHandle, acl: RedisHandle, tlsOnly: RedisHandle, full: RedisHandle, odd: RedisHandle;
let tls: TlsFiles;

async function check(args: string[], secrets: string[], input?: string) {
  const r = await runCli(['check', '--json', ...args], input === undefined ? {} : { input });
  assertNoSecret(r, ...secrets);
  assert.equal(r.stderr.includes('    at '), false, `stack trace printed: ${r.stderr}`);
  return { r, report: json<Report>(r) };
}

before(async () => {
  tls = makeTlsFiles();
  [plain, acl, tlsOnly, full, odd] = await Promise.all([
    startRedis(['--requirepass', PW]),
    startRedis([
      '--user',
      'default',
      'off',
      '--user',
      'alice',
      'on',
      '>alicepw-long-enough',
      '~*',
      '&*',
      '+@all',
      '--user',
      'bob',
      'off',
      '>bobpw-long-enough',
      '~*',
      '&*',
      '+@all',
    ]),
    startRedis(['--requirepass', PW], tls),
    startRedis(['--requirepass', PW, '--maxclients', '1']),
    startRedis(['--requirepass', ODD_PW]),
  ]);
  servers.push(plain, acl, tlsOnly, full, odd);
});

after(async () => {
  for (const c of closers) c();
  await Promise.all(servers.map((s) => s.stop()));
});

describe('check on real servers', () => {
  test('ok: latency, version, TLS flag, masked URL, exit 0', async () => {
    const { r, report } = await check([`redis://default:${PW}@127.0.0.1:${plain.port}`], [PW]);
    assert.equal(r.code, 0);
    assert.equal(report.ok, true);
    assert.equal(report.code, 'ok');
    assert.equal(report.tls, false);
    assert.match(String(report.serverVersion), /^\d+\.\d+\.\d+$/);
    assert.ok(typeof report.latencyMs === 'number' && report.latencyMs >= 0);
    assert.match(report.url, /^redis:\/\/default:\w\w\*\*\*\*\w\w@127\.0\.0\.1:\d+$/);
    assert.deepEqual(Object.keys(report), [
      'ok',
      'code',
      'message',
      'fix',
      'url',
      'provider',
      'tls',
      'latencyMs',
      'serverVersion',
      'warnings',
    ]);
  });

  test('a maxmemory-policy other than noeviction passes with an eviction-policy warning', async () => {
    const evicting = await startRedis(['--requirepass', PW, '--maxmemory-policy', 'allkeys-lru']);
    servers.push(evicting);
    const warned = await check([`redis://default:${PW}@127.0.0.1:${evicting.port}`], [PW]);
    assert.equal(warned.report.ok, true);
    assert.deepEqual(
      warned.report.warnings.map((w) => w.code),
      ['eviction-policy'],
    );
    const quiet = await check([`redis://default:${PW}@127.0.0.1:${plain.port}`], [PW]);
    assert.deepEqual(quiet.report.warnings, []);
  });

  test('human output: masked URL, verdict, latency and version', async () => {
    const r = await runCli(['check', `redis://default:${PW}@127.0.0.1:${plain.port}`]);
    assertNoSecret(r, PW);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Verdict {2}✔ ok/);
    assert.match(r.stdout, /Latency {2}[\d.]+ ms/);
    assert.match(r.stdout, /Server {3}Redis \d/);
  });

  test("DEBUG=ioredis:* prints nothing: ioredis' debug log would show AUTH with the password", async () => {
    const r = await runCli(['check', `redis://default:${PW}@127.0.0.1:${plain.port}`], {
      env: { DEBUG: 'ioredis:*,*', DEBUG_COLORS: '0' },
    });
    assertNoSecret(r, PW);
    assert.equal(r.code, 0);
    assert.doesNotMatch(r.stderr, /ioredis:/);
  });

  test('wrong password → wrong-password with the words users need', async () => {
    const { r, report } = await check(
      [`redis://default:wrong-but-long-password@127.0.0.1:${plain.port}`],
      ['wrong-but-long-password'],
    );
    assert.equal(r.code, 1);
    assert.equal(report.code, 'wrong-password');
    assert.match(
      report.message,
      /the server was reached, but it rejected this password; it was probably rotated, so copy the current URL again/i,
    );
  });

  test('disabled ACL user → wrong-password; enabled user → ok', async () => {
    const disabled = await check([`redis://bob:bobpw-long-enough@127.0.0.1:${acl.port}`], ['bobpw-long-enough']);
    assert.equal(disabled.report.code, 'wrong-password');
    const enabled = await check([`redis://alice:alicepw-long-enough@127.0.0.1:${acl.port}`], ['alicepw-long-enough']);
    assert.equal(enabled.report.code, 'ok');
  });

  test('no password given → auth-required', async () => {
    const { report } = await check([`redis://127.0.0.1:${plain.port}`], [PW]);
    assert.equal(report.code, 'auth-required');
  });

  test('redis:// to a TLS-only server → tls-mismatch saying use rediss://', async () => {
    const { report } = await check([`redis://default:${PW}@127.0.0.1:${tlsOnly.port}`], [PW]);
    assert.equal(report.code, 'tls-mismatch');
    assert.match(report.fix, /rediss:\/\//);
  });

  test('rediss:// to a plain port → tls-mismatch within the bound', async () => {
    const { r, report } = await check([`rediss://default:${PW}@127.0.0.1:${plain.port}`, '--timeout', '2'], [PW]);
    assert.equal(report.code, 'tls-mismatch');
    assert.ok(r.ms < 2000 + 3000, `took ${r.ms} ms`);
  });

  test('self-signed certificate: tls-cert without the CA, ok with --ca and with NODE_EXTRA_CA_CERTS', async () => {
    const url = `rediss://default:${PW}@localhost:${tlsOnly.port}`;
    const without = await check([url], [PW]);
    assert.equal(without.report.code, 'tls-cert');
    assert.match(without.report.fix, /--ca/);
    const withCa = await check([url, '--ca', tls.ca], [PW]);
    assert.equal(withCa.report.code, 'ok');
    assert.equal(withCa.report.tls, true);
    const viaEnv = await runCli(['check', '--json', url], { env: { NODE_EXTRA_CA_CERTS: tls.ca } });
    assert.equal(json<Report>(viaEnv).code, 'ok');
  });

  test('maxclients reached → max-clients', async () => {
    const holder = net.connect(full.port, '127.0.0.1');
    await new Promise((r) => holder.once('connect', r));
    try {
      const { report } = await check([`redis://default:${PW}@127.0.0.1:${full.port}`], [PW]);
      assert.equal(report.code, 'max-clients');
    } finally {
      holder.destroy();
    }
  });

  test('refused connection → refused', async () => {
    const port = plain.port;
    const stopped = await startRedis([]);
    const deadPort = stopped.port;
    await stopped.stop();
    const { report } = await check([`redis://default:${PW}@127.0.0.1:${deadPort}`], [PW]);
    assert.notEqual(deadPort, port);
    assert.equal(report.code, 'refused');
  });

  test('a .invalid host → dns', async () => {
    const { report } = await check([`redis://default:${PW}@no-such-host.invalid:6379`], [PW]);
    assert.equal(report.code, 'dns');
  });

  test('an HTTP server on the port → not-redis', async () => {
    const server = http.createServer((_q, s) => s.end('hello'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    closers.push(() => server.close());
    const { port } = server.address() as net.AddressInfo;
    const { report } = await check([`redis://default:${PW}@127.0.0.1:${port}`], [PW]);
    assert.equal(report.code, 'not-redis');
  });

  test('a TCP server that accepts and never answers → timeout within the bound', async () => {
    const sockets: net.Socket[] = [];
    const server = net.createServer((s) => sockets.push(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    closers.push(() => {
      for (const s of sockets) s.destroy();
      server.close();
    });
    const { port } = server.address() as net.AddressInfo;
    const { r, report } = await check([`redis://default:${PW}@127.0.0.1:${port}`, '--timeout', '1'], [PW]);
    assert.equal(report.code, 'timeout');
    assert.ok(r.ms < 1000 + 3000, `took ${r.ms} ms`);
  });

  test('the Upstash REST URL → rest-url', async () => {
    const { report } = await check(['https://merry-cat-12345.upstash.io'], []);
    assert.equal(report.code, 'rest-url');
    assert.equal(report.provider, 'upstash');
  });

  test('redis:// to an upstash.io host → tls-required', async () => {
    const token = 'AX8vACQgZmFrZS10b2tlbi1mb3ItdGVzdHM=';
    const { report } = await check([`redis://default:${token}@merry-cat-12345.upstash.io:6379`], [token]);
    assert.equal(report.code, 'tls-required');
    assert.match(report.message, /Upstash only speaks TLS: use rediss:\/\//);
  });

  test('a *.railway.internal host → private-host', async () => {
    const { report } = await check([`redis://default:${PW}@redis.railway.internal:6379`], [PW]);
    assert.equal(report.code, 'private-host');
    assert.equal(report.provider, 'railway-private');
  });

  test('a password with @ : / # ? % & + space é: raw URL refused as ambiguous, encoded URL reached', async () => {
    const raw = await check([`redis://default:${ODD_PW}@127.0.0.1:${odd.port}`], [ODD_PW]);
    assert.equal(raw.r.code, 1);
    assert.equal(raw.report.code, 'ambiguous-url');
    const encoded = `redis://default:${encodeURIComponent(ODD_PW)}@127.0.0.1:${odd.port}`;
    const viaStdin = await check(['--url-stdin'], [ODD_PW], `${encoded}\n`);
    assert.equal(viaStdin.report.code, 'ok');
    assert.deepEqual(viaStdin.report.warnings, []);
  });

  test('an ambiguous URL or a refused parameter contacts nothing, not even the host it names', async () => {
    let connections = 0;
    const listeners = await Promise.all(
      [0, 1].map(async () => {
        const server = net.createServer((s) => {
          connections++;
          s.destroy();
        });
        await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
        closers.push(() => server.close());
        return (server.address() as net.AddressInfo).port;
      }),
    );
    const [p1, p2] = listeners;
    const cases: [string, string][] = [
      [`redis://:${PW}@127.0.0.1:${p1}/0?client_name=me@127.0.0.1:${p2}`, 'ambiguous-url'],
      [`redis://:${PW}@127.0.0.1:${p1}#x@127.0.0.1:${p2}`, 'ambiguous-url'],
      [`redis://:${PW}@127.0.0.1:${p1}?family=0`, 'unsupported-param'],
    ];
    for (const [url, code] of cases) {
      const { r, report } = await check([url], [PW]);
      assert.equal(r.code, 1);
      assert.equal(report.code, code);
      assert.match(report.fix, /\S/);
    }
    assert.equal(connections, 0);
  });

  test('a lone userinfo is a user name, as the clients read it: AUTH <it> "" is rejected', async () => {
    const { r, report } = await check([`redis://${PW}@127.0.0.1:${plain.port}`], [PW]);
    assert.equal(r.code, 1);
    assert.equal(report.code, 'wrong-password');
    assert.ok(report.warnings.some((w) => w.code === 'user-without-password'));
  });

  test('REDISS:// in capitals: TLS for redis-py (checked), not for ioredis (warned)', async () => {
    const { report } = await check([`REDISS://default:${PW}@localhost:${tlsOnly.port}`, '--ca', tls.ca], [PW]);
    assert.equal(report.code, 'ok');
    assert.equal(report.tls, true);
    assert.ok(report.warnings.some((w) => w.code === 'readers-disagree'));
  });

  test('.env read as Python apps read it (${VAR} expanded); the Node reading judged too', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'check-env-'));
    const env = path.join(dir, '.env');
    writeFileSync(env, `REDIS_PASSWORD=${PW}\nREDIS_URL=redis://:\${REDIS_PASSWORD}@127.0.0.1:${plain.port}\n`);
    const r = await runCli(['check', '--json', '--env-file', env]);
    assertNoSecret(r, PW);
    const report = json<Omit<Report, 'warnings'> & { warnings: { code: string; message: string }[] }>(r);
    assert.equal(report.code, 'ok');
    const both = report.warnings.find((w) => w.code === 'env-readers-disagree');
    assert.match(
      both?.message ?? '',
      /Python apps \(python-dotenv\) read REDIS_URL as .*; Node apps \(dotenv\) read .* which checks as wrong-passw/,
    );
    writeFileSync(env, `REDIS_URL: redis://:${PW}@127.0.0.1:${plain.port}\n`);
    const colon = await runCli(['check', '--env-file', env]);
    assertNoSecret(colon, PW);
    assert.equal(colon.code, 2);
    assert.match(colon.stderr, /REDIS_URL is not set in .* as python-dotenv reads it/);
  });

  test('the URL comes from .env (REDIS_URL or --var) when no argument is given', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'check-env-'));
    writeFileSync(
      path.join(dir, '.env'),
      `# comment\nOTHER=1\nCACHE_URL="redis://default:${PW}@127.0.0.1:${plain.port}"\n`,
    );
    const r = await runCli(['check', '--json', '--env-file', path.join(dir, '.env'), '--var', 'CACHE_URL']);
    assertNoSecret(r, PW);
    assert.equal(json<Report>(r).code, 'ok');
    const missing = await runCli(['check', '--env-file', path.join(dir, '.env')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /REDIS_URL is not set in/);
  });

  test('usage errors exit 2 with a fix, never a stack', async () => {
    const r = await runCli(['check', '--timeout', 'soon', 'redis://h']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--timeout must be a number of seconds/);
    const unknown = await runCli(['check', '--bogus']);
    assert.equal(unknown.code, 2);
    assert.doesNotMatch(unknown.stderr, /\n\s+at /);
  });
});
