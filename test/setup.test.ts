// `redis-setup setup` end to end on the BUILT binary, without a terminal (CI=true), against the
// fake
// railway CLI whose deployments are real programs talking to real redis-server processes.
// Every run goes through the harness, which fails the test if a secret (raw or percent-encoded)
// shows up on stdout, stderr or in any railway argv recorded during that run.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import {
  assertNoSecretAnywhere,
  secretForms,
  type RunResult,
  type SetupHarness,
  sceneFor,
  jsonReport,
} from './helpers/setup-harness.ts';
import { startRedis } from './helpers/redis.ts';

const BOT_WORKER = ['--services', 'bot,worker', '--roles', 'bot=bot,worker=worker'];
const FAST = ['--settle', '1', '--timeout', '20'];

interface Diagnosis {
  code: string;
  cause: string;
  fix: string;
}
interface ServiceReport {
  name: string;
  role: string;
  deploymentId: string | null;
  status: string;
  evidence: string[];
  secondsToHealthy: number | null;
  missing: string[];
  reason?: string;
  diagnosis?: Diagnosis;
}
interface Report {
  ok: boolean;
  code: string;
  environment: string | null;
  provider: string;
  url: string | null;
  message: string;
  fix: string;
  env: { path: string; changed: boolean };
  services: ServiceReport[];
  partial?: { set: string[]; notSet: string[] };
  rolledBack?: boolean;
  railwayCalls?: number;
}

const scene = sceneFor;

const report = (r: RunResult) => jsonReport<Report>(r);

const argvLines = (r: RunResult) => r.calls.map((c) => c.argv.join(' '));
const service = (rep: Report, name: string) => {
  const s = rep.services.find((x) => x.name === name);
  assert.ok(s, `no ${name} in the report: ${JSON.stringify(rep.services)}`);
  return s;
};

/** Nothing changed anywhere: .env bytes, Railway (no set/redeploy/restart), no backup, no remembered config. */
function assertNothingChanged(h: SetupHarness, r: RunResult): void {
  assert.deepEqual(h.envBytes(), h.initialEnv, '.env changed');
  assert.deepEqual(
    h.changingCalls(r.calls).map((c) => c.argv.join(' ')),
    [],
    'railway was changed',
  );
  for (const name of h.services) assert.equal(h.rawVariable(name), h.staleUrl, `${name}'s variable changed`);
  assert.equal(existsSync(path.join(h.cwd, '.redis-setup')), false, '.redis-setup was created');
  assert.equal(existsSync(path.join(h.cwd, 'redis-setup.json')), false, 'redis-setup.json was written');
}

/** Each service was redeployed once (not restarted), and the report names that NEW deployment. */
function assertWatchedNewDeployments(h: SetupHarness, r: RunResult, rep: Report, names: string[]): void {
  const argv = argvLines(r);
  for (const name of names) {
    const s = service(rep, name);
    const fresh = h.newDeployments(name);
    assert.equal(fresh.length, 1, `${name}: expected exactly one new deployment, got ${fresh.length}`);
    assert.equal(s.deploymentId, fresh[0]!.id, `${name}: the report names ${s.deploymentId}, not the new deployment`);
    assert.notEqual(s.deploymentId, h.oldDeployments[name]?.id);
    assert.equal(fresh[0]!.reason, 'redeploy');
    // One `redeploy` call, or the deploymentRedeploy mutation the CLI itself sends, batched through
    // `railway
    // api`.
    const byApi = r.calls.some((c) => c.argv[0] === 'api' && c.argv[1]!.includes('deploymentRedeploy'));
    assert.ok(byApi || argv.includes(`redeploy -s ${name} -y --json`), `no redeploy of ${name}:\n${argv.join('\n')}`);
    // Logs are read by deployment ID only: without it the CLI shows the old (successful)
    // deployment.
    const logCalls = argv.filter((a) => a.startsWith('logs') && a.includes(`-s ${name}`));
    assert.ok(logCalls.length > 0, `${name}'s logs were never read`);
    for (const a of logCalls)
      assert.ok(
        a.startsWith(`logs ${fresh[0]!.id} -s ${name} --json`),
        `logs call not pinned to the new deployment: ${a}`,
      );
  }
  assert.ok(!argv.some((a) => a.startsWith('restart')), 'restart keeps the old variables and must never be used');
}

