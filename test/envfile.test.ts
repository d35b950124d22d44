// The pure .env editor: byte-for-byte edits, dotenv-identical reading, values that both dotenv
// (Node) and python-dotenv read back unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'dotenv';
import { detectEol, parseEnv, readVar, removeVar, renderTemplate, setVar } from '../src/core/envfile.ts';
import { parsePythonDotenv } from '../src/core/python-dotenv.ts';
import { CliError } from '../src/errors.ts';
import { pythonDotenvRead } from './helpers/py-oracle.ts';

const URL_A = 'redis://default:s3cret@host.upstash.io:6379';
// A raw '#' (not %23) forces quotes: dotenv would cut an unquoted value there.
const URL_B = 'rediss://default:n3w#pass@other.upstash.io:6380/0?tls=true&x=1&y=%20';

/** setVar, plus: dotenv reads the new value and nothing else changed. */
function set(text: string, value: string, name = 'REDIS_URL') {
  const r = setVar(text, name, value);
  const before = parse(text);
  const after = parse(r.text);
  assert.equal(after[name], value, `dotenv reads back ${JSON.stringify(value)} from ${JSON.stringify(r.text)}`);
  delete before[name];
  delete after[name];
  assert.deepEqual(after, before, 'other variables unchanged');
  return r;
}

test('readVar follows dotenv: export, spaces, quotes, inline comments, CRLF, last assignment wins', () => {
  const text = [
    '# REDIS_URL=commented-out',
    'A=1',
    'export B = two # note',
    "C='single # not a comment'",
    'D="double\\nline"',
    'E=unquoted#comment',
    'F=`back tick`',
    'G:  colon',
    'H=',
    'DUP=first',
    'DUP=second',
  ].join('\r\n');
  assert.deepEqual(readVar(text, 'A'), { value: '1', line: 2, quote: '', exported: false });
  assert.deepEqual(readVar(text, 'B'), { value: 'two', line: 3, quote: '', exported: true });
  assert.deepEqual(readVar(text, 'C'), { value: 'single # not a comment', line: 4, quote: "'", exported: false });
  assert.deepEqual(readVar(text, 'D'), { value: 'double\nline', line: 5, quote: '"', exported: false });
  assert.equal(readVar(text, 'E')?.value, 'unquoted');
  assert.deepEqual(readVar(text, 'F'), { value: 'back tick', line: 7, quote: '`', exported: false });
  assert.equal(readVar(text, 'G')?.value, 'colon');
  assert.equal(readVar(text, 'H')?.value, '');
  assert.deepEqual(readVar(text, 'DUP'), { value: 'second', line: 11, quote: '', exported: false });
  assert.equal(readVar(text, 'REDIS_URL'), undefined);
  assert.equal(readVar(text, 'MISSING'), undefined);
});

test('parseEnv matches dotenv.parse on awkward files', () => {
  const files = [
    'A=1\nB = 2\nexport C=3\n D=\'x y\' # c\nE="a\\nb"\r\nF=`q`\nG=abc#def\nH=\nI= # c\nJ: k\n',
    'K="unterminated\nL=2\nM=\'multi\nline\'\nN="a\\"b"\nO="x" trailing\n',
    'A=1\r\nA=2\r\n# A=3\r\n\r\n',
    'A=1\rB=2\rC="x\\ry"\r',
    "  export   Y=' spaced '  \nexportZ=1\nX.Y-Z=dots\n",
    "Z='abc\\'\nQ='x\n",
    '\uFEFFBOM=1\nEMPTY=""\nSQ=\'\'\n',
    '',
  ];
  for (const f of files) assert.deepEqual(parseEnv(f), parse(f), JSON.stringify(f));
});

test('update keeps comments, blank lines and order byte for byte', () => {
  const before = `# Redis\n\n# used by the worker\nA=1\nREDIS_URL=${URL_A}\n\n# end\nB=2\n`;
  const r = set(before, URL_B);
  assert.equal(r.text, before.replace(URL_A, `"${URL_B}"`)); // '#' in the new value needs quotes
  assert.equal(r.changed, true);
  assert.equal(r.previous, URL_A);
  const plain = set(before, 'redis://h:1');
  assert.equal(plain.text, before.replace(URL_A, 'redis://h:1'));
});

