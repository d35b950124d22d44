// Options, once per command: every flag is checked before any I/O and a bad one is named.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkFlags, doctorFlags, restoreFlags, setupFlags, setupOptions } from '../../src/core/options.ts';
import { UsageError } from '../../src/errors.ts';

const usage = (f: () => unknown, pattern: RegExp) => {
  assert.throws(
    f,
    (e: unknown) => e instanceof UsageError && pattern.test(e.message),
    `expected a UsageError matching ${pattern}`,
  );
};

test('a bad number of seconds names the flag and the value, for every command', () => {
  usage(() => doctorFlags({ timeout: 'soon' }), /--timeout must be a number of seconds.*\(got "soon"\)/);
  usage(() => checkFlags({ timeout: '0' }), /--timeout must be between 1 and 3600/);
  usage(() => setupFlags({ settle: '-1' }), /--settle must be a number of seconds/);
  usage(() => restoreFlags({ timeout: '99999' }), /--timeout must be between 1 and 3600/);
  assert.equal(setupFlags({ settle: '0' }).settle, 0, 'a settle window of 0 is allowed');
});

test('enums, lists and names are checked at the flag, not when a path happens to use them', () => {
  usage(() => setupFlags({ 'upstash-region': 'mars' }), /--upstash-region must be one of us-east-1/);
  usage(() => setupFlags({ provider: 'heroku' }), /--provider must be one of railway, upstash, url, reference/);
  usage(() => setupFlags({ 'on-failure': 'retry' }), /--on-failure must be one of rollback, keep/);
  usage(() => setupFlags({ services: ' , ' }), /--services is empty/);
  usage(() => setupFlags({ roles: 'bot=chef' }), /--roles .*unknown role "chef"/);
  usage(() => setupFlags({ var: '1BAD' }), /--var must be an environment variable name/);
});

test('a flag of another command is refused by name', () => {
  usage(() => checkFlags({ services: 'bot' }), /--services is not a flag of this command/);
  usage(() => doctorFlags({ yes: true }), /--yes is not a flag of this command/);
});

test('--on-failure is left unset unless given: a person is asked, a script keeps', () => {
  assert.equal(setupOptions(setupFlags({}), undefined, '/p').onFailure, undefined);
  assert.equal(setupOptions(setupFlags({ 'on-failure': 'rollback' }), undefined, '/p').onFailure, 'rollback');
});

test('flags win over redis-setup.json, which wins over the defaults; the result is frozen', () => {
  const config = {
    variable: 'CACHE_URL',
    timeoutSeconds: 60,
    settleSeconds: 3,
    services: [{ name: 'bot', role: 'bot' as const }],
  };
  const o = setupOptions(setupFlags({ timeout: '30', roles: 'worker=worker' }), config, '/p');
  assert.equal(o.timeoutMs, 30_000);
  assert.equal(o.settleMs, 3000);
  assert.equal(o.variable, 'CACHE_URL');
  assert.equal(o.envFile, '/p/.env');
  assert.deepEqual(o.roles, [
    { name: 'worker', role: 'worker' },
    { name: 'bot', role: 'bot' },
  ]);
  assert.equal(Object.isFrozen(o), true);
  const d = setupOptions(setupFlags({}), undefined, '/p');
  assert.equal(d.timeoutMs, 180_000);
  assert.equal(d.settleMs, 10_000);
  assert.equal(d.variable, 'REDIS_URL');
  assert.deepEqual(d.environments, [undefined]);
});

test('contradictions are refused up front', () => {
  usage(
    () => setupOptions(setupFlags({ url: 'redis://x', 'url-stdin': true }), undefined, '/p'),
    /--url or --url-stdin, not both/,
  );
  usage(
    () => setupOptions(setupFlags({ provider: 'railway', 'upstash-db': 'db' }), undefined, '/p'),
    /need --provider upstash/,
  );
  for (const provider of ['railway', 'reference']) {
    usage(
      () => setupOptions(setupFlags({ provider, url: 'redis://x' }), undefined, '/p'),
      new RegExp(`--provider ${provider} takes its value from the Redis service`),
    );
    usage(() => setupOptions(setupFlags({ provider, 'url-stdin': true }), undefined, '/p'), /would be ignored/);
  }
  assert.equal(setupOptions(setupFlags({ provider: 'url', url: 'redis://x' }), undefined, '/p').provider, 'url');
  const implied = setupOptions(setupFlags({ 'upstash-reset-password': true }), undefined, '/p');
  assert.equal(implied.provider, 'upstash');
});
