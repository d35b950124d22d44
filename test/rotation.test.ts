// `redis-setup setup` without a terminal (CI=true), on the built binary, against the fake railway
// CLI whose deployments are real programs talking to real redis-server processes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createFakeRailway, type FakeRailway } from './helpers/fake-railway.ts';
import { startRedis, type RedisHandle } from './helpers/redis.ts';
import { assertNoSecret, BIN } from './helpers/cli.ts';

const NEW_PW = 'Rotation-New-Password-0123';
const OLD_PW = 'Rotation-Old-Password-9876';
const STALE = `redis://default:${OLD_PW}@redis.railway.internal:6379`;
const ENV_TEXT = '# app settings\r\nexport DEBUG="1"\r\n\r\nNAME=\'my bot\' # inline\r\nREDIS_URL=redis://old.example:6379 # cache\r\nTAIL=end';
const ROLES = ['--services', 'bot,worker', '--roles', 'bot=bot,worker=worker'];
let redis: RedisHandle;
const fakes: FakeRailway[] = [];

before(async () => { redis = await startRedis(['--requirepass', NEW_PW]); });
after(async () => {
  await Promise.all(fakes.map((f) => f.cleanup()));
  await redis.stop();
});

interface Report {
  ok: boolean; code: string; env: { path: string; changed: boolean };
  services: { name: string; status: string; deploymentId: string | null; evidence: string[]; missing: string[]; diagnosis?: { code: string } }[];
  partial?: { set: string[]; notSet: string[] }; rolledBack?: boolean;
}

async function project(apps: Record<string, 'bot' | 'worker' | 'web'> = { bot: 'bot', worker: 'worker' }) {
  const fake = await createFakeRailway({
    redis: { password: NEW_PW, port: redis.port },
    services: Object.entries(apps).map(([name, app]) => ({ name, app, variables: { REDIS_URL: STALE } })),
    timing: { buildMs: 100, successAfterMs: 200, workerRestartDelayMs: 400 },
  });
  fakes.push(fake);
  for (const name of Object.keys(apps)) await fake.deploy(name, { wait: true });
  const cwd = mkdtempSync(path.join(tmpdir(), 'rotation-'));
  writeFileSync(path.join(cwd, '.env'), ENV_TEXT);
  const run = (args: string[], input?: string) => new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...fake.env, CI: 'true' }, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => { stdout += d; });
    child.stderr!.on('data', (d) => { stderr += d; });
    child.on('close', (code) => {
      // Every run: no secret on screen, in --json, or in any argv the fake recorded.
      assertNoSecret({ stdout, stderr }, NEW_PW, OLD_PW);
      for (const c of fake.calls()) for (const a of c.argv) assert.ok(!a.includes(NEW_PW) && !a.includes(OLD_PW), `secret in argv: ${c.argv.join(' ')}`);
      resolve({ code, stdout, stderr });
    });
    if (input !== undefined) child.stdin!.end(input);
  });
  const raw = (service: string) => {
    const s = fake.state();
    const svc = s.services.find((x) => x.name === service)!;
    return s.variables[s.environments[0]!.id]![svc.id]!.REDIS_URL;
  };
  const changes = () => fake.calls().filter((c) => c.argv.includes('set') || c.argv[0] === 'redeploy' || c.argv[0] === 'restart');
  return { fake, cwd, run, raw, changes, envText: () => readFileSync(path.join(cwd, '.env'), 'utf8') };
}

test('rotation from a stale password to healthy: stdin sets, redeploy (never restart), logs of the new deployment', async () => {
  const p = await project();
  const oldIds = p.fake.deployments().map((d) => d.id);
  const r = await p.run(['setup', '--yes', '--json', '--provider', 'railway', ...ROLES, '--settle', '1', '--timeout', '30']);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as Report;
  assert.equal(report.ok, true);
  for (const s of report.services) {
    assert.equal(s.status, 'healthy');
    assert.ok(s.deploymentId && !oldIds.includes(s.deploymentId), 'watched an old deployment');
    assert.equal(p.fake.deployment(s.deploymentId)!.service, s.name);
  }
  const argv = p.fake.calls().map((c) => c.argv.join(' '));
  for (const svc of ['bot', 'worker']) {
    assert.ok(argv.includes(`variable set REDIS_URL --stdin -s ${svc} --skip-deploys`));
    assert.ok(argv.includes(`redeploy -s ${svc} -y --json`));
    const id = report.services.find((s) => s.name === svc)!.deploymentId!;
    assert.ok(argv.some((a) => a.startsWith(`logs ${id} -s ${svc} --json`)));
  }
  assert.ok(!argv.some((a) => a.startsWith('restart')));
  // .env: only the one line changed, CRLF and everything else byte for byte; mode 0600.
  const text = p.envText();
  const expected = ENV_TEXT.replace('REDIS_URL=redis://old.example:6379 # cache', `REDIS_URL=redis://default:${NEW_PW}@127.0.0.1:${redis.port} # cache`);
  assert.equal(text, expected);
  assert.equal(statSync(path.join(p.cwd, '.env')).mode & 0o777, 0o600);
  const remembered = readFileSync(path.join(p.cwd, 'redis-setup.json'), 'utf8');
  assert.match(remembered, /"worker"/);
  assert.ok(!remembered.includes(NEW_PW) && !remembered.includes('://'));
});

