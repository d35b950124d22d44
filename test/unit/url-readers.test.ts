// Our emulations of redis-py 4 and ioredis, and the tool's verdict, against the cases ported from
// the clients' own suites (test/url-cases.ts). Offline: test/url-oracle.test.ts checks the same
// table, and a generated corpus, against the real libraries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeUrl, buildUrl, canonicalHost, maskUrl } from '../../src/core/url.ts';
import { readWithIoredis, readWithRedisPy, type ReaderResult } from '../../src/core/url-readers.ts';
import { ODD_PASSWORDS } from '../helpers/odd-passwords.ts';
import { URL_CASES, type Read } from '../helpers/url-cases.ts';

type Full = { tls: boolean; username: string; password: string; host: string; port: number; db: number } | string;

/** A table reading with its defaults filled in; the connection-stage error is compared elsewhere. */
function full(read: Read): Full {
  if (typeof read === 'string') return 'error';
  return {
    tls: read.tls ?? false,
    username: read.username ?? '',
    password: read.password ?? '',
    host: read.host,
    port: read.port ?? 6379,
    db: read.db ?? 0,
  };
}

function emulated(r: ReaderResult): Full {
  if (!r.ok) return 'error';
  const { tls, username, password, host, port, db } = r.reading;
  return { tls, username, password, host, port, db };
}

// Failure messages name the case by its masked URL: the table holds (test) passwords.
const label = (url: string) => `case ${maskUrl(url)}`;

test('the redis-py 4 emulation reads every case as redis-py does', () => {
  for (const c of URL_CASES) assert.deepEqual(emulated(readWithRedisPy(c.url)), full(c.redisPy), label(c.url));
});

