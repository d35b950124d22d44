// Which query parameters a Redis URL may keep. redis-py 4 hands every query parameter to its
// connection class as a keyword argument, so an unknown one (`family`, `protocol`, `timeout`…) makes
// the first command fail with TypeError; ioredis ignores most of them. A written URL keeps only what
// redis-py 4 accepts and uses as meant, with values both clients read the same way. Pure.
import { pyFloat, pyInt } from './url-readers.js';

/** Keyword arguments of redis-py 4.3.4's Connection and SSLConnection (`ssl_*`) constructors. */
const PY_CONNECTION_ARGS = new Set([
  'host',
  'port',
  'db',
  'password',
  'socket_timeout',
  'socket_connect_timeout',
  'socket_keepalive',
  'socket_keepalive_options',
  'socket_type',
  'retry_on_timeout',
  'retry_on_error',
  'encoding',
  'encoding_errors',
  'decode_responses',
  'parser_class',
  'socket_read_size',
  'health_check_interval',
  'client_name',
  'username',
  'retry',
  'redis_connect_func',
  'max_connections',
]);
const PY_SSL_ARGS = new Set([
  'ssl_keyfile',
  'ssl_certfile',
  'ssl_cert_reqs',
  'ssl_ca_certs',
  'ssl_ca_data',
  'ssl_check_hostname',
  'ssl_ca_path',
  'ssl_password',
  'ssl_validate_ocsp',
  'ssl_validate_ocsp_stapled',
  'ssl_ocsp_context',
  'ssl_ocsp_expected_cert',
]);

type Check = (value: string) => string | undefined;

const seconds: Check = (v) =>
  /^\d+(\.\d+)?$/.test(v) && (pyFloat(v) ?? 0) > 0 ? undefined : 'must be a number of seconds, like 5 or 2.5';
const count: Check = (v) => (/^\d+$/.test(v) && pyInt(v) !== undefined ? undefined : 'must be a whole number, like 30');
const bool: Check = (v) => (/^(true|false|yes|no|0|1)$/i.test(v) ? undefined : 'must be true or false');
const word: Check = (v) => (/^[A-Za-z0-9._:-]+$/.test(v) ? undefined : 'may hold only letters, digits and . _ : -');
const path: Check = (v) => (/^[^\s%]+$/.test(v) ? undefined : 'must be a file path without spaces or %');
const certReqs: Check = (v) =>
  ['none', 'optional', 'required'].includes(v)
    ? undefined
    : 'must be none, optional or required in lower case (redis-py raises "Invalid SSL Certificate Requirements Flag")';

/** Parameters kept in a written URL, with the check of their value. */
const KEPT: Record<string, { check: Check; tlsOnly?: true }> = {
  socket_timeout: { check: seconds },
  socket_connect_timeout: { check: seconds },
  socket_keepalive: { check: bool },
  retry_on_timeout: { check: bool },
  max_connections: { check: count },
  health_check_interval: { check: count },
  client_name: { check: word },
  ssl_cert_reqs: { check: certReqs, tlsOnly: true },
  ssl_check_hostname: { check: bool, tlsOnly: true },
  ssl_ca_certs: { check: path, tlsOnly: true },
  ssl_certfile: { check: path, tlsOnly: true },
  ssl_keyfile: { check: path, tlsOnly: true },
  ssl_ca_path: { check: path, tlsOnly: true },
};

/** TLS settings redis-py applies and ioredis ignores (it always verifies with Node's defaults). */
export const PYTHON_ONLY_TLS_PARAMS = [
  'ssl_cert_reqs',
  'ssl_check_hostname',
  'ssl_ca_certs',
  'ssl_certfile',
  'ssl_keyfile',
  'ssl_ca_path',
];

export interface ParamVerdict {
  kept: Record<string, string>;
  /** One sentence per refused parameter: its name and why. Values are never quoted (one may be a secret). */
  refused: string[];
}

const shownName = (name: string) => (/^[A-Za-z0-9_.-]{1,40}$/.test(name) ? name : 'a parameter with an unusual name');

function typeError(name: string): string {
  return (
    `redis-py 4 fails on the first command with "TypeError: __init__() got an unexpected keyword argument ` +
    `'${name}'"`
  );
}

function refusal(name: string, value: string, tls: boolean): string | undefined {
  const shown = shownName(name);
  const kept = KEPT[name];
  if (kept) {
    if (kept.tlsOnly && !tls) return `${shown}: only rediss:// takes TLS settings; on redis:// ${typeError(name)}.`;
    if (value.includes('%'))
      return `${shown}: redis-py decodes query values twice, so redis-py and ioredis read a % in one differently.`;
    const bad = kept.check(value);
    return bad && `${shown} ${bad}.`;
  }
  if (name === 'family') {
    return (
      `family: ${typeError('family')}. ioredis ≥ 5.8.2 already uses family 0 (IPv4 and IPv6); set it in the Node ` +
      `client's options if needed.`
    );
  }
  if (PY_CONNECTION_ARGS.has(name) || (PY_SSL_ARGS.has(name) && tls)) {
    return (
      `${shown}: redis-py 4 takes it from a URL as text, which it cannot use as meant; set it in the app's code ` +
      `instead.`
    );
  }
  if (PY_SSL_ARGS.has(name)) return `${shown}: only rediss:// takes TLS settings; on redis:// ${typeError(name)}.`;
  return `${shown}: not a redis-py 4 connection setting; ${typeError(shown)}.`;
}

/** Sort the parameters redis-py passes on into kept and refused (blank values are dropped by redis-py). */
export function judgeParams(params: Record<string, string>, repeated: readonly string[], tls: boolean): ParamVerdict {
  const kept: Record<string, string> = {};
  const refused: string[] = repeated.map(
    (name) => `${shownName(name)}: given more than once; redis-py uses the first value and ioredis the last.`,
  );
  for (const [name, value] of Object.entries(params)) {
    if (repeated.includes(name)) continue;
    const why = refusal(name, value, tls);
    if (why) refused.push(why);
    else kept[name] = value;
  }
  return { kept, refused };
}
