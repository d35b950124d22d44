// Steps reached directly: a fake Ui answers the prompts, an in-memory Railway answers the CLI
// calls.
// Each step asks only when no flag answered, and a run that cannot ask names the flag instead.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setupFlags, setupOptions, type SetupOptions } from '../../src/core/options.ts';
import { Secrets } from '../../src/core/secrets.ts';
import { CancelledError, CliError, UsageError } from '../../src/errors.ts';
import { confirmPlan } from '../../src/steps/confirm.ts';
import type { StepContext } from '../../src/steps/context.ts';
import { planSetup } from '../../src/steps/plan-setup.ts';
import { findRedis, preflight } from '../../src/steps/preflight.ts';
import { chooseServices } from '../../src/steps/services.ts';
import { chooseProvider, obtainSource } from '../../src/steps/source.ts';
import { type Answer, CANCEL, createFakeUi } from '../helpers/fake-ui.ts';
import { createMemoryRailway } from '../helpers/memory-railway.ts';

const REDIS_VARS = {
  REDIS_URL: 'redis://default:PrivatePassword99@redis.railway.internal:6379',
  REDIS_PASSWORD: 'PrivatePassword99',
};

function ctx(
  flags: Record<string, string | boolean> = {},
  script?: Record<string, Answer>,
): StepContext<SetupOptions> & { ui: ReturnType<typeof createFakeUi> } {
  const options = setupOptions(setupFlags(flags), undefined, '/tmp/project');
  const ui = createFakeUi(script ?? {});
  return { options, ui, secrets: new Secrets(), canPrompt: script !== undefined };
}

const project = () =>
  createMemoryRailway([
    { name: 'Redis', image: 'redis:8.2.1', variables: REDIS_VARS },
    { name: 'bot', variables: { REDIS_URL: 'redis://default:Old@redis.railway.internal:6379' } },
    { name: 'worker' },
    { name: 'cron' },
  ]);

test('preflight finds Redis by image or --redis-service; an unknown name is a Railway error', async () => {
  const state = await preflight(createFakeUi(), project(), undefined, 'REDIS_URL');
  assert.equal(state.redis?.name, 'Redis');
  assert.equal(state.services.length, 4);
  assert.equal(findRedis(state.services, 'redis')?.name, 'Redis');
  assert.throws(
    () => findRedis(state.services, 'valkey'),
    (e: unknown) => e instanceof CliError && e.code === 'railway-service',
  );
});

test('the provider comes from the flag, a given URL or a question, else a usage error names the flag', async () => {
  assert.equal(await chooseProvider(ctx({ provider: 'reference' }), undefined), 'reference');
  assert.equal(await chooseProvider(ctx({ url: 'redis://h' }), undefined), 'url');
  await assert.rejects(
    chooseProvider(ctx(), undefined),
    (e: unknown) => e instanceof UsageError && /--provider/.test(e.fix ?? ''),
  );
  const asked = ctx({}, { 'Where should the Redis URL come from?': 'upstash' });
  assert.equal(await chooseProvider(asked, undefined), 'upstash');
  assert.deepEqual(asked.ui.asked, ['Where should the Redis URL come from?']);
});

test('--provider reference without Public Networking: services get the reference, .env is left alone', async () => {
  const c = ctx({ provider: 'reference' });
  const railway = project();
  const state = await preflight(c.ui, railway, undefined, 'REDIS_URL');
  const source = await obtainSource(c, 'reference', state, undefined);
  assert.equal(source.railwayValue, '${{Redis.REDIS_URL}}');
  assert.equal(source.localUrl, undefined);
  assert.match(source.notes.join('\n'), /\.env is left alone: Redis has no public URL/);
  assert.ok(c.secrets.all().includes('PrivatePassword99'), 'the Redis service password is registered for masking');
});

test(
  'services: flags resolve names case-insensitively; an unknown or the Redis service is ' +
    'refused; roles are guessed or asked',
  async () => {
    const railway = project();
    const state = await preflight(createFakeUi(), railway, undefined, 'REDIS_URL');
    const none = new Map<string, string>();
    const picked = await chooseServices(ctx({ services: 'BOT,Worker' }), state, none);
    assert.deepEqual(picked, [
      { name: 'bot', role: 'bot' },
      { name: 'worker', role: 'worker' },
    ]);
    await assert.rejects(chooseServices(ctx({ services: 'Redis' }), state, none), /it is the Redis service/);
    await assert.rejects(
      chooseServices(ctx({ services: 'cron' }), state, none),
      (e: unknown) => e instanceof UsageError && /--roles cron=/.test(e.fix ?? ''),
    );
    const asked = ctx({}, { 'Which services': ['cron'], 'What does cron run?': 'worker' });
    assert.deepEqual(await chooseServices(asked, state, none), [{ name: 'cron', role: 'worker' }]);
  },
);

test('the confirmation: --yes applies, --dry-run stops, no terminal needs --yes, No cancels', async () => {
  const plan = { kind: 'setup' as const, environment: undefined, variable: 'REDIS_URL', services: [], notes: [] };
  assert.equal(await confirmPlan(ctx({ yes: true }), plan), 'apply');
  assert.equal(await confirmPlan(ctx({ 'dry-run': true }), plan), 'dry-run');
  await assert.rejects(confirmPlan(ctx(), plan), (e: unknown) => e instanceof UsageError && /--yes/.test(e.fix ?? ''));
  await assert.rejects(
    confirmPlan(ctx({}, { 'Apply these changes?': false }), plan),
    (e: unknown) => e instanceof CancelledError && e.atPrompt,
  );
  await assert.rejects(confirmPlan(ctx({}, { 'Apply these changes?': CANCEL }), plan), CancelledError);
});

test(
  "planSetup reads and asks only: a frozen plan with each service's previous value, and not " + 'one write',
  async () => {
    const railway = project();
    const c = ctx({ provider: 'reference', services: 'bot,worker', roles: 'bot=bot,worker=worker' });
    const { plan } = await planSetup(c, { connect: () => railway }, undefined);
    assert.equal(Object.isFrozen(plan), true);
    assert.deepEqual(
      plan.services.map((s) => [s.name, s.change, s.previous.kind]),
      [
        ['bot', { kind: 'set', value: { kind: 'literal', value: '${{Redis.REDIS_URL}}' } }, 'value'],
        ['worker', { kind: 'set', value: { kind: 'literal', value: '${{Redis.REDIS_URL}}' } }, 'unset'],
      ],
    );
    assert.equal(plan.envFile, undefined, 'no public URL, so .env is not part of the plan');
    assert.deepEqual(
      railway.calls.map((x) => x.argv[0]).filter((m) => /set|delete|redeploy/.test(m!)),
      [],
    );
  },
);