describe('redis-setup setup (non-interactive, built binary)', { concurrency: 4 }, () => {
  test('rotation from a stale password to healthy with --provider railway', async (t) => {
    const h = await scene(t);
    const r = await h.run(['setup', '--yes', '--json', '--provider', 'railway', ...BOT_WORKER, ...FAST]);
    assert.equal(r.code, 0, r.stderr);
    const rep = report(r);
    assert.equal(rep.ok, true);
    assert.equal(rep.code, 'ok');
    for (const s of rep.services) assert.equal(s.status, 'healthy', `${s.name}: ${JSON.stringify(s)}`);
    assert.deepEqual(rep.services.map((s) => s.name).sort(), ['bot', 'worker']);
    assertWatchedNewDeployments(h, r, rep, ['bot', 'worker']);
    for (const name of ['bot', 'worker']) {
      assert.equal(h.rawVariable(name), h.publicUrl);
      assert.equal(
        h.fake.deployment(service(rep, name).deploymentId!).variables.REDIS_URL,
        h.publicUrl,
        `${name}'s new deployment runs another value`,
      );
    }

    // Both values in one `railway api` request, on stdin; never `replace: true`, which would wipe
    // every other
    // variable.
    const writes = r.calls.filter((c) => c.argv[0] === 'api' && c.argv[1]!.startsWith('mutation WriteVariables'));
    assert.equal(writes.length, 1, argvLines(r).join('\n'));
    for (const c of writes) assert.equal(c.hadStdin, true, 'the value must go through stdin');
    const upserts = h.fake.graphqlRequests().filter((g) => g.rootFields.includes('variableUpsert'));
    assert.ok(upserts.length === 1 && !JSON.stringify(upserts).includes('"replace"'));
    assert.ok(!argvLines(r).some((a) => a.startsWith('variable set')), 'no per-service call where one request does');
    for (const c of r.calls) {
      assert.equal(c.env.RAILWAY_NO_AUTO_UPDATE, '1');
      assert.equal(c.env.DO_NOT_TRACK, '1');
    }

    assert.equal(
      h.envBytes()!.toString(),
      h.initialEnv!.toString().replace('REDIS_URL=redis://localhost:6379', `REDIS_URL=${h.publicUrl}`),
    );
    assert.equal(statSync(h.envPath).mode & 0o777, 0o600);
    const remembered = readFileSync(path.join(h.cwd, 'redis-setup.json'), 'utf8');
    assert.deepEqual(JSON.parse(remembered), {
      provider: 'railway',
      redisService: 'Redis',
      variable: 'REDIS_URL',
      services: [
        { name: 'bot', role: 'bot' },
        { name: 'worker', role: 'worker' },
      ],
    });
    for (const s of h.secrets.flatMap(secretForms))
      assert.ok(!remembered.includes(s), 'redis-setup.json holds a secret');
    assert.ok(!remembered.includes('://'), 'redis-setup.json holds a URL');
    // The backup holds previous values (needed by restore), so it must be private.
    assert.equal(statSync(path.join(h.cwd, '.redis-setup')).mode & 0o077, 0, '.redis-setup is readable by others');
  });

  test('--provider url with the URL piped on stdin (password needing percent-encoding)', async (t) => {
    // A raw `/` would make the URL ambiguous (refused, see check tests); `+ = :` are read alike by
    // every client.
    const password = 'pa+ss=w:rd7Q';
    const h = await scene(t, { newPassword: password });
    const typed = `redis://default:${password}@127.0.0.1:${h.redis.port}`; // as a user would paste it
    const r = await h.run(['setup', '--yes', '--json', '--provider', 'url', '--url-stdin', ...BOT_WORKER, ...FAST], {
      input: `${typed}\n`,
    });
    assert.equal(r.code, 0, r.stderr);
    const rep = report(r);
    assert.equal(rep.provider, 'url');
    for (const s of rep.services) assert.equal(s.status, 'healthy', `${s.name}: ${JSON.stringify(s)}`);
    assertWatchedNewDeployments(h, r, rep, ['bot', 'worker']);
    const encoded = `redis://default:${encodeURIComponent(password)}@127.0.0.1:${h.redis.port}`;
    for (const name of ['bot', 'worker']) assert.equal(h.rawVariable(name), encoded);
    assert.match(h.envBytes()!.toString(), new RegExp(`^REDIS_URL=${encoded.replace(/[.+?]/g, '\\$&')}$`, 'm'));
    // The Redis service's variables are read once, to judge each service's password before asking.
    assert.equal(argvLines(r).filter((a) => a === 'variable list -s Redis --json').length, 1);
  });

  test('--provider upstash --url-stdin with a non-Upstash host: a plain URL, with a warning', async (t) => {
    const h = await scene(t, { services: { bot: 'bot' } });
    const r = await h.run(
      ['setup', '--yes', '--provider', 'upstash', '--url-stdin', '--services', 'bot', '--roles', 'bot=bot', ...FAST],
      { input: h.publicUrl },
    );
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /is not \*\.upstash\.io/);
    assert.match(r.stdout, /bot +bot +healthy in [\d.]+ s \(deployment [0-9a-f-]+\)/);
    assert.equal(h.rawVariable('bot'), h.publicUrl);
  });

  test('--provider reference gives every service ${{Redis.REDIS_URL}} and .env the public URL', async (t) => {
    const h = await scene(t);
    const r = await h.run(['setup', '--yes', '--json', '--provider', 'reference', ...BOT_WORKER, ...FAST]);
    assert.equal(r.code, 0, r.stderr);
    const rep = report(r);
    for (const s of rep.services) assert.equal(s.status, 'healthy', `${s.name}: ${JSON.stringify(s)}`);
    assertWatchedNewDeployments(h, r, rep, ['bot', 'worker']);
    for (const name of ['bot', 'worker']) {
      assert.equal(h.rawVariable(name), '${{Redis.REDIS_URL}}');
      // Rendered by Railway: the private URL with the CURRENT password.
      assert.equal(
        h.fake.deployment(service(rep, name).deploymentId!).variables.REDIS_URL,
        `redis://default:${h.newPassword}@redis.railway.internal:6379`,
      );
    }
    assert.match(
      h.envBytes()!.toString(),
      new RegExp(`^REDIS_URL=redis://default:${h.newPassword}@127\\.0\\.0\\.1:${h.redis.port}$`, 'm'),
    );
  });

  test('a URL with the wrong password exits 1 (wrong-password) and changes nothing anywhere', async (t) => {
    const h = await scene(t);
    const r = await h.run(['setup', '--yes', '--json', '--provider', 'url', '--url-stdin', ...BOT_WORKER, ...FAST], {
      input: `redis://default:${h.oldPassword}@127.0.0.1:${h.redis.port}\n`,
    });
    assert.equal(r.code, 1, r.stderr);
    const rep = report(r);
    assert.equal(rep.ok, false);
    assert.equal(rep.code, 'wrong-password');
    assert.match(rep.fix, /Nothing was changed/);
    assertNothingChanged(h, r);
    assert.ok(
      !argvLines(r).some(
        (a) => a.startsWith('variable set') || a.startsWith('redeploy') || a.startsWith('api mutation'),
      ),
    );
  });

  test('a worker that logs its ready line and then connection errors fails (exit 4)', async (t) => {
    const h = await scene(t, { services: { worker: 'worker' } });
    // The live check passes against the public proxy (server A, current password), but inside
    // Railway the private host reaches server B, which wants another password: only the worker's
    // own logs can tell, and they print "ready" before the first error.
    const other = await startRedis(['--requirepass', 'ServerBOnlyPw4Tn6']);
    t.after(() => other.stop());
    h.fake.update((s) => {
      s.privateNetwork['redis.railway.internal'] = `127.0.0.1:${other.port}`;
    });
    const r = await h.run([
      'setup',
      '--yes',
      '--json',
      '--provider',
      'reference',
      '--services',
      'worker',
      '--roles',
      'worker=worker',
      '--settle',
      '2',
      '--timeout',
      '20',
    ]);
    assert.equal(r.code, 4, r.stderr);
    const rep = report(r);
    assert.equal(rep.ok, false);
    assert.equal(rep.code, 'unhealthy');
    const worker = service(rep, 'worker');
    assert.equal(worker.status, 'failed');
    assert.equal(worker.secondsToHealthy, null);
    assert.equal(worker.diagnosis?.code, 'wrong-password');
    const error = worker.evidence.find((l) => l.startsWith('Consumer encountered a connection error'));
    assert.ok(error, `no connection error in the evidence: ${JSON.stringify(worker.evidence)}`);
    assert.match(error, /invalid username-password pair/);
    // The ready line was seen, and still did not make the worker healthy.
    assert.ok(worker.evidence.includes('Worker process is ready for action.'), JSON.stringify(worker.evidence));
    const logs = h.fake.logs(worker.deploymentId!).map((l) => l.message);
    assert.ok(
      logs.indexOf('Worker process is ready for action.') <
        logs.findIndex((m) => m.startsWith('Consumer encountered a connection error')),
    );
    assertWatchedNewDeployments(h, r, rep, ['worker']);
    assert.equal(rep.fix, 'npx redis-setup restore');
    assert.equal(
      h.rawVariable('worker'),
      '${{Redis.REDIS_URL}}',
      '--on-failure keep (the default) keeps the new value',
    );
  });

  test('old deployments do not count: a silent bot times out, a crashing worker fails', async (t) => {
    const h = await scene(t, { deployOld: false });
    // The current deployments are healthy (on the private reference) and print every success
    // line:
    // `railway logs` without a deployment ID would show exactly these.
    for (const name of ['bot', 'worker']) {
      h.fake.setVariable(name, 'REDIS_URL', '${{Redis.REDIS_URL}}');
      await h.fake.deploy(name, { wait: true });
    }
    h.markDeploymentsOld();
    await h.fake.waitForLog(h.oldDeployments.bot!.id, 'Redis connected successfully');
    await h.fake.waitForLog(h.oldDeployments.worker!.id, 'Worker process is ready for action.');
    // The next builds of the same services print nothing (bot) or crash at start (worker).
    h.fake.update((s) => {
      s.services.find((x) => x.name === 'bot')!.app = 'silent';
      s.services.find((x) => x.name === 'worker')!.app = 'crash';
    });
    const r = await h.run([
      'setup',
      '--yes',
      '--json',
      '--provider',
      'railway',
      ...BOT_WORKER,
      '--settle',
      '1',
      '--timeout',
      '9',
    ]);
    assert.equal(r.code, 4, r.stderr);
    const rep = report(r);
    assert.equal(rep.ok, false);
    const bot = service(rep, 'bot');
    assert.equal(bot.status, 'timeout');
    assert.deepEqual(bot.evidence, []);
    assert.deepEqual(bot.missing, ['Redis connected successfully']);
    const worker = service(rep, 'worker');
    assert.equal(worker.status, 'failed');
    assert.match(worker.reason ?? '', /CRASHED/);
    assert.deepEqual(worker.missing, ['Dramatiq broker set successfully!', 'Worker process is ready for action.']);
    assertWatchedNewDeployments(h, r, rep, ['bot', 'worker']);
    assert.equal(h.fake.deployment(worker.deploymentId!).status, 'CRASHED');
    assert.equal(rep.message, 'bot: timeout; worker: failed');
  });

  test('a timeout (silent app, --timeout 5) exits 4 and names every line that never appeared', async (t) => {
    const h = await scene(t, { services: { worker: 'silent' } });
    const worker5s = ['--provider', 'railway', '--services', 'worker', '--roles', 'worker=worker', '--timeout', '5'];
    const r = await h.run(['setup', '--yes', ...worker5s, '--settle', '1']);
    assert.equal(r.code, 4, r.stdout + r.stderr);
    assert.match(r.stdout, /worker +worker +timeout: /);
    assert.ok(
      r.stdout.includes('Never appeared: "Dramatiq broker set successfully!", "Worker process is ready for action."'),
      r.stdout,
    );
    // The worker's previous value is an old password: putting it back would only restore the
    // outage.
    assert.match(r.stdout, /Nothing is rolled back: no previous value would work better\./);
    assert.match(r.stdout, /To undo anyway: npx redis-setup restore/);
    assert.equal(existsSync(path.join(h.cwd, 'redis-setup.json')), false, 'an unhealthy run remembered its answers');
    // The same run again as --json: the report says it in fields.
    const j = await h.run(['setup', '--yes', '--json', ...worker5s, '--settle', '1']);
    assert.equal(j.code, 4);
    const worker = service(report(j), 'worker');
    assert.equal(worker.status, 'timeout');
    assert.equal(report(j).code, 'timeout');
    assert.deepEqual(worker.missing, ['Dramatiq broker set successfully!', 'Worker process is ready for action.']);
    assert.deepEqual(worker.evidence, []);
  });

  test('a redeploy Railway refuses is a Railway problem (exit 3), not an unhealthy service', async (t) => {
    // A CLI without `railway api`: one redeploy per service, and the worker's is refused.
    const h = await scene(t, { cliVersion: '5.27.0' });
    const refused =
      "The latest deployment for service worker cannot be redeployed. This may be because it's " +
      'currently building, deploying, or was removed.';
    h.fake.inject({ command: 'redeploy', service: 'worker', stderr: refused, exit: 1, times: 1 });
    const r = await h.run(['setup', '--yes', '--json', '--provider', 'railway', ...BOT_WORKER, ...FAST]);
    assert.equal(r.code, 3, r.stderr);
    const rep = report(r);
    assert.equal(rep.code, 'railway-error');
    assert.equal(service(rep, 'bot').status, 'healthy');
    const worker = service(rep, 'worker');
    assert.equal(worker.status, 'failed');
    assert.equal(worker.deploymentId, null);
    assert.match(worker.reason ?? '', /cannot be redeployed/);
  });

  test(
    'a set failing on the second service: exact partial report (exit 3), then restore --yes ' +
      'undoes the kept change',
    async (t) => {
      // One `variable set` per service (a CLI without `railway api`), so the second can fail after
      // the first.
      const h = await scene(t, { cliVersion: '5.27.0' });
      h.fake.inject({
        command: 'variable set',
        service: 'worker',
        stderr: 'Failed to upsert variables: You are being ratelimited. Try again in 30 seconds',
        exit: 1,
        times: 1,
      });
      const r = await h.run(['setup', '--yes', '--json', '--provider', 'railway', ...BOT_WORKER, ...FAST]);
      assert.equal(r.code, 3, r.stderr);
      const rep = report(r);
      assert.equal(rep.ok, false);
      assert.equal(rep.code, 'railway-ratelimit');
      assert.deepEqual(rep.partial, { set: ['bot'], notSet: ['worker'] });
      assert.equal(rep.rolledBack, false);
      assert.equal(rep.railwayCalls, r.calls.length);
      assert.deepEqual(
        rep.services.map((s) => [s.name, s.status, s.deploymentId]),
        [
          ['bot', 'skipped', null],
          ['worker', 'skipped', null],
        ],
      );
      assert.equal(rep.fix, 'npx redis-setup restore');
      assert.equal(h.rawVariable('bot'), h.publicUrl);
      assert.equal(h.rawVariable('worker'), h.staleUrl);
      assert.ok(!argvLines(r).some((a) => a.startsWith('redeploy')), 'nothing may be redeployed after a failed set');
      assert.match(r.stderr, /Has the new REDIS_URL: bot and \.env\.\nStill has the old value: worker\./);

      const back = await h.run(['restore', '--yes', '--json', '--settle', '1', '--timeout', '20']);
      // The restored value is the stale one, so the bot honestly fails again: exit 4, wrong-password.
      assert.equal(back.code, 4, back.stderr);
      assert.equal(h.rawVariable('bot'), h.staleUrl);
      assert.equal(h.rawVariable('worker'), h.staleUrl);
      assert.deepEqual(h.envBytes(), h.initialEnv);
      const argv = argvLines(back);
      assert.ok(argv.includes('variable set REDIS_URL --stdin -s bot --skip-deploys'));
      assert.ok(
        !argv.some((a) => a.includes('set') && a.includes('-s worker')),
        'worker still had its old value and must be left alone',
      );
      const bot = service(report(back), 'bot');
      assert.equal(bot.status, 'failed');
      assert.equal(bot.diagnosis?.code, 'wrong-password');
    },
  );

  test('a set failing partway with --on-failure rollback never puts back a password Redis rejects', async (t) => {
    const h = await scene(t, { cliVersion: '5.27.0' });
    h.fake.inject({
      command: 'variable set',
      service: 'worker',
      stderr: 'Failed to upsert variables: You are being ratelimited. Try again in 30 seconds',
      exit: 1,
      times: 1,
    });
    const r = await h.run([
      'setup',
      '--yes',
      '--json',
      '--provider',
      'railway',
      '--on-failure',
      'rollback',
      ...BOT_WORKER,
      ...FAST,
    ]);
    assert.equal(r.code, 3, r.stderr);
    const rep = report(r);
    assert.deepEqual(rep.partial, { set: ['bot'], notSet: ['worker'] });
    assert.equal(rep.rolledBack, false);
    assert.equal(rep.railwayCalls, r.calls.length, 'railwayCalls must count every call');
    // The old password was rotated away: writing it back would only restore the outage.
    assert.equal(h.rawVariable('bot'), h.publicUrl);
    assert.match(r.stderr, /Nothing is rolled back: no previous value would work better/);
    assert.ok(
      r.stderr.includes(
        'bot: keeps the new value (its previous value is rejected (an old password of the Redis ' +
          'service): putting it back would only restore the outage)',
      ),
      r.stderr,
    );
    assert.deepEqual(
      argvLines(r).filter((a) => a.startsWith('redeploy')),
      [],
    );
  });

  test('a provider switch stopped partway, --on-failure rollback: all back on the old server', async (t) => {
    const h = await scene(t, { cliVersion: '5.27.0', deployOld: false });
    for (const name of ['bot', 'worker']) h.fake.setVariable(name, 'REDIS_URL', '${{Redis.REDIS_URL}}');
    const other = await startRedis(['--requirepass', 'SwitchTargetPw8Kd2Lq']);
    t.after(() => other.stop());
    h.fake.inject({
      command: 'variable set',
      service: 'worker',
      stderr: 'Failed to upsert variables: You are being ratelimited. Try again in 30 seconds',
      exit: 1,
      times: 1,
    });
    const r = await h.run(
      [
        'setup',
        '--yes',
        '--json',
        '--provider',
        'url',
        '--url-stdin',
        '--on-failure',
        'rollback',
        ...BOT_WORKER,
        ...FAST,
      ],
      { input: `redis://default:SwitchTargetPw8Kd2Lq@127.0.0.1:${other.port}` },
    );
    assert.equal(r.code, 3, r.stderr);
    assert.equal(report(r).rolledBack, true);
    // The bot had moved to the new server, the worker had not: a queue split in two. Both are
    // back.
    for (const name of ['bot', 'worker']) assert.equal(h.rawVariable(name), '${{Redis.REDIS_URL}}', name);
    // Nothing was redeployed with the new value, so putting the stored value back is the whole
    // rollback.
    assert.deepEqual(
      argvLines(r).filter((a) => a.startsWith('redeploy')),
      [],
    );
  });

  test('.env comments, CRLF, export, quotes and no final newline: every other byte kept', async (t) => {
    const oldLocal = 'redis://default:OldStalePw3Hd8Lm1@127.0.0.1:6390';
    const lines = [
      '# Production settings for the bot',
      '',
      'export BOT_TOKEN="123:abc" # telegram',
      "NAME='my bot'",
      '   ',
      `export REDIS_URL='${oldLocal}' # cache and broker`,
      'DATABASE_URL="postgres://u:p@db:5432/app"',
      '# REDIS_URL=redis://commented.example:6379',
      "SINGLE='a # not a comment'",
      '',
      'TAIL=last',
    ];
    const original = lines.join('\r\n');
    const h = await scene(t, { envText: original, envMode: 0o644 });
    const r = await h.run(['setup', '--yes', '--json', '--provider', 'railway', ...BOT_WORKER, ...FAST]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(report(r).env.changed, true);
    const expected = original.replace(
      `export REDIS_URL='${oldLocal}' # cache and broker`,
      `export REDIS_URL='${h.publicUrl}' # cache and broker`,
    );
    assert.notEqual(expected, original);
    assert.deepEqual(h.envBytes(), Buffer.from(expected));
    assert.equal(statSync(h.envPath).mode & 0o777, 0o600);
  });

  test('no terminal: a missing answer exits 2 naming the flag; --dry-run changes nothing', async (t) => {
    const h = await scene(t, { deployOld: false });
    const noProvider = await h.run(['setup']);
    assert.equal(noProvider.code, 2, noProvider.stdout + noProvider.stderr);
    assert.match(noProvider.stderr, /Pass --provider/);
    assertNothingChanged(h, noProvider);

    const noYes = await h.run(['setup', '--provider', 'railway', ...BOT_WORKER]);
    assert.equal(noYes.code, 2, noYes.stdout + noYes.stderr);
    assert.match(noYes.stderr, /Pass --yes/);
    assertNothingChanged(h, noYes);

    const noYesJson = await h.run(['setup', '--json', '--provider', 'railway', ...BOT_WORKER]);
    assert.equal(noYesJson.code, 2);
    assert.equal(report(noYesJson).code, 'usage');
    assert.match(report(noYesJson).fix, /--yes/);
    assertNothingChanged(h, noYesJson);

    const dry = await h.run(['setup', '--dry-run', '--provider', 'railway', ...BOT_WORKER]);
    assert.equal(dry.code, 0, dry.stdout + dry.stderr);
    assert.match(dry.stdout, /Plan \(dry run: nothing will be changed\)/);
    assert.match(dry.stdout, /bot +\(bot\) +now redis:\/\/default:\S+@redis\.railway\.internal:6379/);
    assert.match(dry.stdout, /Dry run: nothing was changed\./);
    assertNothingChanged(h, dry);

    const dryJson = await h.run(['setup', '--dry-run', '--json', '--provider', 'railway', ...BOT_WORKER]);
    assert.equal(dryJson.code, 0);
    assert.equal(report(dryJson).code, 'dry-run');
    assert.deepEqual(
      report(dryJson).services.map((s) => s.status),
      ['skipped', 'skipped'],
    );
    assert.equal(report(dryJson).railwayCalls, dryJson.calls.length);
    assertNothingChanged(h, dryJson);
  });

  test('--json prints exactly one JSON object on stdout with the documented fields', async (t) => {
    const h = await scene(t, { web: true });
    const r = await h.run([
      'setup',
      '--yes',
      '--json',
      '--provider',
      'railway',
      '--services',
      'bot,worker,web',
      '--roles',
      'bot=bot,worker=worker,web=web',
      ...FAST,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.startsWith('{') && r.stdout.endsWith('}\n'), 'stdout must hold the report and nothing else');
    const rep = report(r);
    assert.deepEqual(Object.keys(rep).sort(), [
      'code',
      'env',
      'environment',
      'fix',
      'message',
      'ok',
      'provider',
      'railwayCalls',
      'services',
      'url',
    ]);
    assert.equal(rep.ok, true);
    assert.equal(rep.code, 'ok');
    assert.equal(rep.environment, null);
    assert.equal(rep.provider, 'railway');
    assert.match(rep.url ?? '', new RegExp(`^redis://default:[^@]*\\*\\*\\*\\*[^@]*@127\\.0\\.0\\.1:${h.redis.port}$`));
    assert.equal(typeof rep.message, 'string');
    assert.equal(rep.fix, '');
    assert.deepEqual(rep.env, { path: realpathSync(h.envPath), changed: true });
    assert.equal(rep.railwayCalls, r.calls.length, 'railwayCalls must count every CLI call of the run');
    const documented = [
      'name',
      'role',
      'deploymentId',
      'status',
      'evidence',
      'secondsToHealthy',
      'missing',
      'reason',
      'diagnosis',
    ];
    const extras = ['lagMs', 'watch']; // measurements, not in the documented shape
    assert.deepEqual(
      rep.services.map((s) => [s.name, s.role, s.status]),
      [
        ['bot', 'bot', 'healthy'],
        ['worker', 'worker', 'healthy'],
        ['web', 'web', 'healthy'],
      ],
    );
    for (const s of rep.services) {
      for (const k of Object.keys(s))
        assert.ok(documented.includes(k) || extras.includes(k), `undocumented field ${k}`);
      for (const k of documented.slice(0, 7)) assert.ok(k in s, `${s.name} lacks ${k}`);
      assert.ok(Array.isArray(s.evidence) && s.evidence.every((l) => typeof l === 'string'));
      assert.ok(typeof s.secondsToHealthy === 'number' && s.secondsToHealthy > 0);
      assert.deepEqual(s.missing, []);
    }
    assertWatchedNewDeployments(h, r, rep, ['bot', 'worker', 'web']);
    // The human output went to stderr.
    assert.match(r.stderr, /Every service is proven healthy\./);
  });

  test('the secret scan itself catches a leak (raw and percent-encoded)', () => {
    const calls = [{ argv: ['variable', 'set', 'REDIS_URL=redis://default:pa%2Bss@h'] }] as RunResult['calls'];
    assert.throws(() => assertNoSecretAnywhere({ stdout: '', stderr: '', calls }, ['pa+ss']), /railway argv/);
    assert.throws(() => assertNoSecretAnywhere({ stdout: 'x pa+ss', stderr: '', calls: [] }, ['pa+ss']), /stdout/);
    assert.throws(() => assertNoSecretAnywhere({ stdout: '', stderr: 'p%2Fw', calls: [] }, ['p/w']), /stderr/);
    assert.doesNotThrow(() => assertNoSecretAnywhere({ stdout: 'pa****ss', stderr: '', calls: [] }, ['pa+ss']));
  });
});
