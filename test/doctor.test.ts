// `redis-setup doctor` on the BUILT binary, against the fake railway CLI (real deployed apps) and a
// real redis-server: the exact verdict per service in a project with mixed states, the .env check,
// the exit code, --json, no secret anywhere, and that doctor changes nothing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createFakeRailway, type FakeRailway } from './helpers/fake-railway.ts';
import { startRedis, type RedisHandle } from './helpers/redis.ts';
import { assertNoSecret, runCli } from './helpers/cli.ts';

const PW = 'DoctorCurrentPassword0123';
// Special characters: the URL holds it percent-encoded, and masking must catch both forms.
const OLD_PW = 'Old/Pass+word@2024#xyz';
const WRONG_PW = 'NeverWasThePassword-777';
const UPSTASH_PW = 'AbCdUpstashToken0987654321';
const SECRETS = [PW, OLD_PW, WRONG_PW, UPSTASH_PW];
const enc = encodeURIComponent;

let redis: RedisHandle;
const fakes: FakeRailway[] = [];
const dirs: string[] = [];
after(async () => {
  await Promise.all(fakes.map((f) => f.cleanup()));
  await redis?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempProject(envText?: string): string {
  const cwd = mkdtempSync(path.join(tmpdir(), 'doctor-'));
  dirs.push(cwd);
  if (envText !== undefined) writeFileSync(path.join(cwd, '.env'), envText, { mode: 0o600 });
  return cwd;
}

const goodEnv = () => `# local\nREDIS_URL=redis://default:${PW}@127.0.0.1:${redis.port}\nOTHER=1\n`;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A railway call that writes: doctor must never make one. */
function isWrite(argv: string[]): boolean {
  const [a, b] = argv;
  if (['redeploy', 'restart', 'up', 'down', 'deploy', 'delete'].includes(a ?? '')) return true;
  if (a === 'variable' && ['set', 'delete', 'rm', 'remove'].includes(b ?? '')) return true;
  if (a === 'variables' && argv.some((x) => x.startsWith('--set') || x === '--remove' || x === '-r')) return true;
  return false;
}

/**
 * Run doctor and check, around the run, that it changed nothing: no writing railway call, the same
 * variables and deployments, .env byte for byte, no saved-change folder. Also: no secret anywhere.
 */
async function runDoctor(fake: FakeRailway, cwd: string, args: string[] = []): Promise<Run> {
  const envFile = path.join(cwd, '.env');
  const envBefore = existsSync(envFile) ? readFileSync(envFile) : undefined;
  const stateBefore = fake.state();
  const callsBefore = fake.calls().length;
  const r = await runCli(['doctor', ...args], {
    cwd,
    env: { ...fake.env, CI: 'true', NO_COLOR: '1' },
    exactEnv: true,
    timeoutMs: 20_000,
  });
  const calls = fake.calls().slice(callsBefore);
  assertNoSecret({ ...r, calls }, ...SECRETS);
  assert.ok(calls.length > 0, 'doctor read nothing from railway');
  for (const c of calls) assert.ok(!isWrite(c.argv), `doctor is read-only, but ran: railway ${c.argv.join(' ')}`);
  const stateAfter = fake.state();
  assert.deepEqual(stateAfter.variables, stateBefore.variables, 'doctor changed a variable');
  assert.deepEqual(
    stateAfter.deployments.map((d) => d.id),
    stateBefore.deployments.map((d) => d.id),
    'doctor deployed',
  );
  const envAfter = existsSync(envFile) ? readFileSync(envFile) : undefined;
  assert.deepEqual(envAfter, envBefore, 'doctor changed .env');
  assert.ok(!existsSync(path.join(cwd, '.redis-setup')), 'doctor saved a change');
  return { code: r.code, stdout: r.stdout, stderr: r.stderr };
}

interface Finding {
  verdict: string;
  severity: string;
  detail: string;
  fix: string;
}
interface Row {
  service: string;
  role: string;
  provider: string | null;
  deploymentStatus: string | null;
  severity: string;
  findings: Finding[];
  evidence: string[];
}
interface DoctorJson {
  ok: boolean;
  env: { path: string; variable: string; present: boolean; check: { ok: boolean; code: string; url: string } | null };
  environments: { environment: string | null; redisService: string | null; services: Row[]; error?: unknown }[];
  railwayCalls: number;
}

function parseJson(r: Run): DoctorJson {
  try {
    return JSON.parse(r.stdout) as DoctorJson;
  } catch {
    throw new Error(`--json stdout is not one JSON object:\n${r.stdout}\nstderr:\n${r.stderr}`);
  }
}

const FIX = (svc: string) => `npx redis-setup setup --yes --provider reference --services ${svc}`;
const STALE_PRIVATE = `redis://default:${enc(OLD_PW)}@redis.railway.internal:6379`;

// ── The mixed project ────────────────────────────────────────────────────────────────────────

let mixed: FakeRailway;
let mixedCwd: string;
let mixedEnv: string;

async function mixedProject(): Promise<FakeRailway> {
  const stalePublic = `redis://default:${enc(OLD_PW)}@127.0.0.1:${redis.port}`;
  const fake = await createFakeRailway({
    redis: { password: PW, port: redis.port },
    services: [
      { name: 'bot', app: 'bot', variables: { REDIS_URL: '${{Redis.REDIS_URL}}' } },
      { name: 'worker', app: 'worker', variables: { REDIS_URL: STALE_PRIVATE } },
      { name: 'api', app: 'web', variables: { REDIS_URL: stalePublic } },
      { name: 'web', app: 'crash', variables: { REDIS_URL: '${{Redis.REDIS_URL}}' } },
      { name: 'cron', app: 'silent' },
      // Not Railway's Redis host, so no password to compare: only the logs tell.
      { name: 'jobs', app: 'worker', variables: { REDIS_URL: `redis://default:${WRONG_PW}@localhost:${redis.port}` } },
      // An idle Dramatiq worker on Upstash (the app itself stays quiet: no network here).
      {
        name: 'queue',
        app: 'silent',
        variables: { REDIS_URL: `rediss://default:${UPSTASH_PW}@fitting-fish-12345.upstash.io:6379` },
      },
    ],
    timing: { buildMs: 50, successAfterMs: 150, appTickMs: 200, workerRestartDelayMs: 200 },
  });
  fakes.push(fake);
  const deployed = await Promise.all(
    ['bot', 'worker', 'api', 'web', 'cron', 'jobs', 'queue'].map((s) => fake.deploy(s, { wait: true })),
  );
  assert.deepEqual(
    deployed.map((d) => d.status),
    ['SUCCESS', 'SUCCESS', 'SUCCESS', 'CRASHED', 'SUCCESS', 'SUCCESS', 'SUCCESS'],
  );
  const latest = (svc: string) => fake.deployments(svc).at(-1)!.id;
  await fake.waitForLog(latest('bot'), 'Redis connected successfully');
  await fake.waitForLog(latest('worker'), 'Consumer encountered a connection error');
  await fake.waitForLog(latest('jobs'), 'Consumer encountered a connection error');
  await fake.waitForLog(latest('api'), 'Failed to connect to Redis');
  return fake;
}

before(async () => {
  redis = await startRedis(['--requirepass', PW]);
  mixed = await mixedProject();
  mixedEnv = goodEnv();
  mixedCwd = tempProject(mixedEnv);
});

test('doctor --json: the exact verdict for each service of a mixed project, exit 1, nothing changed', async () => {
  const r = await runDoctor(mixed, mixedCwd, ['--json']);
  assert.equal(r.code, 1, r.stderr);
  const body = parseJson(r);
  assert.equal(body.ok, false);
  assert.equal(body.env.present, true);
  assert.equal(body.env.check?.code, 'ok');
  assert.equal(body.env.check?.ok, true);
  assert.equal(body.environments.length, 1);
  const env = body.environments[0]!;
  assert.equal(env.error, undefined);
  assert.equal(env.redisService, 'Redis');
  assert.deepEqual(
    env.services.map((s) => s.service).sort(),
    ['api', 'bot', 'cron', 'jobs', 'queue', 'web', 'worker'],
    'one row per app service, none for Redis',
  );
  const row = (name: string) => env.services.find((s) => s.service === name)!;
  const verdicts = (name: string) => row(name).findings.map((f) => f.verdict);

  // Healthy reference: rendered to the Redis service's own private URL, deployed, clean logs.
  assert.equal(row('bot').severity, 'ok');
  assert.deepEqual(verdicts('bot'), ['ok']);
  assert.equal(row('bot').provider, 'railway-private');
  assert.equal(row('bot').deploymentStatus, 'SUCCESS');
  assert.deepEqual(row('bot').evidence, []);

  // Stale literal on the private host: named as such, with the one command that fixes it.
  assert.equal(row('worker').severity, 'fail');
  assert.equal(row('worker').findings[0]!.verdict, 'stale-credential');
  assert.equal(row('worker').findings[0]!.fix, FIX('worker'));
  assert.ok(verdicts('worker').includes('errors-in-logs'));

  // Stale literal on the public TCP proxy: stale first, plus the egress warning.
  assert.equal(row('api').findings[0]!.verdict, 'stale-credential');
  assert.equal(row('api').findings[0]!.fix, FIX('api'));
  assert.equal(row('api').provider, 'railway-public');
  assert.ok(verdicts('api').includes('public-host'));
  assert.equal(row('api').findings.find((f) => f.verdict === 'public-host')!.severity, 'warn');

  assert.equal(row('web').findings[0]!.verdict, 'deployment-failed');
  assert.equal(row('web').deploymentStatus, 'CRASHED');
  assert.match(row('web').findings[0]!.fix, /railway logs .*-s web/);

  // No variable and no Redis line in its logs: it does not use Redis, and it does not fail the run.
  assert.deepEqual(verdicts('cron'), ['no-redis']);
  assert.equal(row('cron').severity, 'ok');
  assert.equal(row('cron').provider, null);

  // Wrong password on a host doctor cannot compare: the worker's own log line is the evidence.
  assert.equal(row('jobs').findings[0]!.verdict, 'errors-in-logs');
  assert.equal(row('jobs').role, 'worker');
  assert.equal(row('jobs').findings[0]!.fix, FIX('jobs'));
  assert.match(row('jobs').findings[0]!.detail, /rejected the password/);
  for (const name of ['jobs', 'worker']) {
    const evidence = row(name).evidence;
    assert.ok(evidence.length >= 1 && evidence.length <= 5, `${name}: ${evidence.length} evidence lines`);
    assert.ok(
      evidence.some((l) => l.startsWith('Consumer encountered a connection error: invalid username-password pair')),
      `${name}: ${evidence.join(' | ')}`,
    );
    assert.equal(new Set(evidence).size, evidence.length, 'evidence lines are not repeated');
  }
  // Upstash behind a Dramatiq worker: a warning with the numbers, not a failure.
  assert.equal(row('queue').severity, 'warn');
  assert.equal(row('queue').provider, 'upstash');
  assert.deepEqual(verdicts('queue'), ['upstash-quota']);
  assert.match(row('queue').findings[0]!.detail, /about 180 EVALSHA\/min .* about 1\.9 days/);
  assert.match(row('queue').findings[0]!.fix, /dramatiq_worker_timeout=5000/);
  assert.ok(body.railwayCalls > 0);
});

test('doctor (human): a verdict table, each problem with its fix, evidence quoted and masked', async (t) => {
  const r = await runDoctor(mixed, mixedCwd);
  assert.equal(r.code, 1, r.stderr);
  const out = r.stdout + r.stderr;
  assert.match(out, /doctor \(read-only\)/);
  assert.match(out, /✔ \.env\s+ok\s+redis:\/\/default:\S+@127\.0\.0\.1:\d+/);
  assert.match(out, /✔ bot\s+ok\s+railway-private · SUCCESS/);
  assert.match(out, /✖ worker\s+stale-credential\s+railway-private/);
  assert.match(out, /✖ api\s+stale-credential\s+railway-public/);
  assert.match(out, /✖ web\s+deployment-failed\s+railway-private · CRASHED/);
  assert.match(out, /✔ cron\s+no-redis/);
  assert.match(out, /✖ jobs\s+errors-in-logs\s+other/);
  assert.match(out, /! queue\s+upstash-quota\s+upstash/);
  assert.match(out, /! queue\n {2}• An idle Dramatiq worker sends about 180 EVALSHA\/min/);
  // One block per service; a fix shared by several findings is given once.
  for (const svc of ['worker', 'api', 'jobs'])
    assert.equal(out.split(`Fix: ${FIX(svc)}\n`).length - 1, 1, `one fix line for ${svc}`);
  assert.doesNotMatch(out, /Fix: .*--services (bot|web)\b/);
  assert.match(out, /Fix: Read its logs: railway logs --latest -s web/);
  assert.match(out, /! worker\n {2}• REDIS_URL holds an old password: it does not match the current password of Redis/);
  assert.match(out, /! api\n( {2}.*\n)* {2}• Uses the public TCP proxy/);
  assert.match(
    out,
    new RegExp(
      String.raw`! jobs\n {2}• Its latest deployment logs Redis errors\. .*rejected the ` +
        `password.*\n {6}` +
        '> Consumer encountered a connection error: invalid username-password pair',
    ),
  );
  assert.match(out, /IPv6-only .* family: 0/);
  assert.match(out, /Problems found/);
  assert.doesNotMatch(out, /Everything looks healthy/);

  const sample =
    `$ npx redis-setup doctor   (exit ${r.code}; fake Railway project, real ` +
    `redis-server)\n${r.stdout}${r.stderr ? `--- stderr ---\n${r.stderr}` : ''}`;
  // A sample report for whoever reads the test output.
  t.diagnostic(sample);
});

test('doctor: a missing .env alone makes exit 1; a wrong .env password gets its check code', async () => {
  const fake = await createFakeRailway({
    redis: { password: PW, port: redis.port },
    services: [{ name: 'bot', app: 'bot', variables: { REDIS_URL: '${{Redis.REDIS_URL}}' } }],
    timing: { buildMs: 50, successAfterMs: 150, appTickMs: 200 },
  });
  fakes.push(fake);
  const d = await fake.deploy('bot', { wait: true });
  await fake.waitForLog(d.id, 'Redis connected successfully');

  const none = tempProject();
  const json = await runDoctor(fake, none, ['--json']);
  assert.equal(json.code, 1);
  const body = parseJson(json);
  assert.equal(body.ok, false);
  assert.equal(body.env.present, false);
  assert.equal(body.env.check, null);
  assert.equal(body.env.path, path.join(none, '.env'));
  assert.deepEqual(
    body.environments[0]!.services.map((s) => [s.service, s.severity]),
    [['bot', 'ok']],
  );
  const human = await runDoctor(fake, none);
  assert.equal(human.code, 1);
  assert.match(human.stdout + human.stderr, /✖ \.env\s+REDIS_URL not set in \S+\.env/);
  assert.match(human.stdout + human.stderr, /\.env: REDIS_URL is missing\.[\s\S]*Fix: npx redis-setup/);

  const wrong = tempProject(`REDIS_URL=redis://default:${WRONG_PW}@127.0.0.1:${redis.port}\n`);
  const w = await runDoctor(fake, wrong, ['--json']);
  assert.equal(w.code, 1);
  const wb = parseJson(w);
  assert.equal(wb.env.present, true);
  assert.equal(wb.env.check?.code, 'wrong-password');
  assert.equal(wb.environments[0]!.services[0]!.severity, 'ok');
});

test('doctor: a healthy project exits 0, in --json and in the human report', async () => {
  const fake = await createFakeRailway({
    redis: { password: PW, port: redis.port },
    services: [
      { name: 'bot', app: 'bot', variables: { REDIS_URL: '${{Redis.REDIS_URL}}' } },
      { name: 'worker', app: 'worker', variables: { REDIS_URL: '${{Redis.REDIS_URL}}' } },
    ],
    timing: { buildMs: 50, successAfterMs: 150, appTickMs: 200 },
  });
  fakes.push(fake);
  const [bot, worker] = await Promise.all([fake.deploy('bot', { wait: true }), fake.deploy('worker', { wait: true })]);
  await fake.waitForLog(bot!.id, 'Redis connected successfully');
  await fake.waitForLog(worker!.id, 'Worker process is ready for action.');
  const cwd = tempProject(goodEnv());
  const envMode = statSync(path.join(cwd, '.env')).mode & 0o777;

  const r = await runDoctor(fake, cwd, ['--json']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const body = parseJson(r);
  assert.equal(body.ok, true);
  assert.equal(body.env.check?.code, 'ok');
  assert.deepEqual(body.environments[0]!.services.map((s) => [s.service, s.findings[0]!.verdict]).sort(), [
    ['bot', 'ok'],
    ['worker', 'ok'],
  ]);
  assert.ok(body.environments[0]!.services.every((s) => s.severity === 'ok' && s.evidence.length === 0));

  const human = await runDoctor(fake, cwd);
  assert.equal(human.code, 0);
  assert.match(human.stdout, /Everything looks healthy/);
  assert.doesNotMatch(human.stdout + human.stderr, /Fix:/);
  assert.equal(statSync(path.join(cwd, '.env')).mode & 0o777, envMode, 'doctor does not touch .env, not even its mode');
});
