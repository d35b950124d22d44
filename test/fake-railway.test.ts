// Tests of the fake `railway` CLI itself: the sharp edges other tests rely on, against real redis-server processes.
// Every test waits on states (deployment status, log lines), never on how long the fake takes.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import pty from '@lydell/node-pty';
import {
  createFakeRailway,
  cleanUpFakes,
  processGroupAlive,
  type FakeRailway,
  type FakeRailwayOptions,
} from './helpers/fake-railway.js';
import { startRedis, type RedisHandle } from './helpers/redis.js';

const PASSWORD = 'n3w-s3cret-pw';
const STALE = 'old-stale-pw';
const WRONGPASS = 'invalid username-password pair or user is disabled.';
const fast = { buildMs: 80, successAfterMs: 150, appTickMs: 200, workerRestartDelayMs: 200 };
const T = { timeout: 30_000 };
/** A build phase that outlasts any test: the deployment stays INITIALIZING/BUILDING until cleanup. */
const HELD_BUILD_MS = 600_000;

let redis: RedisHandle;
const fakes: FakeRailway[] = [];
const terminals = new Set<pty.IPty>();
const leaked: number[] = [];

before(async () => {
  redis = await startRedis(['--requirepass', PASSWORD]);
});
after(async () => {
  for (const p of terminals) p.kill('SIGKILL');
  leaked.push(...(await cleanUpFakes(fakes)));
  await redis.stop();
  assert.deepEqual(leaked, [], 'app process groups survived cleanup');
});

async function fake(opts: Partial<FakeRailwayOptions> = {}): Promise<FakeRailway> {
  const f = await createFakeRailway({
    redis: { password: PASSWORD, port: redis.port },
    services: [
      { name: 'bot', app: 'bot', variables: { REDIS_URL: `redis://default:${STALE}@redis.railway.internal:6379` } },
      {
        name: 'worker',
        app: 'worker',
        variables: { REDIS_URL: `redis://default:${STALE}@redis.railway.internal:6379` },
      },
      { name: 'web', app: 'web', variables: { REDIS_URL: '${{Redis.REDIS_URL}}' } },
    ],
    timing: fast,
    ...opts,
  });
  fakes.push(f);
  return f;
}

const count = (f: FakeRailway, id: string, text: string) => f.logs(id).filter((e) => e.message.includes(text)).length;

async function until(check: () => boolean, what: string, ms = 10_000) {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 30));
  }
}

/** The fake under a pseudo-terminal (stdout is a TTY), killed by after() if the test gives up. */
function terminal(f: FakeRailway, args: string[]) {
  const p = pty.spawn(path.join(f.binDir, 'railway'), args, {
    name: 'xterm-256color',
    cols: 200,
    rows: 30,
    cwd: process.cwd(),
    env: f.env,
  });
  terminals.add(p);
  const term = { output: '', exitCode: null as number | null, process: p };
  p.onData((s) => {
    term.output += s;
  });
  p.onExit(({ exitCode }) => {
    term.exitCode = exitCode;
    terminals.delete(p);
  });
  return term;
}

