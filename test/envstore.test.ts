// The .env and backup files on disk: atomic writes, 0600 modes, templates, git-ignore checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'dotenv';
import { removeEnvVar, updateEnvFile } from '../src/edge/envstore.ts';
import { readEnvReadings, readEnvValue } from '../src/edge/dotenv-read.ts';
import { writeEnvAtomic } from '../src/edge/secret-file.ts';
import { backupPath, clearBackup, loadBackup, saveBackup, type BackupState } from '../src/edge/backup-store.ts';
import { addToGitignore, gitIgnoreStatus } from '../src/edge/git.ts';
import { CliError } from '../src/errors.ts';

const TEMPLATE = path.resolve(import.meta.dirname, '../templates/env.template');
const URL_A = 'redis://default:old-secret@a.upstash.io:6379';
const URL_B = 'rediss://default:new#secret@b.upstash.io:6380/0?x=1&y=%2F';

function tempDir(t: { after: (fn: () => void) => void }): string {
  // realpath: on macOS the tmpdir is a symlink, and the writer resolves links.
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'redis-setup-envstore-')));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Point git at no global/system config and stop its repository search at `ceiling`. */
function isolateGit(t: { after: (fn: () => void) => void }, ceiling: string): void {
  const vars = { GIT_CEILING_DIRECTORIES: ceiling, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  t.after(() => {
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  });
}

const modeOf = (p: string) => statSync(p).mode & 0o777;
const noTempFiles = (dir: string) =>
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.endsWith('.tmp')),
    [],
  );

