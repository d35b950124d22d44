// Tests of the fake `railway` CLI itself: the sharp edges other tests rely on, against real redis-server processes.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import pty from '@lydell/node-pty';
import { execa } from 'execa';
import { createFakeRailway, processGroupAlive, type FakeRailway, type FakeRailwayOptions } from './helpers/fake-railway.js';
import { startRedis, type RedisHandle } from './helpers/redis.js';

const PASSWORD = 'n3w-s3cret-pw';
const STALE = 'old-stale-pw';
const WRONGPASS = 'invalid username-password pair or user is disabled.';
const fast = { buildMs: 80, successAfterMs: 150, appTickMs: 200, workerRestartDelayMs: 200 };

let redis: RedisHandle;
const fakes: FakeRailway[] = [];
const leaked: number[] = [];

before(async () => { redis = await startRedis(['--requirepass', PASSWORD]); });
after(async () => {
  for (const f of fakes) {
    const pgids = f.state().deployments.flatMap((d) => d.runs.map((r) => r.pgid));
    await f.cleanup();
    leaked.push(...pgids.filter(processGroupAlive));
  }
  await redis.stop();
  assert.deepEqual(leaked, [], 'app process groups survived cleanup');
});

async function fake(opts: Partial<FakeRailwayOptions> = {}): Promise<FakeRailway> {
  const f = await createFakeRailway({
    redis: { password: PASSWORD, port: redis.port },
    services: [
      { name: 'bot', app: 'bot', variables: { REDIS_URL: `redis://default:${STALE}@redis.railway.internal:6379` } },
      { name: 'worker', app: 'worker', variables: { REDIS_URL: `redis://default:${STALE}@redis.railway.internal:6379` } },
      { name: 'web', app: 'web', variables: { REDIS_URL: '${{Redis.REDIS_URL}}' } },
    ],
    timing: fast,
    ...opts,
  });
  fakes.push(f);
  return f;
}

function railway(f: FakeRailway, args: string[], input?: string) {
  return execa('railway', args, { env: f.env, extendEnv: false, reject: false, timeout: 8000, ...(input !== undefined ? { input } : { stdin: 'ignore' }) });
}

const count = (f: FakeRailway, id: string, text: string) => f.logs(id).filter((e) => e.message.includes(text)).length;

async function until(check: () => boolean, what: string, ms = 8000) {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 30));
  }
}

