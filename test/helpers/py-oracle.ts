// The live oracles: the real redis-py 4 and python-dotenv, run by /usr/bin/python3 (or
// $PYTHON_ORACLE).
// One Python process per batch keeps hundreds of cases fast. A missing module is a hard failure
// with
// the command that installs it, never a skip.
import { execFileSync } from 'node:child_process';

export const PYTHON = process.env.PYTHON_ORACLE ?? '/usr/bin/python3';

function runPython(script: string, input: unknown): unknown {
  let out: string;
  try {
    out = execFileSync(PYTHON, ['-c', script], {
      input: JSON.stringify(input),
      encoding: 'utf8',
      maxBuffer: 64 << 20,
      stdio: 'pipe',
    });
  } catch (e) {
    const err = e as { stderr?: string; code?: string };
    const missing = /No module named '?(\w+)/.exec(err.stderr ?? '')?.[1];
    if (missing || err.code === 'ENOENT') {
      throw new Error(
        `The live oracle needs ${PYTHON} with redis-py 4 and python-dotenv ` +
          `(${missing ? `module ${missing} is missing` : `${PYTHON} not found`}). ` +
          'Fix: bash scripts/ensure-test-deps.sh (as root: apt-get install -y python3-redis ' +
          'python3-dotenv), or point PYTHON_ORACLE at such a python.',
      );
    }
    throw new Error(`the Python oracle failed: ${(err.stderr ?? '').split('\n').slice(-3).join(' ')}`);
  }
  return JSON.parse(out);
}

export interface PyUrlResult {
  /** The exception from_url raises while reading the URL. */
  error?: string;
  /** The exception raised when the connection is built (unknown keyword: TypeError), before any I/O. */
  connectError?: string;
  tls?: boolean;
  username?: string;
  password?: string;
  host?: string;
  port?: number;
  db?: number;
  params?: Record<string, string>;
}

// parse_url is what from_url runs; make_connection builds the Connection with every keyword, which
// is
// where an unknown query parameter raises TypeError (before any socket is opened). The reading
// comes
// from the keywords, as the Connection would get them.
const REDIS_PY_SCRIPT = String.raw`
import json, sys, redis
from redis.connection import ConnectionPool, SSLConnection, parse_url
assert redis.__version__.startswith('4.'), 'redis-py 4 expected, found ' + redis.__version__
CONSUMED = {'username', 'password', 'host', 'port', 'db', 'connection_class'}
out = []
for url in json.load(sys.stdin):
    try:
        kw = parse_url(url)
    except Exception as e:
        out.append({'error': type(e).__name__}); continue
    r = {'tls': kw.get('connection_class') is SSLConnection, 'username': kw.get('username') or '',
         'password': kw.get('password') or '', 'host': kw.get('host', 'localhost'), 'db': kw.get('db', 0),
         'params': {k: v for k, v in kw.items() if k not in CONSUMED and isinstance(v, str)}}
    try:
        r['port'] = int(kw.get('port', 6379))
        ConnectionPool.from_url(url).make_connection()
    except Exception as e:
        r['connectError'] = type(e).__name__
    out.append(r)
print(json.dumps(out))
`;

export function redisPyRead(urls: string[]): PyUrlResult[] {
  return runPython(REDIS_PY_SCRIPT, urls) as PyUrlResult[];
}

export interface DotenvCase {
  text: string;
  environ?: Record<string, string>;
  override?: boolean;
}

// The file goes through a text-mode stream, as open() gives it to python-dotenv (universal
// newlines).
const DOTENV_SCRIPT = String.raw`
import io, json, logging, os, sys, dotenv
logging.disable(logging.CRITICAL)  # its 'could not parse' warnings are expected here
from dotenv.main import DotEnv
out = []
for case in json.load(sys.stdin):
    os.environ.clear(); os.environ.update(case.get('environ') or {})
    stream = io.TextIOWrapper(io.BytesIO(case['text'].encode('utf-8', 'surrogatepass')), encoding='utf-8')
    env = DotEnv(None, stream=stream, interpolate=True, override=case.get('override', False))
    raw = io.TextIOWrapper(io.BytesIO(case['text'].encode('utf-8', 'surrogatepass')), encoding='utf-8')
    out.append({'values': dict(env.dict()), 'raw': dict(DotEnv(None, stream=raw, interpolate=False).dict())})
print(json.dumps(out))
`;

export interface PyDotenvResult {
  values: Record<string, string | null>;
  raw: Record<string, string | null>;
}

export function pythonDotenvRead(cases: DotenvCase[]): PyDotenvResult[] {
  return runPython(DOTENV_SCRIPT, cases) as PyDotenvResult[];
}
