// maskText / maskUrl on every shape a person pastes by mistake, secret-named variables, JSON, and
// sanitizeForTerminal. The seeded corpus of mutations is in test/url-fuzz.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maskSecret, maskText, sanitizeForTerminal } from '../../src/core/mask.ts';
import { encodeStrict, maskUrl } from '../../src/core/url.ts';

const PW = 'Hx8-Pasted-Secret-Value-57';

/** The secret in none of its printable forms; the failure message never quotes it. */
function hidden(out: string, secret = PW): void {
  for (const form of new Set([secret, encodeURIComponent(secret), encodeStrict(secret)])) {
    assert.ok(!out.includes(form), `a form of the secret is still in: ${out.split(form).join('<SECRET>')}`);
  }
}

test('issue 11: every malformed shape is masked by maskText and maskUrl', () => {
  const shapes = [
    `redis:/default:${PW}@host:1`,
    `redis:default:${PW}@host`,
    `//default:${PW}@host`,
    `default:${PW}@host`,
    `${PW}@host:1`,
    `redis://default:${PW}`,
    `redis://host:1?password=${PW}`,
    `redis://host:1#${PW}`,
    `redis://default:${PW}@host:1`,
    `redis://${PW}@host`,
    `redis://:${PW}@h:6379#x@evil.example`,
    `redis://default:p@ss@${PW}@host:1`,
    `redis://default:${PW} @host`,
    `redis://host:1/${PW}`,
    `redis://host:1?${PW}`,
  ];
  for (const shape of shapes) {
    hidden(maskText(shape));
    hidden(maskUrl(shape));
    hidden(maskText(`error: cannot connect to "${shape}", giving up`));
  }
});

test('masked URLs keep what helps: scheme, user, host, port, db', () => {
  assert.equal(maskUrl(`redis://default:${PW}@127.0.0.1:6379/2`), 'redis://default:Hx****57@127.0.0.1:6379/2');
  assert.equal(maskUrl('redis://default:short@h:1'), 'redis://default:****@h:1');
  assert.equal(maskUrl(`redis://default:${PW}`), 'redis://default:Hx****57');
  assert.equal(maskUrl(`redis://host:1?password=${PW}&db=2`), 'redis://host:1?password=Hx****57&db=2');
  assert.equal(
    maskUrl('rediss://h.upstash.io:6379?ssl_cert_reqs=none'),
    'rediss://h.upstash.io:6379?ssl_cert_reqs=none',
  );
  assert.equal(maskUrl('redis://[::1]:6379'), 'redis://[::1]:6379');
});

test('ordinary text is left alone: npm specs, hosts, ports, error names, our own placeholders', () => {
  for (const text of [
    'npx redis-setup@latest',
    'npm i -g @railway/cli@latest',
    'connect ECONNREFUSED 127.0.0.1:16999',
    'Use the form redis://default:****@HOST:PORT (or rediss://).',
    'https://docs.railway.com/guides/cli',
    'MaxRetriesPerRequestError: Reached the max retries per request limit (which is 20).',
    '[CRITICAL] Consumer encountered a connection error: invalid username-password pair or user is disabled.',
    'deployment 7f3a9c2e-1b4d-4e5f-8a9b-0c1d2e3f4a5b failed at 12:30',
    'monorail.proxy.rlwy.net:12345',
  ]) {
    assert.equal(maskText(text), text);
  }
});

test('a variable whose name says secret is masked: NAME=value, "NAME": "value", Python dicts', () => {
  const out = maskText(
    [
      'REDIS_PASSWORD=abc&def',
      'UPSTASH_API_KEY="k e y"',
      'RAILWAY_TOKEN=tok123456',
      'MY_SECRET=s3',
      'export DB_PASSWD = pw9',
      `{"REDIS_PASSWORD": "quoted \\"pw\\"", "n": 1}`,
      "{'password': 'py-dict-pw'}",
      'SESSION_KEY: "yaml"',
    ].join('\n'),
  );
  for (const secret of ['abc&def', 'k e y', 'tok123456', '=s3', 'pw9', 'quoted', 'py-dict-pw'])
    assert.ok(!out.includes(secret), out);
  assert.match(out, /REDIS_PASSWORD=\*\*\*\*/);
});

test('a whole JSON document stays valid JSON, masked value by value', () => {
  const doc = JSON.stringify({
    REDIS_URL: `redis://default:${PW}@h:1`,
    REDIS_PASSWORD: 'abc def',
    other: 'x',
    list: [`${PW}@h:2`],
  });
  const out = maskText(doc);
  hidden(out);
  const parsed = JSON.parse(out) as Record<string, unknown>;
  assert.equal(parsed.REDIS_PASSWORD, '****');
  assert.equal(parsed.other, 'x');
  assert.equal(parsed.REDIS_URL, 'redis://default:Hx****57@h:1');
});

test('literal secrets are masked in every printed form: raw, encoded (three ways), form-encoded, JSON-escaped', () => {
  const secret = `it's "odd" p@ss/w rd`;
  const forms = [
    secret,
    encodeURIComponent(secret),
    encodeStrict(secret),
    new URLSearchParams({ a: secret }).toString().slice(2),
    JSON.stringify(secret).slice(1, -1),
  ];
  const out = maskText(`values: ${forms.join(' | ')}`, [secret]);
  for (const form of forms) assert.ok(!out.includes(form), out);
  assert.equal(maskSecret('abcdefghijklmnopqrstuvwxyz'), 'ab****yz');
});

test('sanitizeForTerminal drops escape sequences and control characters, keeps \\n and \\t', () => {
  const evil =
    'ok\x1b[31mred\x1b[0m\x1b]0;title\x07 ' +
    '\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\\r\nline2\tcol\x00\x08\x7f\x9b2J\u202eevil\x1bc';
  assert.equal(sanitizeForTerminal(evil), 'okred link\nline2\tcolevil');
  assert.equal(sanitizeForTerminal('plain ünïcødé text\n'), 'plain ünïcødé text\n');
});

test('paths, temp folder names and deployment IDs are not secrets', () => {
  for (const text of [
    'Cannot write /tmp/doctor-hoG5vz/.env (EACCES).',
    '/home/Alice/TelegramBot2024/.env',
    'deployment 3f2a9c1e-7b4d-4e1a-9c2b-5d6e7f8a9b0c',
    'restore-8Hcutz/.redis-setup/last-change.json',
  ]) {
    assert.equal(maskText(text), text);
  }
});

test('Railway references are shown as they are: they name a variable and hold no secret', () => {
  for (const text of [
    'REDIS_URL = ${{Redis.REDIS_URL}}',
    'REDIS_URL=${{shared.REDIS_URL}}',
    'bot (${{Redis.REDIS_URL}}), worker',
    'redis://default:${{Redis.REDISPASSWORD}}@${{Redis.RAILWAY_PRIVATE_DOMAIN}}:6379',
  ]) {
    assert.equal(maskText(text), text);
  }
  // Only a whole reference is spared: a secret next to one is still masked.
  assert.equal(maskText('${{x}}:Secret@host'), '****@host');
  assert.ok(!maskText('${{Redis.REDIS_URL}}NewRotatedPw7Kq2Zx9').includes('NewRotatedPw7Kq2Zx9'));
});
