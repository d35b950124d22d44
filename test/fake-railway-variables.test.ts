// The fake's variables beyond `variable set`: sealed values by CLI version (PR #1164), shared variables,
// `environment config --json` (v4.27+), `environment edit` (v4.26+) and how older CLIs treat those words.
// Facts: railway-cli.md §1 environment/variable, railway-cli-since-5.43.md §1.1, §3a, §3b.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { cleanUpFakes, createFakeRailway, type FakeRailway, type FakeRailwayOptions } from './helpers/fake-railway.js';

const T = { timeout: 30_000 };
const PASSWORD = 'vars-test-password';
const fakes: FakeRailway[] = [];

after(async () => assert.deepEqual(await cleanUpFakes(fakes), [], 'app process groups survived cleanup'));

async function fake(opts: Partial<FakeRailwayOptions> = {}): Promise<FakeRailway> {
  const f = await createFakeRailway({
    redis: { password: PASSWORD, port: 6399 },
    services: [
      {
        name: 'bot',
        variables: { REDIS_URL: '${{Redis.REDIS_URL}}', API_KEY: 'sk-sealed-value' },
        sealed: ['API_KEY'],
      },
      { name: 'worker', variables: { REDIS_URL: '${{shared.REDIS_URL}}' } },
      { name: 'web', variables: { CACHE: 'none' } },
    ],
    sharedVariables: { REDIS_URL: 'redis://shared-host:6379', SESSION: 'abc' },
    timing: { buildMs: 50, successAfterMs: 100 },
    ...opts,
  });
  fakes.push(f);
  return f;
}

const sealedPrefix = (stdout: string) => stdout.split('\n').filter((l) => /API_KEY/.test(l));

