// Live oracles: the real redis-py 4.3.4 (/usr/bin/python3, or $PYTHON_ORACLE) and the real ioredis
// 6
// read every ported case and a seeded corpus; our emulations and verdicts must match them. No
// network: redis-py builds its Connection object without connecting; ioredis is lazyConnect.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeUrl, buildUrl, canonicalHost, cleanPastedUrl, maskUrl, type RedisUrl } from '../src/core/url.ts';
import { readWithIoredis, readWithRedisPy } from '../src/core/url-readers.ts';
import { ioredisRead, type IoUrlResult } from './helpers/io-oracle.ts';
import { redisPyRead, type PyUrlResult } from './helpers/py-oracle.ts';
import { urlCorpus } from './helpers/url-corpus.ts';
import { URL_CASES, type Read } from './helpers/url-cases.ts';
import { ODD_PASSWORDS } from './helpers/odd-passwords.ts';

const label = (url: string) => `case ${maskUrl(url)}`;

function fromPy(r: PyUrlResult): Read {
  if (r.error) return r.error;
  return {
    ...(r.tls ? { tls: true } : {}),
    ...(r.username ? { username: r.username } : {}),
    ...(r.password ? { password: r.password } : {}),
    host: r.host!,
    ...(r.port !== 6379 ? { port: r.port! } : {}),
    ...(r.db ? { db: r.db } : {}),
    ...(r.connectError ? { connectError: r.connectError } : {}),
  };
}

function fromIo(r: IoUrlResult): Read {
  if (r.error) return r.error;
  return {
    ...(r.tls ? { tls: true } : {}),
    ...(r.username ? { username: r.username } : {}),
    ...(r.password ? { password: r.password } : {}),
    host: r.host!,
    ...(r.port !== 6379 ? { port: r.port! } : {}),
    ...(r.db ? { db: r.db } : {}),
  };
}

test('the real redis-py 4 and ioredis 6 read every ported case as the table says', () => {
  const py = redisPyRead(URL_CASES.map((c) => c.url));
  URL_CASES.forEach((c, i) => {
    assert.deepEqual(fromPy(py[i]!), c.redisPy, `redis-py, ${label(c.url)}`);
    assert.deepEqual(fromIo(ioredisRead(c.url)), c.ioredis, `ioredis, ${label(c.url)}`);
  });
});

/** Texts worth reading: the mutated corpus plus the table's URLs with their passwords mutated too. */
function differentialCorpus(): string[] {
  const mutated = urlCorpus({ seed: 4242, size: 700, host: 'h.example', port: 6380 }).map((x) => x.text);
  return [...mutated, ...URL_CASES.map((c) => c.url)];
}

const comparable = (r: {
  tls: boolean;
  username: string;
  password: string;
  host: string;
  port: number;
  db: number;
}) => ({ tls: r.tls, username: r.username, password: r.password, host: r.host, port: r.port, db: r.db });

test('differential: our redis-py and ioredis emulations match the real libraries on the seeded corpus', () => {
  const texts = differentialCorpus();
  const py = redisPyRead(texts);
  texts.forEach((text, i) => {
    const real = py[i]!;
    const mine = readWithRedisPy(text);
    assert.equal(mine.ok, !real.error, `redis-py raises or not, corpus text ${i} (${label(text)})`);
    if (mine.ok && !real.error) {
      assert.deepEqual(
        comparable(mine.reading),
        {
          tls: real.tls,
          username: real.username,
          password: real.password,
          host: real.host,
          port: real.port,
          db: real.db,
        },
        `redis-py reading, corpus text ${i}`,
      );
    }
    if (!/^rediss?:\/\//i.test(text)) return;
    const io = ioredisRead(text);
    const mineIo = readWithIoredis(text);
    assert.equal(mineIo.ok, !io.error, `ioredis throws or not, corpus text ${i} (${label(text)})`);
    if (mineIo.ok && !io.error) assert.deepEqual(comparable(mineIo.reading), io, `ioredis reading, corpus text ${i}`);
  });
});

/** A URL that analyzeUrl accepted, as both clients must read its written (normalized) form. */
function expected(url: RedisUrl) {
  return { tls: url.tls, username: url.username, password: url.password, host: url.host, port: url.port, db: url.db };
}

test(
  'every URL analyzeUrl accepts: redis-py connects with what we checked, and the written URL ' +
    'reads the same in both clients',
  () => {
    const texts = differentialCorpus();
    const accepted = texts.map((t) => ({ t, a: analyzeUrl(t) })).filter((x) => x.a.ok);
    assert.ok(accepted.length >= 50, `only ${accepted.length} accepted texts`);
    // The check reads the pasted text without its surrounding quotes and stray line breaks.
    const original = redisPyRead(accepted.map((x) => cleanPastedUrl(x.t).replace(/[\t\r\n]/g, '')));
    const written = redisPyRead(accepted.map((x) => (x.a.ok ? x.a.normalized : '')));
    accepted.forEach(({ t, a }, i) => {
      if (!a.ok) return;
      const o = original[i]!;
      // What the check probes is what the Python app connects to, and it would start.
      assert.ok(!o.error && !o.connectError, `redis-py refuses an accepted URL: ${label(t)}`);
      assert.equal(canonicalHost(o.host!), a.url.host, label(t));
      assert.deepEqual(
        { ...expected(a.url), host: o.host },
        { tls: o.tls, username: o.username, password: o.password, host: o.host, port: o.port, db: o.db },
        label(t),
      );
      const w = written[i]!;
      assert.deepEqual(
        { tls: w.tls, username: w.username, password: w.password, host: w.host, port: w.port, db: w.db },
        expected(a.url),
        `redis-py, written ${label(a.normalized)}`,
      );
      assert.ok(!w.connectError, `redis-py cannot build a connection from the written ${label(a.normalized)}`);
      assert.deepEqual(ioredisRead(a.normalized), expected(a.url), `ioredis, written ${label(a.normalized)}`);
    });
  },
);

test('canonical URLs carry every odd character in user and password to both real clients unchanged', () => {
  const urls: { url: string; username: string; password: string }[] = [];
  for (const password of ODD_PASSWORDS) {
    for (const username of ['', 'default', `u${password}`]) {
      urls.push({
        url: buildUrl({ tls: true, username, password, host: 'bücher.example', port: 6380, db: 3 }),
        username,
        password,
      });
    }
  }
  const py = redisPyRead(urls.map((u) => u.url));
  urls.forEach(({ url, username, password }, i) => {
    const want = { tls: true, username, password, host: 'xn--bcher-kva.example', port: 6380, db: 3 };
    const p = py[i]!;
    assert.deepEqual(
      { tls: p.tls, username: p.username, password: p.password, host: p.host, port: p.port, db: p.db },
      want,
      `redis-py ${label(url)}`,
    );
    assert.deepEqual(ioredisRead(url), want, `ioredis ${label(url)}`);
  });
});
