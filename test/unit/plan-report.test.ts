// The plan model and the one report builder: pure functions, reached directly.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { freezePlan, type Plan, renderPlan, restorePlan, rollbackPlan, showValue } from '../../src/core/plan.ts';
import { buildReport, describeChanges, type Execution, type ServiceOutcome } from '../../src/core/report.ts';
import { CliError, EXIT } from '../../src/errors.ts';

const PATTERNS = { success: ['Redis connected successfully'], failure: ['invalid username-password pair'] };
const NEW = 'redis://default:NewSecretPassword123@proxy.example:6379';
const OLD = 'redis://default:OldSecretPassword456@redis.railway.internal:6379';

function setupPlan(): Plan {
  return {
    kind: 'setup',
    environment: undefined,
    projectName: 'bots',
    variable: 'REDIS_URL',
    provider: 'railway',
    check: { url: 'redis://default:Ne****23@proxy.example:6379', provider: 'other', tls: false, latencyMs: 1.5 },
    envFile: { path: '/p/.env', exists: true, change: { kind: 'set', value: { kind: 'literal', value: NEW } } },
    services: [
      {
        name: 'bot',
        role: 'bot',
        patterns: PATTERNS,
        change: { kind: 'set', value: { kind: 'literal', value: NEW } },
        previous: { kind: 'value', value: OLD },
        deploy: 'redeploy',
      },
      {
        name: 'worker',
        role: 'worker',
        patterns: PATTERNS,
        change: { kind: 'set', value: { kind: 'literal', value: NEW } },
        previous: { kind: 'unset' },
        deploy: 'redeploy',
      },
      {
        name: 'web',
        role: 'web',
        patterns: PATTERNS,
        change: { kind: 'keep' },
        previous: { kind: 'value', value: NEW },
        deploy: 'redeploy',
      },
    ],
    watch: { timeoutMs: 20_000, settleMs: 1000 },
    notes: [],
  };
}

test('a frozen plan cannot be changed after it is shown', () => {
  const plan = freezePlan(setupPlan());
  assert.throws(() => {
    (plan as { variable: string }).variable = 'OTHER';
  }, TypeError);
  assert.throws(() => {
    (plan.services as unknown[]).push({});
  }, TypeError);
  assert.throws(() => {
    (plan.services[0] as { change: unknown }).change = { kind: 'keep' };
  }, TypeError);
});

test('the rendered plan masks every password and says what changes per service', () => {
  const text = renderPlan(setupPlan(), '/p');
  assert.ok(!text.includes('NewSecretPassword123') && !text.includes('OldSecretPassword456'), text);
  assert.match(text, /bot +\(bot\) +now redis:\/\/default:Ol\*\*\*\*56@redis\.railway\.internal:6379/);
  assert.match(text, /worker +\(worker\) +now \(not set\)/);
  assert.match(text, /web +\(web\) +already this value/);
  assert.match(text, /^\.env {5}\.env: REDIS_URL replaced, other lines kept/m);
});

test('a rollback puts back exactly what was changed: a value, or a delete for a variable that was not set', () => {
  const back = rollbackPlan(setupPlan(), {
    services: ['bot', 'worker'],
    sharedChanged: false,
    envChanged: true,
    envPrevious: { kind: 'unset' },
    watch: undefined,
  });
  assert.equal(back.kind, 'rollback');
  assert.deepEqual(
    back.services.map((s) => [s.name, s.change, s.deploy]),
    [
      ['bot', { kind: 'set', value: { kind: 'literal', value: OLD } }, 'none'],
      ['worker', { kind: 'delete' }, 'none'],
    ],
  );
  assert.deepEqual(back.envFile?.change, { kind: 'remove' });
  assert.equal(back.watch, undefined);
  const watched = rollbackPlan(setupPlan(), {
    services: ['worker'],
    sharedChanged: false,
    envChanged: false,
    envPrevious: undefined,
    watch: { timeoutMs: 1, settleMs: 1 },
  });
  assert.equal(
    watched.services[0]!.deploy,
    'self',
    'a delete deploys by itself: watch that deployment, do not redeploy',
  );
  assert.equal(watched.envFile, undefined);
});

