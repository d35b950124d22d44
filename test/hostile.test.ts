// Issue 11, the remaining cases, on the BUILT binary: concurrent runs, tampered saved state, restore
// points that survive failures, bad redis-setup.json, signals while watching, Railway rate limits
// and odd output, backtracking patterns, huge log lines, a hostile Redis-like server, and secrets
// echoed by a failing `railway`. Each scene is real: a redis-server, the fake railway CLI with
// deployed apps, a temp project folder. Every wait is on a state, and bounded.
// (Module-level file faults and the URL fuzz corpus live in hostile-files.test.ts and url-fuzz.test.ts.)
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test, type TestContext } from 'node:test';
import { assertNoSecret, BIN, descendants, killTree, runCli } from './helpers/cli.ts';
import { type Call, processGroupAlive } from './helpers/fake-railway.ts';
import { deployLogFile } from './fake-railway/src/paths.ts';
import { type RunResult, type SetupHarness, sceneFor, jsonReport } from './helpers/setup-harness.ts';

const BOT = ['--services', 'bot', '--roles', 'bot=bot'];
const BOT_WORKER = ['--services', 'bot,worker', '--roles', 'bot=bot,worker=worker'];
/** Control characters a terminal acts on: C0 but \t and \n, DEL, C1. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

interface ServiceReport {
  name: string;
  status: string;
  deploymentId: string | null;
  evidence: string[];
  reason?: string;
  railwayError?: string;
}
interface Report {
  ok: boolean;
  code: string;
  message: string;
  fix: string;
  services: ServiceReport[];
}

const scene = sceneFor;

const report = (r: RunResult) => jsonReport<Report>(r);

/** Poll `check` every 25 ms until it returns something, or fail after `ms` with `what`. */
async function until<T>(what: string, ms: number, check: () => T | undefined | false): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const hit = check();
    if (hit !== undefined && hit !== false) return hit;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(25);
  }
}

const statePath = (h: SetupHarness, file = 'last-change.json') => path.join(h.cwd, '.redis-setup', file);

interface SavedService {
  environment: string | null;
  service: string;
  name: string;
  hadValue: boolean;
  previousValue?: string;
}
interface Saved {
  version: number;
  createdAt: string;
  envFile?: { path: string; name: string; existed: boolean; previousValue?: string };
  services: SavedService[];
}

/** A restore point as setup writes it: 0600 in a 0700 folder that git-ignores itself. */
function plantState(h: SetupHarness, state: Saved, mode = 0o600): string {
  const dir = path.join(h.cwd, '.redis-setup');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  writeFileSync(path.join(dir, '.gitignore'), '*\n', { mode: 0o600 });
  const file = statePath(h);
  writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`);
  chmodSync(file, mode);
  return file;
}

const readSaved = (h: SetupHarness): Saved => JSON.parse(readFileSync(statePath(h), 'utf8')) as Saved;

/** Everything a run could change is as it was: .env, every service's variable, nothing sent to Railway. */
function assertUntouched(h: SetupHarness, calls: Call[] = h.fake.calls()): void {
  assert.deepEqual(h.envBytes(), h.initialEnv, '.env changed');
  for (const name of h.services) assert.equal(h.rawVariable(name), h.staleUrl, `${name}'s variable changed`);
  assert.deepEqual(
    h.changingCalls(calls).map((c) => c.argv.join(' ')),
    [],
    'railway was changed',
  );
}

// ── A run we can signal: the binary with a pid, its output, and its process tree ──────────

interface Live {
  proc: ChildProcess;
  out: () => string;
  exited: Promise<number | null>;
}

function startCli(t: TestContext, h: SetupHarness, args: string[]): Live {
  const proc = spawn(process.execPath, [BIN, ...args], {
    cwd: h.cwd,
    env: h.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  proc.stderr!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => proc.on('close', (code) => resolve(code)));
  t.after(() => {
    if (proc.pid && proc.exitCode === null && proc.signalCode === null) killTree(proc.pid);
  });
  return { proc, out: () => out, exited };
}

const cmdline = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
};
const pgidOf = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
  } catch {
    return undefined;
  }
};
/** Alive and not a zombie. */
const running = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
};

