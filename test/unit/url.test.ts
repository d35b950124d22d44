import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeUrl, buildUrl, classifyHost, maskUrl, passwordOf } from '../../src/core/url.ts';
import { maskText } from '../../src/core/mask.ts';

const ok = (input: string) => {
  const a = analyzeUrl(input);
  assert.ok(a.ok, `expected ok for ${input}: ${JSON.stringify(a)}`);
  return a;
};
const bad = (input: string) => {
  const a = analyzeUrl(input);
  assert.ok(!a.ok, `expected a failure for ${input}`);
  return a.issue;
};

test('the three seed forms parse to the same connection', () => {
  for (const form of [
    'redis://default:PW123@host.example:6379',
    'redis://:PW123@host.example:6379',
    'redis://default:PW123@host.example:6379/0',
  ]) {
    const { url } = ok(form);
    assert.equal(url.password, 'PW123');
    assert.equal(url.host, 'host.example');
    assert.equal(url.port, 6379);
    assert.equal(url.db, 0);
    assert.equal(url.tls, false);
  }
  assert.equal(ok('redis://default:PW123@host.example:6379').url.username, 'default');
  assert.equal(ok('redis://:PW123@host.example:6379').url.username, '');
});

test('defaults, db, TLS and pasted whitespace', () => {
  const a = ok('  rediss://default:x@h.example/3\n');
  assert.equal(a.url.port, 6379);
  assert.equal(a.url.db, 3);
  assert.equal(a.url.tls, true);
  assert.equal(ok('"redis://h.example:1234"').url.port, 1234);
});

test('hosts are classified by name, not by variable', () => {
  assert.equal(classifyHost('redis.railway.internal'), 'railway-private');
  assert.equal(classifyHost('monorail.proxy.rlwy.net'), 'railway-public');
  assert.equal(classifyHost('containers-us-west-1.railway.app'), 'railway-public');
  assert.equal(classifyHost('merry-cat-123.upstash.io'), 'upstash');
  assert.equal(classifyHost('127.0.0.1'), 'other');
});

test('Upstash with redis:// gets tls-required and the corrected URL', () => {
  const issue = bad('redis://default:tok@merry-cat.upstash.io:6379');
  assert.equal(issue.code, 'tls-required');
  assert.match(issue.message, /Upstash only speaks TLS: use rediss:\/\//);
  assert.equal(issue.suggestedUrl, 'rediss://default:tok@merry-cat.upstash.io:6379');
});

test('the Upstash REST URL is named as such, with where to find the right one', () => {
  const issue = bad('https://merry-cat.upstash.io');
  assert.equal(issue.code, 'rest-url');
  assert.match(issue.fix, /rediss:\/\//);
});

test('a private Railway host points to the public URL and the reference', () => {
  const issue = bad('redis://default:pw@redis.railway.internal:6379');
  assert.equal(issue.code, 'private-host');
  assert.match(issue.fix, /REDIS_PUBLIC_URL/);
  assert.match(issue.fix, /\$\{\{Redis\.REDIS_URL\}\}/);
});

test('an unencoded password is read as both clients read it and the encoded URL is offered', () => {
  const pw = 'p@ss:w%rd+ =é';
  const a = ok(`redis://default:${pw}@127.0.0.1:7000`);
  assert.equal(a.url.password, pw);
  assert.equal(a.url.host, '127.0.0.1');
  assert.equal(a.url.port, 7000);
  assert.ok(a.warnings.some((w) => w.code === 'unencoded-password'));
  assert.equal(a.normalized, `redis://default:${encodeURIComponent(pw)}@127.0.0.1:7000`);
  // The encoded form is read back to the same password, with no warning.
  const again = ok(a.normalized);
  assert.equal(again.url.password, pw);
  assert.deepEqual(again.warnings, []);
});

test('an @ after a / ? or # is ambiguous: refused before anything is contacted, password never echoed', () => {
  for (const text of [
    'redis://default:p@ss:w/rd#?%&+ =é@127.0.0.1:7000',
    'redis://:pw-secret@127.0.0.1:7/0?client_name=me@localhost',
    'redis://:pw-secret@h:6379#x@evil.example',
  ]) {
    const issue = bad(text);
    assert.equal(issue.code, 'ambiguous-url');
    assert.equal(issue.suggestedUrl, undefined);
    assert.ok(!JSON.stringify(issue).includes('pw-secret'));
  }
});

test('a lone userinfo is a user name to both clients: warned, and still masked as a secret', () => {
  const a = ok('redis://LoneSecretValue1234@h.example:1');
  assert.equal(a.url.username, 'LoneSecretValue1234');
  assert.equal(a.url.password, '');
  assert.ok(a.warnings.some((w) => w.code === 'user-without-password'));
  assert.equal(a.normalized, 'redis://LoneSecretValue1234:@h.example:1');
  assert.equal(passwordOf('redis://LoneSecretValue1234@h.example:1'), 'LoneSecretValue1234');
  assert.equal(passwordOf('redis://bob:@h.example:1'), undefined);
  assert.equal(passwordOf('redis://bob:pw%40x@h.example:1'), 'pw@x');
  assert.ok(!maskUrl('redis://LoneSecretValue1234@h.example:1').includes('LoneSecretValue1234'));
});

test('family= is refused (it breaks redis-py) and the URL without it is offered', () => {
  const issue = bad('redis://default:pw@h.example:1?family=0');
  assert.equal(issue.code, 'unsupported-param');
  assert.match(issue.message, /unexpected keyword argument 'family'/);
  assert.equal(issue.suggestedUrl, 'redis://default:pw@h.example:1');
});

test('invalid URLs name the wrong part and never echo the password', () => {
  assert.match(bad('').message, /No Redis URL/);
  assert.match(bad('localhost:6379').message, /does not start with redis:\/\//);
  assert.match(bad('postgres://u:p@h:5432').message, /scheme must be redis:\/\/ or rediss:\/\//);
  assert.match(bad('redis://default:pw@h:99999').message, /port must be between 1 and 65535/);
  assert.match(bad('redis://default:pw@h:6379/x').message, /database number/);
  const leak = bad('redis://default:topsecretvalue');
  assert.ok(!JSON.stringify(leak).includes('topsecretvalue'), JSON.stringify(leak));
});

test('buildUrl percent-encodes user and password like encodeURIComponent', () => {
  assert.equal(
    buildUrl({ tls: true, username: 'default', password: 'a b/c', host: 'h', port: 1, db: 0 }),
    'rediss://default:a%20b%2Fc@h:1',
  );
});

test('masking hides passwords in URLs and free text', () => {
  const long = 'abcdefghijklmnopqrstuvwxyz012345';
  assert.equal(maskUrl(`redis://default:${long}@h:1`), 'redis://default:ab****45@h:1');
  assert.equal(maskUrl('redis://default:short@h:1'), 'redis://default:****@h:1');
  assert.ok(!maskText(`error at redis://u:${long}@h:1 and ${long}`, [long]).includes(long));
  assert.ok(
    !maskText(`x ${encodeURIComponent('p@ss/wörd!')} y`, ['p@ss/wörd!']).includes(encodeURIComponent('p@ss/wörd!')),
  );
});