test('append when absent, with the file EOL; an EOL is added first when the file lacks one', () => {
  assert.equal(set('', URL_A).text, `REDIS_URL=${URL_A}\n`);
  assert.deepEqual(setVar('A=1\n', 'REDIS_URL', URL_A), { text: `A=1\nREDIS_URL=${URL_A}\n`, changed: true });
  assert.equal(set('A=1', URL_A).text, `A=1\nREDIS_URL=${URL_A}\n`);
  assert.equal(set('# c\r\nA=1\r\n', URL_A).text, `# c\r\nA=1\r\nREDIS_URL=${URL_A}\r\n`);
  assert.equal(set('# c\r\nA=1', URL_A).text, `# c\r\nA=1\r\nREDIS_URL=${URL_A}\r\n`);
  assert.equal(set('A=1\n', 'has space').text, 'A=1\nREDIS_URL="has space"\n');
  // A commented-out assignment is not the variable.
  assert.equal(set('# REDIS_URL=old\n', URL_A).text, `# REDIS_URL=old\nREDIS_URL=${URL_A}\n`);
});

test('export prefix, spacing around =, and the quote style of the line are kept', () => {
  assert.equal(set(`export REDIS_URL=${URL_A}\n`, 'redis://h:2').text, 'export REDIS_URL=redis://h:2\n');
  assert.equal(set(`REDIS_URL = ${URL_A}\n`, 'redis://h:2').text, 'REDIS_URL = redis://h:2\n');
  assert.equal(set(`REDIS_URL='${URL_A}'\n`, URL_B).text, `REDIS_URL='${URL_B}'\n`);
  assert.equal(set(`REDIS_URL="${URL_A}"\n`, URL_B).text, `REDIS_URL="${URL_B}"\n`);
  assert.equal(set(`export REDIS_URL = '${URL_A}'  # prod\n`, URL_B).text, `export REDIS_URL = '${URL_B}'  # prod\n`);
  // The existing quote cannot hold the value: switch to the other one.
  assert.equal(set("REDIS_URL='x'\n", "it's").text, 'REDIS_URL="it\'s"\n');
  assert.equal(set('REDIS_URL="x"\n', 'say "hi"').text, 'REDIS_URL=\'say "hi"\'\n');
  // Backticks are never written: python-dotenv keeps them as part of the value. A backtick line
  // becomes unquoted, or double-quoted when the value needs quotes.
  assert.equal(set('REDIS_URL=`x`\n', URL_B).text, `REDIS_URL="${URL_B}"\n`);
  assert.equal(set('export REDIS_URL = `x` # c\r\n', 'a b').text, 'export REDIS_URL = "a b" # c\r\n');
  assert.equal(set('REDIS_URL=`x`\n', 'a`b').text, 'REDIS_URL="a`b"\n');
  assert.equal(set('REDIS_URL=`x`#c\n', 'y').text, 'REDIS_URL=y #c\n');
  // The same value on a backtick line: Node reads y, python-dotenv reads `y`, so it is rewritten.
  assert.deepEqual(setVar('REDIS_URL=`y`\n', 'REDIS_URL', 'y'), {
    text: 'REDIS_URL=y\n',
    changed: true,
    previous: 'y',
  });
});

test('inline comments stay; an unquoted value before # gets the space python-dotenv needs', () => {
  assert.equal(set(`REDIS_URL=${URL_A} # prod db\n`, 'redis://h:2').text, 'REDIS_URL=redis://h:2 # prod db\n');
  assert.equal(set(`REDIS_URL=${URL_A}   #prod\n`, URL_B).text, `REDIS_URL="${URL_B}"   #prod\n`);
  assert.equal(set('REDIS_URL=old#c\n', 'redis://h:2').text, 'REDIS_URL=redis://h:2 #c\n');
  assert.equal(set('REDIS_URL= # fill me\n', 'redis://h:2').text, 'REDIS_URL=redis://h:2 # fill me\n');
  assert.equal(set('REDIS_URL="old"# c\n', 'new').text, 'REDIS_URL="new"# c\n');
  // A value that now needs quotes keeps the comment after the closing quote.
  assert.equal(set('REDIS_URL=old # c\n', 'a#b').text, 'REDIS_URL="a#b" # c\n');
  // Setting '' on a line with a comment: bare `=` would be read as '' by dotenv but as the comment by python-dotenv.
  assert.equal(set('REDIS_URL=old # c\n', '').text, 'REDIS_URL="" # c\n');
});