test('a missing .env is created from the template with mode 0600', async (t) => {
  const dir = tempDir(t);
  const env = path.join(dir, '.env');
  const r = await updateEnvFile({ path: env, name: 'REDIS_URL', value: URL_B, templatePath: TEMPLATE });
  assert.deepEqual(r, { path: env, created: true, changed: true, modeTightened: false });
  const text = readFileSync(env, 'utf8');
  assert.match(text, /^# Created by redis-setup/);
  assert.equal(parse(text).REDIS_URL, URL_B);
  assert.equal(modeOf(env), 0o600);
  noTempFiles(dir);
});

test('a missing template still gives a valid .env', async (t) => {
  const dir = tempDir(t);
  const env = path.join(dir, '.env');
  await updateEnvFile({ path: env, name: 'REDIS_URL', value: URL_A, templatePath: path.join(dir, 'nope.template') });
  assert.equal(readFileSync(env, 'utf8'), `REDIS_URL=${URL_A}\n`);
});

test('an existing 0644 .env is updated in place byte for byte and tightened to 0600', async (t) => {
  const dir = tempDir(t);
  const env = path.join(dir, '.env');
  const before = `# app\r\n\r\nexport A=1\r\nREDIS_URL='${URL_A}' # prod\r\nB="x y"`;
  writeFileSync(env, before);
  chmodSync(env, 0o644);
  const r = await updateEnvFile({ path: env, name: 'REDIS_URL', value: URL_B, templatePath: TEMPLATE });
  assert.deepEqual(r, { path: env, created: false, changed: true, previous: URL_A, modeTightened: true });
  assert.equal(readFileSync(env, 'utf8'), before.replace(URL_A, URL_B));
  assert.equal(modeOf(env), 0o600);
  noTempFiles(dir);
});

test('the same value: the file is not rewritten, only its loose mode is tightened', async (t) => {
  const dir = tempDir(t);
  const env = path.join(dir, '.env');
  writeFileSync(env, `REDIS_URL=${URL_A}`);
  chmodSync(env, 0o640);
  const inode = statSync(env).ino;
  const r = await updateEnvFile({ path: env, name: 'REDIS_URL', value: URL_A, templatePath: TEMPLATE });
  assert.deepEqual(r, { path: env, created: false, changed: false, previous: URL_A, modeTightened: true });
  assert.equal(statSync(env).ino, inode);
  assert.equal(modeOf(env), 0o600);
  const again = await updateEnvFile({ path: env, name: 'REDIS_URL', value: URL_A, templatePath: TEMPLATE });
  assert.equal(again.modeTightened, false);
});

test('a symlinked .env: the link stays and its target changes', async (t) => {
  const dir = tempDir(t);
  const real = path.join(dir, 'shared.env');
  const env = path.join(dir, '.env');
  writeFileSync(real, 'A=1\n');
  symlinkSync(real, env);
  await updateEnvFile({ path: env, name: 'REDIS_URL', value: URL_A, templatePath: TEMPLATE });
  assert.ok(lstatSync(env).isSymbolicLink());
  assert.equal(realpathSync(env), real);
  assert.equal(readFileSync(real, 'utf8'), `A=1\nREDIS_URL=${URL_A}\n`);
});

test('a failed rename leaves the old target intact and no temp file (target is a directory)', async (t) => {
  const dir = tempDir(t);
  const target = path.join(dir, '.env');
  mkdirSync(target);
  writeFileSync(path.join(target, 'keep'), 'kept');
  await assert.rejects(
    writeEnvAtomic(target, `REDIS_URL=${URL_A}\n`),
    (e: NodeJS.ErrnoException) => typeof e.code === 'string',
  );
  assert.equal(readFileSync(path.join(target, 'keep'), 'utf8'), 'kept');
  assert.deepEqual(readdirSync(dir), ['.env']);
  // Through updateEnvFile it is a CliError that names the file, never the value.
  await assert.rejects(
    updateEnvFile({ path: target, name: 'REDIS_URL', value: URL_A, templatePath: TEMPLATE }),
    (e: unknown) =>
      e instanceof CliError && e.code === 'env-file' && e.message.includes(target) && !e.message.includes('old-secret'),
  );
  assert.deepEqual(readdirSync(dir), ['.env']);
});

test('an unwritable value leaves the existing file untouched', async (t) => {
  const dir = tempDir(t);
  const env = path.join(dir, '.env');
  writeFileSync(env, `REDIS_URL=${URL_A}\n`);
  await assert.rejects(
    updateEnvFile({ path: env, name: 'REDIS_URL', value: 'a\nb', templatePath: TEMPLATE }),
    (e: unknown) => e instanceof CliError && e.code === 'env-value',
  );
  assert.equal(readFileSync(env, 'utf8'), `REDIS_URL=${URL_A}\n`);
  noTempFiles(dir);
});

test('removeEnvVar drops the line and keeps the rest; a missing file is not an error', async (t) => {
  const dir = tempDir(t);
  const env = path.join(dir, '.env');
  writeFileSync(env, `# c\nREDIS_URL=${URL_A}\nB=2\n`);
  assert.equal(await removeEnvVar(env, 'REDIS_URL'), true);
  assert.equal(readFileSync(env, 'utf8'), '# c\nB=2\n');
  assert.equal(await removeEnvVar(env, 'REDIS_URL'), false);
  assert.equal(await removeEnvVar(path.join(dir, 'missing.env'), 'REDIS_URL'), false);
});

test('backup: saved 0600 in a 0700 folder that git-ignores itself; loads back; clears', async (t) => {
  const dir = tempDir(t);
  const state: BackupState = {
    version: 1,
    createdAt: '2026-01-02T03:04:05.000Z',
    envFile: { path: path.join(dir, '.env'), name: 'REDIS_URL', existed: true, previousValue: URL_A },
    services: [
      { environment: 'production', service: 'worker', name: 'REDIS_URL', hadValue: true, previousValue: URL_A },
      { environment: null, service: 'web', name: 'REDIS_URL', hadValue: false },
    ],
  };
  assert.equal(await loadBackup(dir), undefined);
  mkdirSync(path.join(dir, '.redis-setup'), { mode: 0o755 });
  chmodSync(path.join(dir, '.redis-setup'), 0o755);
  const file = await saveBackup(dir, state);
  assert.equal(file, backupPath(dir));
  assert.equal(file, path.join(dir, '.redis-setup', 'last-change.json'));
  assert.equal(modeOf(file), 0o600);
  assert.equal(modeOf(path.dirname(file)), 0o700);
  assert.equal(readFileSync(path.join(dir, '.redis-setup', '.gitignore'), 'utf8'), '*\n');
  assert.deepEqual(await loadBackup(dir), state);
  noTempFiles(path.dirname(file));

  await saveBackup(dir, { ...state, services: [] }); // overwrites atomically
  assert.deepEqual((await loadBackup(dir))?.services, []);

  await clearBackup(dir);
  assert.equal(await loadBackup(dir), undefined);
  assert.deepEqual(readdirSync(dir), []);
  await clearBackup(dir); // nothing there: fine
});

test('backup: a damaged file is a clear error that does not quote its contents', async (t) => {
  const dir = tempDir(t);
  mkdirSync(path.join(dir, '.redis-setup'), { mode: 0o700 });
  for (const bad of [
    '{not json',
    JSON.stringify({ version: 2, services: [] }),
    JSON.stringify({ version: 1, createdAt: 'x', services: [{ service: URL_A }] }),
  ]) {
    writeFileSync(backupPath(dir), bad, { mode: 0o600 });
    await assert.rejects(
      loadBackup(dir),
      (e: unknown) => e instanceof CliError && e.code === 'bad-backup' && !e.message.includes('old-secret'),
    );
  }
});

test('git check-ignore: no-git outside a repo, not-ignored, then ignored after addToGitignore', async (t) => {
  const dir = tempDir(t);
  const env = path.join(dir, '.env');
  writeFileSync(env, 'A=1\n');
  // Keep git from finding a repository above the temp folder, and from a global excludes file
  // (a machine that ignores .env globally would make 'not-ignored' untestable).
  isolateGit(t, path.dirname(dir));

  assert.equal(await gitIgnoreStatus(env), 'no-git');
  execFileSync('git', ['init', '-q', dir]);
  assert.equal(await gitIgnoreStatus(env), 'not-ignored');
  writeFileSync(path.join(dir, '.gitignore'), 'node_modules');
  assert.equal(await addToGitignore(dir, '.env'), true);
  assert.equal(readFileSync(path.join(dir, '.gitignore'), 'utf8'), 'node_modules\n.env\n');
  assert.equal(await gitIgnoreStatus(env), 'ignored');
  assert.equal(await addToGitignore(dir, '.env'), false);
  assert.equal(readFileSync(path.join(dir, '.gitignore'), 'utf8'), 'node_modules\n.env\n');
  // A .env in a subfolder is checked from its own folder.
  mkdirSync(path.join(dir, 'apps'));
  assert.equal(await gitIgnoreStatus(path.join(dir, 'apps', '.env')), 'ignored');
  assert.equal(await gitIgnoreStatus(path.join(dir, 'apps', 'other.env')), 'not-ignored');
});

test('addToGitignore keeps CRLF files CRLF and creates a missing .gitignore', async (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, '.gitignore'), 'dist\r\n*.log');
  await addToGitignore(dir, '.env');
  assert.equal(readFileSync(path.join(dir, '.gitignore'), 'utf8'), 'dist\r\n*.log\r\n.env\r\n');
  const fresh = tempDir(t);
  await addToGitignore(fresh, '.env');
  assert.equal(readFileSync(path.join(fresh, '.gitignore'), 'utf8'), '.env\n');
});

