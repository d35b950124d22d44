// The Railway environment as it is stored, end to end on the built binary: the runbook's Shared
// Variables step, references that come back as references, sealed values, a queue split across
// two servers, services that never used Redis, and the version gates. Real deployed apps, real
// redis-server; no secret in any argv (the harness checks every run).
import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import { railwayChanges, describe as changesOf } from './helpers/railway-changes.ts';
import { startRedis } from './helpers/redis.ts';
import { type SetupHarnessOptions, sceneFor } from './helpers/setup-harness.ts';

const FAST = ['--settle', '1', '--timeout', '20'];
const BOT_WORKER = ['--services', 'bot,worker', '--roles', 'bot=bot,worker=worker'];
const SHARED_REF = '${{shared.REDIS_URL}}';

const scene = (t: TestContext, opts: SetupHarnessOptions = {}) => sceneFor(t, { deployOld: false, ...opts });

interface Report {
  ok: boolean;
  code: string;
  services: { name: string; status: string; deploymentId: string | null }[];
}

describe('railway environment as stored (raw, shared, sealed)', { concurrency: 3 }, () => {
  test(
    'a project on ${{shared.REDIS_URL}} with a rotated-away password: one shared update, ' +
      'redeploys, both proven healthy; restore puts it all back',
    async (t) => {
      const h = await scene(t);
      for (const s of ['bot', 'worker']) h.fake.setVariable(s, 'REDIS_URL', SHARED_REF);
      h.fake.setSharedVariable('REDIS_URL', h.staleUrl);
      await h.deployAll();
      const r = await h.run(['setup', '--yes', '--json', '--provider', 'reference', ...BOT_WORKER, ...FAST]);
      assert.equal(r.code, 0, r.stderr);
      const rep = r.json as unknown as Report;
      assert.deepEqual(
        rep.services.map((s) => [s.name, s.status]),
        [
          ['bot', 'healthy'],
          ['worker', 'healthy'],
        ],
      );
      // The shared value changed once; the services kept their reference.
      assert.deepEqual(h.fake.rawVariables(null).REDIS_URL, '${{Redis.REDIS_URL}}');
      for (const s of ['bot', 'worker']) assert.equal(h.rawVariable(s), SHARED_REF);
      const changes = changesOf(railwayChanges(h.fake, r.calls));
      assert.deepEqual(
        changes.filter((c) => c.startsWith('set')),
        ['set-shared'],
      );
      assert.deepEqual(changes.filter((c) => c.startsWith('redeploy')).sort(), ['redeploy bot', 'redeploy worker']);
      assert.ok(
        !h.fake.graphqlRequests().some((g) => JSON.stringify(g.variables).includes('"replace":true')),
        'replace: true wipes every other variable',
      );
      assert.match(r.stderr, /Shared +REDIS_URL \(the environment's shared variable\)/);

      const back = await h.run(['restore', '--yes', '--json', ...FAST]);
      assert.ok(back.code === 4, 'the old shared value was stale, so the services (correctly) fail again');
      assert.equal(h.fake.rawVariables(null).REDIS_URL, h.staleUrl, 'the old shared value is back, byte for byte');
      for (const s of ['bot', 'worker']) assert.equal(h.rawVariable(s), SHARED_REF, `${s} keeps its reference`);
      const restored = changesOf(railwayChanges(h.fake, back.calls));
      assert.ok(
        restored.includes('set-shared') && restored.includes('redeploy bot') && restored.includes('redeploy worker'),
        restored.join(', '),
      );
    },
  );

  test('--provider railway leaves a service that references the Redis service on its reference', async (t) => {
    const h = await scene(t);
    h.fake.setVariable('bot', 'REDIS_URL', '${{Redis.REDIS_URL}}');
    await h.deployAll();
    const r = await h.run(['setup', '--yes', '--json', '--provider', 'railway', ...BOT_WORKER, ...FAST]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      h.rawVariable('bot'),
      '${{Redis.REDIS_URL}}',
      'a reference follows every rotation; a literal would not',
    );
    assert.equal(h.rawVariable('worker'), h.publicUrl);
    assert.match(r.stderr, /bot +\(bot\) +already this value · keeps \$\{\{Redis\.REDIS_URL\}\}/);
  });

  test('doctor on a sealed REDIS_URL gives a verdict from the logs, not a crash', async (t) => {
    const h = await scene(t, { services: { bot: 'bot' } });
    h.fake.setVariable('bot', 'REDIS_URL', '${{Redis.REDIS_URL}}');
    h.fake.sealVariable('bot', 'REDIS_URL');
    await h.deployAll();
    await h.fake.waitForLog(h.oldDeployments.bot!.id, 'Redis connected successfully');
    const r = await h.run(['doctor', '--json', '--dotenv', 'missing.env']);
    const body = r.json as {
      environments: {
        services: { service: string; findings: { verdict: string; severity: string; detail: string }[] }[];
      }[];
    };
    const bot = body.environments[0]!.services.find((s) => s.service === 'bot')!;
    assert.equal(bot.findings[0]!.verdict, 'sealed');
    assert.equal(bot.findings[0]!.severity, 'ok');
    assert.match(
      bot.findings[0]!.detail,
      /sealed: its value cannot be read, so it is judged from its logs, which show it connected/,
    );
  });

  test('doctor on a project split between two Redis servers exits 1 and names the split', async (t) => {
    const h = await scene(t);
    const other = await startRedis(['--requirepass', 'OtherServerPw4Tn6Qz']);
    t.after(() => other.stop());
    h.fake.setVariable('bot', 'REDIS_URL', '${{Redis.REDIS_URL}}');
    h.fake.setVariable('worker', 'REDIS_URL', `redis://default:OtherServerPw4Tn6Qz@127.0.0.1:${other.port}`);
    await h.deployAll();
    const r = await h.run(['doctor', '--json', '--dotenv', 'missing.env']);
    assert.equal(r.code, 1, r.stderr);
    const body = r.json as { environments: { split?: { verdict: string; detail: string; fix: string } }[] };
    const split = body.environments[0]!.split;
    assert.equal(split?.verdict, 'split');
    assert.match(split!.detail, /bot → the Redis service; worker → 127\.0\.0\.1:\d+/);
    assert.match(split!.fix, /--provider reference --services bot,worker/);
    const human = await h.run(['doctor', '--dotenv', 'missing.env']);
    assert.match(human.stdout, /jobs the bot enqueues on one are never consumed from the other/);
  });

  test('doctor on a healthy project whose web service never used Redis exits 0', async (t) => {
    const h = await scene(t, { web: true });
    for (const s of ['bot', 'worker']) h.fake.setVariable(s, 'REDIS_URL', '${{Redis.REDIS_URL}}');
    h.fake.update((s) => {
      for (const env of Object.values(s.variables)) {
        const web = s.services.find((x) => x.name === 'web')!;
        if (env[web.id]) delete env[web.id]!.REDIS_URL;
      }
      s.services.find((x) => x.name === 'web')!.app = 'silent';
    });
    await h.deployAll();
    await h.fake.waitForLog(h.oldDeployments.bot!.id, 'Redis connected successfully');
    await h.fake.waitForLog(h.oldDeployments.worker!.id, 'Worker process is ready for action.');
    const envText = `REDIS_URL=${h.publicUrl}\n`;
    const { writeFileSync } = await import('node:fs');
    writeFileSync(h.envPath, envText);
    const r = await h.run(['doctor', '--json']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const body = r.json as { environments: { services: { service: string; findings: { verdict: string }[] }[] }[] };
    const web = body.environments[0]!.services.find((s) => s.service === 'web')!;
    assert.deepEqual(
      web.findings.map((f) => f.verdict),
      ['no-redis'],
    );
  });

  test(
    'an old CLI (no redeploy -e) refuses --environment staging when staging is not linked, ' +
      'with the upgrade command',
    async (t) => {
      const h = await scene(t, { cliVersion: '4.50.0', fake: { environments: ['production', 'staging'] } });
      await h.deployAll();
      const r = await h.run([
        'setup',
        '--yes',
        '--provider',
        'railway',
        '--environment',
        'staging',
        ...BOT_WORKER,
        ...FAST,
      ]);
      assert.equal(r.code, 3, r.stdout + r.stderr);
      assert.match(
        r.stderr,
        /cannot redeploy in staging: `redeploy -e` needs 4\.57\.4, and this folder is linked to production/,
      );
      assert.match(r.stderr, /npm i -g @railway\/cli@latest/);
      assert.deepEqual(h.changingCalls(r.calls), [], 'nothing was changed');
    },
  );
});
