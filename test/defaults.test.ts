// The default path, as a person takes it: the built binary in a real pseudo-terminal, against the
// fake railway CLI (real deployed apps) and real redis-server processes.
import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import { KEYS, type PtyRun, spawnPty } from './helpers/pty.ts';
import { startRedis } from './helpers/redis.ts';
import { type SetupHarness, type SetupHarnessOptions, sceneFor } from './helpers/setup-harness.ts';

const { ENTER, CTRL_C } = KEYS;

const scene = (t: TestContext, opts: SetupHarnessOptions = {}) => sceneFor(t, { deployOld: false, ...opts });

/** Killed, tree and all, when its own test ends (tests run side by side). */
function wizard(t: TestContext, h: SetupHarness, args: string[]): PtyRun {
  const w = spawnPty(args, { cwd: h.cwd, env: h.env });
  t.after(() => w.dispose());
  return w;
}

/** The worker reads another variable that holds the old, rotated-away URL: it fails whatever REDIS_URL says. */
function pinWorker(h: SetupHarness, url: string): void {
  h.fake.setVariable('worker', 'REDIS_URL_VAR', 'PINNED_REDIS_URL');
  h.fake.setVariable('worker', 'PINNED_REDIS_URL', url);
}

const noSecretOnScreen = (h: SetupHarness, w: PtyRun) => {
  for (const s of h.secrets) assert.ok(!w.screen().includes(s), 'a password was shown on screen');
};

/** Bot and worker reference the Railway Redis; setup switches them to another server, where the worker fails. */
async function providerSwitch(t: TestContext, extra: string[]) {
  const h = await scene(t);
  for (const name of ['bot', 'worker']) h.fake.setVariable(name, 'REDIS_URL', '${{Redis.REDIS_URL}}');
  const other = await startRedis(['--requirepass', 'SwitchTargetPw8Kd2Lq']);
  t.after(() => other.stop());
  pinWorker(h, 'redis://default:NotTheRightPw9@redis.railway.internal:6379');
  await h.deployAll();
  const target = `redis://default:SwitchTargetPw8Kd2Lq@127.0.0.1:${other.port}`;
  const roles = ['--services', 'bot,worker', '--roles', 'bot=bot,worker=worker'];
  const w = wizard(t, h, [
    '--provider',
    'url',
    '--url',
    target,
    ...roles,
    '--settle',
    '1',
    '--timeout',
    '20',
    ...extra,
  ]);
  await w.waitFor('Apply these changes?');
  return { h, w, target };
}

