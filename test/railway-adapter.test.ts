// The railway adapter against the fake CLI: what reaches argv, stdin and the child's environment,
// and how each CLI failure becomes a message with a fix.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { childEnv, compareVersions, ptyWrapper, railwayError, Railway, shellQuote } from '../src/edge/railway.ts';
import { watchDeploymentLogs, type SeenLine } from '../src/edge/logwatch.ts';
import { CliError } from '../src/errors.ts';
import { createFakeRailway, type FakeRailway } from './helpers/fake-railway.ts';
import { startRedis, type RedisHandle } from './helpers/redis.ts';

const PW = 'Adapter-Password-0123456789';
let redis: RedisHandle;
let fake: FakeRailway;
let saved: NodeJS.ProcessEnv;

before(async () => {
  redis = await startRedis(['--requirepass', PW]);
  fake = await createFakeRailway({
    redis: { password: PW, port: redis.port },
    services: [
      { name: 'bot', app: 'bot', variables: { REDIS_URL: `redis://default:${PW}@redis.railway.internal:6379` } },
    ],
    timing: { buildMs: 100, successAfterMs: 200 },
  });
  await fake.deploy('bot', { wait: true });
  // The adapter reads process.env (as the CLI does); point it at the fake for this file.
  saved = { ...process.env };
  for (const k of Object.keys(process.env)) delete process.env[k];
  Object.assign(process.env, fake.env, { RAILWAY_SERVICE_ID: 'stray-service', RAILWAY_PROJECT_ID: 'stray-project' });
});
after(async () => {
  for (const k of Object.keys(process.env)) delete process.env[k];
  Object.assign(process.env, saved);
  await fake.cleanup();
  await redis.stop();
});

test('a value goes through stdin, never argv; no stray RAILWAY_*_ID, no self-update', async () => {
  const railway = new Railway();
  await railway.version();
  await railway.setVariable('bot', 'CACHE_URL', `redis://default:${PW}@127.0.0.1:1`);
  const call = fake.calls().find((c) => c.argv.includes('CACHE_URL'))!;
  assert.deepEqual(call.argv, ['variable', 'set', 'CACHE_URL', '--stdin', '-s', 'bot', '--skip-deploys']);
  assert.equal(call.hadStdin, true);
  assert.equal(call.env.RAILWAY_SERVICE_ID, undefined);
  assert.equal(call.env.RAILWAY_PROJECT_ID, undefined);
  assert.equal(call.env.RAILWAY_NO_AUTO_UPDATE, '1');
  assert.equal(call.env.DO_NOT_TRACK, '1');
  assert.equal((await railway.variables('bot')).CACHE_URL, `redis://default:${PW}@127.0.0.1:1`);
  const other = fake.calls().filter((c) => !c.argv.includes('CACHE_URL'));
  assert.ok(
    other.every((c) => !c.hadStdin),
    'stdin must be ignored unless it carries a secret',
  );
});

test('railway api: stored values (references kept, sealed as null), batched writes on stdin', async () => {
  const railway = new Railway();
  await railway.version();
  const ids = fake.ids();
  const target = { projectId: ids.projectId, environmentId: ids.environments.production! };
  fake.setVariable('bot', 'CACHE_REF', '${{Redis.REDIS_URL}}');
  fake.setVariable('bot', 'SEALED_ONE', 'hidden-value-123', undefined, { sealed: true });
  fake.setSharedVariable('CACHE_SHARED', `redis://default:${PW}@127.0.0.1:2`);
  const raw = await railway.rawVariables(target, [ids.services.bot!]);
  assert.equal(
    raw?.services.get(ids.services.bot!)?.CACHE_REF,
    '${{Redis.REDIS_URL}}',
    'a reference, not what it renders to',
  );
  assert.equal(raw?.services.get(ids.services.bot!)?.SEALED_ONE, null);
  assert.equal(raw?.shared.CACHE_SHARED, `redis://default:${PW}@127.0.0.1:2`);
  const before = fake.calls().length;
  await railway.writeVariables(target, [
    // Not the bot's own REDIS_URL: the next test needs it to keep working.
    { serviceId: null, name: 'CACHE_SHARED', value: `redis://default:${PW}@127.0.0.1:3` },
    { serviceId: ids.services.bot!, name: 'CACHE_URL', value: '${{shared.CACHE_SHARED}}' },
  ]);
  const calls = fake.calls().slice(before);
  assert.equal(calls.length, 1, 'one request for both');
  assert.equal(calls[0]!.hadStdin, true);
  assert.ok(!calls[0]!.argv.join(' ').includes(PW), 'the secret stays out of argv');
  assert.equal(fake.rawVariables(null).CACHE_SHARED, `redis://default:${PW}@127.0.0.1:3`);
  assert.equal(fake.rawVariables('bot').CACHE_URL, '${{shared.CACHE_SHARED}}');
});