test('CRLF file: only the value changes, every CRLF stays; mixed endings stay as they were', () => {
  const crlf = `# top\r\n\r\nREDIS_URL=${URL_A}\r\nB=2\r\n`;
  assert.equal(set(crlf, 'redis://h:2').text, '# top\r\n\r\nREDIS_URL=redis://h:2\r\nB=2\r\n');
  const mixed = `A=1\nREDIS_URL=${URL_A}\r\nB=2\n`;
  assert.equal(set(mixed, 'redis://h:2').text, 'A=1\nREDIS_URL=redis://h:2\r\nB=2\n');
  assert.equal(detectEol('a\r\nb\r\nc\n'), '\r\n');
  assert.equal(detectEol('a\nb'), '\n');
  assert.equal(detectEol('no break'), '\n');
  assert.equal(detectEol('a\rb\rc'), '\r');
  assert.equal(detectEol('a\r\nb\nc\n'), '\n');
  // Old-Mac CR-only file: edited in place, appended with CR.
  assert.equal(set('A=1\rREDIS_URL=old\rB=2\r', 'new').text, 'A=1\rREDIS_URL=new\rB=2\r');
  assert.equal(set('A=1\rB=2\r', 'new').text, 'A=1\rB=2\rREDIS_URL=new\r');
  // Mixed file, variable absent: appended with the most common ending.
  assert.equal(set('A=1\r\nB=2\r\nC=3\n', 'new').text, 'A=1\r\nB=2\r\nC=3\nREDIS_URL=new\r\n');
  // A multi-line quoted value in a CRLF file is replaced whole; the lines around keep CRLF.
  assert.equal(set('A=1\r\nREDIS_URL="line1\r\nline2"\r\nB=2\r\n', 'one').text, 'A=1\r\nREDIS_URL="one"\r\nB=2\r\n');
});

test('readVar reports the line of the name with CRLF, CR-only and multi-line values above it', () => {
  assert.equal(readVar('A=1\r\n\r\nREDIS_URL=x\r\n', 'REDIS_URL')?.line, 3);
  assert.equal(readVar('A=1\rB=2\rREDIS_URL=x', 'REDIS_URL')?.line, 3);
  assert.equal(readVar('A="a\nb\nc"\nREDIS_URL=x\n', 'REDIS_URL')?.line, 4);
  // A name inside another variable's quoted multi-line value is not an assignment, as in dotenv.
  const inside = 'A="\nREDIS_URL=fake\n"\n';
  assert.equal(readVar(inside, 'REDIS_URL'), undefined);
  assert.equal(parse(inside).REDIS_URL, undefined);
  assert.equal(set(inside, 'real').text, `${inside}REDIS_URL=real\n`);
});

test('a missing final newline is preserved on update', () => {
  assert.equal(set(`A=1\nREDIS_URL=${URL_A}`, 'redis://h:2').text, 'A=1\nREDIS_URL=redis://h:2');
  assert.equal(set("REDIS_URL='x' # c", 'y').text, "REDIS_URL='y' # c");
});

test('duplicate keys: the last assignment (the one dotenv uses) changes, the first is untouched', () => {
  const before = 'REDIS_URL=first\nA=1\nREDIS_URL=second\n';
  const r = set(before, 'third');
  assert.equal(r.text, 'REDIS_URL=first\nA=1\nREDIS_URL=third\n');
  assert.equal(r.previous, 'second');
});

test('same value: changed false and the identical text', () => {
  for (const text of [`REDIS_URL=${URL_A}`, `export REDIS_URL = '${URL_A}' # c\r\n`, `REDIS_URL="${URL_A}"\n`]) {
    const r = setVar(text, 'REDIS_URL', URL_A);
    assert.equal(r.text, text);
    assert.equal(r.changed, false);
    assert.equal(r.previous, URL_A);
  }
});

