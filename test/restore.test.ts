// `redis-setup restore` on the BUILT binary, against the fake railway CLI (real deployed apps) and
// a
// real redis-server: every previous raw value and .env back byte for byte, redeployed and watched,
// undoable by a second restore, secrets-safe storage, and the refusals.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createFakeRailway, type Call, type FakeRailway } from './helpers/fake-railway.ts';
import { startRedis, type RedisHandle } from './helpers/redis.ts';
import { assertNoSecret, runCli } from './helpers/cli.ts';
import { describe, railwayChanges } from './helpers/railway-changes.ts';

const PW = 'RestoreCurrentPassword0123';
const OLD_PW = 'Old/Pass+word#2024@xyz';
const SECRETS = [PW, OLD_PW];
const enc = encodeURIComponent;
const STALE = `redis://default:${enc(OLD_PW)}@redis.railway.internal:6379/0`;
// CRLF, comments, export, quotes, no newline at the end: all of it must come back byte for byte.
const ENV_TEXT =
  `# app settings\r\nexport ` +
  `DEBUG="1"\r\n\r\nREDIS_URL='redis://default:${enc(OLD_PW)}@old.example:6379' # ` +
  `cache\r\nTAIL=end`;

let redis: RedisHandle;
const fakes: FakeRailway[] = [];
const dirs: string[] = [];
before(async () => {
  redis = await startRedis(['--requirepass', PW]);
});
after(async () => {
  await Promise.all(fakes.map((f) => f.cleanup()));
  await redis?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  calls: Call[];
}
interface Outcome {
  name: string;
  status: string;
  deploymentId: string | null;
  evidence: string[];
  diagnosis?: { code: string };
}
interface RestoreJson {
  ok: boolean;
  code: string;
  env: { path: string | null; changed: boolean };
  services: Outcome[];
  railwayCalls: number;
}

type Apps = Record<string, { app: 'bot' | 'worker' | 'web'; value?: string }>;

/** envText null: no .env at all. */
async function project(apps: Apps, envText: string | null = ENV_TEXT) {
  const fake = await createFakeRailway({
    redis: { password: PW, port: redis.port },
    services: Object.entries(apps).map(([name, a]) => ({
      name,
      app: a.app,
      ...(a.value !== undefined ? { variables: { REDIS_URL: a.value } } : {}),
    })),
    timing: { buildMs: 50, successAfterMs: 150, appTickMs: 200, workerRestartDelayMs: 300 },
  });
  fakes.push(fake);
  await Promise.all(Object.keys(apps).map((s) => fake.deploy(s, { wait: true })));
  const cwd = mkdtempSync(path.join(tmpdir(), 'restore-'));
  dirs.push(cwd);
  const envFile = path.join(cwd, '.env');
  if (envText !== null) writeFileSync(envFile, envText);

  const run = async (args: string[], input?: string): Promise<Run> => {
    const before = fake.calls().length;
    const r = await runCli(args, {
      cwd,
      env: { ...fake.env, CI: 'true', NO_COLOR: '1' },
      exactEnv: true,
      timeoutMs: 40_000,
      ...(input !== undefined ? { input } : {}),
    });
    const calls = fake.calls().slice(before);
    // Every run: no secret on screen, in --json, or in any argv the fake recorded.
    assertNoSecret({ ...r, calls }, ...SECRETS);
    return { code: r.code, stdout: r.stdout, stderr: r.stderr, calls };
  };
  /** The RAW stored value (what `railway variable list` would render is not enough). */
  const raw = (service: string): string | undefined => {
    const s = fake.state();
    const svc = s.services.find((x) => x.name === service)!;
    return s.variables[s.environments[0]!.id]![svc.id]?.REDIS_URL;
  };
  const ids = (service: string) => fake.deployments(service).map((d) => d.id);
  const envBytes = () => (existsSync(envFile) ? readFileSync(envFile, 'utf8') : undefined);
  return { fake, cwd, run, raw, ids, envBytes, envFile, names: Object.keys(apps) };
}

const argvs = (r: Run) => r.calls.map((c) => c.argv.join(' '));
const writes = (r: Run) =>
  argvs(r).filter((a) => /^(variable (set|delete)|variables --set|redeploy|restart|api mutation)\b/.test(a));

function parse(r: Run): RestoreJson {
  try {
    return JSON.parse(r.stdout) as RestoreJson;
  } catch {
    throw new Error(`stdout is not one JSON object:\n${r.stdout}\nstderr:\n${r.stderr}`);
  }
}

test(
  'restore after a successful rotation: raw values and .env back byte for byte, redeployed, ' +
    'exit 4 (the old value was stale); restore again returns to the rotated values',
  async () => {
    // Current password on the private host: works, but not what `--provider railway` sets.
    const OK_LITERAL = `redis://default:${PW}@redis.railway.internal:6379`;
    const p = await project({
      bot: { app: 'bot', value: STALE },
      worker: { app: 'worker', value: OK_LITERAL },
      web: { app: 'web' }, // no variable at all before the rotation
    });
    const before = { bot: p.raw('bot'), worker: p.raw('worker'), web: p.raw('web') };
    assert.deepEqual(before, { bot: STALE, worker: OK_LITERAL, web: undefined });

    // A permissive umask must not loosen the saved file.
    const umask = process.umask(0);
    let setup: Run;
    try {
      setup = await p.run([
        'setup',
        '--yes',
        '--provider',
        'railway',
        '--services',
        'bot,worker,web',
        '--roles',
        'bot=bot,worker=worker,web=web',
        '--settle',
        '1',
        '--timeout',
        '20',
      ]);
    } finally {
      process.umask(umask);
    }
    assert.equal(setup.code, 0, setup.stdout + setup.stderr);
    const rotated = { bot: p.raw('bot'), worker: p.raw('worker'), web: p.raw('web') };
    const rotatedEnv = p.envBytes();
    assert.ok(rotated.bot && rotated.bot !== STALE && rotated.worker === rotated.bot && rotated.web === rotated.bot);
    assert.notEqual(rotatedEnv, ENV_TEXT);

    // The saved previous values: 0600 in a 0700 folder that git-ignores itself.
    const saved = path.join(p.cwd, '.redis-setup', 'last-change.json');
    const savedDir = path.dirname(saved);
    const checkStorage = () => {
      assert.equal(statSync(saved).mode & 0o777, 0o600);
      assert.equal(statSync(savedDir).mode & 0o777, 0o700);
      assert.equal(readFileSync(path.join(savedDir, '.gitignore'), 'utf8'), '*\n');
    };
    checkStorage();

    // Without --yes and without a terminal: exit 2, and nothing is touched.
    const refused = await p.run(['restore']);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /--yes/);
    assert.deepEqual(writes(refused), []);
    assert.deepEqual({ bot: p.raw('bot'), worker: p.raw('worker'), web: p.raw('web') }, rotated);

    const idsBefore = new Set(p.names.flatMap(p.ids));
    const r = await p.run(['restore', '--yes', '--json', '--settle', '1', '--timeout', '15']);
    // Documented: restore puts back what was there, then watches; the bot's old value was stale and
    // the web service had none, so they are (correctly) not healthy: exit 4.
    assert.equal(r.code, 4, r.stdout + r.stderr);
    assert.equal(p.raw('bot'), STALE);
    assert.equal(p.raw('worker'), OK_LITERAL);
    assert.equal(p.raw('web'), undefined, 'a variable that was not set before is deleted');
    assert.equal(p.envBytes(), ENV_TEXT);

    // Values through stdin (one api request); the deleted variable deploys by itself, so only the
    // others are
    // redeployed.
    const changes = describe(railwayChanges(p.fake, r.calls));
    for (const c of ['set bot', 'set worker', 'delete web', 'redeploy bot', 'redeploy worker'])
      assert.ok(changes.includes(c), changes.join('\n'));
    assert.ok(!changes.includes('redeploy web'), changes.join('\n'));
    assert.ok(!writes(r).some((a) => a.startsWith('restart')));
    for (const c of r.calls.filter((x) => x.argv[0] === 'api' && x.argv[1]!.startsWith('mutation')))
      assert.equal(c.hadStdin, true);

    const body = parse(r);
    assert.equal(body.ok, false);
    assert.equal(body.code, 'unhealthy');
    assert.equal(body.env.changed, true);
    const outcome = (name: string) => body.services.find((s) => s.name === name)!;
    assert.deepEqual(body.services.map((s) => s.name).sort(), ['bot', 'web', 'worker']);
    for (const name of p.names) {
      const id = outcome(name).deploymentId;
      assert.ok(id && !idsBefore.has(id) && p.ids(name).includes(id), `${name}: watched ${id}, not a new deployment`);
    }
    assert.equal(outcome('worker').status, 'healthy');
    assert.equal(outcome('bot').status, 'failed');
    assert.equal(outcome('bot').diagnosis?.code, 'wrong-password');
    assert.ok(outcome('bot').evidence.some((l) => l.includes('invalid username-password pair')));
    assert.equal(outcome('web').status, 'failed');
    checkStorage();

    // restore again = undo the restore: back to the rotated values, all healthy.
    const again = await p.run(['restore', '--yes', '--settle', '1', '--timeout', '15']);
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.deepEqual({ bot: p.raw('bot'), worker: p.raw('worker'), web: p.raw('web') }, rotated);
    assert.equal(p.envBytes(), rotatedEnv);
    assert.match(again.stdout, /Restored\./);
    checkStorage();
  },
);