describe('fake railway', () => {
  test('redeploy applies the new variables, restart keeps the old snapshot', T, async () => {
    const f = await fake();
    const old = await f.deploy('bot');
    assert.equal(old.status, 'SUCCESS');
    await f.waitForLog(old.id, `Failed to connect to Redis: ${WRONGPASS}`);

    const set = await f.run([
      'variable',
      'set',
      'REDIS_URL=${{Redis.REDIS_URL}}',
      '-s',
      'bot',
      '--skip-deploys',
      '--json',
    ]);
    assert.equal(set.exitCode, 0, set.stderr);
    assert.equal(set.stdout, '{"keys":["REDIS_URL"],"set":true}');
    assert.equal(f.deployments('bot').length, 1, '--skip-deploys must not deploy');
    const listed = await f.run(['variables', '-s', 'bot', '--json']);
    assert.equal(
      JSON.parse(listed.stdout).REDIS_URL,
      `redis://default:${PASSWORD}@redis.railway.internal:6379`,
      'list shows the rendered reference',
    );

    const restart = await f.run(['restart', '-s', 'bot', '-y', '--json']);
    assert.equal(restart.exitCode, 0, restart.stderr);
    assert.deepEqual(JSON.parse(restart.stdout), { id: old.id });
    await until(() => count(f, old.id, 'Failed to connect to Redis') >= 2, 'the restarted bot to fail again');
    assert.equal(count(f, old.id, 'Redis connected successfully'), 0);
    assert.equal(f.deployment(old.id).variables.REDIS_URL, `redis://default:${STALE}@redis.railway.internal:6379`);
    // A redeploy is refused while the restarted deployment is still DEPLOYING: wait for it.
    await f.waitForStatus(old.id, ['SUCCESS']);

    const redeploy = await f.run(['redeploy', '--service', 'bot', '--yes', '--json']);
    assert.equal(redeploy.exitCode, 0, redeploy.stderr);
    const { id } = JSON.parse(redeploy.stdout) as { id: string };
    assert.notEqual(id, old.id);
    await f.waitForStatus(id, ['SUCCESS']);
    await f.waitForLog(id, 'Redis connected successfully');
    await f.waitForStatus(old.id, ['REMOVED']);
    await until(() => !f.deployment(old.id).pgids.some(processGroupAlive), 'the removed deployment to stop');
  });

  test('a redeploy right after a deploying change is refused; non-TTY without --yes fails', T, async () => {
    const f = await fake();
    await f.deploy('web');
    const noYes = await f.run(['redeploy', '-s', 'web']);
    assert.equal(noYes.exitCode, 1);
    assert.equal(
      noYes.stderr,
      'Cannot prompt for confirmation in non-interactive mode. Use --yes to skip confirmation.',
    );
    assert.equal(noYes.stdout, '');
    // The next deployment holds in its build phase, whatever the machine's speed.
    f.update((s) => {
      s.timing.buildMs = HELD_BUILD_MS;
    });
    const setOk = await f.run(['variable', 'set', 'FOO=bar', '-s', 'web']);
    assert.equal(setOk.exitCode, 0);
    assert.equal(setOk.stdout, 'Set variables FOO', 'non-TTY success line on stdout since 5.34.2');
    const [building] = f.deployments('web').sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    assert.equal(building!.reason, 'variableChange');
    assert.ok(['INITIALIZING', 'BUILDING'].includes(building!.status), building!.status);
    const busy = await f.run(['redeploy', '-s', 'web', '-y', '--json']);
    assert.equal(busy.exitCode, 1);
    assert.equal(
      busy.stderr,
      'The latest deployment for service web cannot be redeployed. ' +
        "This may be because it's currently building, deploying, or was removed.",
    );
  });

  test('logs without an ID show the newest SUCCESS deployment; --latest the newest', T, async () => {
    const f = await fake();
    const good = await f.deploy('web');
    await f.waitForLog(good.id, 'Redis connected successfully');
    f.update((s) => {
      s.services.find((x) => x.name === 'web')!.app = 'crash';
    });
    const r = await f.run(['redeploy', '-s', 'web', '-y', '--json']);
    const crashedId = (JSON.parse(r.stdout) as { id: string }).id;
    await f.waitForStatus(crashedId, ['CRASHED']);
    await f.waitForLog(crashedId, 'something went wrong');
    assert.equal(f.deployment(good.id).status, 'SUCCESS', 'a crashed rollout does not remove the serving deployment');

    const plain = await f.run(['logs', '-s', 'web']);
    assert.equal(plain.exitCode, 0);
    assert.equal(plain.stdout, 'Redis connected successfully');
    const latest = await f.run(['logs', '-s', 'web', '--latest', '--json']);
    const lines = latest.stdout
      .split('\n')
      .map((l) => JSON.parse(l) as { message: string; level: string; timestamp: string });
    assert.match(lines[0]!.message, /something went wrong/);
    assert.equal(lines[0]!.level, 'error');
    assert.ok(!Number.isNaN(Date.parse(lines[0]!.timestamp)));
    const byId = await f.run(['logs', good.id, '-s', 'web', '-n', '1']);
    assert.equal(byId.stdout, 'Redis connected successfully');
  });

  test('worker: ready line first, then connection errors forever with a wrong password', T, async () => {
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

  test('a worker that dies at startup is CRASHED and never SUCCESS', T, async () => {
    const f = await fake();
    f.setVariable('worker', 'REDIS_URL', 'not-a-url');
    const d = await f.deploy('worker');
    assert.equal(d.status, 'CRASHED');
    await f.waitForLog(d.id, 'ValueError: Redis URL must specify one of the following schemes');
  });

  test('logs stream under a pty, but exit with a pipe', T, async () => {
    const f = await fake();
    const d = await f.deploy('worker');
    const piped = await f.run(['logs', '-s', 'worker']);
    assert.equal(piped.exitCode, 0);
    assert.match(piped.stdout, /Worker process is ready for action\./);

    const stream = terminal(f, ['logs', '-s', 'worker']);
    try {
      await until(() => stream.output.includes('Worker process is ready'), 'the backlog');
      const before = count(f, d.id, 'Consumer encountered');
      await until(() => count(f, d.id, 'Consumer encountered') >= before + 2, 'new lines in the log file');
      await until(
        () => (stream.output.match(/Consumer encountered/g) ?? []).length >= before + 2,
        'the stream to follow them',
      );
      assert.equal(stream.exitCode, null, 'still streaming');
      assert.ok(stream.output.includes('\r\n'), 'pty line endings');
    } finally {
      stream.process.kill();
    }
    await until(() => stream.exitCode !== null, 'pty exit');

    const limited = terminal(f, ['logs', '-s', 'worker', '--lines', '2']);
    await until(() => limited.exitCode !== null, 'the limited call to exit');
    assert.equal(limited.exitCode, 0, '--lines disables streaming even in a terminal');
  });

  test('variable set --stdin trims the value and keeps it out of argv', T, async () => {
    const f = await fake();
    const secretUrl = `redis://default:${PASSWORD}@127.0.0.1:${redis.port}`;
    const r = await f.run(['variable', 'set', 'REDIS_URL', '--stdin', '-s', 'worker', '--skip-deploys', '--json'], {
      input: `${secretUrl}\r\n`,
    });
    assert.equal(r.exitCode, 0, r.stderr);
    const list = await f.run(['variable', 'list', '-s', 'worker', '--kv']);
    assert.ok(list.stdout.split('\n').includes(`REDIS_URL=${secretUrl}`));

    const empty = await f.run(['variable', 'set', 'REDIS_URL', '--stdin', '-s', 'worker'], { input: '\n' });
    assert.equal(empty.exitCode, 1);
    assert.equal(empty.stderr, 'Empty value provided via stdin');
    const mixed = await f.run(['variable', 'set', 'A=1', '--stdin', '-s', 'worker'], { input: 'x' });
    assert.equal(mixed.stderr, 'Cannot use --stdin with KEY=VALUE format. Use: railway variable set KEY --stdin');
    const legacy = await f.run(['variables', '--set-from-stdin', 'OTHER', '-s', 'worker', '--skip-deploys', '--json'], {
      input: 'v\n',
    });
    assert.equal(legacy.exitCode, 0);
    assert.equal(legacy.stdout, 'Set variables OTHER', 'legacy form ignores --json');

    const calls = f.calls();
    assert.ok(calls.length >= 5);
    for (const c of calls) assert.ok(!c.argv.join(' ').includes(PASSWORD), `secret in argv: ${c.argv.join(' ')}`);
    assert.deepEqual(calls[0]!.argv, [
      'variable',
      'set',
      'REDIS_URL',
      '--stdin',
      '-s',
      'worker',
      '--skip-deploys',
      '--json',
    ]);
    assert.equal(calls[0]!.hadStdin, true);
    assert.equal(calls[1]!.hadStdin, false);
    assert.equal(calls[0]!.stdoutIsTTY, false);
    assert.equal(calls[0]!.env.RAILWAY_TOKEN, false);
  });

  test(
    'usage and lookup errors: unknown service, unknown flag, no linked service, unknown environment',
    T,
    async () => {
      const f = await fake();
      const unknown = await f.run(['variable', 'list', '-s', 'x']);
      assert.equal(unknown.exitCode, 1);
      assert.equal(unknown.stderr, "Service 'x' not found");
      const flag = await f.run(['logs', '--follow']);
      assert.equal(flag.exitCode, 2);
      assert.match(flag.stderr, /^error: unexpected argument '--follow' found/);
      const noSvc = await f.run(['logs']);
      assert.equal(noSvc.exitCode, 1);
      assert.match(noSvc.stderr, /^No service linked\nRun `railway service` to link a service/);
      const env = await f.run(['variable', 'list', '-s', 'bot', '-e', 'staging']);
      assert.equal(
        env.stderr,
        'Environment "staging" not found.\nRun `railway environment` to connect to an environment.',
      );
      const version = await f.run(['--version']);
      assert.equal(version.stdout, 'railway 5.43.1');
      const missing = await f.run(['variable', 'delete', 'NOPE', '-s', 'bot', '--json']);
      assert.equal(missing.stderr, "Variable 'NOPE' not found");
      const deleted = await f.run(['variable', 'delete', 'REDIS_URL', '-s', 'bot', '--json']);
      assert.equal(deleted.stdout, '{"deleted":true,"key":"REDIS_URL"}', 'serde_json prints json! keys sorted');
    },
  );

  test('an older CLI behaves like one: no `variable set`, no -e on redeploy', T, async () => {
    const f = await fake({ cliVersion: '4.19.0' });
    const set = await f.run(['variable', 'set', 'A=1', '-s', 'bot']);
    assert.equal(set.exitCode, 2);
    assert.match(set.stderr, /^error: unexpected argument 'set' found/);
    const redeploy = await f.run(['redeploy', '-s', 'bot', '-e', 'production', '-y']);
    assert.equal(redeploy.exitCode, 2);
    const legacy = await f.run(['variables', '--set-from-stdin', 'A', '-s', 'bot', '--skip-deploys'], { input: 'v' });
    assert.equal(legacy.exitCode, 0, legacy.stderr);
    assert.equal(legacy.stdout, '', 'no stdout confirmation before 5.34.2');
  });

  test('auth: not logged in, bad project token, whoami with a project token', T, async () => {
    const none = await fake({ auth: 'none' });
    const r1 = await none.run(['status', '--json']);
    assert.equal(r1.exitCode, 1);
    assert.equal(r1.stderr, 'Unauthorized. Please login with `railway login`');

    const f = await fake({ projectToken: 'good-token', linked: false });
    const bad = await f.run(['variable', 'list', '-s', 'bot', '--json'], { env: { RAILWAY_TOKEN: 'nope' } });
    assert.equal(
      bad.stderr,
      "Invalid RAILWAY_TOKEN. Please check that it is valid and has access to the resource you're trying to use.",
    );
    const ok = await f.run(['variable', 'list', '-s', 'bot', '--json'], { env: { RAILWAY_TOKEN: 'good-token' } });
    assert.equal(ok.exitCode, 0, 'project and environment come from the token, no link needed');
    const who = await f.run(['whoami'], { env: { RAILWAY_TOKEN: 'good-token' } });
    assert.equal(who.exitCode, 1);
    assert.match(who.stderr, /^Unauthorized\. Please check that your RAILWAY_TOKEN is valid/);
    assert.equal(f.calls()[0]!.env.RAILWAY_TOKEN, true);
    const unlinked = await f.run(['variable', 'list', '-s', 'bot']);
    assert.equal(
      unlinked.stderr,
      'No linked project found. Run railway link to connect to a project\n' +
        '  → Run `railway link` to connect to a project.',
    );
  });

  test('an injected failure hits only the second service, once', T, async () => {
    const f = await fake();
    f.inject({ command: 'variable set', service: 'worker', stderr: 'Failed to upsert variables', times: 1 });
    f.rateLimit(42, { command: 'deployment list', times: 1 });
    const bot = await f.run(['variable', 'set', 'A=1', '-s', 'bot', '--skip-deploys']);
    assert.equal(bot.exitCode, 0);
    const worker = await f.run(['variable', 'set', 'A=1', '-s', 'worker', '--skip-deploys']);
    assert.equal(worker.exitCode, 1);
    assert.equal(worker.stderr, 'Failed to upsert variables');
    assert.equal(f.rawVariables('worker').A, undefined);
    const again = await f.run(['variable', 'set', 'A=1', '-s', 'worker', '--skip-deploys']);
    assert.equal(again.exitCode, 0);
    const limited = await f.run(['deployment', 'list', '-s', 'bot', '--json']);
    assert.equal(limited.stderr, 'You are being ratelimited. Try again in 42 seconds');
    const fine = await f.run(['deployment', 'list', '-s', 'bot', '--json']);
    assert.deepEqual(JSON.parse(fine.stdout), []);
  });

  test('parallel invocations do not lose state updates', T, async () => {
    const f = await fake();
    const keys = Array.from({ length: 6 }, (_, i) => `K${i}`);
    const results = await Promise.all(
      keys.map((k) => f.run(['variable', 'set', `${k}=v`, '-s', 'web', '--skip-deploys'])),
    );
    assert.ok(results.every((r) => r.exitCode === 0));
    const list = JSON.parse((await f.run(['variable', 'list', '-s', 'web', '--json'])).stdout) as Record<
      string,
      string
    >;
    for (const k of keys) assert.equal(list[k], 'v');
  });
});