describe('fake railway variables', () => {
  test('sealed: omitted by 5.43.1, null / comment / <sealed> from 5.44.0; delete finds it only then', T, async () => {
    const old = await fake({ cliVersion: '5.43.1' });
    const oldList = JSON.parse((await old.run(['variable', 'list', '-s', 'bot', '--json'])).stdout) as Record<
      string,
      unknown
    >;
    assert.equal('API_KEY' in oldList, false, 'the CLI drops null values before PR #1164');
    assert.deepEqual(sealedPrefix((await old.run(['variable', 'list', '-s', 'bot', '--kv'])).stdout), []);
    const oldDelete = await old.run(['variable', 'delete', 'API_KEY', '-s', 'bot']);
    assert.deepEqual([oldDelete.exitCode, oldDelete.stderr], [1, "Variable 'API_KEY' not found"]);

    const f = await fake({ cliVersion: '5.44.0' });
    const list = JSON.parse((await f.run(['variable', 'list', '-s', 'bot', '--json'])).stdout) as Record<
      string,
      unknown
    >;
    assert.equal(list.API_KEY, null);
    assert.deepEqual(sealedPrefix((await f.run(['variable', 'list', '-s', 'bot', '--kv'])).stdout), [
      '# API_KEY is sealed; its value cannot be read',
    ]);
    assert.match((await f.run(['variable', 'list', '-s', 'bot'])).stdout, /API_KEY +│ <sealed>/);
    for (const c of [
      await f.run(['variable', 'list', '-s', 'bot', '--json']),
      await f.run(['variable', 'list', '-s', 'bot', '--kv']),
    ]) {
      assert.ok(!c.stdout.includes('sk-sealed-value'), 'the sealed value never leaves the API');
    }
    const del = await f.run(['variable', 'delete', 'API_KEY', '-s', 'bot', '--json']);
    assert.equal(del.exitCode, 0, del.stderr);
    assert.equal('API_KEY' in f.rawVariables('bot'), false);
  });

  test('a deployment still receives the sealed value', T, async () => {
    const f = await fake({ cliVersion: '5.44.0' });
    const d = await f.deploy('bot', { wait: false });
    assert.equal(d.variables.API_KEY, 'sk-sealed-value');
    assert.equal(d.variables.REDIS_URL, `redis://default:${PASSWORD}@redis.railway.internal:6379`);
  });

  test(
    'shared variables are per environment and render only into services that reference ${{shared.KEY}}',
    T,
    async () => {
      const f = await fake({ environments: ['production', 'staging'] });
      f.setVariable('worker', 'REDIS_URL', '${{shared.REDIS_URL}}', 'staging');
      f.setSharedVariable('REDIS_URL', 'redis://staging-host:6379', 'staging');
      const prod = JSON.parse((await f.run(['variable', 'list', '-s', 'worker', '--json'])).stdout) as Record<
        string,
        string
      >;
      const staging = JSON.parse(
        (await f.run(['variable', 'list', '-s', 'worker', '-e', 'staging', '--json'])).stdout,
      ) as Record<string, string>;
      assert.equal(prod.REDIS_URL, 'redis://shared-host:6379');
      assert.equal(staging.REDIS_URL, 'redis://staging-host:6379');
      const web = JSON.parse((await f.run(['variable', 'list', '-s', 'web', '--json'])).stdout) as Record<
        string,
        string
      >;
      assert.equal('SESSION' in web, false, 'no reference, no shared variable');
    },
  );

  test(
    'environment config --json: raw values keyed by service id, shared variables, sealed as {"isSealed":true}',
    T,
    async () => {
      const f = await fake();
      const r = await f.run(['environment', 'config', '--json']);
      assert.equal(r.exitCode, 0, r.stderr);
      assert.equal(r.stderr, '', 'no fake_select echo with --json');
      const config = JSON.parse(r.stdout) as {
        services: Record<string, { source: unknown; variables?: Record<string, unknown> }>;
        sharedVariables: Record<string, unknown>;
      };
      const ids = f.ids().services;
      assert.deepEqual(Object.keys(config), ['services', 'sharedVariables']);
      assert.deepEqual(config.services[ids.bot!], {
        source: { repo: 'acme/bot', branch: 'main' },
        variables: { API_KEY: { isSealed: true }, REDIS_URL: { value: '${{Redis.REDIS_URL}}' } },
      });
      assert.deepEqual(config.services[ids.Redis!]!.source, { image: 'redis:8.2.1' });
      assert.deepEqual(config.services[ids.Redis!]!.variables!.REDIS_URL, {
        value: 'redis://${{REDISUSER}}:${{REDIS_PASSWORD}}@${{REDISHOST}}:${{REDISPORT}}',
      });
      assert.deepEqual(config.sharedVariables, {
        REDIS_URL: { value: 'redis://shared-host:6379' },
        SESSION: { value: 'abc' },
      });

      const human = await f.run(['environment', 'config']);
      assert.equal(human.stderr, '> Environment production');
      assert.match(human.stdout, /Shared Variables: 2/);
    },
  );

  test(
    'environment edit: one stdin patch sets a shared value and a reference, and deploys each affected service once',
    T,
    async () => {
      const f = await fake();
      const ids = f.ids();
      const patch = {
        sharedVariables: { REDIS_URL: { value: 'redis://default:rotated@redis.railway.internal:6379' } },
        services: { [ids.services.bot!]: { variables: { REDIS_URL: { value: '${{shared.REDIS_URL}}' } } } },
      };
      const r = await f.run(['environment', 'edit', '--json', '-m', 'rotate redis'], { input: JSON.stringify(patch) });
      assert.equal(r.exitCode, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout), {
        committed: true,
        environmentId: ids.environments.production,
        environmentName: 'production',
        message: 'rotate redis',
        staged: true,
      });
      assert.equal(r.stdout, JSON.stringify(JSON.parse(r.stdout)), 'one line, keys sorted');
      assert.deepEqual(r.stderr.split('\n'), [
        '> Environment production',
        '> Input stdin (JSON)',
        '> Apply changes now? Yes',
        '> Commit message rotate redis',
      ]);
      assert.equal(f.rawVariables('bot').REDIS_URL, '${{shared.REDIS_URL}}');
      assert.equal(f.rawVariables(null).SESSION, 'abc', 'untouched shared keys stay');
      assert.deepEqual(
        ['bot', 'worker', 'web'].map((s) => f.deployments(s).length),
        [1, 1, 0],
      );
      assert.equal(f.deployments('bot')[0]!.variables.REDIS_URL, 'redis://default:rotated@redis.railway.internal:6379');
    },
  );

  test(
    'environment edit: --stage only stages, empty stdin is "No changes to apply", unknown keys and names',
    T,
    async () => {
      const f = await fake();
      const staged = await f.run(['environment', 'edit', '--json', '--stage'], {
        input: '{"sharedVariables":{"SESSION":{"value":"new"}}}',
      });
      assert.equal(staged.exitCode, 0, staged.stderr);
      assert.deepEqual(JSON.parse(staged.stdout), {
        committed: false,
        environmentId: f.ids().environments.production,
        environmentName: 'production',
        staged: true,
      });
      assert.equal(f.rawVariables(null).SESSION, 'abc', 'staged, not applied');
      assert.equal(f.deployments().filter((d) => d.service !== 'Redis').length, 0);

      const empty = await f.run(['environment', 'edit', '--json']);
      assert.equal(empty.stdout, '{"committed":false,"message":"No changes to apply","staged":false}');
      // Gotcha (facts sheet §1 environment): stdin that is not a terminal wins over --service-config.
      const flags = await f.run(['environment', 'edit', '-s', 'web', 'variables.CACHE.value', 'redis', '--json']);
      assert.equal(flags.stdout, empty.stdout);
      assert.equal(f.rawVariables('web').CACHE, 'none');
      const unknown = await f.run(['environment', 'edit', '--json'], {
        input: '{"services":{"nope":{"variables":{}}}}',
      });
      assert.deepEqual(
        [unknown.exitCode, unknown.stderr.split('\n').at(-1)],
        [1, "Service 'nope' not found in environment. Available services: Redis, bot, worker, web"],
      );
      const badJson = await f.run(['environment', 'edit'], { input: '{oops' });
      assert.equal(
        badJson.stderr.split('\n').at(-4),
        'Failed to parse stdin as JSON. Expected EnvironmentConfig format.',
      );

      const byName = await f.run(['environment', 'edit', '--json'], {
        input: '{"services":{"web":{"variables":{"CACHE":{"value":"redis"}}}}}',
      });
      assert.equal(byName.exitCode, 0, 'the CLI accepts a service name as key');
      assert.equal(
        f.rawVariables('web').CACHE,
        'redis',
        'and this fake API resolves it (patchServiceNameKeys: resolve)',
      );
      f.update((s) => {
        s.patchServiceNameKeys = 'reject';
      });
      const rejected = await f.run(['environment', 'edit', '--json'], {
        input: '{"services":{"web":{"variables":{"CACHE":{"value":"x"}}}}}',
      });
      assert.deepEqual([rejected.exitCode, rejected.stderr.split('\n').at(-1)], [1, 'Service web not found']);
    },
  );

  test('environment edit with a project token: its environment works, another one is Unauthorized', T, async () => {
    const f = await fake({ environments: ['production', 'staging'], projectToken: 'tok', linked: false });
    const token = { env: { RAILWAY_TOKEN: 'tok' } };
    const own = await f.run(['environment', 'edit', '--json'], {
      ...token,
      input: '{"sharedVariables":{"X":{"value":"1"}}}',
    });
    assert.equal(own.exitCode, 0, own.stderr);
    const other = await f.run(['environment', 'edit', '-e', 'staging', '--json'], {
      ...token,
      input: '{"sharedVariables":{"X":{"value":"1"}}}',
    });
    assert.equal(other.exitCode, 1);
    assert.match(other.stderr, /^Unauthorized\. Please check that your RAILWAY_TOKEN is valid/);
  });

  test(
    'older CLIs: environment config/edit are environment NAMES to the legacy link, or clap errors; ' +
      'no service list, no redeploy -e',
    T,
    async () => {
      const v426 = await fake({ cliVersion: '4.26.0' });
      const config = await v426.run(['environment', 'config', '--json']);
      assert.deepEqual(
        [config.exitCode, config.stderr],
        [1, 'Environment not found'],
        'v4.26.0 takes "config" as the environment to link',
      );
      const configE = await v426.run(['environment', 'config', '-e', 'production', '--json']);
      assert.equal(configE.exitCode, 2);
      assert.match(configE.stderr, /^error: unexpected argument '-e' found/);
      assert.equal((await v426.run(['environment', 'edit', '--json'])).exitCode, 0, 'edit exists in v4.26.0');

      const v425 = await fake({ cliVersion: '4.25.0' });
      const edit = await v425.run(['environment', 'edit', '--json'], { input: '{}' });
      assert.deepEqual([edit.exitCode, edit.stderr], [1, 'Environment not found']);
      const v422 = await fake({ cliVersion: '4.22.0' });
      const editOld = await v422.run(['environment', 'edit', '--json']);
      assert.equal(editOld.exitCode, 2, 'no --json on `environment` before 4.23.3');
      assert.match(editOld.stderr, /^error: unexpected argument '--json' found/);

      const v440 = await fake({ cliVersion: '4.40.0' });
      const list = await v440.run(['service', 'list', '--json']);
      assert.equal(list.exitCode, 2);
      const v457 = await fake({ cliVersion: '4.57.3' });
      const redeploy = await v457.run(['redeploy', '-s', 'bot', '-e', 'production', '-y', '--json']);
      assert.equal(redeploy.exitCode, 2);
      assert.match(redeploy.stderr, /^error: unexpected argument '-e' found/);
    },
  );
});
