import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  compilePatterns,
  createHealthTracker,
  diagnoseEvidence,
  matchLine,
  MAX_MATCHED_LINE,
  parseLogLine,
  type RolePatterns,
  settleFor,
} from '../../src/core/health.ts';
import { templatesFromJson } from '../../src/core/config.ts';

const loaded = templatesFromJson(
  JSON.parse(readFileSync(new URL('../../templates/patterns.json', import.meta.url), 'utf8')),
);
assert.ok(loaded.ok, loaded.ok ? '' : loaded.message);
const templates = loaded.value;

const T0 = 1_000_000;
const BROKER = 'Dramatiq broker set successfully!';
const READY = 'Worker process is ready for action.';
const WRONGPASS = 'Consumer encountered a connection error: invalid username-password pair or user is disabled.';

const worker = (opts: { settleMs?: number; timeoutMs?: number } = {}) =>
  createHealthTracker({ patterns: templates.worker, startedAtMs: T0, ...opts });

test('Dramatiq with a wrong password: ready line, then connection errors → failed, never healthy', () => {
  const t = worker();
  assert.equal(t.observe(BROKER, T0 + 1_000).status, 'waiting');
  const settling = t.observe(READY, T0 + 2_000);
  assert.equal(settling.status, 'settling');
  assert.equal(settling.settleUntilMs, T0 + 12_000);
  assert.equal(t.observe('Restarting consumer in 3.00 seconds.', T0 + 2_100).status, 'settling');
  const failed = t.observe(WRONGPASS, T0 + 2_200);
  assert.equal(failed.status, 'failed');
  assert.equal(failed.reason, 'log line matched "invalid username-password pair"');
  assert.equal(failed.lastRelevantLine, WRONGPASS);
  assert.deepEqual(failed.evidence, [BROKER, READY, WRONGPASS]);
  // Repeats every 3 s per consumer: still failed, evidence deduplicated, the clock cannot make it
  // healthy.
  for (let i = 1; i <= 10; i++) t.observe(WRONGPASS, T0 + 2_200 + i * 3_000);
  assert.equal(t.tick(T0 + 60_000).status, 'failed');
  assert.deepEqual(t.state().evidence, [BROKER, READY, WRONGPASS]);
  assert.equal(t.state().healthyAtMs, undefined);
  assert.equal(diagnoseEvidence(t.state().evidence).code, 'wrong-password');
});

test('healthy only once the settle window after the last success line passes quietly', () => {
  const t = worker({ settleMs: 10_000 });
  t.observe(READY, T0 + 1_000);
  assert.equal(t.state().status, 'waiting', 'one of two success lines is not enough');
  assert.deepEqual(t.state().missing, [BROKER]);
  t.observe(BROKER, T0 + 5_000);
  assert.equal(t.tick(T0 + 14_999).status, 'settling');
  const healthy = t.tick(T0 + 15_000);
  assert.equal(healthy.status, 'healthy');
  assert.equal(healthy.healthyAtMs, T0 + 15_000);
  assert.deepEqual(healthy.seen.sort(), [BROKER, READY].sort());
  assert.deepEqual(healthy.missing, []);
  assert.equal(healthy.settleUntilMs, undefined);
});

test('a failure line in a late batch still wins over an elapsed settle window', () => {
  const t = worker();
  t.observe(BROKER, T0);
  t.observe(READY, T0);
  // No tick in between: the batch with the error is processed at T0+30 s.
  assert.equal(t.observe(WRONGPASS, T0 + 30_000).status, 'failed');
});

test('once healthy it stays healthy: healthy is final', () => {
  const t = worker({ settleMs: 1_000 });
  t.observe(BROKER, T0);
  t.observe(READY, T0);
  assert.equal(t.tick(T0 + 1_000).status, 'healthy');
  assert.equal(t.observe(WRONGPASS, T0 + 2_000).status, 'healthy');
  assert.equal(t.deploymentStatus('CRASHED').status, 'healthy');
  assert.equal(t.tick(T0 + 10_000_000).status, 'healthy');
  assert.ok(!t.state().evidence.includes(WRONGPASS));
});

