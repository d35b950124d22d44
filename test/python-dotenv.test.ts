// The python-dotenv port (src/core/python-dotenv.ts): the cases of python-dotenv's own suite, the
// readings issue 10 lists where python-dotenv and Node's dotenv disagree, and a live differential
// against the real python-dotenv (and Node's dotenv for parseEnv) on seeded generated files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'dotenv';
import { parseEnv, readPythonVar, readVar } from '../src/core/envfile.ts';
import { parsePythonDotenv, parsePythonDotenvBindings } from '../src/core/python-dotenv.ts';
import { prng } from './helpers/url-corpus.ts';
import { pythonDotenvRead } from './helpers/py-oracle.ts';
import { INTERPOLATION_CASES, PARSER_CASES } from './python-dotenv-cases.ts';

test('python-dotenv tests/test_parser.py: every binding, line and error of its 43 inputs', () => {
  assert.equal(PARSER_CASES.length, 43);
  for (const [text, bindings] of PARSER_CASES) {
    const got = parsePythonDotenvBindings(text).map((b) => [b.key, b.value, b.line, b.error]);
    assert.deepEqual(got, bindings, JSON.stringify(text));
  }
});

test('python-dotenv tests/test_main.py: ${VAR} expansion from the file and the environment (20 cases)', () => {
  assert.equal(INTERPOLATION_CASES.length, 20);
  for (const [environ, text, interpolate, values] of INTERPOLATION_CASES) {
    assert.deepEqual(parsePythonDotenv(text, { environ, interpolate, override: true }), values, JSON.stringify(text));
  }
});

test('issue 10: where python-dotenv and dotenv read the same file differently', () => {
  const ref = 'REDIS_PASSWORD=x-secret\nREDIS_URL=redis://:${REDIS_PASSWORD}@host:1\n';
  assert.equal(readPythonVar(ref, 'REDIS_URL'), 'redis://:x-secret@host:1');
  assert.equal(readVar(ref, 'REDIS_URL')?.value, 'redis://:${REDIS_PASSWORD}@host:1');
  // load_dotenv (override=False): the environment wins inside ${…}; dotenv_values: the file wins.
  assert.equal(readPythonVar(ref, 'REDIS_URL', { environ: { REDIS_PASSWORD: 'env' } }), 'redis://:env@host:1');
  assert.equal(
    readPythonVar(ref, 'REDIS_URL', { environ: { REDIS_PASSWORD: 'env' }, override: true }),
    'redis://:x-secret@host:1',
  );
  assert.equal(readPythonVar('REDIS_URL=`redis://h`\n', 'REDIS_URL'), '`redis://h`');
  assert.equal(readVar('REDIS_URL=`redis://h`\n', 'REDIS_URL')?.value, 'redis://h');
  assert.equal(readPythonVar('REDIS_URL: redis://h\nB=1\n', 'REDIS_URL'), undefined);
  assert.equal(readVar('REDIS_URL: redis://h\n', 'REDIS_URL')?.value, 'redis://h');
  assert.equal(readPythonVar('A="a\\"b"\n', 'A'), 'a"b');
  assert.equal(readVar('A="a\\"b"\n', 'A')?.value, 'a\\"b');
  // A bare KEY is unset for load_dotenv; `${KEY}` then expands to ''.
  assert.deepEqual(parsePythonDotenv('A\nB=${A}x'), { A: null, B: 'x' });
});

const KEYS = ['A', 'REDIS_URL', 'REDIS_PASSWORD', "'quoted key'", 'export B', 'x.y-z', 'uglyKey[%$'];
const SEPARATORS = ['=', ' = ', '=\t', ': ', '='];
const VALUES = [
  'plain',
  'two words',
  'val # comment',
  'val#nocomment',
  "'single ${A}'",
  '"double \\"q\\" \\n ${A}"',
  '`tick`',
  '${REDIS_PASSWORD}',
  '${MISSING:-fallback}',
  'redis://:${REDIS_PASSWORD}@h:1',
  '"multi\nline"',
  "'multi\nline'",
  '"unterminated',
  "'unterminated",
  '',
  '"a" trailing',
  'é ünï',
  '\\\\back\\slash',
  '"\\a\\b\\f\\v\\t\\r"',
  'x\u00a0# nbsp',
];
const EOLS = ['\n', '\r\n', '\r'];

/** A seeded .env file: assignments, comments and blank lines in every style both readers must handle. */
function envFile(rnd: () => number): string {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const eol = pick(EOLS);
  const lines: string[] = [];
  const count = 1 + Math.floor(rnd() * 6);
  for (let i = 0; i < count; i++) {
    const r = rnd();
    if (r < 0.1) lines.push('# a comment');
    else if (r < 0.15) lines.push('');
    else lines.push(`${rnd() < 0.2 ? '  ' : ''}${pick(KEYS)}${pick(SEPARATORS)}${pick(VALUES)}`);
  }
  return (rnd() < 0.05 ? '\uFEFF' : '') + lines.join(eol) + (rnd() < 0.7 ? eol : '');
}

test(
  'live: the port reads 400 generated files exactly as the real python-dotenv does ' +
    '(load_dotenv and dotenv_values)',
  () => {
    const rnd = prng(9001);
    const files = Array.from({ length: 400 }, () => envFile(rnd));
    const environ = { REDIS_PASSWORD: 'from-env', A: 'env-a' };
    const cases = files.flatMap((text) => [
      { text, environ, override: false },
      { text, environ, override: true },
    ]);
    const real = pythonDotenvRead(cases);
    cases.forEach((c, i) => {
      const label = `generated file ${Math.floor(i / 2)} override=${c.override}: ${JSON.stringify(c.text)}`;
      assert.deepEqual(parsePythonDotenv(c.text, { environ: c.environ, override: c.override }), real[i]!.values, label);
      assert.deepEqual(parsePythonDotenv(c.text, { interpolate: false }), real[i]!.raw, label);
    });
  },
);

test("the same generated files: parseEnv reads them exactly as Node's dotenv does", () => {
  const rnd = prng(9001);
  for (let i = 0; i < 400; i++) {
    const text = envFile(rnd);
    assert.deepEqual(parseEnv(text), parse(text), JSON.stringify(text));
  }
});