test('writeEnvAtomic replaces the file by rename: a reader of the old file still sees the old bytes', async (t) => {
  const dir = tempDir(t);
  const env = path.join(dir, '.env');
  writeFileSync(env, 'OLD=1\n');
  chmodSync(env, 0o644);
  const fd = openSync(env, 'r');
  t.after(() => closeSync(fd));
  const r = await writeEnvAtomic(env, 'NEW=2\n');
  assert.deepEqual(r, { modeTightened: true });
  const buf = Buffer.alloc(64);
  assert.equal(buf.subarray(0, readSync(fd, buf, 0, 64, 0)).toString(), 'OLD=1\n');
  assert.equal(readFileSync(env, 'utf8'), 'NEW=2\n');
  assert.equal(modeOf(env), 0o600);
  noTempFiles(dir);
  // A new file: nothing to tighten.
  assert.deepEqual(await writeEnvAtomic(path.join(dir, 'fresh.env'), 'A=1\n'), { modeTightened: false });
  assert.equal(modeOf(path.join(dir, 'fresh.env')), 0o600);
});

test('a permissive umask does not loosen the 0600 mode of a created file', async (t) => {
  const dir = tempDir(t);
  const previous = process.umask(0o000);
  try {
    await updateEnvFile({ path: path.join(dir, '.env'), name: 'REDIS_URL', value: URL_A, templatePath: TEMPLATE });
  } finally {
    process.umask(previous);
  }
  assert.equal(modeOf(path.join(dir, '.env')), 0o600);
});

