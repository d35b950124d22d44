// The wizard as a person uses it: the built binary in a real pseudo-terminal, keys typed at
// its prompts, against the fake railway CLI and real redis-server processes.
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createFakeRailway, type FakeRailway } from './helpers/fake-railway.ts';
import { startRedis, type RedisHandle } from './helpers/redis.ts';
import { KEYS, spawnPty, type PtyRun } from './helpers/pty.ts';

const NEW_PW = 'Rotated-Password-0123456789';
const OLD_PW = 'Stale-Password-9876543210';
const STALE_URL = `redis://default:${OLD_PW}@redis.railway.internal:6379`;
const ENV_TEXT = '# local settings\nDEBUG=1\nREDIS_URL=redis://old.example:6379\n';

let redis: RedisHandle;
before(async () => {
  redis = await startRedis(['--requirepass', NEW_PW]);
});
after(async () => {
  await redis.stop();
});

async function project(): Promise<{ fake: FakeRailway; cwd: string }> {
  const fake = await createFakeRailway({
    redis: { password: NEW_PW, port: redis.port },
    services: [
      { name: 'bot', app: 'bot', variables: { REDIS_URL: STALE_URL } },
      { name: 'worker', app: 'worker', variables: { REDIS_URL: STALE_URL } },
    ],
    timing: { buildMs: 100, successAfterMs: 200, workerRestartDelayMs: 500 },
  });
  await fake.deploy('bot', { wait: true });
  await fake.deploy('worker', { wait: true });
  const cwd = mkdtempSync(path.join(tmpdir(), 'wizard-'));
  writeFileSync(path.join(cwd, '.env'), ENV_TEXT);
  return { fake, cwd };
}

function wizard(fake: FakeRailway, cwd: string, args: string[] = []) {
  const w = spawnPty(args, { cwd, env: fake.env });
  running.add(w);
  return w;
}

// Whatever a failed test leaves behind is killed, tree and all.
const running = new Set<PtyRun>();
afterEach(() => {
  for (const w of running) w.dispose();
  running.clear();
});

const { ENTER, DOWN, CTRL_C } = KEYS;

const setCalls = (fake: FakeRailway) =>
  fake.calls().filter((c) => c.argv.includes('set') || c.argv.includes('--set-from-stdin'));

test('interactive rotation: pick Railway, keep the defaults, confirm → every service proven healthy', {
  timeout: 90_000,
}, async () => {
  const { fake, cwd } = await project();
  try {
    const w = wizard(fake, cwd, ['--settle', '1', '--timeout', '30']);
    await w.waitFor('Where should the Redis URL come from?');
    w.press(ENTER); // Railway Redis (public URL): nothing to paste
    await w.waitFor('Which services should use this Redis?');
    w.press(ENTER);
    await w.waitFor('What does bot run?');
    w.press(ENTER); // guessed: bot
    await w.waitFor('What does worker run?');
    w.press(ENTER); // guessed: worker
    await w.waitFor('Apply these changes?');
    w.press(ENTER);
    await w.waitFor('Every service is proven healthy.', 40_000);
    assert.equal(await w.exitCode(), 0);
    const screen = w.screen();
    assert.match(screen, /bot\s+bot\s+healthy in/);
    assert.match(screen, /worker\s+worker\s+healthy in/);
    for (const secret of [NEW_PW, OLD_PW]) assert.ok(!screen.includes(secret), 'a password was shown on screen');
    assert.match(
      readFileSync(path.join(cwd, '.env'), 'utf8'),
      /^# local settings\nDEBUG=1\nREDIS_URL=redis:\/\/default:/,
    );
    for (const c of fake.calls())
      for (const a of c.argv)
        assert.ok(!a.includes(NEW_PW) && !a.includes(OLD_PW), `secret in argv: ${c.argv.join(' ')}`);
  } finally {
    await fake.cleanup();
  }
});

