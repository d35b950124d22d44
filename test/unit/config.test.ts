import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  hasCredentialsInUrl,
  jsonDepth,
  mergePatterns,
  parseProjectConfig,
  resolveRolePatterns,
  rolesFromFlag,
  templatesFromJson,
  type PatternTemplates,
} from '../../src/core/config.ts';
import { checkRegexSafety } from '../../src/core/safe-regex.ts';

const templatesJson: unknown = JSON.parse(
  readFileSync(new URL('../../templates/patterns.json', import.meta.url), 'utf8'),
);

function templates(): PatternTemplates {
  const loaded = templatesFromJson(templatesJson);
  assert.ok(loaded.ok, loaded.ok ? '' : loaded.message);
  return loaded.value;
}

/**
 * Run `source` (an ES module) in a child node and return what it prints. A regression that makes
 * hostile input take hours fails here after `timeoutMs` instead of hanging the test run: synchronous
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

const rejected = (config: unknown): string => {
  const result = parseProjectConfig(typeof config === 'string' ? config : JSON.stringify(config));
  assert.ok(!result.ok, `expected ${JSON.stringify(config)} to be rejected`);
  return result.message;
};

test('templates: every role gets the shared failure list; worker needs both Dramatiq lines', () => {
  const t = templates();
  assert.deepEqual(t.worker.success, ['Dramatiq broker set successfully!', 'Worker process is ready for action.']);
  assert.deepEqual(t.bot.success, ['Redis connected successfully']);
  assert.deepEqual(t.web.success, ['Redis connected successfully']);
  assert.deepEqual(t.custom.success, []);
  for (const role of ['bot', 'worker', 'web', 'custom'] as const) {
    assert.equal(t[role].failure.length, 17, role);
    assert.ok(t[role].failure.includes('invalid username-password pair'), role);
  }
});

test('a full valid config parses, with REDIS_URL as the default variable', () => {
  const result = parseProjectConfig(
    JSON.stringify({
      $schema: 'https://unpkg.com/redis-setup/schema.json',
      provider: 'railway',
      redisService: 'Redis',
      environment: 'production',
      services: [
        { name: 'bot', role: 'bot' },
        { name: 'queue', role: 'worker' },
        { name: 'api', role: 'custom' },
      ],
      patterns: { custom: { success: ['Listening on', { regex: 'cache (ready|warm)', flags: 'i' }] } },
      settleSeconds: 15,
      timeoutSeconds: 300,
    }),
  );
  assert.ok(result.ok, result.ok ? '' : result.message);
  assert.equal(result.config.variable, 'REDIS_URL');
  assert.equal(result.config.services?.[2]?.role, 'custom');
  const other = parseProjectConfig('\uFEFF{"variable":"CACHE_URL"}');
  assert.ok(other.ok && other.config.variable === 'CACHE_URL');
});

test('bad roles and types give one readable line per problem, naming the path', () => {
  assert.equal(
    rejected({
      services: [
        { name: 'a', role: 'bot' },
        { name: 'b', role: 'database' },
      ],
    }),
    'redis-setup.json: services[1].role: expected one of bot, worker, web, custom',
  );
  assert.match(
    rejected({ provider: 'aws' }),
    /^redis-setup\.json: provider: expected one of railway, upstash, url, reference$/,
  );
  assert.match(rejected({ variable: '1REDIS' }), /variable: must be an environment variable name/);
  assert.match(rejected({ variable: 'REDIS-URL' }), /variable: must be an environment variable name/);
  assert.match(rejected({ settleSeconds: '10' }), /settleSeconds: expected a number, got string/);
  assert.match(rejected({ timeoutSeconds: 0 }), /timeoutSeconds: must be at least 1/);
  assert.match(rejected({ services: {} }), /services: expected an array, got object/);
  assert.match(rejected({ servics: [] }), /servics: unknown key/);
  assert.match(
    rejected({
      services: [
        { name: 'a', role: 'bot' },
        { name: 'A', role: 'web' },
      ],
    }),
    /services\[1\]\.name: "A" is listed twice/,
  );
  assert.match(rejected([]), /expected an object, got an array/);
  const notJson = rejected('{ "services": [ }');
  assert.match(notJson, /^redis-setup\.json is not valid JSON: /);
  for (const message of [notJson, rejected({ services: [{ role: 'bot' }] })])
    assert.doesNotMatch(message, /\n\s+at /, 'no stack trace');
});

test('bad patterns are explained at their exact path', () => {
  const message = rejected({ patterns: { worker: { success: ['', { regex: '((' }, { regex: 'a', extra: 1 }, 3] } } });
  assert.match(message, /patterns\.worker\.success\[0\]: a pattern cannot be empty/);
  assert.match(message, /patterns\.worker\.success\[1\]\.regex: not a valid JavaScript regular expression/);
  assert.match(message, /patterns\.worker\.success\[2\]\.extra: unknown key/);
  assert.match(message, /patterns\.worker\.success\[3\]: expected a text, or an object like \{ "regex": "\.\.\." \}/);
  assert.match(rejected({ patterns: { db: { success: ['x'] } } }), /patterns\.db: unknown key/);
  assert.match(
    rejected({ patterns: { bot: { success: [{ regex: 'ready', times: 2 }] } } }),
    /patterns\.bot\.success\[0\]\.times: times counts repeats of a failure line/,
  );
});

test('role custom needs its own success patterns', () => {
  assert.match(
    rejected({ services: [{ name: 'api', role: 'custom' }] }),
    /services\[0\]\.role: role custom needs patterns\.custom\.success/,
  );
  const merged = mergePatterns(templates());
  const custom = resolveRolePatterns(merged, 'custom');
  assert.ok(!custom.ok);
  assert.match(custom.message, /patterns\.custom\.success in redis-setup\.json/);
  assert.ok(resolveRolePatterns(merged, 'worker').ok);
});

test('secrets are refused with a message that says why', () => {
  const inUrl = rejected({ redisService: 'redis://default:s3cretpassw0rd@redis.railway.internal:6379' });
  assert.match(
    inUrl,
    /^redis-setup\.json: redisService: looks like a URL with a password \(redis-setup\.json is committed to git, so/,
  );
  assert.doesNotMatch(inUrl, /s3cretpassw0rd/, 'the message must not repeat the secret');
  assert.match(
    rejected({ patterns: { bot: { success: ['rediss://:tok@x.upstash.io'] } } }),
    /patterns\.bot\.success\[0\]: looks like a URL with a password/,
  );
  for (const key of ['password', 'redisUrl', 'REDIS_URL', 'token', 'apiKey', 'UPSTASH_REDIS_REST_TOKEN', 'secret']) {
    assert.match(
      rejected({ [key]: 'anything' }),
      new RegExp(`^redis-setup\\.json: ${key}: a key named like a secret is not allowed`),
      key,
    );
  }
  assert.match(
    rejected({ services: [{ name: 'a', role: 'bot', password: 'x' }] }),
    /services\[0\]\.password: a key named like a secret/,
  );
  // Secret checks come first, so a secret next to other mistakes is still reported as a secret.
  assert.match(rejected({ url: 'redis://:pw@host:1', provider: 'nope' }), /url: a key named like a secret/);
  // Harmless URLs and variable names are fine.
  assert.ok(
    parseProjectConfig(JSON.stringify({ $schema: 'https://example.com/schema.json', variable: 'REDIS_URL' })).ok,
  );
  assert.ok(
    parseProjectConfig(
      JSON.stringify({ patterns: { web: { success: ['Connected to redis://redis.railway.internal:6379'] } } }),
    ).ok,
  );
});

test('mergePatterns: a list given for a role replaces that list only', () => {
  const t = templates();
  const merged = mergePatterns(t, {
    worker: { success: ['Worker process is ready for action.'] },
    web: { failure: [{ regex: 'ECONNREFUSED' }] },
  });
  assert.deepEqual(merged.worker.success, ['Worker process is ready for action.']);
  assert.deepEqual(merged.worker.failure, t.worker.failure, 'failure list not overridden, so kept');
  assert.deepEqual(merged.web.failure, [{ regex: 'ECONNREFUSED' }]);
  assert.deepEqual(merged.web.success, t.web.success);
  assert.deepEqual(merged.bot, t.bot);
  merged.bot.success.push('mutated');
  assert.deepEqual(t.bot.success, ['Redis connected successfully'], 'templates are not mutated');
});

test('rolesFromFlag parses NAME=ROLE pairs and explains bad ones', () => {
  assert.deepEqual(rolesFromFlag('a=bot,b=worker'), {
    ok: true,
    value: [
      { name: 'a', role: 'bot' },
      { name: 'b', role: 'worker' },
    ],
  });
  assert.deepEqual(rolesFromFlag(' my bot = web , q=custom,'), {
    ok: true,
    value: [
      { name: 'my bot', role: 'web' },
      { name: 'q', role: 'custom' },
    ],
  });
  const bad = (flag: string, pattern: RegExp) => {
    const r = rolesFromFlag(flag);
    assert.ok(!r.ok, flag);
    assert.match(r.message, pattern);
  };
  bad('a=database', /--roles "a=database": unknown role "database", expected one of bot, worker, web, custom/);
  bad('a', /--roles "a": expected NAME=ROLE/);
  bad('=bot', /expected NAME=ROLE/);
  bad('a=', /expected NAME=ROLE/);
  bad('', /--roles is empty/);
  bad('a=bot,A=web', /service "A" is listed twice/);
});

// ── Hostile input (issue 11) ────────────────────────────────────────────────────────────────

const refusedRegex = (source: string): string => {
  const verdict = checkRegexSafety(source);
  assert.ok(!verdict.ok, `expected ${source} to be refused`);
  return verdict.reason;
};

test('safe-regex refuses nested quantifiers, alternation under repetition and backreferences', () => {
  const nested = ['^(.*)*!$', '(a+)+', '(a|aa)+', '(\\w+\\s?)*', '(a*){2}', '((ab)*c)+', '(?:a?){5,}', '(?<w>x+)+y'];
  for (const source of nested) assert.match(refusedRegex(source), /a repeated group contains a quantifier or/, source);
  // A count of any length is still a count: it must not slip through as a literal brace.
  assert.match(refusedRegex(`(a+){${'9'.repeat(40)}}`), /repeated group/);
  for (const source of ['(a)\\1', '(?<x>a)\\k<x>']) assert.match(refusedRegex(source), /backreferences/, source);
});

test('safe-regex refuses two unbounded repetitions, too many choices and overlong patterns', () => {
  for (const source of ['.*.*x', 'a+b+', '\\d+ms .*', '(?=.*a).*b']) {
    assert.match(refusedRegex(source), /2 unbounded repetitions/, source);
  }
  assert.match(refusedRegex('.{0,300}.{0,300}'), /too many ways to match/);
  assert.match(refusedRegex('x'.repeat(513)), /513 characters long; at most 512/);
});

test('safe-regex accepts the patterns people write for log lines', () => {
  const usual = [
    'cache (ready|warm)',
    '^Worker \\d+ ready$',
    'connected to .*',
    '(ab)+',
    'colou?r',
    '[a-z]{1,5}x',
    '\\p{L}+',
    '(?<name>ab)c',
    '\\u{1F600}',
    'a{2}',
    '[(]+',
    '[\\]+]+',
    'a{',
    '(foo)?bar.*',
    'x'.repeat(512),
  ];
  for (const source of usual) assert.deepEqual(checkRegexSafety(source), { ok: true }, source);
});

test('a backtracking regex in redis-setup.json is refused, naming the pattern and its path', () => {
  const message = rejected({ patterns: { custom: { success: [{ regex: '^(.*)*!$' }] } } });
  assert.match(message, /^redis-setup\.json: patterns\.custom\.success\[0\]\.regex: \/\^\(\.\*\)\*!\$\/ is refused: /);
  assert.match(
    rejected({ patterns: { bot: { failure: ['ok', { regex: '(a|aa)+$' }] } } }),
    /patterns\.bot\.failure\[1\]\.regex: \/\(a\|aa\)\+\$\/ is refused/,
  );
  // An invalid regex says so, not that it is unsafe.
  assert.match(
    rejected({ patterns: { bot: { success: [{ regex: '(a+' }] } } }),
    /success\[0\]\.regex: not a valid JavaScript regular expression$/,
  );
});

test('pattern count and length are capped per list', () => {
  const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i}`);
  assert.match(
    rejected({ patterns: { worker: { failure: lines(33) } } }),
    /patterns\.worker\.failure: at most 32 patterns per list/,
  );
  assert.match(
    rejected({ patterns: { bot: { success: ['x'.repeat(513)] } } }),
    /patterns\.bot\.success\[0\]: a pattern is at most 512 characters/,
  );
  assert.match(
    rejected({ patterns: { bot: { success: [{ regex: 'x'.repeat(513) }] } } }),
    /success\[0\]\.regex: a pattern is at most 512 characters/,
  );
  assert.ok(parseProjectConfig(JSON.stringify({ patterns: { bot: { success: lines(32) } } })).ok);
});

test('a huge or deeply nested redis-setup.json is refused before parsing, with the reason', {
  timeout: 10_000,
}, () => {
  // A 1 MB pattern and a 300 KB string: the size cap answers before any pattern or secret check.
  assert.match(
    rejected({ patterns: { custom: { success: [{ regex: 'a'.repeat(1_000_000) }] } } }),
    /^redis-setup\.json is 977 KiB; .*at most 64 KiB/,
  );
  assert.match(rejected({ redisService: 'x'.repeat(300_000) }), /is 293 KiB/);
  const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
  assert.match(rejected(deep), /^redis-setup\.json nests objects or arrays more than 16 levels deep/);
  assert.match(rejected(`{"a":${'{"b":'.repeat(17)}1${'}'.repeat(17)}}`), /more than 16 levels deep/);
  // Brackets inside strings are text, not nesting.
  assert.equal(jsonDepth(JSON.stringify({ redisService: '[[[[{{{{\\"[[[' })), 1);
});

test('the URL-with-password check is linear on hostile strings, as strict as the regex', {
  timeout: 20_000,
}, () => {
  // Each of these took the old backtracking regex minutes or longer.
  const configModule = JSON.stringify(new URL('../../src/core/config.ts', import.meta.url).href);
  const out = runBounded(`
    import { hasCredentialsInUrl } from ${configModule};
    const texts = ['a'.repeat(1_000_000) + '://', 'a://'.repeat(250_000), 'a://:'.repeat(1_000_000),
      'a'.repeat(500_000) + ':b'.repeat(500_000), 'a'.repeat(500_000) + '://u:p@h'];
    console.log(JSON.stringify(texts.map(hasCredentialsInUrl)));
  `);
  assert.deepEqual(JSON.parse(out), [false, false, false, false, true]);
  const cases: [string, boolean][] = [
    ['redis://default:pw@host', true],
    ['x rediss://:tok@x.upstash.io', true],
    ['see HTTP://U:P@h', true],
    ['Connected to redis://redis.railway.internal:6379', false],
    ['1://a:b@c', false],
    ['http://a@b:c', false],
    ['h://a:b/@c', false],
  ];
  for (const [text, expected] of cases) assert.equal(hasCredentialsInUrl(text), expected, text);
  // Through the schema: a 60 KB value with a password in it is still found and refused.
  assert.match(
    rejected({ redisService: `${'a'.repeat(60_000)} redis://u:pw@h` }),
    /redisService: looks like a URL with a password/,
  );
});
