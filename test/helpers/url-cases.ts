// URL cases with what each client does with them, shared by test/url-readers.test.ts (our emulations,
// offline) and test/url-oracle.test.ts (the real redis-py 4.3.4 and ioredis 6, live).
//
// Ported case data (inputs and the upstream expectations; the other client's reading, and our
// verdict, were added here and are checked live by the oracle test):
// - redis/redis-py tests/test_connection_pool.py at v4.3.4 (e6cd4fdf3b159d7f118f154e28e884069da89d7e):
//   TestConnectionPoolURLParsing and TestSSLConnectionURLParsing, 22 URLs.
// - redis/ioredis test/unit/utils.ts ".parseURL" at v6.0.0 (8ed2946504a36ae9b1e186b9dccc56afcd046d78):
//   the 10 URLs with a redis:// or rediss:// scheme (scheme-less forms are ioredis-only; redis-py
//   raises on them and the tool refuses them), and 4 URLs from test/unit/redis.ts "constructor".
// - GitHub issues 10 and 11 of this project: every disagreement they list.
//
// A reading lists only what differs from the defaults (no TLS, no user, no password, port 6379,
// db 0). A string is the exception the client raises while reading the URL (redis-py: from_url;
// ioredis: the constructor). connectError: redis-py reads the URL but raises when it builds the
// connection, before the first command (TypeError for an unknown keyword, RedisError for a bad flag).
import type { UrlIssueCode } from '../../src/core/url.ts';

export type Read =
  | string
  | {
      tls?: boolean;
      username?: string;
      password?: string;
      host: string;
      port?: number;
      db?: number;
      connectError?: string;
    };

export interface UrlCase {
  source: 'redis-py' | 'ioredis' | 'issues';
  url: string;
  redisPy: Read;
  ioredis: Read;
  verdict: UrlIssueCode | 'ok';
}

const c = (url: string, redisPy: Read, ioredis: Read, verdict: UrlIssueCode | 'ok') => ({
  url,
  redisPy,
  ioredis,
  verdict,
});

