// Issue 11: files under faults and hostile input. Real files in per-test temp folders (nothing is
// written outside them), real FIFOs and device nodes, real child processes killed with SIGKILL,
// real git. These tests run as root (as CI does) where they chown or mount; such cases say so.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CliError } from '../src/errors.ts';
import {
  clearStaleTempFiles,
  readBoundedRegularFile,
  readSecretFile,
  secretFileIo,
  writeEnvAtomic,
} from '../src/edge/secret-file.ts';
import { updateEnvFile } from '../src/edge/envstore.ts';
import { backupPath, loadBackup, saveBackup, type BackupState } from '../src/edge/backup-store.ts';
import { isTrackedByGit } from '../src/edge/git.ts';
import { isInsideProject } from '../src/edge/state-trust.ts';
import { acquireProjectLock, procStartOf, type LockHolder } from '../src/edge/project-lock.ts';
import { runCli } from './helpers/cli.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const TEMPLATE = path.join(ROOT, 'templates/env.template');
const SECRET_FILE_URL = pathToFileURL(path.join(ROOT, 'src/edge/secret-file.ts')).href;
const LOCK_URL = pathToFileURL(path.join(ROOT, 'src/edge/project-lock.ts')).href;
const URL_A = 'redis://default:old-secret@a.upstash.io:6379';
const NOBODY = 65534;
const isRoot = process.geteuid?.() === 0;
const BOUND = { timeout: 10_000 };
const SLOW = { timeout: 20_000 };
const AS_ROOT = { timeout: 10_000, skip: !isRoot && 'needs root (chown, mknod)' };

function tempDir(t: TestContext): string {
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'redis-setup-hostile-')));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const modeOf = (p: string) => statSync(p).mode & 0o777;
const updateEnv = (file: string) =>
  updateEnvFile({ path: file, name: 'REDIS_URL', value: 'redis://h:1', templatePath: TEMPLATE });
const tempsIn = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.tmp'));
const refused = (pattern: RegExp) => (e: unknown) => {
  assert.ok(e instanceof CliError, `expected a CliError, got ${String(e)}`);
  assert.match(e.message, pattern);
  assert.ok(e.fix, 'a refusal names the fix');
  assert.doesNotMatch(e.message, /old-secret/);
  return true;
};

// ── Child processes: wait on what they print, never on durations ────────────────────────

interface Child {
  proc: ChildProcess;
  output: () => string;
  waitFor: (text: string) => Promise<void>;
  exited: Promise<number | null>;
}

/** Run a TypeScript snippet in its own node process (cwd: the repo, so `--import tsx` resolves). */
function runChild(t: TestContext, dir: string, source: string, args: string[] = []): Child {
  const file = path.join(dir, `child-${Math.random().toString(16).slice(2)}.mts`);
  writeFileSync(file, source);
  const proc = spawn(process.execPath, ['--import', 'tsx', file, ...args], { cwd: ROOT, stdio: 'pipe' });
  let out = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  const wake = () => {
    for (const w of [...waiters]) if (out.includes(w.text)) waiters.splice(waiters.indexOf(w), 1) && w.resolve();
  };
  proc.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    wake();
  });
  proc.stderr!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  t.after(() => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  });
  return {
    proc,
    output: () => out,
    exited,
    waitFor: (text) =>
      new Promise<void>((resolve, reject) => {
        if (out.includes(text)) return resolve();
        waiters.push({ text, resolve });
        void exited.then((code) => {
          if (!out.includes(text)) reject(new Error(`child exited (${code}) before printing "${text}":\n${out}`));
        });
      }),
  };
}

async function kill9(child: Child): Promise<void> {
  child.proc.kill('SIGKILL');
  await child.exited;
}

// ── 1. Temp files left by killed runs ───────────────────────────────────────────────────