test('a URL that fails its check changes nothing anywhere (exit 1)', async () => {
  const p = await project();
  const r = await p.run(['setup', '--yes', '--json', '--provider', 'url', '--url-stdin', ...ROLES], `redis://default:${OLD_PW}@127.0.0.1:${redis.port}\n`);
  assert.equal(r.code, 1);
  assert.equal((JSON.parse(r.stdout) as Report).code, 'wrong-password');
  assert.equal(p.envText(), ENV_TEXT);
  assert.deepEqual(p.changes(), []);
  assert.equal(existsSync(path.join(p.cwd, '.redis-setup')), false);
});

test('a worker that logs its ready line and then auth errors is not healthy (exit 4)', async () => {
  const p = await project({ worker: 'worker' });
  // The Redis service's own REDIS_URL carries a stale password while its public URL is current:
  // the live check passes, but a reference gives the worker the wrong password.
  p.fake.setVariable('Redis', 'REDIS_URL', STALE);
  const r = await p.run(['setup', '--yes', '--json', '--provider', 'reference', '--services', 'worker', '--roles', 'worker=worker', '--settle', '3', '--timeout', '30']);
  assert.equal(r.code, 4, r.stderr);
  const worker = (JSON.parse(r.stdout) as Report).services[0]!;
  assert.equal(worker.status, 'failed');
  assert.ok(worker.evidence.some((l) => l.includes('Consumer encountered a connection error')));
  assert.equal(worker.diagnosis?.code, 'wrong-password');
  assert.equal(p.raw('worker'), '${{Redis.REDIS_URL}}');
});

test('success lines of the old deployment do not count: the new one must prove itself (timeout, exit 4)', async () => {
  const p = await project({ bot: 'bot' });
  p.fake.update((s) => { s.services.find((x) => x.name === 'bot')!.app = 'silent'; });
  const r = await p.run(['setup', '--yes', '--json', '--provider', 'railway', '--services', 'bot', '--roles', 'bot=bot', '--settle', '1', '--timeout', '4']);
  assert.equal(r.code, 4);
  const bot = (JSON.parse(r.stdout) as Report).services[0]!;
  assert.equal(bot.status, 'timeout');
  assert.deepEqual(bot.missing, ['Redis connected successfully']);
});

test('a set failing on the second service: exact partial report, then rollback restores every value', async () => {
  const p = await project();
  p.fake.inject({ command: 'variable set', service: 'worker', stderr: 'You are being ratelimited. Try again in 30 seconds', exit: 1, times: 1 });
  const r = await p.run(['setup', '--yes', '--json', '--provider', 'railway', ...ROLES, '--on-failure', 'rollback']);
  assert.equal(r.code, 3);
  const report = JSON.parse(r.stdout) as Report;
  assert.deepEqual(report.partial, { set: ['bot'], notSet: ['worker'] });
  assert.equal(report.rolledBack, true);
  assert.equal(p.raw('bot'), STALE);
  assert.equal(p.raw('worker'), STALE);
  assert.equal(p.envText(), ENV_TEXT);
});

test('without a terminal, a missing answer exits 2 naming the flag; --dry-run changes nothing', async () => {
  const p = await project();
  const missing = await p.run(['setup']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /--provider/);
  const noYes = await p.run(['setup', '--provider', 'railway', ...ROLES]);
  assert.equal(noYes.code, 2);
  assert.match(noYes.stderr, /--yes/);
  const dry = await p.run(['setup', '--dry-run', '--provider', 'railway', ...ROLES]);
  assert.equal(dry.code, 0);
  assert.match(dry.stdout, /Plan/);
  assert.equal(p.envText(), ENV_TEXT);
  assert.deepEqual(p.changes(), []);
});