test('railway api failures become the same typed errors as every other call', async () => {
  const railway = new Railway();
  await railway.version();
  const ids = fake.ids();
  const target = { projectId: ids.projectId, environmentId: ids.environments.production! };
  fake.inject({ command: 'api', rateLimitSeconds: 30, times: 1 });
  await assert.rejects(
    railway.deploymentStatuses(['x']),
    (e: unknown) => e instanceof CliError && e.code === 'railway-ratelimit',
  );
  fake.inject({
    command: 'api',
    apiResponse: { status: 200, body: { data: null, errors: [{ message: 'Not Authorized' }] } },
    times: 1,
  });
  await assert.rejects(
    railway.rawVariables(target, []),
    (e: unknown) => e instanceof CliError && e.code === 'railway-auth',
  );
  fake.inject({
    command: 'api',
    apiResponse: { status: 400, body: { errors: [{ message: 'Cannot query field "nope" on type "Query".' }] } },
    times: 1,
  });
  await assert.rejects(
    railway.deploymentStatuses(['x']),
    (e: unknown) => e instanceof CliError && e.code === 'railway-api' && /Cannot query field/.test(e.message),
  );
});

test('what railway prints is checked: a list where an object belongs is a clear Railway error', async () => {
  const railway = new Railway();
  await railway.version();
  fake.inject({ command: 'service list', stdout: '{"not":"a list"}', exit: 0, times: 1 });
  await assert.rejects(
    railway.services(),
    (e: unknown) => e instanceof CliError && e.code === 'railway-output' && /does not understand/.test(e.message),
  );
});

test('redeploy returns the NEW deployment, whose logs stream under a pty until stopped', async () => {
  const railway = new Railway();
  await railway.version();
  const id = await railway.redeploy('bot');
  assert.ok(fake.deployment(id), 'redeploy --json returned an unknown id');
  const stop = new AbortController();
  const lines: SeenLine[] = [];
  const mode = watchDeploymentLogs({
    railway,
    service: 'bot',
    deploymentId: id,
    signal: stop.signal,
    onLine: (l) => {
      lines.push(l);
      if (l.message.includes('Redis connected successfully')) stop.abort();
    },
  });
  assert.equal(await mode, 'stream');
  assert.ok(lines.some((l) => l.message === 'Redis connected successfully'));
  assert.ok(lines.every((l) => typeof l.timestamp === 'string'));
  await fake.waitForStatus(id, ['SUCCESS']);
});

test('polling mode sees the same lines with one fetch per poll', async () => {
  const railway = new Railway();
  await railway.version();
  const id = await railway.redeploy('bot');
  const stop = new AbortController();
  const before = fake.calls().length;
  const mode = watchDeploymentLogs({
    railway,
    service: 'bot',
    deploymentId: id,
    signal: stop.signal,
    poll: true,
    pollMinMs: 200,
    pollMaxMs: 400,
    onLine: (l) => {
      if (l.message.includes('Redis connected successfully')) stop.abort();
    },
  });
  assert.equal(await mode, 'poll');
  const polls = fake
    .calls()
    .slice(before)
    .filter((c) => c.argv[0] === 'logs');
  assert.ok(polls.length >= 1);
  assert.ok(
    polls.every((c) => c.argv.includes('--lines') && c.argv.includes(id)),
    'each poll must name the new deployment and fetch (not stream)',
  );
});

test('CLI failures become typed errors with the exact fix', () => {
  const cases: [string, string][] = [
    ['Unauthorized. Please login with `railway login`', 'railway-auth'],
    [
      'Invalid ' +
        "RAILWAY_TOKEN. Please check that it is valid and has access to the resource you're " +
        'trying to use.',
      'railway-auth',
    ],
    ['No linked project found. Run railway link to connect to a project', 'railway-link'],
    ["Service 'nope' not found", 'railway-service'],
    ['You are being ratelimited. Try again in 30 seconds', 'railway-ratelimit'],
    ['Environment "qa" not found.\nRun `railway environment` to connect to an environment.', 'railway-environment'],
  ];
  for (const [stderr, code] of cases) {
    const e = railwayError(stderr, ['variable', 'list'], 1);
    assert.ok(e instanceof CliError);
    assert.equal(e.code, code, stderr);
    assert.equal(e.exitCode, 3);
    assert.ok(e.fix && e.fix.length > 10, `no fix for ${stderr}`);
  }
  assert.equal(
    railwayError('error: ' + "unexpected argument 'set' found", ['variable', 'set'], 2).code,
    'railway-version',
  );
  assert.match(
    railwayError('Unauthorized. Please check that your RAILWAY_TOKEN is valid', [], 1).fix!,
    /RAILWAY_TOKEN/,
  );
});

test('small pieces: versions, env, pty wrapper quoting', () => {
  assert.equal(compareVersions('4.57.4', '4.24.0'), 1);
  assert.equal(compareVersions('4.9.0', '4.24.0'), -1);
  assert.equal(compareVersions('5.0.0', '5.0.0'), 0);
  const env = childEnv({ RAILWAY_ENVIRONMENT_ID: 'x', RAILWAY_TOKEN: 't', PATH: '/bin' });
  assert.equal(env.RAILWAY_ENVIRONMENT_ID, undefined);
  assert.equal(env.RAILWAY_TOKEN, 't');
  assert.deepEqual(ptyWrapper(['logs', 'id', '-s', "it's"], 'linux'), {
    file: 'script',
    args: ['-qfec', "railway logs id -s 'it'\\''s'", '/dev/null'],
  });
  assert.deepEqual(ptyWrapper(['logs'], 'darwin'), { file: 'script', args: ['-q', '/dev/null', 'railway', 'logs'] });
  assert.equal(ptyWrapper(['logs'], 'win32'), undefined);
  assert.equal(shellQuote('a b'), "'a b'");
});
