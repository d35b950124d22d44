// The pure rules of issues 8 and 9: who uses Redis (from stored values), each user's state now,
// and a rollback that cannot make things worse.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyValue, isStale, redisFacts, serverOf, splitServers, usesRedis } from '../../src/core/redis-usage.ts';
import { decideRollback } from '../../src/core/rollback-policy.ts';
import { stateNow } from '../../src/core/state-now.ts';

const facts = redisFacts('Redis', {
  REDIS_PASSWORD: 'CurrentPw1234567',
  REDIS_URL: 'redis://default:CurrentPw1234567@redis.railway.internal:6379',
  REDIS_PUBLIC_URL: 'redis://default:CurrentPw1234567@maglev.proxy.rlwy.net:31337',
});

test(
  'each stored value is read as what it is: reference, shared (one hop), literal (which ' +
    'server, which password), sealed, unset',
  () => {
    assert.deepEqual(facts.endpoints, ['redis.railway.internal:6379', 'maglev.proxy.rlwy.net:31337']);
    const ref = classifyValue('${{Redis.REDIS_URL}}', facts);
    assert.equal(ref.kind, 'reference');
    assert.equal(serverOf(ref, facts), 'the Redis service');
    const stale = classifyValue('redis://default:OldPw@redis.railway.internal:6379', facts);
    assert.ok(stale.kind === 'literal' && stale.onRedisService && stale.passwordCurrent === false);
    assert.equal(isStale(stale), true);
    const publicCurrent = classifyValue('redis://default:CurrentPw1234567@maglev.proxy.rlwy.net:31337', facts);
    assert.ok(publicCurrent.kind === 'literal' && publicCurrent.passwordCurrent === true);
    const shared = classifyValue('${{shared.REDIS_URL}}', facts, {
      REDIS_URL: 'redis://default:OldPw@redis.railway.internal:6379',
    });
    assert.ok(shared.kind === 'shared' && shared.target.kind === 'literal');
    assert.equal(isStale(shared), true, 'a shared value with an old password makes its followers stale');
    const upstash = classifyValue('rediss://default:x@fit-fish-1.upstash.io:6379', facts);
    assert.equal(serverOf(upstash, facts), 'fit-fish-1.upstash.io:6379');
    assert.equal(classifyValue(null, facts).kind, 'sealed');
    assert.equal(classifyValue(undefined, facts).kind, 'unset');
    assert.equal(usesRedis(classifyValue('postgres://u:p@db:5432/x', facts)), false);
    assert.equal(usesRedis(classifyValue('${{Postgres.DATABASE_URL}}', facts)), false);
    assert.equal(usesRedis(classifyValue(null, facts)), true, 'a sealed REDIS_URL is a Redis user');
  },
);

test('a split: Redis users on two servers form two groups; sealed ones are left out of the count', () => {
  const usages = new Map([
    ['bot', classifyValue('${{Redis.REDIS_URL}}', facts)],
    ['worker', classifyValue('rediss://default:x@fit-fish-1.upstash.io:6379', facts)],
    ['cron', classifyValue(null, facts)],
    ['web', classifyValue(undefined, facts)],
  ]);
  const groups = splitServers(usages, facts);
  assert.deepEqual(
    [...groups],
    [
      ['the Redis service', ['bot']],
      ['fit-fish-1.upstash.io:6379', ['worker']],
    ],
  );
});

test('the state now of each Redis user, judged without touching anything', () => {
  assert.equal(stateNow('bot', classifyValue('${{Redis.REDIS_URL}}', facts), 'SUCCESS').state, 'healthy');
  assert.equal(
    stateNow('bot', classifyValue('redis://default:Old@redis.railway.internal:6379', facts), 'SUCCESS').state,
    'stale password',
  );
  assert.equal(
    stateNow('bot', classifyValue('redis://default:x@cache.railway.internal:6379', facts), 'SUCCESS').state,
    'unreachable',
  );
  assert.equal(stateNow('bot', classifyValue(null, facts), 'SUCCESS').state, 'sealed');
  assert.equal(stateNow('bot', classifyValue('${{Redis.REDIS_URL}}', facts), 'CRASHED').state, 'deployment failed');
  const unset = stateNow('web', classifyValue(undefined, facts), 'SUCCESS', 'Failed to connect to Redis');
  assert.equal(unset.state, 'not set');
  assert.match(unset.detail, /its logs mention Redis/);
});

test('rollback after a rotation: only what failed goes back, and never to a value Redis rejects', () => {
  const d = decideRollback({
    switched: false,
    services: [
      { name: 'bot', failed: false, previousAlive: true },
      { name: 'worker', failed: true, previousAlive: false, deadBecause: 'wrong-password' },
      { name: 'web', failed: true, previousAlive: true },
    ],
    env: { previousAlive: true },
  });
  assert.deepEqual(d.restore, ['web']);
  assert.deepEqual(
    d.keep.map((k) => k.name),
    ['bot', 'worker'],
  );
  assert.match(d.keep[1]!.why, /rejected \(wrong-password\): putting it back would only restore the outage/);
  assert.equal(d.env, false, '.env serves every service: it goes back only when all do');
});

test('rollback after a provider switch: all go back, or none does, so the queue is never split', () => {
  const allAlive = decideRollback({
    switched: true,
    services: [
      { name: 'bot', failed: false, previousAlive: true },
      { name: 'worker', failed: true, previousAlive: true },
    ],
    env: { previousAlive: true },
    shared: { previousAlive: true },
  });
  assert.deepEqual(allAlive.restore, ['bot', 'worker']);
  assert.equal(allAlive.env, true);
  assert.equal(allAlive.shared, true);
  const oneDead = decideRollback({
    switched: true,
    services: [
      { name: 'bot', failed: false, previousAlive: true },
      { name: 'worker', failed: true, previousAlive: false },
    ],
  });
  assert.deepEqual(oneDead.restore, []);
  assert.match(oneDead.keep.find((k) => k.name === 'bot')!.why, /must not end up on two servers/);
  const sealed = decideRollback({
    switched: false,
    services: [{ name: 'bot', failed: true, previousAlive: undefined, sealed: true }],
  });
  assert.deepEqual(sealed.restore, [], 'a sealed value cannot be put back');
});