test('Ctrl-C at the confirmation exits 130 and writes nothing anywhere', { timeout: 90_000 }, async () => {
  const { fake, cwd } = await project();
  try {
    const w = wizard(fake, cwd, [
      '--provider',
      'railway',
      '--services',
      'bot,worker',
      '--roles',
      'bot=bot,worker=worker',
    ]);
    await w.waitFor('Apply these changes?');
    w.press(CTRL_C);
    assert.equal(await w.exitCode(), 130, w.screen());
    assert.match(w.screen(), /Cancelled\. Nothing was changed\./);
    assert.equal(readFileSync(path.join(cwd, '.env'), 'utf8'), ENV_TEXT);
    assert.equal(existsSync(path.join(cwd, '.redis-setup')), false);
    assert.equal(existsSync(path.join(cwd, 'redis-setup.json')), false);
    assert.deepEqual(setCalls(fake), []);
    assert.equal(
      fake.calls().some((c) => c.argv[0] === 'redeploy'),
      false,
    );
  } finally {
    await fake.cleanup();
  }
});

test('a pasted URL that fails its check is explained and asked again; the input stays hidden', {
  timeout: 90_000,
}, async () => {
  const { fake, cwd } = await project();
  try {
    const w = wizard(fake, cwd, ['--services', 'bot', '--roles', 'bot=bot']);
    await w.waitFor('Where should the Redis URL come from?');
    w.press(DOWN + DOWN + ENTER); // Another Redis URL
    await w.waitFor('Paste the Redis URL');
    w.press(`redis://default:${OLD_PW}@127.0.0.1:${redis.port}${ENTER}`);
    await w.waitFor('it rejected this password; it was probably rotated');
    await w.waitFor(/Paste the Redis URL[\s\S]*Paste the Redis URL/);
    w.press(`redis://default:${NEW_PW}@127.0.0.1:${redis.port}${ENTER}`);
    await w.waitFor('Apply these changes?');
    w.press(CTRL_C);
    assert.equal(await w.exitCode(), 130);
    const screen = w.screen();
    for (const secret of [NEW_PW, OLD_PW]) assert.ok(!screen.includes(secret), 'a password was echoed on screen');
    assert.equal(readFileSync(path.join(cwd, '.env'), 'utf8'), ENV_TEXT);
  } finally {
    await fake.cleanup();
  }
});

test('Ctrl-C while watching the logs exits 130, says what is true now, and leaves no log stream running', {
  timeout: 60_000,
}, async () => {
  const { fake, cwd } = await project();
  try {
    fake.update((s) => {
      s.services.find((x) => x.name === 'bot')!.app = 'silent';
    }); // never healthy
    const w = wizard(fake, cwd, [
      '--yes',
      '--provider',
      'railway',
      '--services',
      'bot',
      '--roles',
      'bot=bot',
      '--timeout',
      '60',
    ]);
    await w.waitFor('watching their new deployments');
    const streams = async () => fake.calls().filter((c) => c.argv[0] === 'logs' && c.stdoutIsTTY);
    const t0 = Date.now();
    while ((await streams()).length === 0 && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 50));
    w.press(CTRL_C);
    assert.equal(await w.exitCode(), 130);
    assert.match(w.screen(), /Stopped watching \(Ctrl-C\)/);
    assert.match(w.screen(), /npx redis-setup restore/);
    // A killed process may linger as a zombie until PID 1 reaps it: only a live one counts.
    const stream = (await streams())[0]!;
    const alive = () => {
      try {
        const stat = readFileSync(`/proc/${stream.pid}/stat`, 'utf8');
        return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
      } catch {
        return false;
      }
    };
    const t1 = Date.now();
    while (alive() && Date.now() - t1 < 3000) await new Promise((r) => setTimeout(r, 50));
    assert.equal(alive(), false, 'the railway logs stream outlived redis-setup');
  } finally {
    await fake.cleanup();
  }
});

test('Ctrl-C at the first prompt exits 130 without touching Railway', { timeout: 90_000 }, async () => {
  const { fake, cwd } = await project();
  try {
    const w = wizard(fake, cwd);
    await w.waitFor('Where should the Redis URL come from?');
    w.press(CTRL_C);
    assert.equal(await w.exitCode(), 130);
    assert.deepEqual(setCalls(fake), []);
  } finally {
    await fake.cleanup();
  }
});