test('timeout names the success lines that never appeared', () => {
  const t = worker({ timeoutMs: 60_000 });
  t.observe(BROKER, T0 + 1_000);
  assert.equal(t.tick(T0 + 59_999).status, 'waiting');
  const timedOut = t.tick(T0 + 60_000);
  assert.equal(timedOut.status, 'timeout');
  assert.deepEqual(timedOut.missing, [READY]);
  assert.match(timedOut.reason ?? '', /never saw "Worker process is ready for action\."/);
  // Final: a late ready line changes nothing.
  assert.equal(t.observe(READY, T0 + 61_000).status, 'timeout');
});

test('a settle window that started before the timeout may finish', () => {
  const t = worker({ timeoutMs: 60_000, settleMs: 10_000 });
  t.observe(BROKER, T0 + 55_000);
  t.observe(READY, T0 + 55_000);
  assert.equal(t.tick(T0 + 60_000).status, 'settling');
  assert.equal(t.tick(T0 + 65_000).status, 'healthy');
});

test('a failure before any success line fails fast, without waiting for the timeout', () => {
  const t = createHealthTracker({ patterns: templates.bot, startedAtMs: T0 });
  const s = t.observe(
    'Failed to connect to Redis: Error -2 connecting to redis.railway.internal:6379. Name or service not known.',
    T0 + 500,
  );
  assert.equal(s.status, 'failed');
  assert.deepEqual(s.missing, ['Redis connected successfully']);
});

test('failure evidence is capped at five distinct lines', () => {
  const t = createHealthTracker({ patterns: templates.web, startedAtMs: T0 });
  for (let i = 0; i < 20; i++) t.observe(`Error reading from cache: attempt ${i % 8}`, T0 + i);
  const { evidence } = t.state();
  assert.equal(evidence.length, 5);
  assert.equal(new Set(evidence).size, 5);
  assert.equal(evidence[0], 'Error reading from cache: attempt 0');
});

test('deployment status: FAILED, CRASHED, REMOVED, SKIPPED fail; others do not', () => {
  for (const status of ['FAILED', 'CRASHED', 'REMOVED', 'SKIPPED', 'crashed']) {
    const s = worker().deploymentStatus(status);
    assert.equal(s.status, 'failed', status);
    assert.equal(s.reason, `deployment ${status.toUpperCase()}`);
  }
  for (const status of ['SUCCESS', 'DEPLOYING', 'BUILDING'])
    assert.equal(worker().deploymentStatus(status).status, 'waiting', status);
});

test('a role without success patterns is refused instead of being healthy by default', () => {
  assert.throws(() => createHealthTracker({ patterns: templates.custom, startedAtMs: T0 }), RangeError);
});

test('patterns: substrings are case-sensitive; regex patterns work and keep no state between lines', () => {
  const patterns: RolePatterns = {
    success: [{ regex: 'listening on :\\d+', flags: 'g' }, 'Ready'],
    failure: [{ regex: 'fatal', flags: 'i' }],
  };
  const compiled = compilePatterns(patterns);
  assert.deepEqual(matchLine('ready', compiled), { success: [], counted: [] });
  assert.deepEqual(matchLine('Ready, listening on :8080', compiled), {
    success: ['/listening on :\\d+/g', 'Ready'],
    counted: [],
  });
  assert.deepEqual(
    matchLine('Ready, listening on :8080', compiled).success.length,
    2,
    'a g flag must not make the second test fail',
  );
  assert.equal(matchLine('FATAL: no redis', compiled).failure, '/fatal/i');
});

test('parseLogLine: railway --json lines, with CRLF and ANSI under a pty', () => {
  assert.deepEqual(
    parseLogLine(
      '{"message":"Worker process is ready for ' +
        'action.","timestamp":"2026-11-28T10:00:00Z","level":"info","pid":7}\r\n',
    ),
    {
      message: READY,
      timestamp: '2026-11-28T10:00:00Z',
      level: 'info',
    },
  );
  assert.equal(
    parseLogLine('\u001b[2K\u001b[1G{"message":"\u001b[32mRedis connected successfully\u001b[0m"}\r')?.message,
    'Redis connected successfully',
  );
  // A spinner overwritten with \r on the same terminal line.
  assert.equal(parseLogLine('⠋ Fetching logs\r{"message":"hello"}\r')?.message, 'hello');
  assert.equal(parseLogLine('{"message":"x","severity":"error"}')?.level, 'error');
});