test('a .env in a folder that does not exist: CliError naming the file, nothing created', async (t) => {
  const dir = tempDir(t);
  const env = path.join(dir, 'missing', '.env');
  await assert.rejects(
    updateEnvFile({ path: env, name: 'REDIS_URL', value: URL_A, templatePath: TEMPLATE }),
    (e: unknown) =>
      e instanceof CliError &&
      e.code === 'env-file' &&
      e.message.includes(env) &&
      e.message.includes('ENOENT') &&
      !e.message.includes('old-secret'),
  );
  assert.deepEqual(readdirSync(dir), []);
});

test('updateEnvFile appends an absent variable with the file line ending and keeps every other byte', async (t) => {
  const dir = tempDir(t);
  const env = path.join(dir, '.env');
  const before = "# keep me\r\nexport A=1\r\n\r\nB='two' # note";
  writeFileSync(env, before, { mode: 0o600 });
  const r = await updateEnvFile({ path: env, name: 'REDIS_URL', value: URL_B, templatePath: TEMPLATE });
  assert.deepEqual(r, { path: env, created: false, changed: true, modeTightened: false });
  assert.equal(readFileSync(env, 'utf8'), `${before}\r\nREDIS_URL="${URL_B}"\r\n`);
  assert.equal(parse(readFileSync(env)).REDIS_URL, URL_B);
});

test('removeEnvVar writes atomically at 0600 and keeps the following comment', async (t) => {
  const dir = tempDir(t);
  const env = path.join(dir, '.env');
  writeFileSync(env, `REDIS_URL=${URL_A}\n# about B\nB=2\n`);
  chmodSync(env, 0o644);
  assert.equal(await removeEnvVar(env, 'REDIS_URL'), true);
  assert.equal(readFileSync(env, 'utf8'), '# about B\nB=2\n');
  assert.equal(modeOf(env), 0o600);
  noTempFiles(dir);
});

test('backup: a folder in its place is refused; a stray .gitignore is reset to *', async (t) => {
  const dir = tempDir(t);
  mkdirSync(backupPath(dir), { recursive: true, mode: 0o700 });
  chmodSync(path.dirname(backupPath(dir)), 0o700);
  await assert.rejects(
    loadBackup(dir),
    (e: unknown) =>
      e instanceof CliError &&
      e.code === 'untrusted-state' &&
      e.message.includes(backupPath(dir)) &&
      e.message.includes('it is a directory, not a regular file'),
  );
  rmSync(backupPath(dir), { recursive: true });
  writeFileSync(path.join(dir, '.redis-setup', '.gitignore'), '!last-change.json\n');
  await saveBackup(dir, { version: 1, createdAt: 'now', services: [] });
  assert.equal(readFileSync(path.join(dir, '.redis-setup', '.gitignore'), 'utf8'), '*\n');
  assert.deepEqual(await loadBackup(dir), { version: 1, createdAt: 'now', services: [] });
});

test('backup folder is ignored by git through its own .gitignore', async (t) => {
  const dir = tempDir(t);
  isolateGit(t, path.dirname(dir));
  execFileSync('git', ['init', '-q', dir]);
  const file = await saveBackup(dir, { version: 1, createdAt: 'now', services: [] });
  assert.equal(await gitIgnoreStatus(file), 'ignored');
});