describe('the default path (pty)', { concurrency: 2 }, () => {
  test('Enter at every prompt in the runbook state: bot and worker fixed, web untouched, no ' +
    'rollback question, exit 0', {
    timeout: 90_000,
  }, async (t) => {
    const h = await scene(t, { services: { bot: 'bot', worker: 'worker', web: 'silent' } });
    h.fake.update((s) => {
      const web = s.services.find((x) => x.name === 'web')!;
      for (const env of Object.values(s.variables)) if (env[web.id]) delete env[web.id]!.REDIS_URL;
    });
    await h.deployAll();
    const started = Date.now();
    const w = wizard(t, h, ['--settle', '1']);
    await w.waitFor('Services that use Redis now');
    assert.match(w.screen(), /✖ bot +stale password/);
    assert.match(w.screen(), /✖ worker +stale password/);
    await w.waitFor('Where should the Redis URL come from?');
    w.press(ENTER);
    await w.waitFor('Which services should use this Redis?');
    assert.match(w.screen(), /web.*no REDIS_URL, no Redis lines in its logs/);
    w.press(ENTER);
    for (const name of ['bot', 'worker']) {
      await w.waitFor(`What does ${name} run?`);
      w.press(ENTER);
    }
    await w.waitFor('Apply these changes?');
    assert.match(w.screen(), /stale password →/);
    w.press(ENTER);
    assert.equal(await w.exitCode(60_000), 0, w.screen());
    assert.ok(Date.now() - started < 60_000, 'well under a minute');
    assert.match(w.screen(), /Every service is proven healthy\./);
    assert.doesNotMatch(w.screen(), /Roll back\?/);
    for (const name of ['bot', 'worker']) assert.equal(h.rawVariable(name), h.publicUrl);
    assert.equal(h.rawVariable('web'), undefined, 'web never used Redis: nothing is set on it');
    assert.equal(h.newDeployments('web').length, 0, 'web is not redeployed');
    noSecretOnScreen(h, w);
  });

  test('the worker pinned to an old value, --on-failure rollback: the healthy bot keeps the new ' +
    'value, no dead value goes back', {
    timeout: 90_000,
  }, async (t) => {
    const h = await scene(t);
    pinWorker(h, h.staleUrl);
    await h.deployAll();
    const w = wizard(t, h, [
      '--provider',
      'railway',
      '--services',
      'bot,worker',
      '--roles',
      'bot=bot,worker=worker',
      '--on-failure',
      'rollback',
      '--settle',
      '1',
      '--timeout',
      '20',
    ]);
    await w.waitFor('Apply these changes?');
    w.press(ENTER);
    assert.equal(await w.exitCode(60_000), 4, w.screen());
    const screen = w.screen();
    assert.match(screen, /Nothing is rolled back: no previous value would work better/);
    assert.ok(
      screen.includes(
        'worker: keeps the new value (its previous value is rejected (an old password of the ' +
          'Redis service): putting it back would only restore the outage)',
      ),
      screen,
    );
    assert.match(screen, /bot: keeps the new value \(it is healthy on the new value\)/);
    assert.doesNotMatch(screen, /Roll back\?/, 'nothing to ask: no answer could make things better');
    for (const name of ['bot', 'worker']) assert.equal(h.rawVariable(name), h.publicUrl, name);
    noSecretOnScreen(h, w);
  });

  test('a provider switch where one service fails: the question says what each answer does; Yes ' +
    'puts every service back on one server', {
    timeout: 120_000,
  }, async (t) => {
    const { h, w } = await providerSwitch(t, []);
    w.press(ENTER);
    await w.waitFor('Roll back?', 60_000);
    assert.match(w.screen(), /Yes: bot: back to its previous value/);
    assert.match(w.screen(), /worker: back to its previous value/);
    assert.match(w.screen(), /No: +every service keeps the new value/);
    w.press(ENTER);
    await w.exitCode(60_000);
    for (const name of ['bot', 'worker'])
      assert.equal(h.rawVariable(name), '${{Redis.REDIS_URL}}', `${name} ends on the old server`);
    assert.match(w.screen(), /Rolled back/);
    noSecretOnScreen(h, w);
  });

  test('--on-failure keep answers the rollback question in advance, on a terminal too', {
    timeout: 120_000,
  }, async (t) => {
    const { h, w, target } = await providerSwitch(t, ['--on-failure', 'keep']);
    w.press(ENTER);
    assert.equal(await w.exitCode(60_000), 4, w.screen());
    assert.doesNotMatch(w.screen(), /Roll back\?/);
    assert.match(w.screen(), /Kept the new values/);
    for (const name of ['bot', 'worker']) assert.equal(h.rawVariable(name), target, `${name} keeps the new URL`);
  });

  test('Ctrl-C while watching exits 130 and lists every change: .env, each variable, each deployment', {
    timeout: 90_000,
  }, async (t) => {
    const h = await scene(t, { services: { bot: 'silent', worker: 'silent' } });
    await h.deployAll();
    const w = wizard(t, h, [
      '--yes',
      '--provider',
      'railway',
      '--services',
      'bot,worker',
      '--roles',
      'bot=bot,worker=worker',
      '--timeout',
      '60',
    ]);
    await w.waitFor(/bot +waiting for lines/, 30_000);
    await w.waitFor(/worker +waiting for lines/, 30_000);
    w.press(CTRL_C);
    assert.equal(await w.exitCode(10_000), 130);
    const screen = w.screen();
    assert.match(screen, /Stopped watching \(Ctrl-C\)\. What was changed:/);
    assert.ok(screen.includes(`.env: ${h.envPath} (REDIS_URL)`), screen);
    for (const name of ['bot', 'worker']) {
      const id = h.newDeployments(name)[0]!.id;
      assert.ok(
        screen.includes(`${name}: REDIS_URL set; redeploying (deployment ${id})`),
        `${name} missing from:\n${screen}`,
      );
    }
    assert.match(screen, /Check them: npx redis-setup doctor · undo: npx redis-setup restore/);
  });
});
