// --environment a,b runs the flow for each environment in turn; a failure in one is reported
// without losing track of the others.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createFakeRailway, type FakeRailway } from './helpers/fake-railway.ts';
import { startRedis, type RedisHandle } from './helpers/redis.ts';
import { assertNoSecret, runCli } from './helpers/cli.ts';

const NEW_PW = 'Environments-New-Password-42';
const OLD_PW = 'Environments-Old-Password-17';
const STALE = `redis://default:${OLD_PW}@redis.railway.internal:6379`;
let redis: RedisHandle;
let fake: FakeRailway;

before(async () => {
  redis = await startRedis(['--requirepass', NEW_PW]);
  fake = await createFakeRailway({
    // One `variable set` per service (no `railway api`), so a failure can hit the second one.
    cliVersion: '5.27.0',
    environments: ['production', 'staging'],
    redis: { password: NEW_PW, port: redis.port },
    services: [
      { name: 'bot', app: 'bot' },
      { name: 'worker', app: 'worker' },
    ],
    timing: { buildMs: 100, successAfterMs: 200, workerRestartDelayMs: 500 },
  });
  for (const environment of ['production', 'staging']) {
    for (const svc of ['bot', 'worker']) {
      fake.setVariable(svc, 'REDIS_URL', STALE, environment);
      await fake.deploy(svc, { environment, wait: true });
    }
  }
});
after(async () => {
  await fake.cleanup();
  await redis.stop();
});

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const cwd = mkdtempSync(path.join(tmpdir(), 'envs-'));
  writeFileSync(path.join(cwd, '.env'), 'REDIS_URL=\n');
  return runCli(args, { cwd, env: { ...fake.env, CI: 'true' }, exactEnv: true, timeoutMs: 90_000 });
}

interface Report {
  ok: boolean;
  environment: string | null;
  code: string;
  services: { name: string; status: string; deploymentId: string | null }[];
}

test('two environments rotate in turn; a failure in the second is reported with the first still known', async () => {
  fake.inject({ command: 'variable set', service: 'worker', stderr: "Service 'worker' not found", exit: 1, times: 1 });
  const r = await run([
    'setup',
    '--yes',
    '--json',
    '--provider',
    'railway',
    '--environment',
    'production,staging',
    '--services',
    'bot,worker',
    '--roles',
    'bot=bot,worker=worker',
    '--settle',
    '1',
    '--timeout',
    '30',
  ]);
  assertNoSecret(r, NEW_PW, OLD_PW);
  const body = JSON.parse(r.stdout) as { ok: boolean; environments: Report[] };
  assert.equal(body.ok, false);
  assert.deepEqual(
    body.environments.map((e) => e.environment),
    ['production', 'staging'],
  );
  // The injected failure hits the first worker set: production stops partway, staging still runs to the end.
  const [production, staging] = body.environments;
  assert.equal(production!.ok, false);
  assert.equal(production!.code, 'railway-service');
  assert.equal(staging!.ok, true, JSON.stringify(staging));
  assert.deepEqual(
    staging!.services.map((s) => s.status),
    ['healthy', 'healthy'],
  );
  assert.equal(r.code, 3);
  // Every call for staging carried -e staging; none used the wrong environment.
  const stagingSets = fake.calls().filter((c) => c.argv.includes('set') && c.argv.includes('staging'));
  assert.deepEqual(stagingSets.map((c) => c.argv[c.argv.indexOf('-s') + 1]).sort(), ['bot', 'worker']);
});