test('multi-line and control-character values and bad names are refused, never half-written', () => {
  assert.throws(
    () => setVar('', 'REDIS_URL', 'a\nb'),
    (e: unknown) => e instanceof CliError && e.code === 'env-value' && !e.message.includes('a\nb'),
  );
  assert.throws(() => setVar('', 'REDIS_URL', 'a\rb'), CliError);
  assert.throws(() => setVar('', 'REDIS_URL', 'a\u2028b'), CliError);
  assert.throws(
    () => setVar('', 'BAD NAME', 'x'),
    (e: unknown) => e instanceof CliError && e.code === 'env-name',
  );
  // Both quote kinds plus a space: no style both parsers read back the same.
  assert.throws(
    () => setVar('', 'REDIS_URL', `a' "b`),
    (e: unknown) => e instanceof CliError && e.code === 'env-value',
  );
});

test('removeVar keeps the comment and blank lines that follow the removed line', () => {
  // Regression: the dotenv regex's trailing `\s*(?:#.*)?` runs into the next line.
  assert.equal(removeVar('A=1\nREDIS_URL=x\n# about B\nB=2\n', 'REDIS_URL').text, 'A=1\n# about B\nB=2\n');
  assert.equal(removeVar('A=1\nREDIS_URL=x\n\nB=2\n', 'REDIS_URL').text, 'A=1\n\nB=2\n');
  assert.equal(removeVar('REDIS_URL=\n# next\n', 'REDIS_URL').text, '# next\n');
  assert.equal(removeVar("REDIS_URL='x'   \r\n\r\n# c\r\nB=2\r\n", 'REDIS_URL').text, '\r\n# c\r\nB=2\r\n');
  assert.equal(removeVar('REDIS_URL=x # inline\n# own line\n', 'REDIS_URL').text, '# own line\n');
});

test('removeVar removes export, indented, inline-commented and multi-line assignments whole', () => {
  assert.equal(removeVar('A=1\n  export REDIS_URL = "x" # c\nB=2\n', 'REDIS_URL').text, 'A=1\nB=2\n');
  assert.equal(removeVar('A=1\nREDIS_URL="l1\nl2"\nB=2\n', 'REDIS_URL').text, 'A=1\nB=2\n');
  assert.equal(removeVar("A=1\r\nREDIS_URL='l1\r\nl2'\r\nB=2", 'REDIS_URL').text, 'A=1\r\nB=2');
  assert.equal(removeVar('REDIS_URL=only', 'REDIS_URL').text, '');
  assert.equal(removeVar('# REDIS_URL=commented\n', 'REDIS_URL').changed, false);
});

test('removeVar drops the line dotenv uses and leaves the rest; an earlier duplicate becomes visible', () => {
  assert.deepEqual(removeVar(`# c\r\nREDIS_URL=${URL_A}\r\nB=2\r\n`, 'REDIS_URL'), {
    text: '# c\r\nB=2\r\n',
    changed: true,
    previous: URL_A,
  });
  assert.deepEqual(removeVar('A=1\nREDIS_URL=x', 'REDIS_URL'), { text: 'A=1\n', changed: true, previous: 'x' });
  assert.equal(removeVar('REDIS_URL=a\nREDIS_URL=b\n', 'REDIS_URL').text, 'REDIS_URL=a\n');
  assert.deepEqual(removeVar('A=1\n', 'REDIS_URL'), { text: 'A=1\n', changed: false });
});

test('renderTemplate fills the placeholder of the shipped template', () => {
  const template = readFileSync(new URL('../templates/env.template', import.meta.url), 'utf8');
  assert.match(template, /redis-setup/);
  assert.match(template, /git-ignored/);
  const out = renderTemplate(template, 'REDIS_URL', URL_B);
  assert.equal(out, template.replace(/^REDIS_URL=$/m, `REDIS_URL="${URL_B}"`));
  assert.equal(parse(out).REDIS_URL, URL_B);
  const other = renderTemplate(template, 'CACHE_URL', URL_A);
  assert.equal(parse(other).CACHE_URL, URL_A);
  assert.equal(parse(other).REDIS_URL, undefined);
});

