// What npm users get: the packed tarball runs through npx, with --help and --version.
// `prepare` builds before a real pack; here the suite has just built, and a rebuild would pull
// dist/ from under the tests running beside this one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from './helpers/cli.ts';

test('npm pack, then npx --package ./redis-setup-<v>.tgz redis-setup --help and --version', {
  timeout: 120_000,
}, () => {
  const out = mkdtempSync(path.join(tmpdir(), 'pack-'));
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', out], {
      cwd: ROOT,
      encoding: 'utf8',
    }),
  ) as { filename: string; files: { path: string }[] }[];
  const files = packed[0]!.files.map((f) => f.path);
  assert.ok(files.includes('bin/redis-setup.js'));
  assert.ok(files.includes('dist/cli.js'));
  assert.ok(files.includes('templates/patterns.json') && files.includes('templates/env.template'));
  assert.ok(!files.some((f) => f.startsWith('src/') || f.startsWith('test/')), `sources shipped: ${files.join(', ')}`);
  const tgz = path.join(out, readdirSync(out).find((f) => f.endsWith('.tgz'))!);
  const run = (arg: string) =>
    execFileSync('npx', ['--yes', '--package', tgz, 'redis-setup', arg], {
      cwd: out,
      encoding: 'utf8',
      env: { ...process.env, npm_config_cache: path.join(out, 'npm-cache'), npm_config_prefer_offline: 'true' },
    });
  const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  assert.equal(run('--version').trim(), version);
  assert.match(run('--help'), /Usage\n {2}npx redis-setup/);
});