test('clearStaleTempFiles removes only our own regular temp files older than a minute', BOUND, async (t) => {
  const dir = tempDir(t);
  const old = new Date(Date.now() - 120_000);
  const make = (name: string, backdate: boolean) => {
    writeFileSync(path.join(dir, name), 'REDIS_URL=secret');
    if (backdate) utimesSync(path.join(dir, name), old, old);
  };
  // Ours for `.env` are `..env.redis-setup-<12 hex>.tmp` (a dot, then the file's own name).
  make('..env.redis-setup-0123456789ab.tmp', true);
  make('..env.redis-setup-aaaaaaaaaaaa.tmp', false); // a run writing right now
  make('.app.env.redis-setup-bbbbbbbbbbbb.tmp', true);
  make('.env.tmp', true); // not ours
  make('..env.redis-setup-XYZ.tmp', true); // not our shape
  mkdirSync(path.join(dir, '..env.redis-setup-cccccccccccc.tmp')); // a folder: never removed

  const ours = path.join(dir, '..env.redis-setup-0123456789ab.tmp');
  assert.deepEqual(await clearStaleTempFiles(dir, '.env'), [ours]);
  assert.deepEqual(await clearStaleTempFiles(dir), [path.join(dir, '.app.env.redis-setup-bbbbbbbbbbbb.tmp')]);
  const kept = [
    '..env.redis-setup-XYZ.tmp',
    '..env.redis-setup-aaaaaaaaaaaa.tmp',
    '..env.redis-setup-cccccccccccc.tmp',
  ].sort();
  assert.deepEqual(readdirSync(dir).sort(), [...kept, '.env.tmp']);
  assert.deepEqual(await clearStaleTempFiles(path.join(dir, 'missing')), []);
});

test('SIGKILL mid-write: the target keeps its old bytes, and the next run clears the temp file', SLOW, async (t) => {
  const dir = tempDir(t);
  const env = path.join(dir, '.env');
  writeFileSync(env, `REDIS_URL=${URL_A}\n`, { mode: 0o600 });
  // The child writes half of the new file, says so, then stalls there until it is killed.
  const child = runChild(
    t,
    dir,
    `
    import { secretFileIo, writeEnvAtomic } from ${JSON.stringify(SECRET_FILE_URL)};
    secretFileIo.write = async (handle, data) => {
      await handle.write(Buffer.from(data).subarray(0, 8));
      process.stdout.write('mid-write\\n');
      setInterval(() => {}, 60_000);
      await new Promise(() => {});
    };
    await writeEnvAtomic(process.argv[2], 'REDIS_URL=redis://default:new-secret@b:6379\\n');
  `,
    [env],
  );
  await child.waitFor('mid-write');
  await kill9(child);
  assert.equal(readFileSync(env, 'utf8'), `REDIS_URL=${URL_A}\n`);
  const left = tempsIn(dir);
  assert.equal(left.length, 1, 'the killed write left its temp file');
  assert.match(left[0]!, /^\.\.env\.redis-setup-[0-9a-f]{12}\.tmp$/);
  assert.equal(modeOf(path.join(dir, left[0]!)), 0o600);
  // A fresh temp may belong to a live run: kept. Once older than a minute: removed.
  assert.deepEqual(await clearStaleTempFiles(dir, '.env'), []);
  const old = new Date(Date.now() - 120_000);
  utimesSync(path.join(dir, left[0]!), old, old);
  assert.deepEqual(await clearStaleTempFiles(dir, '.env'), [path.join(dir, left[0]!)]);
  assert.deepEqual(tempsIn(dir), []);
  assert.equal(readFileSync(env, 'utf8'), `REDIS_URL=${URL_A}\n`);
});

test('SIGKILL at an arbitrary moment of repeated writes: the target is whole, old or new', SLOW, async (t) => {
  const dir = tempDir(t);
  const env = path.join(dir, '.env');
  const a = `A=${'a'.repeat(256 * 1024)}\n`;
  const b = `B=${'b'.repeat(256 * 1024)}\n`;
  writeFileSync(env, a);
  const child = runChild(
    t,
    dir,
    `
    import { writeEnvAtomic } from ${JSON.stringify(SECRET_FILE_URL)};
    const target = process.argv[2];
    const [a, b] = ['A=' + 'a'.repeat(256 * 1024) + '\\n', 'B=' + 'b'.repeat(256 * 1024) + '\\n'];
    for (let i = 1; ; i++) {
      await writeEnvAtomic(target, i % 2 ? b : a);
      process.stdout.write('wrote ' + i + '\\n');
    }
  `,
    [env],
  );
  await child.waitFor('wrote 5\n');
  await kill9(child);
  const after = readFileSync(env, 'utf8');
  assert.ok(after === a || after === b, `the target is neither the old nor the new bytes (${after.length} bytes)`);
  for (const name of tempsIn(dir)) {
    const old = new Date(Date.now() - 120_000);
    utimesSync(path.join(dir, name), old, old);
  }
  await clearStaleTempFiles(dir, '.env');
  assert.deepEqual(tempsIn(dir), []);
});

// ── 4. .env is a file the user owns, whatever its shape ─────────────────────────────────

