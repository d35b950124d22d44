// doctor (read-only verdicts on mixed states) and restore (previous values back, byte for byte),
// on the built binary against the fake railway CLI and a real redis-server.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createFakeRailway, type FakeRailway } from './helpers/fake-railway.ts';
import { startRedis, type RedisHandle } from './helpers/redis.ts';
import { assertNoSecret, BIN } from './helpers/cli.ts';
import { dramatiqIdleCommandsPerMinute, upstashFreeTierDays } from '../src/core/doctor.ts';

const PW = 'Doctor-Current-Password-01';
const OLD_PW = 'Doctor-Old-Password-99887';
const STALE = `redis://default:${OLD_PW}@redis.railway.internal:6379`;
let redis: RedisHandle;
const fakes: FakeRailway[] = [];
before(async () => { redis = await startRedis(['--requirepass', PW]); });
after(async () => { await Promise.all(fakes.map((f) => f.cleanup())); await redis.stop(); });

function runner(fake: FakeRailway, cwd: string) {
  return (args: string[]) => new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...fake.env, CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (code) => {
      assertNoSecret({ stdout, stderr }, PW, OLD_PW);
      for (const c of fake.calls()) for (const a of c.argv) assert.ok(!a.includes(PW) && !a.includes(OLD_PW), `secret in argv: ${c.argv.join(' ')}`);
      resolve({ code, stdout, stderr });
    });
  });
}

interface DoctorJson { ok: boolean; env: { check: { code: string } | null }; environments: { services: { service: string; severity: string; findings: { verdict: string; fix: string }[]; evidence: string[] }[] }[] }

test('doctor names each service\'s state and the command that fixes it, and changes nothing', async () => {
  const fake = await createFakeRailway({
    redis: { password: PW, port: redis.port },
    services: [
      { name: 'bot', app: 'bot', variables: { REDIS_URL: '${{Redis.REDIS_URL}}' } },
      { name: 'worker', app: 'worker', variables: { REDIS_URL: STALE } },
      { name: 'web', app: 'crash', variables: { REDIS_URL: '${{Redis.REDIS_URL}}' } },
      { name: 'cron', app: 'silent' },
    ],
    timing: { buildMs: 100, successAfterMs: 200, workerRestartDelayMs: 300 },
  });
  fakes.push(fake);
  for (const s of ['bot', 'worker', 'cron']) await fake.deploy(s, { wait: true });
  const crashed = await fake.deploy('web', { wait: true });
  assert.equal(crashed.status, 'CRASHED');
  const worker = fake.deployments('worker').at(-1)!;
  await fake.waitForLog(worker.id, 'Consumer encountered a connection error');
  const cwd = mkdtempSync(path.join(tmpdir(), 'doctor-'));
  const envText = `REDIS_URL=redis://default:${PW}@127.0.0.1:${redis.port}\n`;
  writeFileSync(path.join(cwd, '.env'), envText);
  const before = fake.calls().length;

  const r = await runner(fake, cwd)(['doctor', '--json']);
  assert.equal(r.code, 1);
  const body = JSON.parse(r.stdout) as DoctorJson;
  assert.equal(body.env.check?.code, 'ok');
  const verdict = (name: string) => body.environments[0]!.services.find((s) => s.service === name)!;
  assert.equal(verdict('bot').severity, 'ok');
  assert.equal(verdict('worker').findings[0]!.verdict, 'stale-credential');
  assert.equal(verdict('worker').findings[0]!.fix, 'npx redis-setup setup --yes --provider reference --services worker');
  assert.ok(verdict('worker').evidence.some((l) => l.startsWith('Consumer encountered a connection error')));
  assert.equal(verdict('web').findings[0]!.verdict, 'deployment-failed');
  assert.equal(verdict('cron').findings[0]!.verdict, 'no-variable');

  const calls = fake.calls().slice(before);
  assert.ok(calls.every((c) => !['set', 'delete'].includes(c.argv[1] ?? '') && !['redeploy', 'restart'].includes(c.argv[0]!)), 'doctor must be read-only');
  assert.equal(readFileSync(path.join(cwd, '.env'), 'utf8'), envText);

  const human = await runner(fake, cwd)(['doctor']);
  assert.match(human.stdout, /worker\s+stale-credential/);
  assert.match(human.stdout, /Fix: npx redis-setup setup --yes --provider reference --services worker/);
});