// Deterministic pseudo-random values over the characters that matter in URLs and .env syntax.
function sampleValues(): string[] {
  const alphabet = 'aZ09:/@.%#=?&+-_~!*();,[] \t\'"`\\$';
  let seed = 42;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const values = [
    URL_A,
    URL_B,
    'redis://:p%40ss%23w0rd@h:6379/0?a=b&c=d',
    'redis://u:pa=ss@h',
    'redis://u:#hash@h',
    '#leading',
    'trailing#',
    ' leading space',
    'trailing space ',
    'a b',
    "it's",
    'say "hi"',
    '`tick`',
    'back\\slash',
    'C:\\path\\',
    'ends\\',
    'two\\\\slashes',
    '\\n literal',
    "'quoted'",
    '"dq"',
    '',
    '=',
    '==',
    '?&%',
    'a#b c',
    'tab\there',
    'ünïcødé€',
    // Redis URLs as providers and users write them: %xx escapes, = ? & # in passwords, query strings.
    'redis://default:AbC%2Fd%2Be%3D@eu1-xyz-12345.upstash.io:6379',
    'rediss://:p%25ss%3Aw%40rd@h.example.com:6380/2?ssl_cert_reqs=none&timeout=5',
    'redis://user:pa=ss=word@h:6379/0?a=1&b=2',
    'redis://u:p#1?x&y=z@h:1',
    'redis://u:p%20w%20d@h',
    "redis://u:it's@h",
    'redis://u:"dq"@h',
    'redis://u:back\\slash@h',
    'redis://u:tick`@h',
    'redis://u:a b@h',
    // A leading quote of each kind, and one at both ends.
    "'lead",
    '"lead',
    '`lead',
    "trail'",
    "'both'",
    '"both"',
    '`both`',
    '\'a"',
    '#',
    ' ',
    '\\',
    'x${Y}z',
    '$HOME',
  ];
  for (let i = 0; i < 400; i++) {
    const len = 1 + Math.floor(rnd() * 14);
    let v = '';
    for (let j = 0; j < len; j++) v += alphabet[Math.floor(rnd() * alphabet.length)];
    values.push(v);
  }
  return values;
}

// Lines every dotenv reads the same, plus a backtick line (dotenv-only: it is rewritten without backticks).
const PORTABLE_BASES = [
  'A=1\n',
  'A=1',
  `REDIS_URL=${URL_A}\n`,
  `REDIS_URL='${URL_A}' # c\n`,
  `REDIS_URL="${URL_A}"\r\nB=2`,
  'REDIS_URL= # c\n',
  'REDIS_URL=old#c\n',
];

/** Every way a value gets written: appended, and replacing an unquoted / '…' / "…" line with a comment. */
function writtenFiles(value: string, bases = [...PORTABLE_BASES, 'REDIS_URL=`x` # c\n']): string[] | undefined {
  try {
    // `REDIS_URL= # c` already holds '' for dotenv (python-dotenv reads '# c'): unchanged, so skipped.
    return bases.filter((b) => value !== '' || !b.includes('= #')).map((b) => setVar(b, 'REDIS_URL', value).text);
  } catch (e) {
    assert.ok(e instanceof CliError && e.code === 'env-value', String(e));
    return undefined;
  }
}