test('a dangling or looping .env symlink is a clear error, and nothing is created', { timeout: 10_000 }, async (t) => {
  const dir = tempDir(t);
  const env = path.join(dir, '.env');
  symlinkSync(path.join(dir, 'shared', 'app.env'), env);
  await assert.rejects(
    writeEnvAtomic(env, 'A=1\n'),
    refused(/\.env is a symbolic link to .*shared\/app\.env, which does not exist/),
  );
  assert.equal(existsSync(path.join(dir, 'shared')), false);
  const a = path.join(dir, 'a.env');
  const b = path.join(dir, 'b.env');
  symlinkSync(b, a);
  symlinkSync(a, b);
  await assert.rejects(writeEnvAtomic(a, 'A=1\n'), refused(/a\.env is a symbolic link that loops \(ELOOP\)/));
  await assert.rejects(readSecretFile(a), refused(/loops/));
  assert.deepEqual(tempsIn(dir), []);
  // Through the .env editor too: a CliError, not a stack.
  await assert.rejects(updateEnv(env), refused(/does not exist/));
});

test("a symlinked .env is written through the link, keeping the target's owner", AS_ROOT, async (t) => {
  const dir = tempDir(t);
  const real = path.join(dir, 'shared.env');
  const env = path.join(dir, '.env');
  writeFileSync(real, 'A=1\n', { mode: 0o640 });
  chownSync(real, NOBODY, NOBODY);
  symlinkSync(real, env);
  await writeEnvAtomic(env, `A=1\nREDIS_URL=${URL_A}\n`);
  assert.ok(lstatSync(env).isSymbolicLink());
  assert.equal(readFileSync(real, 'utf8'), `A=1\nREDIS_URL=${URL_A}\n`);
  const s = statSync(real);
  assert.deepEqual([s.uid, s.gid, s.mode & 0o777], [NOBODY, NOBODY, 0o600]);
  assert.deepEqual(tempsIn(dir), []);
});

test('a .env of the app user keeps owner and group after a run as root, and a stricter mode', AS_ROOT, async (t) => {
  const dir = tempDir(t);
  const env = path.join(dir, '.env');
  writeFileSync(env, 'OLD=1\n', { mode: 0o644 });
  chownSync(env, NOBODY, NOBODY);
  assert.deepEqual(await writeEnvAtomic(env, 'NEW=2\n'), { modeTightened: true });
  let s = statSync(env);
  assert.deepEqual([s.uid, s.gid, s.mode & 0o777], [NOBODY, NOBODY, 0o600]);
  chmodSync(env, 0o400);
  assert.deepEqual(await writeEnvAtomic(env, 'NEW=3\n'), { modeTightened: false });
  s = statSync(env);
  assert.deepEqual([s.uid, s.gid, s.mode & 0o777], [NOBODY, NOBODY, 0o400]);
  assert.equal(readFileSync(env, 'utf8'), 'NEW=3\n');
  // A new file is ours, 0600.
  await writeEnvAtomic(path.join(dir, 'new.env'), 'A=1\n');
  s = statSync(path.join(dir, 'new.env'));
  assert.deepEqual([s.uid, s.mode & 0o777], [0, 0o600]);
});

test('a device behind .env is never replaced, read or waited on', AS_ROOT, async (t) => {
  const dir = tempDir(t);
  // Our own copy of /dev/null (char 1,3) inside the temp folder: a regression cannot touch the real one.
  const device = path.join(dir, 'null');
  execFileSync('mknod', [device, 'c', '1', '3']);
  const env = path.join(dir, '.env');
  symlinkSync(device, env);
  await assert.rejects(
    writeEnvAtomic(env, `REDIS_URL=${URL_A}\n`),
    refused(/Refusing to replace .*\/null: it is a character device, not a regular file/),
  );
  assert.ok(statSync(device).isCharacterDevice(), 'the device is still a device');
  assert.ok(lstatSync(env).isSymbolicLink());
  assert.deepEqual(tempsIn(dir), []);
  await assert.rejects(updateEnv(env), refused(/character device/));
  // Reading the real devices is harmless: refused at once, /dev/zero is not read forever.
  await assert.rejects(readSecretFile('/dev/zero'), refused(/Refusing to read \/dev\/zero: it is a character device/));
  await assert.rejects(readBoundedRegularFile('/dev/null', 1024), refused(/character device/));
  assert.ok(statSync(device).isCharacterDevice());
});

