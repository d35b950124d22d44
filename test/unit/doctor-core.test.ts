// The pure doctor judge (src/core/doctor.ts): one verdict per situation, the worst first, the one
// fix command, the Upstash quota numbers, and never a password in what it returns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mergePatterns, resolveRolePatterns, templatesFromJson, type Role } from '../../src/core/config.ts';
import {
  dramatiqIdleCommandsPerMinute,
  judgeService,
  upstashFreeTierDays,
  type RedisFacts,
  type ServiceFacts,
} from '../../src/core/doctor.ts';
import type { RolePatterns } from '../../src/core/health.ts';

const PW = 'CurrentRailwayPassword42';
const OLD = 'Old/Pass+word@2024#xyz';
const enc = encodeURIComponent;
const PRIVATE = `redis://default:${PW}@redis.railway.internal:6379`;
const PUBLIC = `redis://default:${PW}@maglev.proxy.rlwy.net:41234`;
const REDIS: RedisFacts = { name: 'Redis', password: PW, privateUrl: PRIVATE, publicUrl: PUBLIC };

const templates = templatesFromJson(
  JSON.parse(readFileSync(new URL('../../templates/patterns.json', import.meta.url), 'utf8')),
);
assert.ok(templates.ok);
const merged = mergePatterns(templates.value);
function patternsFor(role: Role): RolePatterns {
  const p = resolveRolePatterns(merged, role);
  return p.ok ? p.value : { success: [], failure: merged.bot.failure };
}

const fixCommand = (service: string, provider: string) =>
  `npx redis-setup setup --yes --provider ${provider} --services ${service}`;
const OPTS = { variable: 'REDIS_URL', fixCommand };

function facts(over: Partial<ServiceFacts> & { service: string }): ServiceFacts {
  const role = over.role ?? 'bot';
  return {
    role,
    usesRedis: true,
    value: PRIVATE,
    otherVariables: {},
    deploymentStatus: 'SUCCESS',
    logMessages: [],
    patterns: patternsFor(role),
    ...over,
  };
}

/** `redis` null: no Railway Redis service was found. */
function judge(over: Partial<ServiceFacts> & { service: string }, redis: RedisFacts | null = REDIS) {
  const row = judgeService(facts(over), redis ?? undefined, OPTS);
  // Whatever the verdict: no password, raw or encoded, in anything the judge returns.
  const text = JSON.stringify(row);
  for (const s of [PW, OLD, enc(OLD)]) assert.ok(!text.includes(s), `secret in the row: ${text}`);
  return row;
}

const verdicts = (row: ReturnType<typeof judge>) => row.findings.map((f) => f.verdict);