test('written values round-trip through dotenv.parse; only unwritable values are refused', () => {
  let refused = 0;
  for (const value of sampleValues()) {
    const files = writtenFiles(value);
    if (!files) {
      refused++;
      // Refused only when no quote style both parsers agree on could hold it.
      assert.ok(/['"\\`]/.test(value), `refused ${JSON.stringify(value)}`);
      continue;
    }
    for (const f of files) assert.equal(parse(f).REDIS_URL, value, JSON.stringify(f));
  }
  assert.ok(refused < 60, `refused ${refused} values`);
});

test('refused values throw a CliError that explains and never quotes the value', () => {
  for (const value of [`p'a "b`, `a' "\\b`, `x\\" 'y`, `'"`]) {
    assert.throws(
      () => setVar(`REDIS_URL=${URL_A}\n`, 'REDIS_URL', value),
      (e: unknown) =>
        e instanceof CliError &&
        e.code === 'env-value' &&
        /cannot be written/.test(e.message) &&
        !e.message.includes(value) &&
        typeof e.fix === 'string',
    );
  }
});

test('written values round-trip through python-dotenv (live oracle, default interpolation on)', () => {
  const cases: { value: string; file: string }[] = [];
  // python-dotenv expands ${NAME} in every quote style, so no .env text can hold such a value for it.
  const portable = sampleValues().filter((v) => !/\$\{[^}]*\}/.test(v));
  for (const value of portable) for (const file of writtenFiles(value) ?? []) cases.push({ value, file });
  const out = pythonDotenvRead(cases.map((c) => ({ text: c.file, override: true })));
  assert.equal(out.length, cases.length);
  for (const [i, c] of cases.entries()) assert.equal(out[i]!.values.REDIS_URL, c.value, JSON.stringify(c.file));
});

/** Both grammars: the name reads `value`, every other key reads as before (python-dotenv before ${…} expansion). */
function bothRead(before: string, after: string, value: string, name = 'REDIS_URL'): void {
  const raw = (t: string) => parsePythonDotenv(t, { interpolate: false });
  assert.equal(raw(after)[name], value, `python-dotenv reads back ${JSON.stringify(after)}`);
  assert.equal(parse(after)[name], value, `dotenv reads back ${JSON.stringify(after)}`);
  for (const [reader, label] of [
    [raw, 'python-dotenv'],
    [parse, 'dotenv'],
  ] as const) {
    const a = { ...reader(before) };
    const b = { ...reader(after) };
    delete a[name];
    delete b[name];
    assert.deepEqual(b, a, `${label}: other keys unchanged in ${JSON.stringify(after)}`);
  }
}

test('issue 10: a stray quote elsewhere never makes python-dotenv lose REDIS_URL or the keys after it', () => {
  // A value with a ' used to be written in double quotes; python-dotenv then paired them with a
  // stray " above and swallowed REDIS_URL and B. A canonical URL needs no quotes at all.
  const before = 'A="stray\nREDIS_URL=old\nB=2\n';
  const url = `redis://default:${"it's".replace("'", '%27')}@h:1`;
  const r = setVar(before, 'REDIS_URL', url);
  assert.equal(r.text, `A="stray\nREDIS_URL=${url}\nB=2\n`);
  bothRead(before, r.text, url);
  // A value that does need quotes: a style that pairs with the stray quote is skipped.
  const spaced = setVar(before, 'REDIS_URL', 'a b');
  assert.equal(spaced.text, "A=\"stray\nREDIS_URL='a b'\nB=2\n");
  bothRead(before, spaced.text, 'a b');
});

test('every edit of generated files keeps both grammars reading every other key unchanged', () => {
  const values = [
    'redis://default:p%40ss%27w0rd@h.example:6379/1',
    'rediss://:x@[::1]:6380',
    'a b',
    "it's",
    'say "hi"',
    '#hash',
    '',
  ];
  const files = [
    'A="stray\nREDIS_URL=x\nB=2\n',
    "A='stray\nREDIS_URL=x\n",
    'REDIS_URL=`x`\nC="m\nl"\n',
    'REDIS_URL: x\nD=1\n',
    'P=1\nREDIS_URL="${P}x"\n',
    "REDIS_URL=x # c\r\nE='q'\r\n",
    "export REDIS_URL = 'x'\n",
    '',
  ];
  for (const file of files) {
    for (const value of values) {
      let out: string;
      try {
        out = setVar(file, 'REDIS_URL', value).text;
      } catch (e) {
        assert.ok(e instanceof CliError && (e.code === 'env-edit' || e.code === 'env-value'), String(e));
        continue; // refused, never half-written
      }
      bothRead(file, out, value);
    }
  }
});

test('removeVar keeps both grammars reading every other key unchanged', () => {
  for (const file of [
    'A=1\nREDIS_URL=x\nB="q\nr"\n',
    'A="stray\nREDIS_URL=x\nB=2\n',
    'REDIS_URL=a\nREDIS_URL=b\nC=${REDIS_URL}\n',
  ]) {
    const after = removeVar(file, 'REDIS_URL').text;
    const raw = (t: string) => parsePythonDotenv(t, { interpolate: false });
    for (const reader of [raw, parse]) {
      const a = { ...reader(file) };
      const b = { ...reader(after) };
      delete a.REDIS_URL;
      delete b.REDIS_URL;
      assert.deepEqual(b, a, JSON.stringify(after));
    }
  }
});