test('a FIFO as .env (or behind a link) is refused at once, never blocking; it stays a FIFO', BOUND, async (t) => {
  const dir = tempDir(t);
  const fifo = path.join(dir, '.env');
  execFileSync('mkfifo', [fifo]);
  await assert.rejects(readSecretFile(fifo), refused(/Refusing to read .*\.env: it is a FIFO \(named pipe\), not a/));
  await assert.rejects(writeEnvAtomic(fifo, 'A=1\n'), refused(/Refusing to replace .*\.env: it is a FIFO/));
  await assert.rejects(updateEnv(fifo), refused(/FIFO/));
  const link = path.join(dir, 'link.env');
  symlinkSync(fifo, link);
  await assert.rejects(readBoundedRegularFile(link, 1024), refused(/FIFO/));
  assert.ok(lstatSync(fifo).isFIFO());
  assert.deepEqual(tempsIn(dir), []);
});

test('a .env over 1 MiB is refused with its size, and left as it was', BOUND, async (t) => {
  const dir = tempDir(t);
  const env = path.join(dir, '.env');
  const big = `REDIS_URL=${URL_A}\n${'# padding\n'.repeat(220_000)}`;
  writeFileSync(env, big);
  await assert.rejects(readSecretFile(env), refused(/Refusing to read .*\.env: it is 2\.1 MiB, more than the 1\.0/));
  await assert.rejects(updateEnv(env), refused(/2\.1 MiB/));
  assert.equal(readFileSync(env, 'utf8'), big);
  // The bound holds on the open handle too: exactly the limit is read, one byte more is not.
  writeFileSync(path.join(dir, 'ok'), Buffer.alloc(1000, 1));
  assert.equal((await readBoundedRegularFile(path.join(dir, 'ok'), 1000))?.length, 1000);
  await assert.rejects(readBoundedRegularFile(path.join(dir, 'ok'), 999), refused(/more than/));
  assert.equal(await readBoundedRegularFile(path.join(dir, 'missing'), 10), undefined);
});

test('check --ca with a device or a huge file exits 2 at once, naming the problem', { timeout: 30_000 }, async (t) => {
  const dir = tempDir(t);
  const url = 'redis://default:pw-not-shown@127.0.0.1:1';
  const zero = await runCli(['check', '--ca', '/dev/zero', url], { timeoutMs: 20_000 });
  assert.equal(zero.code, 2, zero.stderr);
  assert.match(zero.stderr, /Refusing to read \/dev\/zero: it is a character device, not a regular file/);
  assert.match(zero.stderr, /--ca FILE/);
  assert.doesNotMatch(zero.stderr + zero.stdout, /\n\s+at |pw-not-shown/);
  const pem = path.join(dir, 'ca.pem');
  writeFileSync(pem, Buffer.alloc(2 * 1024 * 1024, 0x41));
  const huge = await runCli(['check', '--ca', pem, url], { timeoutMs: 20_000 });
  assert.equal(huge.code, 2, huge.stderr);
  assert.match(huge.stderr, /it is 2\.0 MiB, more than the 1\.0 MiB/);
});

test('disk full (injected ENOSPC/EDQUOT): a CliError exiting non-zero, old .env intact, no temp', BOUND, async (t) => {
  const dir = tempDir(t);
  const env = path.join(dir, '.env');
  writeFileSync(env, `REDIS_URL=${URL_A}\n`, { mode: 0o600 });
  const original = secretFileIo.write;
  t.after(() => {
    secretFileIo.write = original;
  });
  for (const code of ['ENOSPC', 'EDQUOT']) {
    secretFileIo.write = async (handle, data) => {
      await handle.write(Buffer.from(data).subarray(0, 4)); // a partial write, then the disk fills
      throw Object.assign(new Error(`${code}: no space left on device, write`), { code });
    };
    await assert.rejects(writeEnvAtomic(env, 'REDIS_URL=redis://default:new@b:1\n'), (e: unknown) => {
      assert.ok(e instanceof CliError && e.code === 'disk-full' && e.exitCode !== 0);
      const why =
        code === 'ENOSPC'
          ? /the disk is full \(ENOSPC\)\. The old file is unchanged\./
          : /disk quota is used up \(EDQUOT\)/;
      assert.match(e.message, why);
      assert.match(e.fix ?? '', /Free some space/);
      return true;
    });
    assert.equal(readFileSync(env, 'utf8'), `REDIS_URL=${URL_A}\n`);
    assert.deepEqual(tempsIn(dir), []);
  }
  await assert.rejects(updateEnv(env), (e: unknown) => e instanceof CliError && e.code === 'disk-full');
  assert.deepEqual(tempsIn(dir), []);
});

