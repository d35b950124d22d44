// The fake `railway api` (v5.28+): graphql-js parse and validation against Railway's schema subset, the
// CLI's stdout/stderr/exit split, credentials, stdin variables, injected answers and request accounting.
// Facts: railway-cli-since-5.43.md §3a–§3c and §7.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { cleanUpFakes, createFakeRailway, type FakeRailway, type FakeRailwayOptions } from './helpers/fake-railway.js';

const T = { timeout: 30_000 };
const PASSWORD = 'api-test-password';
const SECRET_URL = 'redis://default:n3w-shared-s3cret@redis.railway.internal:6379';
const fakes: FakeRailway[] = [];

after(async () => assert.deepEqual(await cleanUpFakes(fakes), [], 'app process groups survived cleanup'));

/** No app talks to Redis here: the template only provides the variables, so any port will do. */
async function fake(opts: Partial<FakeRailwayOptions> = {}): Promise<FakeRailway> {
  const f = await createFakeRailway({
    redis: { password: PASSWORD, port: 6399 },
    services: [
      { name: 'bot', variables: { REDIS_URL: '${{Redis.REDIS_URL}}', PORT: '3000' } },
      { name: 'worker', variables: { REDIS_URL: '${{shared.REDIS_URL}}' } },
      { name: 'web', variables: { CACHE: 'none' } },
    ],
    sharedVariables: { REDIS_URL: 'redis://old-shared', OTHER: 'keep-me' },
    timing: { buildMs: 50, successAfterMs: 100 },
    ...opts,
  });
  fakes.push(f);
  return f;
}

const RAW_VARS =
  'query($p: String!, $e: String!, $s: String) ' +
  '{ variables(projectId: $p, environmentId: $e, serviceId: $s, unrendered: true) }';
const UPSERT = 'mutation UpsertShared($input: VariableUpsertInput!) { variableUpsert(input: $input) }';
const COLLECTION = 'mutation($input: VariableCollectionUpsertInput!) { variableCollectionUpsert(input: $input) }';

function scope(f: FakeRailway, environment = 'production') {
  const ids = f.ids();
  return { projectId: ids.projectId, environmentId: ids.environments[environment]! };
}

function rawVarsArgs(f: FakeRailway, service?: string): string[] {
  const { projectId, environmentId } = scope(f);
  const svc = service ? ['--raw-var', `s=${f.ids().services[service]}`] : [];
  return ['api', RAW_VARS, '--raw-var', `p=${projectId}`, '--raw-var', `e=${environmentId}`, ...svc, '--compact'];
}

const _newest = (f: FakeRailway, service: string) =>
  f.deployments(service).sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];

