// The .env and backup files on disk: atomic writes, 0600 modes, templates, git-ignore checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'dotenv';
import {
  addToGitignore, backupPath, clearBackup, gitIgnoreStatus, loadBackup, removeEnvVar, saveBackup, updateEnvFile, writeEnvAtomic,
  type BackupState,
} from '../src/edge/envstore.ts';
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

const modeOf = (p: string) => statSync(p).mode & 0o777;
const noTempFiles = (dir: string) => assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);

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
  await assert.rejects(writeEnvAtomic(target, `REDIS_URL=${URL_A}\n`), (e: NodeJS.ErrnoException) => typeof e.code === 'string');
  assert.equal(readFileSync(path.join(target, 'keep'), 'utf8'), 'kept');
  assert.deepEqual(readdirSync(dir), ['.env']);
  // Through updateEnvFile it is a CliError that names the file, never the value.
  await assert.rejects(updateEnvFile({ path: target, name: 'REDIS_URL', value: URL_A, templatePath: TEMPLATE }),
    (e: unknown) => e instanceof CliError && e.code === 'env-file' && e.message.includes(target) && !e.message.includes('old-secret'));
  assert.deepEqual(readdirSync(dir), ['.env']);
});

test('an unwritable value leaves the existing file untouched', async (t) => {
  const dir = tempDir(t);
  const env = path.join(dir, '.env');
  writeFileSync(env, `REDIS_URL=${URL_A}\n`);
  await assert.rejects(updateEnvFile({ path: env, name: 'REDIS_URL', value: 'a\nb', templatePath: TEMPLATE }), (e: unknown) => e instanceof CliError && e.code === 'env-value');
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
  mkdirSync(path.join(dir, '.redis-setup'));
  for (const bad of ['{not json', JSON.stringify({ version: 2, services: [] }), JSON.stringify({ version: 1, createdAt: 'x', services: [{ service: URL_A }] })]) {
    writeFileSync(backupPath(dir), bad);
    await assert.rejects(loadBackup(dir), (e: unknown) => e instanceof CliError && e.code === 'bad-backup' && !e.message.includes('old-secret'));
  }
});

test('git check-ignore: no-git outside a repo, not-ignored, then ignored after addToGitignore', async (t) => {
  const dir = tempDir(t);
  const env = path.join(dir, '.env');
  writeFileSync(env, 'A=1\n');
  // Keep git from finding a repository above the temp folder.
  const ceiling = process.env.GIT_CEILING_DIRECTORIES;
  process.env.GIT_CEILING_DIRECTORIES = path.dirname(dir);
  t.after(() => { if (ceiling === undefined) delete process.env.GIT_CEILING_DIRECTORIES; else process.env.GIT_CEILING_DIRECTORIES = ceiling; });

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