test('disk full (a real 256 KiB tmpfs): old .env intact, no temp file', { timeout: 15_000 }, async (t) => {
  // Not tempDir(): the folder can only be removed after the unmount, in the same hook.
  const mnt = mkdtempSync(path.join(os.tmpdir(), 'redis-setup-full-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mnt], { encoding: 'utf8' });
  t.after(() => {
    if (mounted.status === 0) spawnSync('umount', [mnt]);
    rmSync(mnt, { recursive: true, force: true });
  });
  if (mounted.status !== 0) {
    const why = mounted.stderr.trim() || mounted.error?.message;
    t.skip(`mount -t tmpfs is not permitted here (${why}); the injected-ENOSPC test covers the code path`);
    return;
  }
  const env = path.join(mnt, '.env');
  writeFileSync(env, `REDIS_URL=${URL_A}\n`, { mode: 0o600 });
  try {
    writeFileSync(path.join(mnt, 'filler'), Buffer.alloc(1024 * 1024));
  } catch (e) {
    assert.equal((e as NodeJS.ErrnoException).code, 'ENOSPC');
  }
  await assert.rejects(
    writeEnvAtomic(env, `REDIS_URL=${'x'.repeat(128 * 1024)}\n`),
    (e: unknown) => e instanceof CliError && e.code === 'disk-full',
  );
  assert.equal(readFileSync(env, 'utf8'), `REDIS_URL=${URL_A}\n`);
  assert.deepEqual(tempsIn(mnt), []);
});

test('umask 000: a new .env, the saved state and the lock are still private', { timeout: 10_000 }, async (t) => {
  const dir = tempDir(t);
  const previous = process.umask(0o000);
  try {
    await writeEnvAtomic(path.join(dir, '.env'), 'A=1\n');
    await saveBackup(dir, { version: 1, createdAt: 'now', services: [] });
    const lock = await acquireProjectLock(dir);
    assert.equal(modeOf(lock.file), 0o600);
    await lock.release();
  } finally {
    process.umask(previous);
  }
  assert.equal(modeOf(path.join(dir, '.env')), 0o600);
  assert.equal(modeOf(backupPath(dir)), 0o600);
  assert.equal(modeOf(path.dirname(backupPath(dir))), 0o700);
  assert.equal(modeOf(path.join(dir, '.redis-setup', '.gitignore')), 0o600);
});

// ── 2. One run at a time ────────────────────────────────────────────────────────────────

const LOCK_CHILD = `
  import { acquireProjectLock } from ${JSON.stringify(LOCK_URL)};
  try {
    const lock = await acquireProjectLock(process.argv[2], { waitMs: 0 });
    console.log(JSON.stringify({ ok: true, pid: process.pid }));
    if (process.argv[3] === 'exit') process.exit(0); // no release: the exit hook must remove it
    process.stdin.on('end', async () => { await lock.release(); console.log('released'); process.exit(0); });
    process.stdin.resume();
  } catch (e) {
    console.log(JSON.stringify({ ok: false, pid: process.pid, code: e.code, message: e.message, fix: e.fix }));
    process.exit(1);
  }
`;

const lastJson = (c: Child) =>
  JSON.parse(
    c
      .output()
      .trim()
      .split('\n')
      .find((l) => l.startsWith('{')) ?? '{}',
  ) as { ok: boolean; pid: number; code?: string; message?: string; fix?: string };

test('two runs at once: exactly one gets the lock; the other refuses, naming the running one', SLOW, async (t) => {
  const dir = tempDir(t);
  const children = [runChild(t, dir, LOCK_CHILD, [dir]), runChild(t, dir, LOCK_CHILD, [dir])];
  await Promise.all(children.map((c) => c.waitFor('"ok":')));
  const results = children.map(lastJson);
  assert.equal(results.filter((r) => r.ok).length, 1, JSON.stringify(results));
  const winner = results.findIndex((r) => r.ok);
  const loser = results[1 - winner]!;
  assert.equal(loser.code, 'locked');
  const running = new RegExp(`Another redis-setup run is working on .*: pid ${results[winner]!.pid}, started \\d{4}-`);
  assert.match(loser.message!, running);
  assert.match(loser.fix!, /Wait for it to finish.*delete .*\.redis-setup\/lock/);
  assert.equal(await children[1 - winner]!.exited, 1);

  const lockFile = path.join(dir, '.redis-setup', 'lock');
  assert.equal(modeOf(lockFile), 0o600);
  assert.equal(modeOf(path.dirname(lockFile)), 0o700);
  assert.equal(readFileSync(path.join(dir, '.redis-setup', '.gitignore'), 'utf8'), '*\n');
  assert.equal((JSON.parse(readFileSync(lockFile, 'utf8')) as LockHolder).pid, results[winner]!.pid);
  children[winner]!.proc.stdin!.end();
  await children[winner]!.waitFor('released');
  assert.equal(await children[winner]!.exited, 0);
  assert.equal(existsSync(path.join(dir, '.redis-setup')), false, 'an empty state folder is removed on release');
});

test('a run that exits without releasing leaves no lock behind (exit hook)', { timeout: 20_000 }, async (t) => {
  const dir = tempDir(t);
  const child = runChild(t, dir, LOCK_CHILD, [dir, 'exit']);
  assert.equal(await child.exited, 0, child.output());
  assert.equal(lastJson(child).ok, true);
  assert.equal(existsSync(path.join(dir, '.redis-setup', 'lock')), false);
});

test('a second run waits for the first to release; release is idempotent, removes only our lock', SLOW, async (t) => {
  const dir = tempDir(t);
  const first = await acquireProjectLock(dir);
  await assert.rejects(
    acquireProjectLock(dir),
    (e: unknown) => e instanceof CliError && e.code === 'locked' && e.message.includes(`pid ${process.pid}`),
  );
  let acquired = false;
  const second = acquireProjectLock(dir, { waitMs: 15_000, pollMs: 10 }).then((lock) => {
    acquired = true;
    return lock;
  });
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(acquired, false, 'the second run must wait while the first holds the lock');
  await first.release();
  await first.release();
  first.releaseSync();
  const lock = await second;
  assert.equal((JSON.parse(readFileSync(lock.file, 'utf8')) as LockHolder).pid, process.pid);
  // A lock that is no longer ours (taken over) is left alone by our release.
  const foreign = { ...(JSON.parse(readFileSync(lock.file, 'utf8')) as LockHolder), nonce: 'someone-else' };
  writeFileSync(lock.file, JSON.stringify(foreign), { mode: 0o600 });
  lock.releaseSync();
  assert.equal(existsSync(lock.file), true);
});

function plantLock(dir: string, holder: Partial<LockHolder> | string): void {
  mkdirSync(path.join(dir, '.redis-setup'), { mode: 0o700, recursive: true });
  const base = { startedAt: '2026-01-01T00:00:00.000Z', procStart: null, host: os.hostname(), nonce: 'planted' };
  const text = typeof holder === 'string' ? holder : JSON.stringify({ ...base, ...holder });
  writeFileSync(path.join(dir, '.redis-setup', 'lock'), text, { mode: 0o600 });
}

test('stale locks are taken over (dead pid, reused pid, garbage); a live holder is refused', SLOW, async (t) => {
  const dir = tempDir(t);
  const dead = spawnSync(process.execPath, ['-e', '']).pid;
  plantLock(dir, { pid: dead });
  await (await acquireProjectLock(dir)).release();

  plantLock(dir, 'not a lock');
  await (await acquireProjectLock(dir)).release();

  const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
  t.after(() => sleeper.kill('SIGKILL'));
  const exited = new Promise((resolve) => sleeper.on('exit', resolve));
  const start = procStartOf(sleeper.pid!);
  if (start !== null) {
    plantLock(dir, { pid: sleeper.pid!, procStart: String(Number(start) + 1) }); // same pid, another process
    await (await acquireProjectLock(dir)).release();
  }
  plantLock(dir, { pid: sleeper.pid!, procStart: start });
  await assert.rejects(
    acquireProjectLock(dir),
    (e: unknown) =>
      e instanceof CliError &&
      e.code === 'locked' &&
      e.message.includes(`pid ${sleeper.pid}, started 2026-01-01T00:00:00.000Z`),
  );
  // Another machine's lock cannot be judged from here: refused, naming the host.
  plantLock(dir, { pid: dead, host: 'build-box-7' });
  await assert.rejects(
    acquireProjectLock(dir),
    (e: unknown) => e instanceof CliError && e.message.includes(`pid ${dead} on build-box-7`),
  );

  plantLock(dir, { pid: sleeper.pid!, procStart: start });
  sleeper.kill('SIGKILL');
  await exited;
  const lock = await acquireProjectLock(dir);
  assert.equal((JSON.parse(readFileSync(lock.file, 'utf8')) as LockHolder).pid, process.pid);
  await lock.release();
  assert.deepEqual(readdirSync(dir), [], 'the empty state folder went with the lock');
});

// ── 3. Saved state that cannot be turned against the user ───────────────────────────────

function isolateGit(t: TestContext, ceiling: string): void {
  const vars = { GIT_CEILING_DIRECTORIES: ceiling, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  t.after(() => {
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  });
}

const stateFor = (dir: string, envPath = path.join(dir, '.env')): BackupState => ({
  version: 1,
  createdAt: '2026-01-02T03:04:05.000Z',
  envFile: { path: envPath, name: 'REDIS_URL', existed: true, previousValue: URL_A },
  services: [{ environment: 'production', service: 'worker', name: 'REDIS_URL', hadValue: true, previousValue: URL_A }],
});

const untrusted = (pattern: RegExp) => (e: unknown) => {
  assert.ok(e instanceof CliError && e.code === 'untrusted-state', `expected untrusted-state, got ${String(e)}`);
  assert.match(e.message, /^Refusing to use .*last-change\.json|^Refusing to use .*\.redis-setup/);
  assert.match(e.message, pattern);
  assert.ok(e.fix);
  assert.doesNotMatch(`${e.message} ${e.fix}`, /old-secret/);
  return true;
};

test('saved state tracked by git is refused; untracked state in the same repository loads', SLOW, async (t) => {
  const dir = tempDir(t);
  isolateGit(t, path.dirname(dir));
  execFileSync('git', ['init', '-q', dir]);
  const file = await saveBackup(dir, stateFor(dir));
  assert.equal(await isTrackedByGit(file), 'untracked');
  assert.deepEqual(await loadBackup(dir), stateFor(dir));
  // Force-added despite the folder's .gitignore, as a repository could carry it.
  execFileSync('git', ['add', '-f', '.redis-setup/last-change.json'], { cwd: dir });
  assert.equal(await isTrackedByGit(file), 'tracked');
  await assert.rejects(loadBackup(dir), untrusted(/it is tracked by git/));
  await assert.rejects(loadBackup(dir), (e: CliError) =>
    (e.fix ?? '').includes('git rm --cached .redis-setup/last-change.json'),
  );
  // Outside any repository: untracked.
  const plain = tempDir(t);
  writeFileSync(path.join(plain, 'f'), '');
  assert.equal(await isTrackedByGit(path.join(plain, 'f')), 'untracked');
});

test('a repository git will not answer for leaves the state unverifiable: refused', AS_ROOT, async (t) => {
  const dir = tempDir(t);
  isolateGit(t, path.dirname(dir));
  execFileSync('git', ['init', '-q', dir]);
  await saveBackup(dir, stateFor(dir));
  chownSync(dir, NOBODY, NOBODY); // git: "detected dubious ownership"; only the top folder changes owner
  assert.equal(await isTrackedByGit(backupPath(dir)), 'unknown');
  await assert.rejects(loadBackup(dir), untrusted(/git could not say whether it is tracked/));
});

test('saved state with the wrong owner or loose modes is refused, saying why', BOUND, async (t) => {
  const dir = tempDir(t);
  const file = await saveBackup(dir, stateFor(dir));
  const folder = path.dirname(file);
  chmodSync(file, 0o644);
  await assert.rejects(loadBackup(dir), untrusted(/its mode is 0644, open to other users \(redis-setup writes 0600\)/));
  chmodSync(file, 0o600);
  chmodSync(folder, 0o755);
  await assert.rejects(loadBackup(dir), untrusted(/\.redis-setup: its mode is 0755/));
  chmodSync(folder, 0o700);
  assert.deepEqual(await loadBackup(dir), stateFor(dir));
  if (isRoot) {
    chownSync(file, NOBODY, NOBODY);
    await assert.rejects(loadBackup(dir), untrusted(/it belongs to uid 65534, not to you \(uid 0\)/));
    chownSync(file, 0, 0);
    chownSync(folder, NOBODY, NOBODY);
    await assert.rejects(loadBackup(dir), untrusted(/\.redis-setup: it belongs to uid 65534/));
    // Nor is such a folder written into.
    await assert.rejects(saveBackup(dir, stateFor(dir)), untrusted(/belongs to uid 65534/));
  }
});

test('symlinked state is refused, and saving never writes or chmods through a planted link', BOUND, async (t) => {
  const dir = tempDir(t);
  const elsewhere = tempDir(t);
  const file = await saveBackup(dir, stateFor(dir));
  const real = path.join(elsewhere, 'real.json');
  writeFileSync(real, readFileSync(file), { mode: 0o600 });
  rmSync(file);
  symlinkSync(real, file);
  await assert.rejects(loadBackup(dir), untrusted(/last-change\.json: it is a symbolic link, not a regular file/));
  // Saving replaces the link itself; the file it pointed at is untouched.
  const before = readFileSync(real, 'utf8');
  await saveBackup(dir, { version: 1, createdAt: 'later', services: [] });
  assert.equal(readFileSync(real, 'utf8'), before);
  assert.ok(lstatSync(file).isFile());
  // A symlinked .redis-setup folder holding a valid-looking state: refused, and the folder it
  // points at keeps its mode and contents.
  rmSync(path.join(dir, '.redis-setup'), { recursive: true });
  const planted = path.join(elsewhere, 'planted');
  mkdirSync(planted, { mode: 0o755 });
  chmodSync(planted, 0o755);
  writeFileSync(path.join(planted, 'last-change.json'), JSON.stringify(stateFor(dir)), { mode: 0o600 });
  symlinkSync(planted, path.join(dir, '.redis-setup'));
  await assert.rejects(loadBackup(dir), untrusted(/\.redis-setup: it is a symbolic link, not a folder/));
  await assert.rejects(saveBackup(dir, stateFor(dir)), untrusted(/symbolic link, not a folder/));
  await assert.rejects(acquireProjectLock(dir), untrusted(/symbolic link, not a folder/));
  assert.equal(modeOf(planted), 0o755);
  assert.deepEqual(readdirSync(planted), ['last-change.json']);
  assert.equal(readFileSync(path.join(planted, 'last-change.json'), 'utf8'), JSON.stringify(stateFor(dir)));
});

test('saved state naming a .env outside the project, or flag-like names: refused', BOUND, async (t) => {
  const dir = tempDir(t);
  const outside = tempDir(t);
  mkdirSync(path.join(dir, 'apps'));
  symlinkSync(outside, path.join(dir, 'apps', 'out'));
  const outsidePaths = [
    `${dir}/../outside/.env`,
    '../outside.env',
    path.join(outside, '.env'),
    `${dir}/apps/out/.env`,
    `${dir}/apps/out/../.env`,
  ];
  for (const envPath of outsidePaths) {
    await saveBackup(dir, stateFor(dir, envPath));
    await assert.rejects(loadBackup(dir), untrusted(/as the \.env to restore, which is outside the project folder/));
  }
  const service = (name: string, variable: string) => ({
    environment: null,
    service: name,
    name: variable,
    hadValue: false,
  });
  await saveBackup(dir, { ...stateFor(dir), services: [service('--help', 'REDIS_URL')] });
  await assert.rejects(loadBackup(dir), untrusted(/service or environment name/));
  await saveBackup(dir, { ...stateFor(dir), services: [service('web', 'A B')] });
  await assert.rejects(loadBackup(dir), untrusted(/not a variable name/));
  await saveBackup(dir, stateFor(dir, path.join(dir, 'apps', 'bot', '.env')));
  assert.equal((await loadBackup(dir))?.envFile?.path, path.join(dir, 'apps', 'bot', '.env'));
});

test('isInsideProject resolves .. and symlinked parents as the kernel does; the file itself may be a link', (t) => {
  const dir = tempDir(t);
  const outside = tempDir(t);
  mkdirSync(path.join(dir, 'sub'));
  symlinkSync(outside, path.join(dir, 'out'));
  symlinkSync(path.join(dir, 'sub'), path.join(dir, 'in'));
  symlinkSync(path.join(outside, 'shared.env'), path.join(dir, '.env'));
  const cases: [string, boolean][] = [
    ['.env', true], // a symlinked .env is the user's choice
    [path.join(dir, 'sub', '.env'), true],
    ['sub/new/deeper/.env', true],
    [path.join(dir, 'in', '.env'), true],
    [`${dir}/../x.env`, false],
    ['../x.env', false],
    [path.join(dir, 'out', '.env'), false],
    [`${dir}/out/../.env`, false], // lexically inside, physically the parent of `outside`
    [`${dir}/missing/../.env`, false],
    [dir, false],
    [path.join(outside, '.env'), false],
  ];
  for (const [candidate, inside] of cases) assert.equal(isInsideProject(dir, candidate), inside, candidate);
});