test('parseLogLine: noise and blank lines are ignored unless plain text mode is on', () => {
  const banner = '\u001b[33mNew version of Railway CLI available: 4.60.0\u001b[0m\r\n';
  for (const noise of ['', '\r\n', '   ', banner, '⠙ Loading…', '{"not":"a log line"}', '{broken json']) {
    assert.equal(parseLogLine(noise), undefined, JSON.stringify(noise));
  }
  assert.deepEqual(parseLogLine(banner, { plainText: true }), {
    message: 'New version of Railway CLI available: 4.60.0',
  });
  assert.equal(parseLogLine('\r\n', { plainText: true }), undefined);
  assert.equal(parseLogLine('{"message":"json still wins"}', { plainText: true })?.message, 'json still wins');
});

test('a pty transcript drives the tracker end to end', () => {
  const transcript = [
    '\u001b[?25l⠋ Connecting\r',
    '{"message":"Dramatiq broker set successfully!","timestamp":"t1"}\r',
    '',
    '{"message":"[INFO] Worker process is ready for action.","timestamp":"t2"}\r',
    '\u001b[?25h',
  ].join('\n');
  const t = worker({ settleMs: 5_000 });
  for (const raw of transcript.split('\n')) {
    const line = parseLogLine(raw);
    if (line) t.observe(line.message, T0 + 1_000);
  }
  assert.equal(t.tick(T0 + 6_000).status, 'healthy');
});

test('diagnoseEvidence maps failure lines to a cause and a fix', () => {
  const wrong = diagnoseEvidence([WRONGPASS]);
  assert.equal(wrong.code, 'wrong-password');
  assert.match(wrong.cause, /rejected the password in its REDIS_URL/);
  assert.match(diagnoseEvidence([WRONGPASS], { variable: 'CACHE_URL' }).cause, /CACHE_URL/);
  assert.equal(
    diagnoseEvidence(['Consumer encountered a connection error: Authentication required.']).code,
    'auth-required',
  );
  assert.equal(
    diagnoseEvidence(['Error reading from cache: max requests limit exceeded. Limit: 500000, Usage: 500000.']).code,
    'quota-exceeded',
  );

  const internal = diagnoseEvidence(['Failed to connect to Redis: getaddrinfo ENOTFOUND redis.railway.internal']);
  assert.equal(internal.code, 'unreachable');
  assert.match(internal.cause, /another project or environment/);
  assert.match(internal.cause, /IPv6-only/);
  assert.match(
    diagnoseEvidence(['Failed to connect to Redis: Error 111 connecting to 10.0.0.1:6379. Connection refused.']).cause,
    /Nothing accepted the connection/,
  );
  assert.match(
    diagnoseEvidence(['Consumer encountered a connection error: Timeout connecting to server']).cause,
    /timed out/,
  );
  assert.equal(diagnoseEvidence(['Failed to connect to Redis']).code, 'unreachable');

  assert.equal(diagnoseEvidence(['Consumer encountered an unexpected error.']).code, 'worker-error');
  assert.equal(diagnoseEvidence(['Failed to cache user/limits']).code, 'unknown');
  assert.equal(diagnoseEvidence([]).code, 'unknown');
});

/**
 * Run `source` (an ES module) in a child node and return what it prints. A regression that makes
 * hostile input take hours fails here after `timeoutMs` instead of hanging the test run:
 * synchronous
 * work in this process could not be interrupted by the test's own timeout.
 */
function runBounded(source: string, timeoutMs = 8000): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', source], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    timeout: timeoutMs,
    encoding: 'utf8',
  });
  assert.equal(r.signal, null, `did not finish within ${timeoutMs} ms (killed: ${String(r.signal)})`);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