describe('fake railway api', () => {
  test(
    'an unknown field or a syntax error is HTTP 400: body on stdout, status on stderr, --allow-errors does not help',
    T,
    async () => {
      const f = await fake();
      for (const extra of [[], ['--allow-errors']]) {
        const r = await f.run(['api', 'query { variablez }', ...extra]);
        assert.equal(r.exitCode, 1);
        assert.equal(r.stderr, 'Railway API request failed with HTTP 400 Bad Request');
        const body = JSON.parse(r.stdout) as { errors: { message: string }[]; data?: unknown };
        assert.equal(
          body.errors[0]!.message,
          'Cannot query field "variablez" on type "Query". Did you mean "variables"?',
        );
        assert.equal('data' in body, false);
        assert.ok(r.stdout.includes('\n  '), 'pretty-printed without --compact');
      }
      const syntax = await f.run(['api', 'query { variables(', '--compact']);
      assert.equal(syntax.exitCode, 1);
      assert.equal(syntax.stdout.split('\n').length, 1, '--compact prints one line');
      assert.match(
        (JSON.parse(syntax.stdout) as { errors: { message: string }[] }).errors[0]!.message,
        /^Syntax Error: /,
      );
      const missingArg = await f.run(['api', 'query { variables(projectId: "p") }']);
      assert.equal(missingArg.stderr, 'Railway API request failed with HTTP 400 Bad Request');
      assert.equal(
        (JSON.parse(missingArg.stdout) as { errors: { message: string }[] }).errors[0]!.message,
        'Field "variables" argument "environmentId" of type "String!" is required, but it was not provided.',
      );
    },
  );

  test('variables(unrendered: true) keeps ${{…}} references; variable list renders them', T, async () => {
    const f = await fake();
    const raw = await f.run(rawVarsArgs(f, 'bot'));
    assert.equal(raw.exitCode, 0, raw.stderr);
    assert.equal(
      raw.stdout,
      JSON.stringify({ data: { variables: { PORT: '3000', REDIS_URL: '${{Redis.REDIS_URL}}' } } }),
    );
    const listed = JSON.parse((await f.run(['variable', 'list', '-s', 'bot', '--json'])).stdout) as Record<
      string,
      string
    >;
    assert.equal(listed.REDIS_URL, `redis://default:${PASSWORD}@redis.railway.internal:6379`);
    assert.equal(listed.RAILWAY_SERVICE_NAME, 'bot', 'rendered maps carry the Railway-provided variables');

    const shared = await f.run(rawVarsArgs(f));
    assert.deepEqual(
      JSON.parse(shared.stdout),
      { data: { variables: { OTHER: 'keep-me', REDIS_URL: 'redis://old-shared' } } },
      'without serviceId: the shared variables',
    );
    const { projectId, environmentId } = scope(f);
    const rendered = await f.run([
      'api',
      `{ variables(projectId: "${projectId}", environmentId: "${environmentId}", ` +
        `serviceId: "${f.ids().services.worker}") }`,
    ]);
    assert.equal(
      (JSON.parse(rendered.stdout) as { data: { variables: Record<string, string> } }).data.variables.REDIS_URL,
      'redis://old-shared',
    );
  });

  test(
    'a shared upsert through --variables @- changes only that key and deploys only the services referencing it',
    T,
    async () => {
      const f = await fake();
      const input = { ...scope(f), name: 'REDIS_URL', value: SECRET_URL };
      const r = await f.run(['api', UPSERT, '--variables', '@-', '--compact'], { input: JSON.stringify({ input }) });
      assert.equal(r.exitCode, 0, r.stderr);
      assert.equal(r.stdout, '{"data":{"variableUpsert":true}}');
      assert.ok(!f.calls().some((c) => c.argv.join(' ').includes('s3cret')), 'the value never reaches argv');
      assert.equal(f.calls().at(-1)!.hadStdin, true);
      assert.deepEqual(f.rawVariables(null), { OTHER: 'keep-me', REDIS_URL: SECRET_URL });
      assert.equal(f.rawVariables('worker').REDIS_URL, '${{shared.REDIS_URL}}');

      const worker = f.deployments('worker');
      assert.equal(worker.length, 1, 'the referencing service deploys');
      assert.equal(worker[0]!.reason, 'variableChange');
      assert.equal(worker[0]!.variables.REDIS_URL, SECRET_URL, 'and runs the new value');
      assert.equal(f.deployments('bot').length + f.deployments('web').length, 0, 'the others do not');

      const quiet = await f.run(['api', UPSERT, '--variables', '@-'], {
        input: JSON.stringify({ input: { ...input, value: 'redis://x', skipDeploys: true } }),
      });
      assert.equal(quiet.exitCode, 0, quiet.stderr);
      assert.equal(f.deployments('worker').length, 1, 'skipDeploys: true only stores');
    },
  );

  test('replace: true wipes every other variable of the scope, and the request log shows who sent it', T, async () => {
    const f = await fake();
    const merge = {
      ...scope(f),
      serviceId: f.ids().services.bot,
      variables: { REDIS_URL: 'redis://merged' },
      skipDeploys: true,
    };
    assert.equal(
      (await f.run(['api', COLLECTION, '--variables', '@-'], { input: JSON.stringify({ input: merge }) })).exitCode,
      0,
    );
    assert.deepEqual(f.rawVariables('bot'), { PORT: '3000', REDIS_URL: 'redis://merged' }, 'without replace: a merge');

    const wipe = { ...merge, variables: { REDIS_URL: 'redis://only' }, replace: true };
    assert.equal(
      (await f.run(['api', COLLECTION, '--variables', '@-'], { input: JSON.stringify({ input: wipe }) })).exitCode,
      0,
    );
    assert.deepEqual(f.rawVariables('bot'), { REDIS_URL: 'redis://only' }, 'PORT is gone');

    const sharedWipe = { ...scope(f), variables: { REDIS_URL: 'redis://s' }, replace: true, skipDeploys: true };
    assert.equal(
      (await f.run(['api', COLLECTION, '--variables', '@-'], { input: JSON.stringify({ input: sharedWipe }) }))
        .exitCode,
      0,
    );
    assert.deepEqual(f.rawVariables(null), { REDIS_URL: 'redis://s' }, 'shared scope: OTHER is gone');

    const sentReplace = f
      .graphqlRequests()
      .filter((q) => (q.variables.input as { replace?: boolean }).replace === true);
    assert.equal(sentReplace.length, 2);
    assert.deepEqual(sentReplace[0]!.rootFields, ['variableCollectionUpsert']);
    assert.equal(sentReplace[0]!.operationType, 'mutation');
  });

  test(
    'GraphQL errors in a valid request: HTTP 200 body on stdout, "N GraphQL error(s)" on stderr, ' +
      'exit 1 (0 with --allow-errors)',
    T,
    async () => {
      const f = await fake();
      const { projectId, environmentId } = scope(f);
      const doc =
        `{ variables(projectId: "${projectId}", environmentId: "${environmentId}", ` +
        'serviceId: "no-such-service") }';
      const r = await f.run(['api', doc]);
      assert.equal(r.exitCode, 1);
      assert.equal(r.stderr, 'Railway API returned 1 GraphQL error(s)');
      const body = JSON.parse(r.stdout) as { data: unknown; errors: { message: string; path: string[] }[] };
      assert.equal(body.data, null);
      assert.equal(body.errors[0]!.message, 'Service not found');
      assert.deepEqual(body.errors[0]!.path, ['variables']);
      assert.deepEqual(
        Object.keys(body),
        ['data', 'errors'],
        'keys re-printed sorted (serde_json without preserve_order)',
      );

      const allowed = await f.run(['api', doc, '--allow-errors', '--compact']);
      assert.equal(allowed.exitCode, 0);
      assert.equal(allowed.stderr, '');
      assert.equal(JSON.parse(allowed.stdout).errors[0].message, 'Service not found');
    },
  );

  test(
    'credentials: no login, a project token in and out of its environment, a bad token, the projectToken query',
    T,
    async () => {
      const none = await fake({ auth: 'none' });
      const r0 = await none.run(['api', '{ projectToken { projectId } }']);
      assert.deepEqual([r0.exitCode, r0.stdout, r0.stderr], [1, '', 'Unauthorized. Please login with `railway login`']);

      const f = await fake({ environments: ['production', 'staging'], projectToken: 'tok', linked: false });
      const token = { env: { RAILWAY_TOKEN: 'tok' } };
      const who = await f.run(['api', '{ projectToken { projectId environmentId } }', '--compact'], token);
      assert.equal(who.exitCode, 0, who.stderr);
      assert.deepEqual(JSON.parse(who.stdout), { data: { projectToken: scope(f) } });

      const own = await f.run(rawVarsArgs(f, 'bot'), token);
      assert.equal(own.exitCode, 0, own.stderr);
      const { projectId, environmentId } = scope(f, 'staging');
      const other = await f.run(
        ['api', RAW_VARS, '--raw-var', `p=${projectId}`, '--raw-var', `e=${environmentId}`],
        token,
      );
      assert.equal(other.exitCode, 1);
      assert.equal(other.stderr, 'Railway API returned 1 GraphQL error(s)');
      assert.equal(JSON.parse(other.stdout).errors[0].message, 'Not Authorized');

      const bad = await f.run(rawVarsArgs(f, 'bot'), { env: { RAILWAY_TOKEN: 'revoked' } });
      assert.equal(bad.exitCode, 1);
      assert.match(JSON.parse(bad.stdout).errors[0].message, /project token not found/i);
    },
  );

  test(
    'stdin and variable arguments: @- only once, bad JSON, --var parses JSON, --raw-var keeps strings, -f -',
    T,
    async () => {
      const f = await fake();
      const both = await f.run(['api', '--variables', '@-'], { input: '{ projectToken { projectId } }' });
      assert.deepEqual([both.exitCode, both.stderr], [1, 'Cannot read both GraphQL document and variables from stdin']);
      const badJson = await f.run(['api', '{ projectToken { id } }', '--variables', '{not json']);
      assert.equal(badJson.exitCode, 1);
      assert.equal(badJson.stderr.split('\n')[0], 'Failed to parse GraphQL variables as JSON');
      assert.match(badJson.stderr, /\n\nCaused by:\n {4}\S/, "anyhow's context chain");
      const notObject = await f.run(['api', '{ projectToken { id } }', '--variables', '[1]']);
      assert.equal(notObject.stderr, 'GraphQL variables must be a JSON object');

      const { projectId, environmentId } = scope(f);
      const typed = await f.run(
        [
          'api',
          '-f',
          '-',
          '--var',
          'n=3',
          '--var',
          'o={"a":1}',
          '--raw-var',
          's=3',
          '--raw-var',
          `p=${projectId}`,
          '--raw-var',
          `e=${environmentId}`,
        ],
        { input: 'query($p: String!, $e: String!) { variables(projectId: $p, environmentId: $e) }' },
      );
      assert.equal(typed.exitCode, 0, typed.stderr);
      const sent = f.graphqlRequests().at(-1)!;
      assert.deepEqual([sent.variables.n, sent.variables.o, sent.variables.s], [3, { a: 1 }, '3']);
      const noDoc = await f.run(['api'], { input: '' });
      assert.equal(noDoc.stderr, 'No GraphQL document found on stdin');
    },
  );

  test('a rate limit is HTTP 429 for api, and the usual "ratelimited" text for other commands', T, async () => {
    const f = await fake();
    f.rateLimit(30, { command: 'api', times: 1 });
    const limited = await f.run(rawVarsArgs(f, 'bot'));
    assert.equal(limited.exitCode, 1);
    assert.equal(limited.stderr, 'Railway API request failed with HTTP 429 Too Many Requests');
    assert.ok(JSON.parse(limited.stdout).errors.length > 0, 'the 429 body is printed');
    assert.equal((await f.run(rawVarsArgs(f, 'bot'))).exitCode, 0, 'times: 1');

    f.rateLimit(600, { times: 1 });
    const cli = await f.run(['variable', 'list', '-s', 'bot', '--json']);
    assert.deepEqual([cli.exitCode, cli.stderr], [1, 'You are being ratelimited. Try again in about 10 minutes']);
  });

  test('an injected answer for one operation: the CLI prints it and exits as for any response', T, async () => {
    const f = await fake();
    f.inject({
      command: 'api',
      operation: 'deployment',
      apiResponse: { body: { data: null, errors: [{ message: 'boom' }, { message: 'bang' }] } },
    });
    f.inject({
      command: 'api',
      operation: 'environment',
      apiResponse: { status: 502, body: '<html>Bad gateway</html>' },
    });
    const hit = await f.run(['api', '{ deployment(id: "x") { id } }']);
    assert.deepEqual([hit.exitCode, hit.stderr], [1, 'Railway API returned 2 GraphQL error(s)']);
    assert.equal(JSON.parse(hit.stdout).errors[1].message, 'bang');
    const html = await f.run(['api', '{ environment(id: "x") { id } }']);
    assert.deepEqual(
      [html.exitCode, html.stdout, html.stderr],
      [1, '<html>Bad gateway</html>', 'Railway API request failed with HTTP 502 Bad Gateway'],
    );
    assert.equal((await f.run(rawVarsArgs(f, 'bot'))).exitCode, 0, 'other operations are not affected');
  });

  test(
    'deployment and deploymentLogs: status with statusUpdatedAt, log lines with attributes, paging by startDate',
    T,
    async () => {
      const f = await fake();
      const redisDeployment = f.deployments('Redis')[0]!;
      const logsDoc =
        `{ deploymentLogs(deploymentId: "${redisDeployment.id}", limit: 500) ` +
        '{ timestamp message severity attributes { key value } } }';
      const logs = JSON.parse((await f.run(['api', logsDoc, '--compact'])).stdout).data.deploymentLogs as {
        message: string;
        severity: string;
        timestamp: string;
        attributes: { key: string; value: string }[];
      }[];
      assert.deepEqual(
        logs.map((l) => l.message),
        ['Server initialized', 'Ready to accept connections tcp'],
      );
      assert.equal(logs[0]!.severity, 'info');
      assert.deepEqual(logs[0]!.attributes, [{ key: 'level', value: '"info"' }]);
      const after =
        `{ deploymentLogs(deploymentId: "${redisDeployment.id}", startDate: "${logs[0]!.timestamp}", limit: 1) ` +
        '{ message } }';
      assert.deepEqual(JSON.parse((await f.run(['api', after])).stdout).data.deploymentLogs, [
        { message: 'Server initialized' },
      ]);

      const d = await f.deploy('bot');
      assert.equal(d.status, 'SUCCESS');
      const status = await f.run([
        'api',
        'query($id: String!) { deployment(id: $id) { id status statusUpdatedAt createdAt } }',
        '--raw-var',
        `id=${d.id}`,
        '--compact',
      ]);
      const dep = JSON.parse(status.stdout).data.deployment as {
        id: string;
        status: string;
        statusUpdatedAt: string;
        createdAt: string;
      };
      assert.deepEqual([dep.id, dep.status, dep.createdAt], [d.id, 'SUCCESS', d.createdAt]);
      assert.ok(Date.parse(dep.statusUpdatedAt) >= Date.parse(dep.createdAt));
    },
  );

  test('environment variables list: sealed flags, references, shared variables without a service', T, async () => {
    const f = await fake();
    f.sealVariable('bot', 'PORT');
    const { projectId, environmentId } = scope(f);
    const doc =
      `{ environment(id: "${environmentId}", projectId: "${projectId}") ` +
      '{ variables(first: 100) { edges { node { name serviceId isSealed references } } } } }';
    const r = await f.run(['api', doc, '--compact']);
    assert.equal(r.exitCode, 0, r.stderr);
    const nodes = (
      JSON.parse(r.stdout).data.environment.variables.edges as {
        node: { name: string; serviceId: string | null; isSealed: boolean; references: string[] };
      }[]
    ).map((e) => e.node);
    const bot = f.ids().services.bot;
    assert.deepEqual(nodes.find((n) => n.serviceId === bot && n.name === 'REDIS_URL')!.references, ['Redis.REDIS_URL']);
    assert.equal(nodes.find((n) => n.serviceId === bot && n.name === 'PORT')!.isSealed, true);
    assert.deepEqual(
      nodes
        .filter((n) => n.serviceId === null)
        .map((n) => n.name)
        .sort(),
      ['OTHER', 'REDIS_URL'],
    );
    const rawSealed = JSON.parse((await f.run(rawVarsArgs(f, 'bot'))).stdout).data.variables as Record<
      string,
      string | null
    >;
    assert.equal(rawSealed.PORT, null, 'a sealed value reads as null, even unrendered');
  });

  test('a CLI older than 5.28.0 has no api: clap error, exit 2', T, async () => {
    const f = await fake({ cliVersion: '5.27.0' });
    const r = await f.run(rawVarsArgs(f, 'bot'));
    assert.equal(r.exitCode, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^error: unrecognized subcommand 'api'\n\nUsage: railway <COMMAND>/);
    assert.equal(f.calls()[0]!.apiRequests, 0);
  });

  test('API request accounting: 1 per api document, 0 for --version/usage errors, 3–5 per command', T, async () => {
    const f = await fake({ projectToken: 'tok' });
    await f.run(['--version']);
    await f.run(['logs', '--follow']);
    await f.run(rawVarsArgs(f, 'bot'));
    await f.run(['variable', 'list', '-s', 'bot', '--json']);
    await f.run(['variable', 'set', 'A=1', '-s', 'bot', '--skip-deploys']);
    await f.run(['variable', 'delete', 'A', '-s', 'bot']);
    await f.run(['service', 'list', '--json']);
    await f.run(['logs', '-s', 'Redis', '--lines', '10']);
    await f.run(['logs', '-s', 'Redis', '--lines', '10'], { env: { RAILWAY_TOKEN: 'tok' } });
    await f.run(['api', '{ projectToken { projectId } }'], { env: { RAILWAY_TOKEN: 'tok' } });
    const costs = f.calls().map((c) => [c.argv.slice(0, 2).join(' '), c.apiRequests]);
    assert.deepEqual(costs, [
      ['--version', 0],
      ['logs --follow', 0],
      [`api ${RAW_VARS}`, 1],
      ['variable list', 3],
      ['variable set', 3],
      ['variable delete', 4],
      ['service list', 3],
      ['logs -s', 4],
      ['logs -s', 5],
      ['api { projectToken { projectId } }', 1],
    ]);
    assert.equal(f.apiRequests(), 24);
  });
});