test('restore leaves alone a service that already holds its saved value', () => {
  const plan = restorePlan({
    saved: {
      createdAt: 'x',
      envFile: { path: '/p/.env', name: 'REDIS_URL', existed: false },
      services: [
        { environment: null, service: 'bot', name: 'REDIS_URL', hadValue: true, previousValue: OLD },
        { environment: null, service: 'web', name: 'REDIS_URL', hadValue: true, previousValue: NEW },
        { environment: 'staging', service: 'bot', name: 'REDIS_URL', hadValue: false },
      ],
    },
    environment: undefined,
    current: new Map([
      ['bot', { kind: 'value' as const, value: NEW }],
      ['web', { kind: 'value' as const, value: NEW }],
    ]),
    roles: new Map([['bot', { role: 'bot' as const, patterns: PATTERNS }]]),
    restoreEnv: true,
    watch: { timeoutMs: 1, settleMs: 1 },
  });
  assert.deepEqual(
    plan.services.map((s) => [s.name, s.change.kind, s.deploy]),
    [
      ['bot', 'set', 'redeploy'],
      ['web', 'keep', 'none'],
    ],
  );
  assert.deepEqual(plan.envFile?.change, { kind: 'delete-if-ours' });
  assert.match(renderPlan(plan, '/p'), /web +REDIS_URL ← already this value \(left alone\)/);
});

const outcome = (name: string, status: ServiceOutcome['status']): ServiceOutcome => ({
  name,
  role: 'bot',
  deploymentId: 'd',
  status,
  evidence: [],
  secondsToHealthy: status === 'healthy' ? 1 : null,
  missing: [],
});

test('one report builder: healthy, unhealthy, partial, early failure and dry run', () => {
  const plan = setupPlan();
  const base = { envPath: '/p/.env', provider: 'railway', url: 'masked' };
  const healthy = buildReport({
    plan,
    execution: {
      servicesChanged: ['bot', 'worker'],
      outcomes: ['bot', 'worker', 'web'].map((n) => outcome(n, 'healthy')),
    },
    ...base,
  });
  assert.deepEqual([healthy.ok, healthy.code, healthy.exitCode, healthy.fix], [true, 'ok', EXIT.ok, '']);
  const bad = buildReport({
    plan,
    execution: { servicesChanged: ['bot'], outcomes: [outcome('bot', 'failed'), outcome('worker', 'timeout')] },
    ...base,
  });
  assert.deepEqual(
    [bad.code, bad.exitCode, bad.message, bad.fix],
    ['unhealthy', EXIT.unhealthy, 'bot: failed; worker: timeout', 'npx redis-setup restore'],
  );
  assert.equal(bad.services.find((s) => s.name === 'web')?.status, 'skipped');
  const failure = new CliError('rate limited', EXIT.railway, 'wait', 'railway-ratelimit');
  const partial = buildReport({
    plan,
    execution: { servicesChanged: ['bot'], outcomes: [], failure },
    rolledBack: true,
    ...base,
  });
  assert.deepEqual(partial.partial, { set: ['bot'], notSet: ['worker'] });
  assert.deepEqual(
    [partial.exitCode, partial.code, partial.fix, partial.rolledBack],
    [EXIT.railway, 'railway-ratelimit', 'Rolled back to the previous values.', true],
  );
  const early = buildReport({ failedEarly: failure, ...base, environment: 'staging' });
  assert.deepEqual([early.environment, early.services, early.exitCode], ['staging', [], EXIT.railway]);
  const dry = buildReport({ plan, dryRun: true, ...base });
  assert.deepEqual(
    [dry.code, dry.exitCode, dry.services.map((s) => s.status)],
    ['dry-run', 0, ['skipped', 'skipped', 'skipped']],
  );
});

test('a run stopped while watching lists each change with what is known of its rollout', () => {
  const plan = freezePlan(setupPlan());
  const execution: Execution = {
    servicesChanged: ['bot', 'worker'],
    outcomes: [],
    env: { path: '/p/.env', created: false, changed: true, previous: { kind: 'unset' } },
  };
  const deployments = new Map([
    ['bot', 'dep-bot'],
    ['worker', 'dep-worker'],
  ]);
  const lines = describeChanges(plan, execution, deployments, new Map([['bot', 'healthy']]));
  assert.deepEqual(lines, [
    '.env: /p/.env (REDIS_URL)',
    'bot: REDIS_URL set; healthy (deployment dep-bot)',
    'worker: REDIS_URL set; redeploying (deployment dep-worker)',
  ]);
});

test('values are shown masked, references as they are, and an empty value as (empty)', () => {
  assert.equal(showValue(OLD), 'redis://default:Ol****56@redis.railway.internal:6379');
  assert.equal(showValue('${{Redis.REDIS_URL}}'), '${{Redis.REDIS_URL}}');
  assert.equal(showValue(''), '(empty)');
  assert.equal(showValue(undefined), '(not set)');
});