export const URL_CASES: UrlCase[] = [
  ...[
    c('redis://my.host', { host: 'my.host' }, { host: 'my.host' }, 'ok'),
    c('redis://my %2F host %2B%3D+', { host: 'my / host +=+' }, 'TypeError', 'invalid-url'),
    c('redis://localhost:6380', { host: 'localhost', port: 6380 }, { host: 'localhost', port: 6380 }, 'ok'),
    c(
      'redis://myuser:@localhost',
      { username: 'myuser', host: 'localhost' },
      { username: 'myuser', host: 'localhost' },
      'ok',
    ),
    c(
      'redis://%2Fmyuser%2F%2B name%3D%24+:@localhost',
      { username: '/myuser/+ name=$+', host: 'localhost' },
      { username: '/myuser/+ name=$+', host: 'localhost' },
      'ok',
    ),
    c(
      'redis://:mypassword@localhost',
      { password: 'mypassword', host: 'localhost' },
      { password: 'mypassword', host: 'localhost' },
      'ok',
    ),
    c(
      'redis://:%2Fmypass%2F%2B word%3D%24+@localhost',
      { password: '/mypass/+ word=$+', host: 'localhost' },
      { password: '/mypass/+ word=$+', host: 'localhost' },
      'ok',
    ),
    c(
      'redis://myuser:mypass@localhost',
      { username: 'myuser', password: 'mypass', host: 'localhost' },
      { username: 'myuser', password: 'mypass', host: 'localhost' },
      'ok',
    ),
    c('redis://localhost/2', { host: 'localhost', db: 2 }, { host: 'localhost', db: 2 }, 'ok'),
    c('redis://localhost/2?db=3', { host: 'localhost', db: 3 }, { host: 'localhost', db: 2 }, 'ok'),
    c(
      'redis://localhost/2?socket_timeout=20&socket_connect_timeout=10' +
        '&socket_keepalive=&retry_on_timeout=Yes&max_connections=10',
      { host: 'localhost', db: 2 },
      { host: 'localhost', db: 2 },
      'ok',
    ),
    c('redis://location?client_name=test-client', { host: 'location' }, { host: 'location' }, 'ok'),
    c(
      'redis://localhost/2?socket_timeout=_&socket_connect_timeout=abc',
      'ValueError',
      { host: 'localhost', db: 2 },
      'invalid-url',
    ),
    c(
      'redis://localhost?a=1&b=2',
      { host: 'localhost', connectError: 'TypeError' },
      { host: 'localhost' },
      'unsupported-param',
    ),
    c('redis://myhost', { host: 'myhost' }, { host: 'myhost' }, 'ok'),
    c('localhost', 'ValueError', { host: 'localhost' }, 'invalid-url'),
    c('rediss://my.host', { tls: true, host: 'my.host' }, { tls: true, host: 'my.host' }, 'ok'),
    c(
      'rediss://?ssl_cert_reqs=none',
      { tls: true, host: 'localhost' },
      { tls: true, host: 'localhost' },
      'invalid-url',
    ),
    c(
      'rediss://?ssl_cert_reqs=optional',
      { tls: true, host: 'localhost' },
      { tls: true, host: 'localhost' },
      'invalid-url',
    ),
    c(
      'rediss://?ssl_cert_reqs=required',
      { tls: true, host: 'localhost' },
      { tls: true, host: 'localhost' },
      'invalid-url',
    ),
    c(
      'rediss://?ssl_check_hostname=False',
      { tls: true, host: 'localhost' },
      { tls: true, host: 'localhost' },
      'invalid-url',
    ),
    c(
      'rediss://?ssl_check_hostname=True',
      { tls: true, host: 'localhost' },
      { tls: true, host: 'localhost' },
      'invalid-url',
    ),
  ].map((x) => ({ ...x, source: 'redis-py' as const })),
  ...[
    c(
      'redis://user:pass@127.0.0.1:6380/4?key=value',
      { username: 'user', password: 'pass', host: '127.0.0.1', port: 6380, db: 4, connectError: 'TypeError' },
      { username: 'user', password: 'pass', host: '127.0.0.1', port: 6380, db: 4 },
      'unsupported-param',
    ),
    c(
      'redis://user:pass:word@127.0.0.1:6380/4?key=value',
      { username: 'user', password: 'pass:word', host: '127.0.0.1', port: 6380, db: 4, connectError: 'TypeError' },
      { username: 'user', password: 'pass:word', host: '127.0.0.1', port: 6380, db: 4 },
      'unsupported-param',
    ),
    c(
      'redis://:authpassword@127.0.0.1:6380/4',
      { password: 'authpassword', host: '127.0.0.1', port: 6380, db: 4 },
      { password: 'authpassword', host: '127.0.0.1', port: 6380, db: 4 },
      'ok',
    ),
    c(
      'redis://user@127.0.0.1:6380/4?key=value',
      { username: 'user', host: '127.0.0.1', port: 6380, db: 4, connectError: 'TypeError' },
      { username: 'user', host: '127.0.0.1', port: 6380, db: 4 },
      'unsupported-param',
    ),
    c('redis://127.0.0.1/', { host: '127.0.0.1' }, { host: '127.0.0.1' }, 'ok'),
    c(
      'rediss://user:pass@127.0.0.1:6380/4?key=value',
      {
        tls: true,
        username: 'user',
        password: 'pass',
        host: '127.0.0.1',
        port: 6380,
        db: 4,
        connectError: 'TypeError',
      },
      { tls: true, username: 'user', password: 'pass', host: '127.0.0.1', port: 6380, db: 4 },
      'unsupported-param',
    ),
    c(
      'redis://127.0.0.1/?family=6',
      { host: '127.0.0.1', connectError: 'TypeError' },
      { host: '127.0.0.1' },
      'unsupported-param',
    ),
    c(
      'redis://127.0.0.1/?family=IPv6',
      { host: '127.0.0.1', connectError: 'TypeError' },
      { host: '127.0.0.1' },
      'unsupported-param',
    ),
    c('REDIS://127.0.0.1:6379/0', { host: '127.0.0.1' }, { host: '127.0.0.1' }, 'ok'),
    c('redis://[::1]:6379/0', { host: '::1' }, { host: '::1' }, 'ok'),
    c(
      'redis://:1+1@127.0.0.1:6380',
      { password: '1+1', host: '127.0.0.1', port: 6380 },
      { password: '1+1', host: '127.0.0.1', port: 6380 },
      'ok',
    ),
    c(
      'redis://127.0.0.1:6380/?password=1%2B1',
      { password: '1+1', host: '127.0.0.1', port: 6380 },
      { password: '1+1', host: '127.0.0.1', port: 6380 },
      'ok',
    ),
    c('rediss://host', { tls: true, host: 'host' }, { tls: true, host: 'host' }, 'ok'),
    c(
      'redis://localhost?family=6',
      { host: 'localhost', connectError: 'TypeError' },
      { host: 'localhost' },
      'unsupported-param',
    ),
  ].map((x) => ({ ...x, source: 'ioredis' as const })),
  ...[
    c(
      'redis://:pw@127.0.0.1:7000/0?client_name=me@localhost',
      { password: 'pw', host: '127.0.0.1', port: 7000 },
      { password: 'pw', host: '127.0.0.1', port: 7000 },
      'ambiguous-url',
    ),
    c(
      'redis://:pw@h.example:6379#x@evil.example',
      { password: 'pw', host: 'h.example' },
      { password: 'pw', host: 'h.example' },
      'ambiguous-url',
    ),
    c(
      'redis://SECRET@h.example',
      { username: 'SECRET', host: 'h.example' },
      { username: 'SECRET', host: 'h.example' },
      'ok',
    ),
    c(
      'redis://myuser@h.example',
      { username: 'myuser', host: 'h.example' },
      { username: 'myuser', host: 'h.example' },
      'ok',
    ),
    c('redis://:pw@::1', 'ValueError', 'TypeError', 'invalid-url'),
    c(
      'redis://:pw@h.example:1?family=0',
      { password: 'pw', host: 'h.example', port: 1, connectError: 'TypeError' },
      { password: 'pw', host: 'h.example', port: 1 },
      'unsupported-param',
    ),
    c(
      'redis://:pw@h.example:1?protocol=3',
      { password: 'pw', host: 'h.example', port: 1, connectError: 'TypeError' },
      { password: 'pw', host: 'h.example', port: 1 },
      'unsupported-param',
    ),
    c(
      'redis://:pw@h.example:1?timeout=5',
      { password: 'pw', host: 'h.example', port: 1, connectError: 'TypeError' },
      { password: 'pw', host: 'h.example', port: 1 },
      'unsupported-param',
    ),
    c(
      'redis://:pw@h.example:1?unknown_key=1',
      { password: 'pw', host: 'h.example', port: 1, connectError: 'TypeError' },
      { password: 'pw', host: 'h.example', port: 1 },
      'unsupported-param',
    ),
    c(
      'rediss://:pw@h.example:1?ssl_cert_reqs=CERT_NONE',
      { tls: true, password: 'pw', host: 'h.example', port: 1, connectError: 'RedisError' },
      { tls: true, password: 'pw', host: 'h.example', port: 1 },
      'unsupported-param',
    ),
    c(
      'rediss://:pw@h.example:1?ssl_cert_reqs=none',
      { tls: true, password: 'pw', host: 'h.example', port: 1 },
      { tls: true, password: 'pw', host: 'h.example', port: 1 },
      'ok',
    ),
    c(
      'redis://:pw@h.example:1?ssl_cert_reqs=none',
      { password: 'pw', host: 'h.example', port: 1, connectError: 'TypeError' },
      { password: 'pw', host: 'h.example', port: 1 },
      'unsupported-param',
    ),
    c(
      'REDISS://:pw@h.example:1',
      { tls: true, password: 'pw', host: 'h.example', port: 1 },
      { password: 'pw', host: 'h.example', port: 1 },
      'ok',
    ),
    c(
      'redis://:pw@h.example:1/2?db=3',
      { password: 'pw', host: 'h.example', port: 1, db: 3 },
      { password: 'pw', host: 'h.example', port: 1, db: 2 },
      'ok',
    ),
    c('redis://h.example:0x1f90', 'ValueError', 'TypeError', 'invalid-url'),
    c('redis://h.example:1e3', 'ValueError', 'TypeError', 'invalid-url'),
    c('redis://h.example:+80', 'ValueError', 'TypeError', 'invalid-url'),
    c('redis://:pw@h.example:', { password: 'pw', host: 'h.example' }, { password: 'pw', host: 'h.example' }, 'ok'),
    c('redis://:a[b]c@h.example:1', 'ValueError', { password: 'a[b]c', host: 'h.example', port: 1 }, 'invalid-url'),
    c('redis://:a[b@h.example:1', 'ValueError', { password: 'a[b', host: 'h.example', port: 1 }, 'invalid-url'),
    c(
      'redis://:pw@bücher.example:1',
      { password: 'pw', host: 'bücher.example', port: 1 },
      { password: 'pw', host: 'b%C3%BCcher.example', port: 1 },
      'ok',
    ),
    c(
      'redis://h.example:1?password=from-query',
      { password: 'from-query', host: 'h.example', port: 1 },
      { password: 'from-query', host: 'h.example', port: 1 },
      'ok',
    ),
    c(
      'redis://u@h.example:1?password=from-query',
      { username: 'u', password: 'from-query', host: 'h.example', port: 1 },
      { username: 'u', host: 'h.example', port: 1 },
      'ok',
    ),
    c('redis://:p%zz@h.example:1', { password: 'p%zz', host: 'h.example', port: 1 }, 'URIError', 'ok'),
    c(
      'redis://default:p@ss@word@h.example:1',
      { username: 'default', password: 'p@ss@word', host: 'h.example', port: 1 },
      { username: 'default', password: 'p@ss@word', host: 'h.example', port: 1 },
      'ok',
    ),
    c(
      'redis://:pw@h.example:0',
      { password: 'pw', host: 'h.example' },
      { password: 'pw', host: 'h.example', port: 0 },
      'invalid-url',
    ),
    c('redis://:pw@h.example:65536', 'ValueError', 'TypeError', 'invalid-url'),
    c(
      'redis://:pw@h.example:1/1/2',
      { password: 'pw', host: 'h.example', port: 1, db: 12 },
      { password: 'pw', host: 'h.example', port: 1, db: 1 },
      'invalid-url',
    ),
    c(
      'redis://:pw@h.example:1?db=1&db=2',
      { password: 'pw', host: 'h.example', port: 1, db: 1 },
      { password: 'pw', host: 'h.example', port: 1, db: 2 },
      'unsupported-param',
    ),
    c(
      'redis://h.example:1?password=a%2525b',
      { password: 'a%b', host: 'h.example', port: 1 },
      { password: 'a%25b', host: 'h.example', port: 1 },
      'ok',
    ),
    c('redis:/default:pw@h.example:1', { host: 'localhost' }, { host: 'redis' }, 'invalid-url'),
    c('redis://default:pw', 'ValueError', 'TypeError', 'invalid-url'),
    c(
      'redis://:pw@H.Example:1',
      { password: 'pw', host: 'h.example', port: 1 },
      { password: 'pw', host: 'H.Example', port: 1 },
      'ok',
    ),
    c('redis://:pw@[::1]:1', { password: 'pw', host: '::1', port: 1 }, { password: 'pw', host: '::1', port: 1 }, 'ok'),
    c('redis://:pw@[::1', 'ValueError', 'TypeError', 'invalid-url'),
    c(
      'redis://:pw@h.example:1?port=2',
      { password: 'pw', host: 'h.example', port: 1 },
      { password: 'pw', host: 'h.example', port: 1 },
      'ok',
    ),
    c(
      'redis://:pw@h.example?port=2',
      { password: 'pw', host: 'h.example', port: 2 },
      { password: 'pw', host: 'h.example', port: 2 },
      'ok',
    ),
    c(
      "redis://:it's(a)!*~@h.example:1",
      { password: "it's(a)!*~", host: 'h.example', port: 1 },
      { password: "it's(a)!*~", host: 'h.example', port: 1 },
      'ok',
    ),
    c(
      'redis://:pw@h.example:1#fragment',
      { password: 'pw', host: 'h.example', port: 1 },
      { password: 'pw', host: 'h.example', port: 1 },
      'ok',
    ),
    c(
      'redis://:pw@h.example:1?decode_responses=True',
      { password: 'pw', host: 'h.example', port: 1 },
      { password: 'pw', host: 'h.example', port: 1 },
      'unsupported-param',
    ),
    c(
      'redis://:pw@h.example:1?socket_timeout=5&client_name=bot',
      { password: 'pw', host: 'h.example', port: 1 },
      { password: 'pw', host: 'h.example', port: 1 },
      'ok',
    ),
    c(
      'redis://u%3Aser:p%40ss@h.example:1',
      { username: 'u:ser', password: 'p@ss', host: 'h.example', port: 1 },
      { username: 'u:ser', password: 'p@ss', host: 'h.example', port: 1 },
      'ok',
    ),
    c('redis://:pw@', { password: 'pw', host: 'localhost' }, 'TypeError', 'invalid-url'),
    c(
      'redis://:pw@h.example:1/x',
      { password: 'pw', host: 'h.example', port: 1 },
      { password: 'pw', host: 'h.example', port: 1 },
      'invalid-url',
    ),
  ].map((x) => ({ ...x, source: 'issues' as const })),
];