test('addToGitignore: an entry already listed (CRLF, surrounding spaces) is not added twice', async (t) => {
  const dir = tempDir(t);
  const before = 'dist\r\n  .env  \r\n';
  writeFileSync(path.join(dir, '.gitignore'), before);
  assert.equal(await addToGitignore(dir, '.env'), false);
  assert.equal(readFileSync(path.join(dir, '.gitignore'), 'utf8'), before);
  // Another entry goes after the last line, keeping the existing bytes.
  assert.equal(await addToGitignore(dir, '.env.local'), true);
  assert.equal(readFileSync(path.join(dir, '.gitignore'), 'utf8'), `${before}.env.local\r\n`);
});

test('bytes: invalid UTF-8, a binary prefix, a BOM and CRLF elsewhere survive an edit', async (t) => {
  const dir = tempDir(t);
  const env = path.join(dir, '.env');
  const head = Buffer.concat([
    Buffer.from([0xef, 0xbb, 0xbf, 0x00, 0xff, 0xfe, 0x80]),
    Buffer.from('\n# caf'),
    Buffer.from([0xe9]),
    Buffer.from(' latin-1 comment\r\nA=1\r\n'),
  ]);
  const tail = Buffer.concat([Buffer.from('\r\nB='), Buffer.from([0xc3, 0x28]), Buffer.from('\r\n')]);
  writeFileSync(env, Buffer.concat([head, Buffer.from(`REDIS_URL=${URL_A}`), tail]));
  const r = await updateEnvFile({
    path: env,
    name: 'REDIS_URL',
    value: 'redis://default:n3w@h:1',
    templatePath: TEMPLATE,
  });
  assert.equal(r.previous, URL_A);
  assert.deepEqual(readFileSync(env), Buffer.concat([head, Buffer.from('REDIS_URL=redis://default:n3w@h:1'), tail]));
  assert.equal(await removeEnvVar(env, 'REDIS_URL'), true);
  assert.deepEqual(readFileSync(env), Buffer.concat([head, tail.subarray(2)]));
});

test('bytes: an appended variable leaves every existing byte, including invalid UTF-8 at the end', async (t) => {
  const dir = tempDir(t);
  const env = path.join(dir, '.env');
  const before = Buffer.concat([Buffer.from('A=1\n# '), Buffer.from([0xfe, 0xfd]), Buffer.from('\n')]);
  writeFileSync(env, before);
  await updateEnvFile({ path: env, name: 'REDIS_URL', value: URL_A, templatePath: TEMPLATE });
  assert.deepEqual(readFileSync(env), Buffer.concat([before, Buffer.from(`REDIS_URL=${URL_A}\n`)]));
});

test('readEnvReadings: Python and Node readings of one file; a file python-dotenv cannot decode', async (t) => {
  const dir = tempDir(t);
  const env = path.join(dir, '.env');
  writeFileSync(env, 'REDIS_PASSWORD=pw-from-file\nREDIS_URL=redis://:${REDIS_PASSWORD}@h:1\n');
  assert.deepEqual(await readEnvReadings(env, 'REDIS_URL', {}), {
    python: 'redis://:pw-from-file@h:1',
    node: 'redis://:${REDIS_PASSWORD}@h:1',
    pythonUnreadable: false,
  });
  assert.equal(await readEnvValue(env, 'REDIS_URL'), 'redis://:pw-from-file@h:1');
  writeFileSync(env, Buffer.concat([Buffer.from('# '), Buffer.from([0xff]), Buffer.from('\nREDIS_URL=redis://h:1\n')]));
  assert.deepEqual(await readEnvReadings(env, 'REDIS_URL', {}), { node: 'redis://h:1', pythonUnreadable: true });
  assert.equal(await readEnvReadings(path.join(dir, 'missing'), 'REDIS_URL'), undefined);
});
