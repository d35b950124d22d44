// End to end against a real redis-server: the URL setup writes to .env, for a password holding each
// odd character, connects as the intended ACL user in redis-py 4 (read through python-dotenv's
// load_dotenv) and in ioredis (read through Node's dotenv), and the edit changes no other key for
// either reader.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'dotenv';
import { Redis } from 'ioredis';
import { analyzeUrl, maskUrl } from '../src/core/url.ts';
import { updateEnvFile } from '../src/edge/envstore.ts';
import { ODD_PASSWORDS } from './helpers/odd-passwords.ts';
import { PYTHON, pythonDotenvRead } from './helpers/py-oracle.ts';
import { startRedis, type RedisHandle } from './helpers/redis.ts';

const ADMIN_PW = 'Admin-Pw-For-E2E-Tests-1';
// Other keys a real .env has, including the shapes that make readers disagree or lose keys.
const OTHER_LINES = [
  'BOT_TOKEN=123:abc',
  'STRAY="unterminated',
  'REDIS_PASSWORD=x',
  'DERIVED=${REDIS_PASSWORD}-suffix',
  'LEGACY=`tick`',
  'REDIS_URL=old',
  'AFTER=1',
  '',
].join('\n');
let server: RedisHandle;
let dir: string;

before(async () => {
  server = await startRedis(['--requirepass', ADMIN_PW]);
  dir = mkdtempSync(path.join(tmpdir(), 'readers-e2e-'));
  const admin = new Redis({ port: server.port, host: '127.0.0.1', password: ADMIN_PW, lazyConnect: true });
  await admin.connect();
  for (const [i, pw] of ODD_PASSWORDS.entries())
    await admin.call('ACL', 'SETUSER', `app${i}`, 'on', `>${pw}`, '~*', '&*', '+@all');
  admin.disconnect();
});

after(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** One Python process: for each .env, load_dotenv (override, as a fresh process would) then ACL WHOAMI. */
function pythonWhoami(files: string[]): string[] {
  const script = String.raw`
import json, os, sys, redis, dotenv
out = []
for f in json.load(sys.stdin):
    os.environ.pop('REDIS_URL', None)
    dotenv.load_dotenv(f, override=True)
    try:
        who = redis.from_url(os.environ['REDIS_URL']).acl_whoami()
        out.append(who.decode() if isinstance(who, bytes) else who)
    except Exception as e:
        out.append('error: ' + type(e).__name__)
print(json.dumps(out))
`;
  return JSON.parse(
    execFileSync(PYTHON, ['-c', script], { input: JSON.stringify(files), encoding: 'utf8' }),
  ) as string[];
}

async function nodeWhoami(file: string): Promise<string> {
  const url = parse(readFileSync(file, 'utf8')).REDIS_URL!;
  const client = new Redis(url, {
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    disconnectTimeout: 100,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    return String(await client.call('ACL', 'WHOAMI'));
  } catch (e) {
    return `error: ${(e as Error).name}`;
  } finally {
    client.disconnect();
  }
}

test('the written URL connects as the intended user in redis-py 4 and ioredis, read from .env', async () => {
  const files: string[] = [];
  for (const [i, pw] of ODD_PASSWORDS.entries()) {
    // As a provider shows it (encodeURIComponent), then through the same path as setup: analyze,
    // write the
    // normalized
    // URL.
    const pasted = `redis://app${i}:${encodeURIComponent(pw)}@127.0.0.1:${server.port}`;
    const a = analyzeUrl(pasted);
    assert.ok(a.ok, `not accepted: ${maskUrl(pasted)}`);
    const file = path.join(dir, `.env.${i}`);
    writeFileSync(file, OTHER_LINES);
    await updateEnvFile({ path: file, name: 'REDIS_URL', value: a.normalized, templatePath: path.join(dir, 'none') });
    files.push(file);
  }
  const python = pythonWhoami(files);
  for (const [i, file] of files.entries()) {
    assert.equal(python[i], `app${i}`, `redis-py, password #${i}`);
    assert.equal(await nodeWhoami(file), `app${i}`, `ioredis, password #${i}`);
  }
});

test('the edit changes no other key, as python-dotenv and dotenv read the file', async () => {
  const file = path.join(dir, '.env.keys');
  writeFileSync(file, OTHER_LINES);
  const before = { python: pythonDotenvRead([{ text: OTHER_LINES }])[0]!.values, node: parse(OTHER_LINES) };
  const a = analyzeUrl(`redis://app0:${encodeURIComponent(ODD_PASSWORDS[0]!)}@127.0.0.1:${server.port}`);
  assert.ok(a.ok);
  await updateEnvFile({ path: file, name: 'REDIS_URL', value: a.normalized, templatePath: path.join(dir, 'none') });
  const text = readFileSync(file, 'utf8');
  const afterPython = pythonDotenvRead([{ text }])[0]!.values;
  const afterNode = parse(text);
  assert.equal(afterPython.REDIS_URL, a.normalized);
  assert.equal(afterNode.REDIS_URL, a.normalized);
  for (const r of [before.python, before.node, afterPython, afterNode]) delete r.REDIS_URL;
  assert.deepEqual(afterPython, before.python);
  assert.deepEqual(afterNode, before.node);
});