test('the Upstash quota estimate for an idle Dramatiq worker uses the measured rate', () => {
  assert.equal(dramatiqIdleCommandsPerMinute(), 180);
  assert.equal(dramatiqIdleCommandsPerMinute(5000), 52);
  assert.equal(dramatiqIdleCommandsPerMinute(1000, 2, 3), 1080);
  assert.ok(upstashFreeTierDays(180) < 2.5 && upstashFreeTierDays(180) > 1.5);
});

test('restore puts every previous value back byte for byte; a second restore returns to the new values', async () => {
  const fake = await createFakeRailway({
    redis: { password: PW, port: redis.port },
    services: [{ name: 'bot', app: 'bot', variables: { REDIS_URL: STALE } }, { name: 'web', app: 'web' }],
    timing: { buildMs: 100, successAfterMs: 200 },
  });
  fakes.push(fake);
  await fake.deploy('bot', { wait: true });
  await fake.deploy('web', { wait: true });
  const cwd = mkdtempSync(path.join(tmpdir(), 'restore-'));
  const envText = '# mine\nREDIS_URL="redis://before.example:1"\n';
  writeFileSync(path.join(cwd, '.env'), envText);
  const run = runner(fake, cwd);
  const raw = (svc: string) => {
    const s = fake.state();
    return s.variables[s.environments[0]!.id]![s.services.find((x) => x.name === svc)!.id]!.REDIS_URL;
  };

  const setup = await run(['setup', '--yes', '--provider', 'railway', '--services', 'bot,web', '--roles', 'bot=bot,web=web', '--settle', '1', '--timeout', '30']);
  assert.equal(setup.code, 0, setup.stderr);
  const rotated = raw('bot');
  const rotatedEnv = readFileSync(path.join(cwd, '.env'), 'utf8');
  const saved = path.join(cwd, '.redis-setup', 'last-change.json');
  assert.equal(statSync(saved).mode & 0o777, 0o600);
  assert.equal(statSync(path.dirname(saved)).mode & 0o777, 0o700);
  assert.equal(readFileSync(path.join(cwd, '.redis-setup', '.gitignore'), 'utf8'), '*\n');

  const restore = await run(['restore', '--yes', '--settle', '1', '--timeout', '8']);
  // The previous value is the stale one, so the bot is (correctly) not healthy with it.
  assert.equal(restore.code, 4);
  assert.equal(raw('bot'), STALE);
  assert.equal(raw('web'), undefined, 'a variable that was not set before is deleted');
  assert.equal(readFileSync(path.join(cwd, '.env'), 'utf8'), envText);

  const again = await run(['restore', '--yes', '--settle', '1', '--timeout', '30']);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(raw('bot'), rotated);
  assert.equal(readFileSync(path.join(cwd, '.env'), 'utf8'), rotatedEnv);
});

test('restore with nothing saved exits 1; without --yes and no terminal it exits 2', async () => {
  const fake = await createFakeRailway({ services: [{ name: 'bot', app: 'silent' }] });
  fakes.push(fake);
  const cwd = mkdtempSync(path.join(tmpdir(), 'restore-none-'));
  const none = await runner(fake, cwd)(['restore', '--yes']);
  assert.equal(none.code, 1);
  assert.match(none.stderr, /Nothing to restore/);
  mkdirSync(path.join(cwd, '.redis-setup'));
  writeFileSync(path.join(cwd, '.redis-setup', 'last-change.json'), JSON.stringify({ version: 1, createdAt: new Date().toISOString(), services: [] }));
  const noYes = await runner(fake, cwd)(['restore']);
  assert.equal(noYes.code, 2);
  assert.match(noYes.stderr, /--yes/);
});