// ── A Redis-like server that answers with escape sequences and control characters ─────────

// Simple-string replies cannot hold \r or \n: this is what fits on one RESP line.
const NASTY = '\u001b[2J\u001b[31mred\u001b[0m\u001b]0;pwned\u0007\u009b6n\u0000\u0008\u007f\u202e';

/** Replies to every command by name; `auth` decides whether AUTH succeeds. Minimal RESP. */
async function hostileRedis(t: TestContext, auth: 'ok' | 'reject'): Promise<number> {
  const bulk = (s: string) => `$${Buffer.byteLength(s)}\r\n${s}\r\n`;
  const server = net.createServer((socket) => {
    let pending = Buffer.alloc(0);
    socket.on('error', () => {});
    socket.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      // Commands arrive as RESP arrays; answering by the command word is enough here.
      for (;;) {
        const text = pending.toString('latin1');
        const m = /^\*(\d+)\r\n/.exec(text);
        if (!m) return;
        let at = m[0].length;
        const parts: string[] = [];
        for (let i = 0; i < Number(m[1]); i++) {
          const len = /^\$(\d+)\r\n/.exec(text.slice(at));
          if (!len) return;
          at += len[0].length;
          if (text.length < at + Number(len[1]) + 2) return;
          parts.push(text.slice(at, at + Number(len[1])));
          at += Number(len[1]) + 2;
        }
        pending = pending.subarray(at);
        const cmd = (parts[0] ?? '').toUpperCase();
        const refused = `-WRONGPASS ${NASTY} invalid username-password pair ${NASTY}\r\n`;
        if (cmd === 'HELLO') {
          // RESP3 handshake (with AUTH in it): a map of the server's facts, its version poisoned too.
          const facts = ['server', 'redis', 'version', `7.2.4${NASTY}`, 'proto', '3', 'mode', `standalone${NASTY}`];
          socket.write(auth === 'ok' ? `%${facts.length / 2}\r\n${facts.map(bulk).join('')}` : refused);
        } else if (cmd === 'AUTH') socket.write(auth === 'ok' ? '+OK\r\n' : refused);
        else if (cmd === 'PING') socket.write(`+PONG${NASTY}\r\n`);
        else if (cmd === 'INFO') {
          socket.write(
            bulk(`# Server\r\nredis_version:7.2.4${NASTY}\r\nos:Linux\r${NASTY}\r\nloading:0\r\n# Keyspace\r\n`),
          );
        } else if (cmd === 'CONFIG') socket.write(`*2\r\n${bulk('maxmemory-policy')}${bulk(`allkeys-lru${NASTY}`)}`);
        else if (cmd === 'SELECT' || cmd === 'CLIENT') socket.write('+OK\r\n');
        else socket.write(`-ERR unknown ${NASTY}\r\n`);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => server.close(() => r())));
  return (server.address() as net.AddressInfo).port;
}

/** Every string in a parsed JSON value. */
function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(strings);
  if (v && typeof v === 'object') return Object.values(v).flatMap(strings);
  return [];
}

function assertNoControl(where: string, text: string): void {
  const m = CONTROL.exec(text);
  assert.ok(!m, `${where} holds control character U+${m?.[0].charCodeAt(0).toString(16).padStart(4, '0')}:\n${text}`);
}