test('only the first 4 KiB of a line is matched: a 400 KB line cannot stall the watch', {
  timeout: 20_000,
}, () => {
  assert.equal(MAX_MATCHED_LINE, 4096);
  // `.*x` is quadratic on a line without x: hours on 400 KB, milliseconds on 4 KiB. compilePatterns
  // takes it unchecked here, so the cap alone is what bounds it.
  const healthModule = JSON.stringify(new URL('../../src/core/health.ts', import.meta.url).href);
  const out = runBounded(`
    import { compilePatterns, createHealthTracker, matchLine } from ${healthModule};
    const patterns = { success: ['Redis connected successfully'], failure: [{ regex: '.*x' }] };
    const compiled = compilePatterns(patterns);
    const huge = 'Redis connected successfully a'.repeat(400_000);
    const tracker = createHealthTracker({ patterns, startedAtMs: 0, settleMs: 0 });
    tracker.observe('a'.repeat(400_000), 1);
    console.log(JSON.stringify([matchLine(huge, compiled), matchLine('a'.repeat(400_000) + 'x', compiled),
      matchLine('a'.repeat(4000) + 'x', compiled), tracker.observe(huge, 2).status]));
  `);
  assert.deepEqual(JSON.parse(out), [
    { success: ['Redis connected successfully'], counted: [] },
    { success: [], counted: [] }, // text past the cap is not matched
    { success: [], counted: [], failure: '/.*x/' },
    'healthy',
  ]);
});

test(
  'the shipped failure lines: a repeated consumer restart fails on the second, the runbook ' +
    'lines each fail at once',
  () => {
    assert.ok(loaded.ok);
    const worker = { ...loaded.value.worker };
    const tracker = createHealthTracker({ patterns: worker, startedAtMs: 0, settleMs: 3000 });
    tracker.observe('Dramatiq broker set successfully!', 1);
    tracker.observe('Worker process is ready for action.', 2);
    assert.equal(
      tracker.observe('Restarting consumer in 3.00 seconds.', 3).status,
      'settling',
      'once is not yet a failure',
    );
    const failed = tracker.observe('Restarting consumer in 3.00 seconds.', 4);
    assert.equal(failed.status, 'failed');
    assert.match(failed.reason ?? '', /Restarting consumer in\/ ×2/);
    for (const line of [
      'Redis caching disabled',
      'Error 111 connecting to redis.railway.internal:6379. Connection refused.',
      'Error -2 connecting to x:1. Name or service not known.',
      'Timeout connecting to server',
      '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed',
      'WRONGPASS invalid username-password pair',
      'NOAUTH Authentication required.',
      'Redis URL must specify one of the following schemes (redis://, rediss://, unix://)',
    ]) {
      const t = createHealthTracker({ patterns: loaded.value.bot, startedAtMs: 0 });
      assert.equal(t.observe(line, 1).status, 'failed', line);
    }
  },
);

test('diagnoses of the new lines: an empty variable is named as such, not as unreachable', () => {
  assert.equal(
    diagnoseEvidence(['Redis URL must specify one of the following schemes (redis://, rediss://, unix://)']).code,
    'variable-missing',
  );
  assert.match(
    diagnoseEvidence(['ValueError: Redis URL must specify one of the following schemes'], {
      variable: 'CACHE_URL',
    }).cause,
    /CACHE_URL is empty or missing/,
  );
  assert.equal(diagnoseEvidence(['[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed']).code, 'tls-cert');
  assert.equal(diagnoseEvidence(['Redis caching disabled']).code, 'cache-disabled');
  assert.equal(diagnoseEvidence(['NOAUTH Authentication required.']).code, 'auth-required');
  assert.equal(diagnoseEvidence(['Error 111 connecting to h:1. Connection refused.']).code, 'unreachable');
  assert.equal(diagnoseEvidence(['Restarting consumer in 3.00 seconds.']).code, 'worker-error');
});

test('a worker settles at least 3 s (Dramatiq restarts a failed consumer after 3 s); other roles keep --settle', () => {
  assert.equal(settleFor('worker', 0), 3000);
  assert.equal(settleFor('worker', 10_000), 10_000);
  assert.equal(settleFor('bot', 0), 0);
});
