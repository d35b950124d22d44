// Cases ported from theskumar/python-dotenv at v0.21.0 (b6fe193b4c296a24d1973b741c19ee8b0066bc86), the
// version Debian ships (python3-dotenv). Data only: inputs and upstream expectations.
// - tests/test_parser.py test_parse_stream: 43 inputs → bindings [key, value, line, error]
//   (the `original` text of each binding is not ported).
// - tests/test_main.py test_dotenv_values_string_io: 20 interpolation cases [environ, text, interpolate, values]
//   (dotenv_values, so override=True).

export type BindingRow = [key: string | null, value: string | null, line: number, error: boolean];

export const PARSER_CASES: Array<[text: string, bindings: BindingRow[]]> = [
  ['', []],
  ['a=b', [['a', 'b', 1, false]]],
  ["'a'=b", [['a', 'b', 1, false]]],
  ['[=b', [['[', 'b', 1, false]]],
  [' a = b ', [['a', 'b', 1, false]]],
  ['export a=b', [['a', 'b', 1, false]]],
  [" export 'a'=b", [['a', 'b', 1, false]]],
  ['# a=b', [[null, null, 1, false]]],
  ['a=b#c', [['a', 'b#c', 1, false]]],
  ['a=b #c', [['a', 'b', 1, false]]],
  ['a=b\t#c', [['a', 'b', 1, false]]],
  ['a=b c', [['a', 'b c', 1, false]]],
  ['a=b\tc', [['a', 'b\tc', 1, false]]],
  ['a=b  c', [['a', 'b  c', 1, false]]],
  ['a=b  c', [['a', 'b  c', 1, false]]],
  ['a=b c ', [['a', 'b c', 1, false]]],
  ["a='b c '", [['a', 'b c ', 1, false]]],
  ['a="b c "', [['a', 'b c ', 1, false]]],
  ['export export_a=1', [['export_a', '1', 1, false]]],
  ['export port=8000', [['port', '8000', 1, false]]],
  ['a="b\nc"', [['a', 'b\nc', 1, false]]],
  ["a='b\nc'", [['a', 'b\nc', 1, false]]],
  ['a="b\nc"', [['a', 'b\nc', 1, false]]],
  ['a="b\\nc"', [['a', 'b\nc', 1, false]]],
  ["a='b\\nc'", [['a', 'b\\nc', 1, false]]],
  ['a="b\\"c"', [['a', 'b"c', 1, false]]],
  ["a='b\\'c'", [['a', "b'c", 1, false]]],
  ['a=à', [['a', 'à', 1, false]]],
  ['a="à"', [['a', 'à', 1, false]]],
  ['no_value_var', [['no_value_var', null, 1, false]]],
  ['a: b', [[null, null, 1, true]]],
  [
    'a=b\nc=d',
    [
      ['a', 'b', 1, false],
      ['c', 'd', 2, false],
    ],
  ],
  [
    'a=b\rc=d',
    [
      ['a', 'b', 1, false],
      ['c', 'd', 2, false],
    ],
  ],
  [
    'a=b\r\nc=d',
    [
      ['a', 'b', 1, false],
      ['c', 'd', 2, false],
    ],
  ],
  [
    'a=\nb=c',
    [
      ['a', '', 1, false],
      ['b', 'c', 2, false],
    ],
  ],
  ['\n\n', [[null, null, 1, false]]],
  [
    'a=b\n\n',
    [
      ['a', 'b', 1, false],
      [null, null, 2, false],
    ],
  ],
  [
    'a=b\n\nc=d',
    [
      ['a', 'b', 1, false],
      ['c', 'd', 2, false],
    ],
  ],
  [
    'a="\nb=c',
    [
      [null, null, 1, true],
      ['b', 'c', 2, false],
    ],
  ],
  [
    '# comment\na="b\nc"\nd=e\n',
    [
      [null, null, 1, false],
      ['a', 'b\nc', 2, false],
      ['d', 'e', 4, false],
    ],
  ],
  [
    'a=b\n# comment 1',
    [
      ['a', 'b', 1, false],
      [null, null, 2, false],
    ],
  ],
  [
    '# comment 1\n# comment 2',
    [
      [null, null, 1, false],
      [null, null, 2, false],
    ],
  ],
  [
    'uglyKey[%$="S3cr3t_P4ssw#rD" #\na=b',
    [
      ['uglyKey[%$', 'S3cr3t_P4ssw#rD', 1, false],
      ['a', 'b', 2, false],
    ],
  ],
];

type Values = Record<string, string>;

export const INTERPOLATION_CASES: Array<[environ: Values, text: string, interpolate: boolean, values: Values]> = [
  [{ b: 'c' }, 'a=$b', false, { a: '$b' }],
  [{ b: 'c' }, 'a=$b', true, { a: '$b' }],
  [{ b: 'c' }, 'a=${b}', false, { a: '${b}' }],
  [{ b: 'c' }, 'a=${b}', true, { a: 'c' }],
  [{ b: 'c' }, 'a=${b:-d}', false, { a: '${b:-d}' }],
  [{ b: 'c' }, 'a=${b:-d}', true, { a: 'c' }],
  [{}, 'b=c\na=${b}', true, { a: 'c', b: 'c' }],
  [{}, 'a=${b}', true, { a: '' }],
  [{}, 'a=${b:-d}', true, { a: 'd' }],
  [{ b: 'c' }, 'a="${b}"', true, { a: 'c' }],
  [{ b: 'c' }, "a='${b}'", true, { a: 'c' }],
  [{ b: 'c' }, 'a=x${b}y', true, { a: 'xcy' }],
  [{ a: 'b' }, 'a=${a}', true, { a: 'b' }],
  [{}, 'a=${a}', true, { a: '' }],
  [{ a: 'b' }, 'a=${a:-c}', true, { a: 'b' }],
  [{}, 'a=${a:-c}', true, { a: 'c' }],
  [{ b: 'c' }, 'a=${b}${b}', true, { a: 'cc' }],
  [{ b: 'c' }, 'b=d\na=${b}', true, { a: 'd', b: 'd' }],
  [{}, 'a=b\na=c\nd=${a}', true, { a: 'c', d: 'c' }],
  [{}, 'a=b\nc=${a}\nd=e\nc=${d}', true, { a: 'b', c: 'e', d: 'e' }],
];