describe('issue 11 on the built binary', { concurrency: 3 }, () => {
  // ── 1. One run at a time ─────────────────────────────────────────────────────────────────
  test('two setup runs at once: one proceeds, the other refuses naming it; the restore point keeps the original', {
    timeout: 40_000,
  }, async (t) => {
    const h = await scene(t, { services: { bot: 'bot' } });
    // The settle window holds the lock well past the 3 s a second run waits for it.
    const args = ['setup', '--yes', '--json', '--provider', 'railway', ...BOT, '--settle', '5', '--timeout', '20'];
    const lock = statePath(h, 'lock');
    const holders = new Set<number>();
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        try {
          holders.add((JSON.parse(readFileSync(lock, 'utf8')) as { pid: number }).pid);
        } catch {
          // no lock (yet, or any more), or caught mid-rename
        }
        await sleep(20);
      }
    })();
    const both = await Promise.all([h.run(args, { timeoutMs: 35_000 }), h.run(args, { timeoutMs: 35_000 })]);
    watching = false;
    await watcher;

    const winners = both.filter((r) => r.code === 0);
    const losers = both.filter((r) => r.code !== 0);
    assert.equal(winners.length, 1, both.map((r) => `${r.code}: ${r.stdout}${r.stderr}`).join('\n---\n'));
    assert.equal(losers.length, 1);
    const loser = report(losers[0]!);
    assert.equal(losers[0]!.code, 1);
    assert.equal(loser.code, 'locked');
    assert.equal(holders.size, 1, `one run held the lock: ${[...holders].join(', ')}`);
    const [holder] = holders;
    assert.match(loser.message, /^Another redis-setup run is working on /);
    assert.ok(loser.message.includes(`pid ${holder}`), `the refusal names the running one:\n${loser.message}`);
    assert.match(loser.fix, /Wait for it to finish, then run again/);
    assert.equal(report(winners[0]!).ok, true);

    // Final state: exactly one change, made once, and consistent everywhere.
    assert.equal(h.newDeployments('bot').length, 1, 'the bot was redeployed exactly once');
    assert.equal(h.rawVariable('bot'), h.publicUrl);
    assert.ok(h.envBytes()!.toString().includes(`REDIS_URL=${h.publicUrl}\n`), '.env has the new URL');
    // The restore point holds the ORIGINAL values, not the first run's new ones.
    const saved = readSaved(h);
    assert.deepEqual(
      saved.services.map((s) => [s.service, s.previousValue]),
      [['bot', h.staleUrl]],
    );
    assert.equal(saved.envFile?.previousValue, 'redis://localhost:6379');
    assert.equal(existsSync(lock), false, 'the lock is released');
  });

  // ── 2. Saved state that cannot be turned against the user ─────────────────────────────────
  test('restore refuses tampered state: .env outside the project, loose modes, tracked by git', {
    timeout: 30_000,
  }, async (t) => {
    const h = await scene(t, { deployOld: false });
    const elsewhere = mkdtempSync(path.join(tmpdir(), 'hostile-outside-'));
    t.after(() => rmSync(elsewhere, { recursive: true, force: true }));
    const outside = path.join(elsewhere, 'shared.env');
    writeFileSync(outside, 'UNRELATED=1\n');
    const evil = 'redis://default:AttackerPw1@attacker.example:6379';
    const state = (envPath: string): Saved => ({
      version: 2,
      createdAt: new Date().toISOString(),
      envFile: { path: envPath, name: 'REDIS_URL', existed: true, previousValue: evil },
      services: h.services.map((service) => ({
        environment: null,
        service,
        name: 'REDIS_URL',
        hadValue: true,
        previousValue: evil,
      })),
    });
    const restore = async (): Promise<RunResult> => {
      const r = await h.run(['restore', '--yes', '--no-redeploy'], { timeoutMs: 20_000 });
      assertNoSecret(r, 'AttackerPw1');
      return r;
    };
    const refusedWith = (r: RunResult, why: RegExp) => {
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stderr, /✖ Refusing to use \S*last-change\.json: /);
      assert.match(r.stderr, why);
      assert.match(r.stderr, /only uses state it wrote itself/);
      assert.match(r.stderr, /Fix: /);
      assert.deepEqual(r.calls, [], 'restore called railway');
      assertUntouched(h, r.calls);
    };

    // a) .env outside the project folder (valid file otherwise: 0600 in 0700, untracked).
    let file = plantState(h, state(outside));
    let bytes = readFileSync(file);
    let r = await restore();
    refusedWith(r, /names \S*shared\.env as the \.env to restore, which is outside the project folder/);
    assert.equal(readFileSync(outside, 'utf8'), 'UNRELATED=1\n', 'the unrelated file was written');
    assert.deepEqual(readFileSync(file), bytes, 'the saved state was changed');

    // b) loose modes: 0644, as a checkout leaves a file.
    file = plantState(h, state(h.envPath), 0o644);
    bytes = readFileSync(file);
    r = await restore();
    refusedWith(r, /its mode is 0644, open to other users/);
    assert.deepEqual(readFileSync(file), bytes);
    assert.equal(statSync(file).mode & 0o777, 0o644, 'restore must not "fix" the mode and go on');

    // c) tracked by git: force-added despite the folder's .gitignore.
    file = plantState(h, state(h.envPath));
    execFileSync('git', ['init', '-q'], { cwd: h.cwd });
    execFileSync('git', ['add', '-f', '.redis-setup/last-change.json'], { cwd: h.cwd });
    bytes = readFileSync(file);
    r = await restore();
    refusedWith(r, /it is tracked by git, so it came with the repository/);
    assert.match(r.stderr, /git rm --cached \.redis-setup\/last-change\.json/);
    assert.deepEqual(readFileSync(file), bytes);
  });

  // ── 3. A setup that changes nothing keeps the restore point ───────────────────────────────
  test('a setup that fails before changing anything leaves last-change.json as it was', {
    timeout: 30_000,
  }, async (t) => {
    const h = await scene(t, { deployOld: false });
    const earlier: Saved = {
      version: 2,
      createdAt: '2026-01-01T00:00:00.000Z',
      envFile: { path: h.envPath, name: 'REDIS_URL', existed: true, previousValue: 'redis://earlier.example:6379' },
      services: [{ environment: null, service: 'bot', name: 'REDIS_URL', hadValue: true, previousValue: 'x' }],
    };
    const file = plantState(h, earlier);
    const before = readFileSync(file);
    const wrong = `redis://default:NotThePassword9@127.0.0.1:${h.redis.port}`;
    const r = await h.run(['setup', '--yes', '--provider', 'url', '--url-stdin', ...BOT_WORKER], {
      input: wrong,
      timeoutMs: 20_000,
    });
    assertNoSecret(r, 'NotThePassword9');
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout + r.stderr, /wrong-password|WRONGPASS|password/i);
    assertUntouched(h, r.calls);
    assert.deepEqual(readFileSync(file), before, 'the restore point was overwritten by a run that changed nothing');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(existsSync(statePath(h, 'lock')), false);
  });

  // ── 4. A failed restore keeps its backup ──────────────────────────────────────────────────
  test('a restore that fails partway keeps the original restore point: a second restore goes back', {
    timeout: 45_000,
  }, async (t) => {
    // No `railway api` (5.27): one `variable set` per service, so a failure lands between two of them.
    const h = await scene(t, { deployOld: false, cliVersion: '5.27.0' });
    const setup = await h.run(['setup', '--yes', '--provider', 'railway', ...BOT_WORKER, '--no-redeploy']);
    assert.equal(setup.code, 0, setup.stdout + setup.stderr);
    for (const s of h.services) assert.equal(h.rawVariable(s), h.publicUrl);
    const restorePoint = readFileSync(statePath(h));

    h.fake.inject({
      command: 'variable set',
      service: 'worker',
      stderr: 'Failed to upsert variables: internal server error',
      exit: 1,
      times: 1,
    });
    const first = await h.run(['restore', '--yes', '--no-redeploy']);
    assert.notEqual(first.code, 0, first.stdout + first.stderr);
    assert.match(first.stdout + first.stderr, /Failed to upsert variables/);
    assert.equal(h.rawVariable('bot'), h.staleUrl, 'the bot got its previous value back');
    assert.equal(h.rawVariable('worker'), h.publicUrl, 'the worker kept the new one (its set failed)');
    assert.deepEqual(readFileSync(statePath(h)), restorePoint, 'the failed restore replaced the restore point');

    const second = await h.run(['restore', '--yes', '--no-redeploy']);
    assert.equal(second.code, 0, second.stdout + second.stderr);
    for (const s of h.services) assert.equal(h.rawVariable(s), h.staleUrl, `${s} is back to its original value`);
    assert.deepEqual(h.envBytes(), h.initialEnv, '.env is back byte for byte');
    // The finished restore is now the restore point: what it replaced (the bot already held its old value
    // again), so one more restore undoes exactly this one. Its undo file is gone.
    assert.deepEqual(
      readSaved(h).services.map((s) => [s.service, s.previousValue]),
      [
        ['bot', h.staleUrl],
        ['worker', h.publicUrl],
      ],
    );
    assert.equal(existsSync(statePath(h, 'restore-undo.json')), false);
  });

  // ── 5. restore validates redis-setup.json as setup does ────────────────────────────────────
  test('restore (and setup) reject an invalid or deeply nested redis-setup.json with exit 2, naming it', {
    timeout: 30_000,
  }, async (t) => {
    const h = await scene(t, { deployOld: false });
    plantState(h, {
      version: 2,
      createdAt: new Date().toISOString(),
      services: [{ environment: null, service: 'bot', name: 'REDIS_URL', hadValue: true, previousValue: h.staleUrl }],
    });
    const config = path.join(h.cwd, 'redis-setup.json');
    writeFileSync(config, JSON.stringify({ services: [{ name: 'bot', role: 'database' }] }));
    for (const command of ['restore', 'setup']) {
      const r = await h.run([command, '--yes'], { timeoutMs: 15_000 });
      assert.equal(r.code, 2, `${command}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, /redis-setup\.json is invalid: .*services\[0\]\.role: expected one of bot, worker/);
      assert.doesNotMatch(r.stdout + r.stderr, /Nothing to restore|Unexpected error|bug/);
      assert.deepEqual(r.calls, []);
    }
    // 20 000 levels of nesting in 40 KB: refused before JSON.parse can recurse.
    writeFileSync(config, `${'['.repeat(20_000)}${']'.repeat(20_000)}`);
    for (const command of ['restore', 'setup']) {
      for (const json of [false, true]) {
        const r = await h.run([command, '--yes', ...(json ? ['--json'] : [])], { timeoutMs: 15_000 });
        assert.equal(r.code, 2, `${command}: ${r.stdout}${r.stderr}`);
        assert.match(r.stdout + r.stderr, /redis-setup\.json nests objects or arrays more than 16 levels deep/);
        assert.doesNotMatch(r.stdout + r.stderr, /Unexpected error|bug|stack/i);
        if (json) assert.equal(report(r).code, 'usage');
      }
    }
    assertUntouched(h);
  });

  // ── 6. SIGTERM and SIGHUP while watching ──────────────────────────────────────────────────
  for (const [signal, code] of [
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    test(`${signal} while watching exits ${code}, says what changed, and leaves no log stream running`, {
      timeout: 40_000,
    }, async (t) => {
      const h = await scene(t, { services: { bot: 'silent', worker: 'silent' } });
      const live = startCli(t, h, ['setup', '--yes', '--provider', 'railway', ...BOT_WORKER, '--timeout', '60']);
      // The watch is on once both log streams (script → railway logs) run under the binary.
      const streams = await until('both log streams', 25_000, () => {
        const found = descendants(live.proc.pid!).filter((p) => /\blogs\b/.test(cmdline(p)));
        const services = new Set(found.map((p) => /-s (\w+)/.exec(cmdline(p))?.[1]));
        return services.has('bot') && services.has('worker') ? found : undefined;
      });
      await until(
        'both services waiting for lines',
        10_000,
        () => /bot.*waiting for lines/.test(live.out()) && /worker.*waiting for lines/.test(live.out()),
      );
      // Everything under the binary now: the streams, `script`, the shell and CLI under each pty.
      const tree = descendants(live.proc.pid!);
      const groups = [...new Set(tree.map(pgidOf).filter((g): g is number => g !== undefined))].filter(
        (g) => g !== pgidOf(live.proc.pid!),
      );
      assert.ok(streams.length >= 2 && groups.length >= 2, `streams ${streams} in groups ${groups}`);
      t.after(() => {
        // Whatever the verdict, nothing of this run outlives the test.
        for (const pid of tree.filter(running)) killTree(pid);
      });

      live.proc.kill(signal);
      assert.equal(await live.exited, code, live.out());
      const out = live.out();
      const label = signal === 'SIGTERM' ? 'SIGTERM' : 'SIGHUP: the terminal closed';
      assert.ok(out.includes(`Stopped watching (${label}). What was changed:`), out);
      assert.ok(out.includes(`.env: ${h.envPath} (REDIS_URL)`), out);
      for (const name of ['bot', 'worker']) {
        const id = h.newDeployments(name)[0]?.id;
        assert.ok(id && out.includes(`${name}: REDIS_URL set; redeploying (deployment ${id})`), `${name}:\n${out}`);
      }
      assert.match(out, /undo: npx redis-setup restore/);
      assertNoSecret({ stdout: out }, ...h.secrets);
      // No `railway logs` or `script` left behind: every process and group it had is gone.
      await until('the log streams to stop', 5000, () => !tree.some(running) && !groups.some(processGroupAlive)).catch(
        () => {
          const left = tree.filter(running).map((p) => `${p}: ${cmdline(p)}`);
          assert.fail(
            `left running after ${signal}:\n${left.join('\n')}\ngroups alive: ${groups.filter(processGroupAlive)}`,
          );
        },
      );
      assert.equal(existsSync(statePath(h, 'lock')), false, 'the lock is released');
    });
  }

  // ── 7. A rate limit during the watch is a rate limit ──────────────────────────────────────
  test('a Railway rate limit while watching is reported as one, with the wait Railway asked for', {
    timeout: 40_000,
  }, async (t) => {
    const h = await scene(t, { services: { bot: 'bot' } });
    // Every log read and every deployment-status request is refused with a 429 once the watch starts.
    h.fake.inject({ command: 'logs', rateLimitSeconds: 40 });
    h.fake.inject({ command: 'api', operation: 'deployment', rateLimitSeconds: 40 });
    const r = await h.run([
      'setup',
      '--yes',
      '--json',
      '--provider',
      'railway',
      ...BOT,
      '--settle',
      '1',
      '--timeout',
      '8',
    ]);
    const rep = report(r);
    assert.equal(r.code, 3, `a rate limit is a Railway problem (3), not an unhealthy service (4):\n${r.stdout}`);
    assert.equal(rep.code, 'railway-ratelimit');
    const bot = rep.services.find((s) => s.name === 'bot')!;
    assert.equal(bot.railwayError, 'railway-ratelimit');
    assert.match(bot.reason ?? '', /rate-limited/);
    assert.match(bot.reason ?? '', /40 seconds/, 'the wait Railway asked for');
    assert.match(rep.message, /rate-limit/i, `the report's message says what happened: ${rep.message}`);
    assert.match(rep.message + rep.fix, /40 seconds/, `and the wait: ${rep.message} / ${rep.fix}`);
    assert.doesNotMatch(rep.message, /timeout/, rep.message);
    // The human account (stderr with --json) gives the rate limit's fix, not "raise --timeout".
    assert.match(r.stderr, /Reason: Railway rate-limited the CLI: .*40 seconds/);
    assert.match(r.stderr, /Fix: +Wait as long as Railway asked/);
    assert.doesNotMatch(r.stderr, /raise --timeout/);
  });

  // ── 8. Railway printing the wrong shape ───────────────────────────────────────────────────
  test('`service list --json` printing an object is a Railway output error (exit 3), not a bug', {
    timeout: 30_000,
  }, async (t) => {
    const h = await scene(t, { deployOld: false });
    h.fake.inject({ command: 'service list', stdout: '{"services":{"bot":{"id":"x"}}}', exit: 0 });
    for (const json of [false, true]) {
      const r = await h.run(['setup', '--yes', '--provider', 'railway', ...BOT_WORKER, ...(json ? ['--json'] : [])]);
      assert.equal(r.code, 3, r.stdout + r.stderr);
      const text = json ? report(r).message : r.stderr;
      assert.match(text, /railway service list printed JSON redis-setup does not understand \(at its top level\)/);
      assert.doesNotMatch(r.stdout + r.stderr, /Unexpected error|this is a bug/);
      if (json) assert.equal(report(r).code, 'railway-output');
      assertUntouched(h, r.calls);
    }
    const doctor = await h.run(['doctor']);
    assert.doesNotMatch(doctor.stdout + doctor.stderr, /Unexpected error|this is a bug/);
    assert.match(doctor.stdout + doctor.stderr, /railway service list printed JSON/);
  });

  // ── 9. Bounded patterns and bounded lines ─────────────────────────────────────────────────
  test('a backtracking pattern in redis-setup.json is refused with exit 2, naming it', {
    timeout: 20_000,
  }, async (t) => {
    const h = await scene(t, { deployOld: false });
    writeFileSync(
      path.join(h.cwd, 'redis-setup.json'),
      JSON.stringify({ patterns: { bot: { success: [{ regex: '^(.*)*!$' }] } } }),
    );
    const r = await h.run(['setup', '--yes', '--provider', 'railway', ...BOT_WORKER, '--timeout', '10'], {
      timeoutMs: 10_000,
    });
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.ok(r.stderr.includes('patterns.bot.success[0].regex: /^(.*)*!$/ is refused'), r.stderr);
    assert.deepEqual(r.calls, []);
    assert.ok(r.ms < 5000, `refused in ${r.ms} ms`);
  });

  test('a 400 KB log line does not hold up the watch: the line after it still proves the service healthy', {
    timeout: 40_000,
  }, async (t) => {
    const h = await scene(t, { services: { bot: 'silent' } });
    // A pattern safe-regex rightly accepts (one repetition), yet quadratic on a long run of spaces: only
    // the cap on the matched part of a line keeps it cheap.
    writeFileSync(
      path.join(h.cwd, 'redis-setup.json'),
      JSON.stringify({ patterns: { bot: { failure: [{ regex: '\\s+timed out$' }] } } }),
    );
    const pending = h.run(
      ['setup', '--yes', '--json', '--provider', 'railway', ...BOT, '--settle', '1', '--timeout', '30'],
      {
        timeoutMs: 35_000,
      },
    );
    const deployment = await until('the new deployment', 20_000, () => h.newDeployments('bot')[0]);
    await h.fake.waitForStatus(deployment.id, ['SUCCESS'], 20_000);
    // Words, a long run of spaces, `key: value` runs and userinfo-like pieces: the shapes masking and
    // matching work hardest on.
    const huge = [
      'word '.repeat(20_000),
      ' '.repeat(200_000),
      'a: '.repeat(30_000),
      `redis://${'u:p@'.repeat(25_000)}`,
    ].join('');
    assert.ok(huge.length >= 400_000);
    const at = () => new Date().toISOString();
    const appended = Date.now();
    appendFileSync(
      deployLogFile(h.fake.dir, deployment.id),
      `${JSON.stringify({ message: huge, timestamp: at(), level: 'info' })}\n${JSON.stringify({
        message: 'Redis connected successfully',
        timestamp: at(),
        level: 'info',
      })}\n`,
    );
    const r = await pending;
    const rep = report(r);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const bot = rep.services.find((s) => s.name === 'bot')!;
    assert.equal(bot.status, 'healthy');
    assert.deepEqual(bot.evidence, ['Redis connected successfully']);
    const seconds = (Date.now() - appended) / 1000;
    assert.ok(seconds < 10, `healthy ${seconds} s after the line (settle 1 s)`);
  });

  // ── 10. A hostile Redis-like server ───────────────────────────────────────────────────────
  test('check strips escape sequences and control characters from what a server says (plain and --json)', {
    timeout: 30_000,
  }, async (t) => {
    for (const auth of ['ok', 'reject'] as const) {
      const port = await hostileRedis(t, auth);
      const url = `redis://default:HostilePw42@127.0.0.1:${port}`;
      for (const json of [false, true]) {
        const r = await runCli(['check', '--url-stdin', '--timeout', '3', ...(json ? ['--json'] : [])], {
          input: url,
          timeoutMs: 15_000,
        });
        const where = `check (${auth}${json ? ', --json' : ''})`;
        assert.equal(r.code, auth === 'ok' ? 0 : 1, `${where}: ${r.stdout}${r.stderr}`);
        assertNoControl(`${where} stdout`, r.stdout);
        assertNoControl(`${where} stderr`, r.stderr);
        if (json) {
          const body = JSON.parse(r.stdout) as unknown;
          for (const s of strings(body)) assertNoControl(`${where} JSON value`, s);
        } else if (auth === 'ok') {
          assert.match(r.stdout, /Redis 7\.2\.4/);
        }
        assertNoSecret(r, 'HostilePw42');
      }
    }
  });

  // ── 11. Secrets echoed by a failing railway ───────────────────────────────────────────────
  test('a failing `railway variable list` that echoes secrets: none of them reaches our output', {
    timeout: 30_000,
  }, async (t) => {
    const h = await scene(t, { deployOld: false });
    const urlPw = 'UrlOnlyPw55Lq';
    const token = 'tok_9fQ2xLm7Rz';
    // The first line is the one we repeat. A colour code splitting the password must not hide it from
    // masking and then vanish on the way to the terminal, joining it again.
    const split = `${h.newPassword.slice(0, 10)}\u001b[1m${h.newPassword.slice(10)}`;
    const echoed =
      `Failed to fetch variables: REDIS_PASSWORD=${h.newPassword} ` +
      `REDIS_URL=redis://default:${urlPw}@redis.railway.internal:6379 RAILWAY_TOKEN=${token} (auth ${split})\n` +
      `{"REDIS_PASSWORD": "${h.newPassword}", "REDIS_PUBLIC_URL": "redis://default:${urlPw}@127.0.0.1:1"}\n` +
      `REDISPASSWORD=${h.newPassword}`;
    h.fake.inject({ command: 'variable list', service: 'Redis', stderr: echoed, exit: 1 });
    const runs: [string, string[]][] = [
      ['setup', ['setup', '--yes', '--provider', 'railway', ...BOT_WORKER]],
      ['setup --json', ['setup', '--yes', '--json', '--provider', 'railway', ...BOT_WORKER]],
      ['setup --debug', ['setup', '--yes', '--debug', '--provider', 'railway', ...BOT_WORKER]],
      ['doctor', ['doctor']],
      ['doctor --json', ['doctor', '--json']],
    ];
    for (const [what, args] of runs) {
      const r = await h.run(args, { skipSecretCheck: true });
      assert.notEqual(r.code, 0, `${what}: ${r.stdout}${r.stderr}`);
      assert.match(r.stdout + r.stderr, /Failed to fetch variables/, `${what} says what failed`);
      assertNoSecret(r, ...h.secrets, urlPw, token);
      assertUntouched(h, r.calls);
    }
  });
});