test('a reference rendered to the current private URL is ok, with the IPv6 family caveat', () => {
  const row = judge({ service: 'bot', value: PRIVATE });
  assert.equal(row.severity, 'ok');
  assert.deepEqual(verdicts(row), ['ok']);
  assert.equal(row.provider, 'railway-private');
  assert.match(row.findings[0]!.detail, /same as the Redis service's REDIS_URL/);
  assert.match(row.findings[0]!.detail, /IPv6-only: Node clients need family: 0/);
  assert.deepEqual(row.evidence, []);
});

test('an old literal password on the private host is a stale credential, fixed with a reference', () => {
  const row = judge({
    service: 'worker',
    role: 'worker',
    value: `redis://default:${enc(OLD)}@redis.railway.internal:6379`,
  });
  assert.equal(row.severity, 'fail');
  assert.deepEqual(verdicts(row), ['stale-credential']);
  assert.equal(row.findings[0]!.fix, 'npx redis-setup setup --yes --provider reference --services worker');
  assert.match(row.findings[0]!.detail, /old password: it does not match the current password of Redis/);
});

test('the same password percent-encoded or not is not stale', () => {
  const redis = { ...REDIS, password: OLD };
  assert.equal(
    judge({ service: 'bot', value: `redis://default:${enc(OLD)}@redis.railway.internal:6379` }, redis).severity,
    'ok',
  );
});

test('an old password on the public proxy is stale, and the public host is a warning of its own', () => {
  const row = judge({
    service: 'api',
    role: 'web',
    value: `redis://default:${OLD.replace(/[/+@#]/g, 'x')}@maglev.proxy.rlwy.net:41234`,
  });
  assert.deepEqual(verdicts(row), ['stale-credential', 'public-host']);
  assert.deepEqual(
    row.findings.map((f) => f.severity),
    ['fail', 'warn'],
  );
  assert.equal(row.provider, 'railway-public');
  assert.ok(row.findings.every((f) => f.fix === 'npx redis-setup setup --yes --provider reference --services api'));
});

test('the current password on the public proxy is only a warning (egress, breaks on rotation)', () => {
  const row = judge({ service: 'api', role: 'web', value: PUBLIC });
  assert.equal(row.severity, 'warn');
  assert.deepEqual(verdicts(row), ['public-host']);
  assert.match(row.findings[0]!.detail, /egress/);
});

test("the Redis service's own TCP proxy is recognised by host and port, whatever its domain", () => {
  const redis = { ...REDIS, publicUrl: `redis://default:${PW}@127.0.0.1:40001` };
  const stale = judge({ service: 'api', value: 'redis://default:SomethingOlder99@127.0.0.1:40001' }, redis);
  assert.equal(stale.provider, 'railway-public');
  assert.deepEqual(verdicts(stale), ['stale-credential', 'public-host']);
  // Another port on the same host is some other server: nothing to compare.
  const other = judge({ service: 'api', value: 'redis://default:SomethingOlder99@127.0.0.1:40002' }, redis);
  assert.equal(other.provider, 'other');
  assert.deepEqual(verdicts(other), ['ok']);
});

test('no variable: the fix is a reference when there is a Railway Redis, a URL otherwise', () => {
  const row = judge({ service: 'cron', role: 'custom', value: undefined });
  assert.deepEqual(verdicts(row), ['no-variable']);
  assert.equal(row.severity, 'fail');
  assert.equal(row.provider, null);
  assert.equal(row.findings[0]!.fix, 'npx redis-setup setup --yes --provider reference --services cron');
  assert.equal(
    judge({ service: 'cron', value: undefined }, null).findings[0]!.fix,
    'npx redis-setup setup --yes --provider url --services cron',
  );
});

test('a crashed or failed latest deployment fails the service, with the logs and redeploy commands', () => {
  for (const status of ['CRASHED', 'FAILED']) {
    const row = judge({ service: 'web', role: 'web', deploymentStatus: status });
    assert.equal(row.findings[0]!.verdict, 'deployment-failed');
    assert.equal(row.severity, 'fail');
    assert.match(row.findings[0]!.detail, new RegExp(status));
    assert.equal(
      row.findings[0]!.fix,
      'Read its logs: railway logs --latest -s web; fix the cause, then redeploy: railway redeploy -s web -y',
    );
  }
  for (const status of ['SUCCESS', 'DEPLOYING', 'SLEEPING'])
    assert.equal(judge({ service: 'web', deploymentStatus: status }).severity, 'ok');
});

test('failure lines in the logs are quoted (deduplicated, at most 5) with the diagnosis and its fix', () => {
  const line = 'Consumer encountered a connection error: invalid username-password pair or user is disabled.';
  const row = judge({
    service: 'jobs',
    role: 'worker',
    value: `redis://default:${PW}@10.0.0.5:6379`,
    logMessages: [
      'Worker process is ready for action.',
      line,
      'Restarting consumer in 3.00 seconds.',
      line,
      ...Array.from(
        { length: 8 },
        (_, i) => `Consumer encountered a connection error: Error 111 connecting to host:${i}. Connection refused.`,
      ),
    ],
  });
  assert.deepEqual(verdicts(row), ['errors-in-logs']);
  assert.equal(row.evidence.length, 5);
  assert.equal(row.evidence[0], line);
  assert.equal(new Set(row.evidence).size, 5);
  assert.ok(
    !row.evidence.some((l) => l.startsWith('Restarting') || l.startsWith('Worker process')),
    'only failure lines are evidence',
  );
  assert.match(row.findings[0]!.detail, /rejected the password/);
  assert.equal(row.findings[0]!.fix, 'npx redis-setup setup --yes --provider reference --services jobs');
});

test("log errors that are not about the password keep the diagnosis's own fix", () => {
  const row = judge({
    service: 'bot',
    value: PRIVATE,
    logMessages: [
      'Failed to connect to Redis: Error -2 connecting to redis.railway.internal:6379. Name or service not known.',
    ],
  });
  assert.deepEqual(verdicts(row), ['errors-in-logs']);
  assert.match(row.findings[0]!.fix, /family: 0/);
});

test('findings come worst first and the row takes the worst severity', () => {
  const row = judge({
    service: 'api',
    role: 'web',
    value: `redis://default:NotTheCurrentOne1@maglev.proxy.rlwy.net:41234`,
    deploymentStatus: 'CRASHED',
    logMessages: ['Failed to connect to Redis: invalid username-password pair or user is disabled.'],
  });
  assert.deepEqual(verdicts(row), ['stale-credential', 'deployment-failed', 'errors-in-logs', 'public-host']);
  assert.equal(row.severity, 'fail');
});

test('without the Redis password (no Railway Redis found) nothing is called stale', () => {
  const row = judge(
    { service: 'worker', value: `redis://default:${enc(OLD)}@redis.railway.internal:6379` },
    { name: 'Redis', password: undefined, privateUrl: undefined },
  );
  assert.ok(!verdicts(row).includes('stale-credential'));
  assert.equal(
    judge({ service: 'worker', value: `redis://default:${enc(OLD)}@redis.railway.internal:6379` }, null).severity,
    'ok',
  );
});

test("an unusable URL is invalid-url with the parser's fix", () => {
  const row = judge({ service: 'bot', value: 'https://fitting-fish-12345.upstash.io' });
  assert.equal(row.findings[0]!.verdict, 'invalid-url');
  assert.equal(row.severity, 'fail');
  assert.match(row.findings[0]!.fix, /rediss:\/\//);
});

test('Upstash behind a Dramatiq worker: warn with the measured rate and how long the free tier lasts', () => {
  const url = 'rediss://default:UpstashSecretToken123@fitting-fish-12345.upstash.io:6379';
  const row = judge({ service: 'worker', role: 'worker', value: url });
  assert.equal(row.provider, 'upstash');
  assert.equal(row.severity, 'warn');
  assert.deepEqual(verdicts(row), ['upstash-quota']);
  const f = row.findings[0]!;
  assert.match(f.detail, /about 180 EVALSHA\/min per process per queue \(259K a day\)/);
  assert.match(f.detail, /500K commands a month last about 1\.9 days/);
  assert.match(f.fix, /dramatiq_worker_timeout=5000 .*about 52\/min/);
  assert.match(f.fix, /eviction off/);
  assert.ok(!JSON.stringify(row).includes('UpstashSecretToken123'));

  // With the timeout already raised the estimate follows it.
  const slow = judge({
    service: 'worker',
    role: 'worker',
    value: url,
    otherVariables: { dramatiq_worker_timeout: '5000' },
  });
  assert.match(slow.findings[0]!.detail, /about 52 EVALSHA\/min .* about 6\.7 days/);
  // A bot on Upstash does not poll: no quota warning.
  assert.deepEqual(verdicts(judge({ service: 'bot', role: 'bot', value: url })), ['ok']);
});

test('the idle rate model matches both measurements; the free tier arithmetic', () => {
  assert.equal(dramatiqIdleCommandsPerMinute(), 180);
  assert.equal(dramatiqIdleCommandsPerMinute(1000), 180);
  assert.equal(dramatiqIdleCommandsPerMinute(5000), 52);
  assert.equal(dramatiqIdleCommandsPerMinute(1000, 2, 3), 1080);
  assert.equal(upstashFreeTierDays(180), 1.9);
  assert.equal(upstashFreeTierDays(52), 6.7);
  assert.equal(upstashFreeTierDays(180, 10_000_000), 38.6);
});