test(
  'restore after a FAILED rotation (exit 4, --on-failure keep) brings every value back byte ' +
    'for byte, and the services are healthy again',
  async () => {
    const BOT = `redis://default:${PW}@redis.railway.internal:6379`;
    const WORKER = `redis://default:${enc(PW)}@redis.railway.internal:6379/0?family=0`;
    const p = await project({ bot: { app: 'bot', value: BOT }, worker: { app: 'worker', value: WORKER } });
    // The Redis service's own REDIS_URL carries an old password (its public URL is current): the live
    // check passes, but the reference hands every service the wrong password.
    p.fake.setVariable('Redis', 'REDIS_URL', STALE);
    const setup = await p.run([
      'setup',
      '--yes',
      '--json',
      '--provider',
      'reference',
      '--services',
      'bot,worker',
      '--roles',
      'bot=bot,worker=worker',
      '--on-failure',
      'keep',
      '--settle',
      '2',
      '--timeout',
      '15',
    ]);
    assert.equal(setup.code, 4, setup.stdout + setup.stderr);
    const report = JSON.parse(setup.stdout) as { rolledBack?: boolean; fix: string };
    assert.equal(report.rolledBack, undefined);
    assert.match(report.fix, /npx redis-setup restore/);
    assert.equal(p.raw('bot'), '${{Redis.REDIS_URL}}');
    assert.equal(p.raw('worker'), '${{Redis.REDIS_URL}}');
    assert.notEqual(p.envBytes(), ENV_TEXT);

    const idsBefore = new Set(p.names.flatMap(p.ids));
    const r = await p.run(['restore', '--yes', '--json', '--settle', '1', '--timeout', '15']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(p.raw('bot'), BOT);
    assert.equal(p.raw('worker'), WORKER);
    assert.equal(p.envBytes(), ENV_TEXT);
    const body = parse(r);
    assert.equal(body.ok, true);
    assert.equal(body.code, 'ok');
    for (const s of body.services) {
      assert.equal(s.status, 'healthy', `${s.name}: ${s.status}`);
      assert.ok(s.deploymentId && !idsBefore.has(s.deploymentId), `${s.name} watched an old deployment`);
    }
  },
);

test(
  'restore with nothing saved exits 1 with a clear message and touches nothing; a damaged save ' +
    'is refused without quoting it',
  async () => {
    const p = await project({ bot: { app: 'bot', value: STALE } });
    const none = await p.run(['restore', '--yes']);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /Nothing to restore: no saved change in \S*\.redis-setup\/last-change\.json/);
    assert.deepEqual(none.calls, [], 'no railway call at all');
    assert.equal(p.envBytes(), ENV_TEXT);
    assert.equal(existsSync(path.join(p.cwd, '.redis-setup')), false);

    const json = await p.run(['restore', '--yes', '--json']);
    assert.equal(json.code, 1);
    assert.match(json.stdout + json.stderr, /nothing-to-restore|Nothing to restore/);

    mkdirSync(path.join(p.cwd, '.redis-setup'), { mode: 0o700 });
    writeFileSync(
      path.join(p.cwd, '.redis-setup', 'last-change.json'),
      JSON.stringify({ version: 2, services: [{ previousValue: `redis://default:${PW}@x:1` }] }),
      { mode: 0o600 },
    );
    const bad = await p.run(['restore', '--yes']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /is not a redis-setup backup/);
    assert.deepEqual(writes(bad), []);
    assert.equal(p.raw('bot'), STALE);
  },
);