describe('fake railway', () => {
  test('redeploy applies the new variables, restart keeps the old snapshot', async () => {
    const f = await fake();
    const old = await f.deploy('bot');
    assert.equal(old.status, 'SUCCESS');
    await f.waitForLog(old.id, `Failed to connect to Redis: ${WRONGPASS}`);

    const set = await railway(f, ['variable', 'set', 'REDIS_URL=${{Redis.REDIS_URL}}', '-s', 'bot', '--skip-deploys', '--json']);
    assert.equal(set.exitCode, 0, set.stderr);
    assert.equal(set.stdout, '{"keys":["REDIS_URL"],"set":true}');
    assert.equal(f.deployments('bot').length, 1, '--skip-deploys must not deploy');
    const listed = await railway(f, ['variables', '-s', 'bot', '--json']);
    assert.equal(JSON.parse(listed.stdout).REDIS_URL, `redis://default:${PASSWORD}@redis.railway.internal:6379`, 'list shows the rendered reference');

    const restart = await railway(f, ['restart', '-s', 'bot', '-y', '--json']);
    assert.equal(restart.exitCode, 0, restart.stderr);
    assert.deepEqual(JSON.parse(restart.stdout), { id: old.id });
    await until(() => count(f, old.id, 'Failed to connect to Redis') >= 2, 'the restarted bot to fail again');
    assert.equal(count(f, old.id, 'Redis connected successfully'), 0);
    assert.equal(f.deployment(old.id).variables.REDIS_URL, `redis://default:${STALE}@redis.railway.internal:6379`);

    const redeploy = await railway(f, ['redeploy', '--service', 'bot', '--yes', '--json']);
    assert.equal(redeploy.exitCode, 0, redeploy.stderr);
    const { id } = JSON.parse(redeploy.stdout) as { id: string };
    assert.notEqual(id, old.id);
    await f.waitForStatus(id, ['SUCCESS']);
    await f.waitForLog(id, 'Redis connected successfully');
    await f.waitForStatus(old.id, ['REMOVED']);
    await until(() => !f.deployment(old.id).pgids.some(processGroupAlive), 'the removed deployment to stop');
  });

  test('a redeploy right after a deploying change is refused; non-TTY without --yes fails', async () => {
    const f = await fake();
    await f.deploy('web');
    const noYes = await railway(f, ['redeploy', '-s', 'web']);
    assert.equal(noYes.exitCode, 1);
    assert.equal(noYes.stderr, 'Cannot prompt for confirmation in non-interactive mode. Use --yes to skip confirmation.');
    assert.equal(noYes.stdout, '');
    const setOk = await railway(f, ['variable', 'set', 'FOO=bar', '-s', 'web']);
    assert.equal(setOk.exitCode, 0);
    assert.equal(setOk.stdout, 'Set variables FOO', 'non-TTY success line on stdout since 5.34.2');
    const busy = await railway(f, ['redeploy', '-s', 'web', '-y', '--json']);
    assert.equal(busy.exitCode, 1);
    assert.equal(busy.stderr, "The latest deployment for service web cannot be redeployed. This may be because it's currently building, deploying, or was removed.");
  });

  test('logs without an ID show the newest SUCCESS deployment; --latest the newest', async () => {
    const f = await fake();
    const good = await f.deploy('web');
    await f.waitForLog(good.id, 'Redis connected successfully');
    f.update((s) => { s.services.find((x) => x.name === 'web')!.app = 'crash'; });
    const r = await railway(f, ['redeploy', '-s', 'web', '-y', '--json']);
    const crashedId = (JSON.parse(r.stdout) as { id: string }).id;
    await f.waitForStatus(crashedId, ['CRASHED']);
    assert.equal(f.deployment(good.id).status, 'SUCCESS', 'a crashed rollout does not remove the serving deployment');

    const plain = await railway(f, ['logs', '-s', 'web']);
    assert.equal(plain.exitCode, 0);
    assert.equal(plain.stdout, 'Redis connected successfully');
    const latest = await railway(f, ['logs', '-s', 'web', '--latest', '--json']);
    const lines = latest.stdout.split('\n').map((l) => JSON.parse(l) as { message: string; level: string; timestamp: string });
    assert.match(lines[0]!.message, /something went wrong/);
    assert.equal(lines[0]!.level, 'error');
    assert.ok(!Number.isNaN(Date.parse(lines[0]!.timestamp)));
    const byId = await railway(f, ['logs', good.id, '-s', 'web', '-n', '1']);
    assert.equal(byId.stdout, 'Redis connected successfully');
  });

  test('worker: ready line first, then connection errors forever with a wrong password', async () => {
    const f = await fake();
    const d = await f.deploy('worker');
    assert.equal(d.status, 'SUCCESS', 'the process stays up, so Railway calls it healthy');
    await until(() => count(f, d.id, 'Consumer encountered a connection error') >= 2, 'two consumer errors');
    const messages = f.logs(d.id).map((e) => e.message);
    assert.deepEqual(messages.slice(0, 3), [
      'Dramatiq broker set successfully!',
      'Worker process is ready for action.',
      `Consumer encountered a connection error: ${WRONGPASS}`,
    ]);
    assert.equal(messages[3], 'Restarting consumer in 0.20 seconds.');
    assert.equal(f.logs(d.id).find((e) => e.message.startsWith('Consumer'))!.level, 'critical');
  });

  test('logs stream under a pty, but exit with a pipe', async () => {
    const f = await fake();
    const d = await f.deploy('worker');
    const piped = await railway(f, ['logs', '-s', 'worker']);
    assert.equal(piped.exitCode, 0);
    assert.match(piped.stdout, /Worker process is ready for action\./);

    const p = pty.spawn(path.join(f.binDir, 'railway'), ['logs', '-s', 'worker'], {
      name: 'xterm-256color', cols: 200, rows: 30, cwd: process.cwd(), env: f.env,
    });
    let buf = '';
    let exited: number | null = null;
    p.onData((s) => { buf += s; });
    p.onExit(({ exitCode }) => { exited = exitCode; });
    try {
      await until(() => buf.includes('Worker process is ready'), 'the backlog');
      const before = count(f, d.id, 'Consumer encountered');
      await until(() => count(f, d.id, 'Consumer encountered') >= before + 2, 'new lines in the log file');
      await until(() => (buf.match(/Consumer encountered/g) ?? []).length >= before + 2, 'the stream to follow them');
      assert.equal(exited, null, 'still streaming');
      assert.ok(buf.includes('\r\n'), 'pty line endings');
    } finally {
      p.kill();
    }
    await until(() => exited !== null, 'pty exit');

    const limited = pty.spawn(path.join(f.binDir, 'railway'), ['logs', '-s', 'worker', '--lines', '2'], {
      name: 'xterm-256color', cols: 200, rows: 30, cwd: process.cwd(), env: f.env,
    });
    const code = await new Promise<number>((r) => limited.onExit(({ exitCode }) => r(exitCode)));
    assert.equal(code, 0, '--lines disables streaming even in a terminal');
  });

  test('variable set --stdin trims the value and keeps it out of argv', async () => {
    const f = await fake();
    const secretUrl = `redis://default:${PASSWORD}@127.0.0.1:${redis.port}`;
    const r = await railway(f, ['variable', 'set', 'REDIS_URL', '--stdin', '-s', 'worker', '--skip-deploys', '--json'], `${secretUrl}\r\n`);
    assert.equal(r.exitCode, 0, r.stderr);
    const list = await railway(f, ['variable', 'list', '-s', 'worker', '--kv']);
    assert.ok(list.stdout.split('\n').includes(`REDIS_URL=${secretUrl}`));

    const empty = await railway(f, ['variable', 'set', 'REDIS_URL', '--stdin', '-s', 'worker'], '\n');
    assert.equal(empty.exitCode, 1);
    assert.equal(empty.stderr, 'Empty value provided via stdin');
    const mixed = await railway(f, ['variable', 'set', 'A=1', '--stdin', '-s', 'worker'], 'x');
    assert.equal(mixed.stderr, 'Cannot use --stdin with KEY=VALUE format. Use: railway variable set KEY --stdin');
    const legacy = await railway(f, ['variables', '--set-from-stdin', 'OTHER', '-s', 'worker', '--skip-deploys', '--json'], 'v\n');
    assert.equal(legacy.exitCode, 0);
    assert.equal(legacy.stdout, 'Set variables OTHER', 'legacy form ignores --json');

    const calls = f.calls();
    assert.ok(calls.length >= 5);
    for (const c of calls) assert.ok(!c.argv.join(' ').includes(PASSWORD), `secret in argv: ${c.argv.join(' ')}`);
    assert.deepEqual(calls[0]!.argv, ['variable', 'set', 'REDIS_URL', '--stdin', '-s', 'worker', '--skip-deploys', '--json']);
    assert.equal(calls[0]!.hadStdin, true);
    assert.equal(calls[1]!.hadStdin, false);
    assert.equal(calls[0]!.stdoutIsTTY, false);
    assert.equal(calls[0]!.env.RAILWAY_TOKEN, false);
  });

  test('usage and lookup errors: unknown service, unknown flag, no linked service, unknown environment', async () => {
    const f = await fake();
    const unknown = await railway(f, ['variable', 'list', '-s', 'x']);
    assert.equal(unknown.exitCode, 1);
    assert.equal(unknown.stderr, "Service 'x' not found");
    const flag = await railway(f, ['logs', '--follow']);
    assert.equal(flag.exitCode, 2);
    assert.match(flag.stderr, /^error: unexpected argument '--follow' found/);
    const noSvc = await railway(f, ['logs']);
    assert.equal(noSvc.exitCode, 1);
    assert.match(noSvc.stderr, /^No service linked\nRun `railway service` to link a service/);
    const env = await railway(f, ['variable', 'list', '-s', 'bot', '-e', 'staging']);
    assert.equal(env.stderr, 'Environment "staging" not found.\nRun `railway environment` to connect to an environment.');
    const version = await railway(f, ['--version']);
    assert.equal(version.stdout, 'railway 5.43.1');
  });

  test('an older CLI behaves like one: no `variable set`, no -e on redeploy', async () => {
    const f = await fake({ cliVersion: '4.19.0' });
    const set = await railway(f, ['variable', 'set', 'A=1', '-s', 'bot']);
    assert.equal(set.exitCode, 2);
    assert.match(set.stderr, /^error: unexpected argument 'set' found/);
    const redeploy = await railway(f, ['redeploy', '-s', 'bot', '-e', 'production', '-y']);
    assert.equal(redeploy.exitCode, 2);
    const legacy = await railway(f, ['variables', '--set-from-stdin', 'A', '-s', 'bot', '--skip-deploys'], 'v');
    assert.equal(legacy.exitCode, 0, legacy.stderr);
    assert.equal(legacy.stdout, '', 'no stdout confirmation before 5.34.2');
  });

  test('auth: not logged in, bad project token, whoami with a project token', async () => {
    const none = await fake({ auth: 'none' });
    const r1 = await railway(none, ['status', '--json']);
    assert.equal(r1.exitCode, 1);
    assert.equal(r1.stderr, 'Unauthorized. Please login with `railway login`');

    const f = await fake({ projectToken: 'good-token', linked: false });
    const bad = await execa('railway', ['variable', 'list', '-s', 'bot', '--json'], { env: { ...f.env, RAILWAY_TOKEN: 'nope' }, extendEnv: false, reject: false });
    assert.equal(bad.stderr, "Invalid RAILWAY_TOKEN. Please check that it is valid and has access to the resource you're trying to use.");
    const ok = await execa('railway', ['variable', 'list', '-s', 'bot', '--json'], { env: { ...f.env, RAILWAY_TOKEN: 'good-token' }, extendEnv: false, reject: false });
    assert.equal(ok.exitCode, 0, 'project and environment come from the token, no link needed');
    const who = await execa('railway', ['whoami'], { env: { ...f.env, RAILWAY_TOKEN: 'good-token' }, extendEnv: false, reject: false });
    assert.equal(who.exitCode, 1);
    assert.match(who.stderr, /^Unauthorized\. Please check that your RAILWAY_TOKEN is valid/);
    assert.equal(f.calls()[0]!.env.RAILWAY_TOKEN, true);
    const unlinked = await railway(f, ['variable', 'list', '-s', 'bot']);
    assert.equal(unlinked.stderr, 'No linked project found. Run railway link to connect to a project\n  → Run `railway link` to connect to a project.');
  });

  test('an injected failure hits only the second service, once', async () => {
    const f = await fake();
    f.inject({ command: 'variable set', service: 'worker', stderr: 'Failed to upsert variables', times: 1 });
    f.rateLimit(42, { command: 'deployment list', times: 1 });
    const bot = await railway(f, ['variable', 'set', 'A=1', '-s', 'bot', '--skip-deploys']);
    assert.equal(bot.exitCode, 0);
    const worker = await railway(f, ['variable', 'set', 'A=1', '-s', 'worker', '--skip-deploys']);
    assert.equal(worker.exitCode, 1);
    assert.equal(worker.stderr, 'Failed to upsert variables');
    assert.equal(f.state().variables[f.state().environments[0]!.id]![f.state().services.find((s) => s.name === 'worker')!.id]!.A, undefined);
    const again = await railway(f, ['variable', 'set', 'A=1', '-s', 'worker', '--skip-deploys']);
    assert.equal(again.exitCode, 0);
    const limited = await railway(f, ['deployment', 'list', '-s', 'bot', '--json']);
    assert.equal(limited.stderr, 'You are being ratelimited. Try again in 42 seconds');
    const fine = await railway(f, ['deployment', 'list', '-s', 'bot', '--json']);
    assert.deepEqual(JSON.parse(fine.stdout), []);
  });

  test('parallel invocations do not lose state updates', async () => {
    const f = await fake();
    const keys = Array.from({ length: 6 }, (_, i) => `K${i}`);
    const results = await Promise.all(keys.map((k) => railway(f, ['variable', 'set', `${k}=v`, '-s', 'web', '--skip-deploys'])));
    assert.ok(results.every((r) => r.exitCode === 0));
    const list = JSON.parse((await railway(f, ['variable', 'list', '-s', 'web', '--json'])).stdout) as Record<string, string>;
    for (const k of keys) assert.equal(list[k], 'v');
  });
});