test('the ioredis emulation reads every redis:// case as ioredis does', () => {
  for (const c of URL_CASES.filter((x) => /^rediss?:\/\//i.test(x.url))) {
    assert.deepEqual(emulated(readWithIoredis(c.url)), full(c.ioredis), label(c.url));
  }
});

test('the verdict of every case: agree → ok, redis-py raises or refuses → not ok, ambiguous → refused', () => {
  for (const c of URL_CASES) {
    const a = analyzeUrl(c.url);
    assert.equal(a.ok ? 'ok' : a.issue.code, c.verdict, label(c.url));
    // A parameter redis-py refuses at connection time is never accepted.
    if (typeof c.redisPy !== 'string' && c.redisPy.connectError) assert.notEqual(c.verdict, 'ok', label(c.url));
  }
});

test('counts: the table holds the ported upstream cases', () => {
  const by = (s: string) => URL_CASES.filter((c) => c.source === s).length;
  assert.equal(by('redis-py'), 22);
  assert.equal(by('ioredis'), 14);
  assert.ok(by('issues') >= 40);
});

test('where the clients disagree, the warning names both readings and the check follows redis-py', () => {
  const db = analyzeUrl('redis://:pw@h.example:1/2?db=3');
  assert.ok(db.ok);
  assert.equal(db.url.db, 3);
  const w = db.warnings.find((x) => x.code === 'readers-disagree');
  assert.match(w?.message ?? '', /redis-py selects db 3, ioredis db 2/);
  const tls = analyzeUrl('REDISS://:pw@h.example:1');
  assert.ok(tls.ok && tls.url.tls);
  assert.match(tls.warnings.map((x) => x.message).join(' '), /ioredis turns TLS on only for a lower-case rediss:\/\//);
  const creds = analyzeUrl('redis://u@h.example:1?password=from-query-value');
  assert.ok(creds.ok);
  assert.equal(creds.url.password, 'from-query-value');
  const text = creds.warnings.map((x) => x.message).join(' ');
  assert.match(text, /redis-py sends user \*+ with a password \([^)]*\), ioredis user \*+ with an empty password/);
  assert.ok(!text.includes('from-query-value'), text);
  assert.equal(creds.normalized, 'redis://u:from-query-value@h.example:1');
});

test('ioredis failing where redis-py reads (a stray %) is a warning; the written URL encodes the %', () => {
  const a = analyzeUrl('redis://:p%zz@h.example:1');
  assert.ok(a.ok);
  assert.equal(a.url.password, 'p%zz');
  assert.match(a.warnings.find((w) => w.code === 'readers-disagree')!.message, /URI malformed/);
  assert.equal(a.normalized, 'redis://:p%25zz@h.example:1');
});

test('IDN hosts: ioredis looks up the percent-encoded name; the written URL uses punycode', () => {
  const a = analyzeUrl('redis://:pw@bücher.example:1');
  assert.ok(a.ok);
  assert.equal(a.url.host, 'xn--bcher-kva.example');
  assert.equal(a.normalized, 'redis://:pw@xn--bcher-kva.example:1');
  assert.match(a.warnings[0]!.message, /b%C3%BCcher\.example/);
  assert.equal(canonicalHost('[::1]'), '::1');
  assert.equal(canonicalHost('a b'), undefined);
});

test('a canonical URL is read identically by both emulations, as the intended user and password', () => {
  for (const password of ODD_PASSWORDS) {
    for (const username of ['', 'default', 'bob', `u${password}`]) {
      const url = buildUrl({ tls: false, username, password, host: '127.0.0.1', port: 7000, db: 1 });
      // Only unreserved characters, %XX and the URL's own delimiters: never needs quotes in .env.
      assert.match(url, /^redis:\/\/[A-Za-z0-9%._~-]*:?[A-Za-z0-9%._~-]*@?127\.0\.0\.1:7000\/1$/, label(url));
      for (const read of [readWithRedisPy, readWithIoredis]) {
        assert.deepEqual(
          emulated(read(url)),
          { tls: false, username, password, host: '127.0.0.1', port: 7000, db: 1 },
          label(url),
        );
      }
      const a = analyzeUrl(url);
      assert.ok(a.ok, label(url));
      assert.equal(a.normalized, url);
      assert.deepEqual(
        a.warnings.filter((w) => w.code !== 'no-password' && w.code !== 'user-without-password'),
        [],
        label(url),
      );
    }
  }
});

test('a user with an empty password keeps its colon; IPv6 goes in brackets; only accepted parameters stay', () => {
  assert.equal(
    buildUrl({ tls: false, username: 'myuser', password: '', host: 'h', port: 1, db: 0 }),
    'redis://myuser:@h:1',
  );
  assert.equal(
    buildUrl({ tls: true, username: '', password: 'pw', host: '::1', port: 1, db: 0 }),
    'rediss://:pw@[::1]:1',
  );
  assert.equal(
    buildUrl({ tls: false, username: '', password: "it's", host: 'h', port: 1, db: 0 }),
    'redis://:it%27s@h:1',
  );
  const a = analyzeUrl('rediss://:pw@h.example:1?socket_timeout=5&client_name=bot&ssl_cert_reqs=none');
  assert.ok(a.ok);
  assert.equal(a.normalized, 'rediss://:pw@h.example:1?socket_timeout=5&client_name=bot&ssl_cert_reqs=none');
  assert.ok(a.warnings.some((w) => w.code === 'python-only-param'));
  for (const bad of [
    'family=0',
    'protocol=3',
    'timeout=5',
    'unknown_key=1',
    'decode_responses=True',
    'client_name=a%25b',
  ]) {
    const r = analyzeUrl(`redis://:pw@h.example:1?${bad}`);
    assert.ok(!r.ok && r.issue.code === 'unsupported-param', bad);
    assert.equal(r.issue.suggestedUrl, 'redis://:pw@h.example:1', bad);
  }
  const twice = analyzeUrl('redis://:pw@h.example:1?db=1&db=2');
  assert.ok(!twice.ok);
  assert.match(twice.issue.message, /db: given more than once; redis-py uses the first value and ioredis the last/);
});