test('restore leaves alone a service the rotation left unchanged: its reference stays a reference', async () => {
  const p = await project({
    bot: { app: 'bot', value: '${{Redis.REDIS_PUBLIC_URL}}' },
    worker: { app: 'worker', value: STALE },
  });
  const setup = await p.run([
    'setup',
    '--yes',
    '--provider',
    'railway',
    '--services',
    'bot,worker',
    '--roles',
    'bot=bot,worker=worker',
    '--no-redeploy',
  ]);
  assert.equal(setup.code, 0, setup.stdout + setup.stderr);
  assert.equal(p.raw('bot'), '${{Redis.REDIS_PUBLIC_URL}}', 'setup saw the bot already had this value');
  assert.notEqual(p.raw('worker'), STALE);
  const r = await p.run(['restore', '--yes', '--no-redeploy']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(p.raw('bot'), '${{Redis.REDIS_PUBLIC_URL}}');
  assert.equal(p.raw('worker'), STALE);
  assert.equal(p.envBytes(), ENV_TEXT);
  assert.ok(!writes(r).some((a) => a.includes('-s bot')), writes(r).join('\n'));
  assert.match(r.stdout, /bot\s+REDIS_URL ← already this value/);
});

test(
  'a .env the change created is deleted by restore, and comes back with a second restore; one ' +
    'edited since only loses the line',
  async () => {
    const p = await project({ bot: { app: 'bot', value: STALE } }, null);
    const setupArgs = [
      'setup',
      '--yes',
      '--provider',
      'railway',
      '--services',
      'bot',
      '--roles',
      'bot=bot',
      '--no-redeploy',
    ];
    assert.equal((await p.run(setupArgs)).code, 0);
    const created = p.envBytes();
    assert.match(created ?? '', /^# Created by redis-setup[\s\S]*^REDIS_URL=redis:\/\/default:/m);
    assert.equal((await p.run(['restore', '--yes', '--no-redeploy'])).code, 0);
    assert.equal(existsSync(p.envFile), false, 'the file did not exist before the change');
    assert.equal(p.raw('bot'), STALE);
    assert.equal((await p.run(['restore', '--yes', '--no-redeploy'])).code, 0);
    assert.equal(p.envBytes(), created);

    // Created by a change, then edited by hand: only the variable goes, the user's line stays.
    rmSync(p.envFile);
    rmSync(path.join(p.cwd, '.redis-setup'), { recursive: true });
    assert.equal((await p.run(setupArgs)).code, 0);
    writeFileSync(p.envFile, `${p.envBytes()}MINE=1\n`);
    assert.equal((await p.run(['restore', '--yes', '--no-redeploy'])).code, 0);
    assert.ok(existsSync(p.envFile));
    assert.match(p.envBytes()!, /^MINE=1$/m);
    assert.doesNotMatch(p.envBytes()!, /REDIS_URL/);
  },
);

test('a change across two environments is restored in each, from one saved file', async () => {
  const fake = await createFakeRailway({
    environments: ['production', 'staging'],
    redis: { password: PW, port: redis.port },
    services: [{ name: 'bot', app: 'bot', variables: { REDIS_URL: STALE } }],
  });
  fakes.push(fake);
  const STAGING = `redis://default:${enc(OLD_PW)}@redis.railway.internal:6379/2`;
  fake.setVariable('bot', 'REDIS_URL', STAGING, 'staging');
  const cwd = mkdtempSync(path.join(tmpdir(), 'restore-envs-'));
  dirs.push(cwd);
  writeFileSync(path.join(cwd, '.env'), ENV_TEXT);
  const rawIn = (environment: string) => {
    const s = fake.state();
    return s.variables[s.environments.find((e) => e.name === environment)!.id]![
      s.services.find((x) => x.name === 'bot')!.id
    ]?.REDIS_URL;
  };
  const run = async (args: string[]) =>
    (await runCli(args, { cwd, env: { ...fake.env, CI: 'true' }, exactEnv: true, timeoutMs: 60_000 })).code;
  assert.equal(
    await run([
      'setup',
      '--yes',
      '--provider',
      'railway',
      '--environment',
      'production,staging',
      '--services',
      'bot',
      '--roles',
      'bot=bot',
      '--no-redeploy',
    ]),
    0,
  );
  assert.notEqual(rawIn('production'), STALE);
  assert.notEqual(rawIn('staging'), STAGING);
  assert.equal(await run(['restore', '--yes', '--no-redeploy']), 0);
  assert.equal(rawIn('production'), STALE);
  assert.equal(rawIn('staging'), STAGING);
  assert.equal(readFileSync(path.join(cwd, '.env'), 'utf8'), ENV_TEXT);
  for (const c of fake.calls())
    for (const a of c.argv) for (const secret of SECRETS) assert.ok(!a.includes(secret) && !a.includes(enc(secret)));
  const sets = railwayChanges(fake, fake.calls()).filter((c) => c.kind === 'set');
  assert.ok(
    sets.some((c) => c.environment === 'staging') && sets.some((c) => c.environment === 'production'),
    JSON.stringify(sets),
  );
});

test('restore puts a previous reference back as the reference, not its rendered URL', async () => {
  const p = await project({ bot: { app: 'bot', value: '${{Redis.REDIS_URL}}' } });
  // Another URL (here the same server through its public address): the reference is replaced by a
  // literal…
  const url = `redis://default:${PW}@127.0.0.1:${redis.port}`;
  const setup = await p.run(
    ['setup', '--yes', '--provider', 'url', '--url-stdin', '--services', 'bot', '--roles', 'bot=bot', '--no-redeploy'],
    url,
  );
  assert.equal(setup.code, 0, setup.stdout + setup.stderr);
  assert.equal(p.raw('bot'), url);
  // …and restore puts the reference back, not the literal URL it rendered to.
  const r = await p.run(['restore', '--yes', '--no-redeploy']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(p.raw('bot'), '${{Redis.REDIS_URL}}');
});
