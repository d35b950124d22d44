// Secret masking and terminal-safe text. Pure: no I/O. Everything printed, logged or put in --json
// passes through maskText. It works on any text, URL or not, because what a person pastes by
// mistake (`redis:/default:PW@h`, `PW@h:1`, `redis://default:PW` with no host, `?password=PW`,
// `#PW`) is exactly what gets echoed back in an error. When in doubt it masks more, never less.

/**
 * Show only a short hint of a secret: first 2 and last 2 characters of long ones (enough to tell two apart),
 * nothing of short ones.
 */
export function maskSecret(secret: string): string {
  if (secret.length === 0) return '';
  if (secret.length < 16) return '****';
  return `${secret.slice(0, 2)}****${secret.slice(-2)}`;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

// Already masked (maskSecret's own output) stays as it is, so a second pass keeps the hint.
// A Railway reference (`${{Redis.REDIS_URL}}`) names a variable; it holds no secret and is shown as it is.
const RAILWAY_REFERENCE = /^\$\{\{[\w.-]+\}\}$/;
const maskPart = (s: string) =>
  s === '' || /^([^*]{2})?\*{4}([^*]{2})?$/.test(s) || RAILWAY_REFERENCE.test(s) ? s : maskSecret(safeDecode(s));

// Parts of a URL-like token that are shown; anything else in it is masked. A whitelist, so a
// password in an unexpected place (a mangled paste) is masked too, not only the usual userinfo.
const SAFE_USER = /^[A-Za-z0-9_.~-]{0,64}$/;
const SAFE_HOST_PORT = /^(\[[0-9A-Fa-f:.]*\]|[A-Za-z0-9._~-]*)(:(\d{0,5}|PORT))?$/; // PORT: our own placeholder
const SAFE_PARAMS = new Set([
  'db',
  'socket_timeout',
  'socket_connect_timeout',
  'socket_keepalive',
  'retry_on_timeout',
  'max_connections',
  'health_check_interval',
  'client_name',
  'ssl_cert_reqs',
  'ssl_check_hostname',
  'family',
  'protocol',
  'timeout',
  'tls',
]);
const SAFE_VALUE = /^[A-Za-z0-9_.:-]{0,40}$/;
// An npm package spec (`redis-setup@latest`, `@railway/cli@4.2`): not userinfo.
const NPM_TAG = String.raw`(latest|next|beta|alpha|canary|rc|[\^~]?\d+(\.\d+){0,2}([-+][\w.]+)?)`;
const NPM_SPEC = new RegExp(String.raw`^(@[a-z0-9~-][a-z0-9._~-]*\/)?[a-z0-9~-][a-z0-9._~-]*@${NPM_TAG}$`);
const KNOWN_SCHEME = /^(rediss?|https?|postgres(?:ql)?|mysql|amqps?|mongodb(?:\+srv)?):/i;

/** Mixed-case letters: a secret, not a host name or path word (those are lower case or all caps). */
const mixedCase = (s: string) => /[a-z]/.test(s) && /[A-Z]/.test(s);

// A generated secret (Railway, Upstash, API keys): 16+ characters mixing upper case, lower case and
// digits, or percent-encoded text. Ordinary words, hosts, IDs and error codes do not mix all three.
const SECRET_RUN = /[A-Za-z0-9+=_~%]{16,}/g;
const strongSecret = (s: string) =>
  (/[a-z]/.test(s) && /[A-Z]/.test(s) && /\d/.test(s)) || (s.match(/%[0-9A-Fa-f]{2}/g) ?? []).length >= 2;

/** A token that looks generated or pasted from a URL: worth masking when it sits where a secret would. */
const looksGenerated = (s: string) => s.length >= 8 && (strongSecret(s) || /[%"'`$@\\{}|<>^]/.test(s));

/** Text that looks like a secret rather than a word, host or number: long and mixed-case or odd characters. */
const secretish = (s: string) => s.length >= 8 && (mixedCase(s) || /[%"'`$@\\{}|<>^]/.test(s));

function maskUserinfoPart(userinfo: string): string {
  const colon = userinfo.indexOf(':');
  const user = userinfo.slice(0, colon);
  // A user name is shown only when it plainly is one; a lone `secret@` is masked whole.
  const plainUser = colon !== -1 && SAFE_USER.test(user) && !looksGenerated(user);
  return plainUser ? `${user}:${maskPart(userinfo.slice(colon + 1))}` : maskPart(userinfo);
}

function maskHostPort(hostPort: string): string {
  if (SAFE_HOST_PORT.test(hostPort) && !mixedCase(hostPort)) return hostPort;
  if (/^\$\{\{[\w.-]+\}\}(:(\d{1,5}|\$\{\{[\w.-]+\}\}))?$/.test(hostPort)) return hostPort; // references
  const m = /^([A-Za-z0-9._~-]*):(.+)$/.exec(hostPort);
  // `redis://default:PW` (no @): the part after the colon is no port, so it is the password.
  if (m && !mixedCase(m[1]!)) return `${m[1]}:${maskPart(m[2]!)}`;
  return maskPart(hostPort);
}

function maskQuery(query: string): string {
  return query
    .split('&')
    .map((item) => {
      const eq = item.indexOf('=');
      if (eq === -1) return maskPart(item);
      const name = item.slice(0, eq);
      const value = item.slice(eq + 1);
      if (SAFE_PARAMS.has(name.toLowerCase()) && SAFE_VALUE.test(value)) return item;
      return `${/^[A-Za-z0-9_.-]{1,40}$/.test(name) ? name : maskPart(name)}=${maskPart(value)}`;
    })
    .join('&');
}

function maskPath(path: string, web: boolean): string {
  if (/^\/?\d*\/?$/.test(path)) return path;
  if (!web) return `/${maskPart(path.slice(1))}`;
  const odd = (seg: string) => seg.includes('%') || (mixedCase(seg) && seg.length >= 8);
  return path
    .split('/')
    .map((seg) => (odd(seg) ? maskPart(seg) : seg))
    .join('/');
}

/** Path, query and fragment after the authority. */
function maskTail(tail: string, web: boolean): string {
  const hash = tail.indexOf('#');
  const beforeHash = hash === -1 ? tail : tail.slice(0, hash);
  const fragment = hash === -1 ? '' : `#${maskPart(tail.slice(hash + 1))}`;
  const q = beforeHash.indexOf('?');
  const path = q === -1 ? beforeHash : beforeHash.slice(0, q);
  const query = q === -1 ? '' : `?${maskQuery(beforeHash.slice(q + 1))}`;
  return `${maskPath(path, web)}${query}${fragment}`;
}

// A scheme, or what is left of one after a mangled paste (`re"dis://`, `redis//`, `redis:/`, `//`).
const SCHEME_LIKE = /^[^\s@]{0,12}?(?::\/\/?|\/\/)/;
// `host:port` followed by a path, query, fragment or the end: a URL without its scheme.
const HOST_PORT_INSIDE = /[A-Za-z0-9.\]-]:\d{1,5}(?:[/?#]|$)/;

/**
 * Pieces of a URL split off by a space in a mangled paste: `user:secret`, `name=secret`, `?query`,
 * `#fragment`. Only values that look like secrets are masked, so prose keeps its words.
 */
function maskFragmentOfUrl(body: string): string | undefined {
  if (body.startsWith('?') || (body.startsWith('#') && secretish(body.slice(1)))) return maskTail(body, false);
  // The rest of a query string: `me&password=…#…`.
  if (/^[^=&#]*(=[^&#]*)?&/.test(body)) return maskTail(`?${body}`, false).slice(1);
  const pair = /^([^\s:=]{1,64})([:=])(.*)$/.exec(body);
  if (pair && pair[1]!.length >= 8 && strongSecret(pair[1]!)) return maskPart(body); // `secret:port` after a lost @
  if (pair && secretish(pair[3]!)) return `${pair[1]}${pair[2]}${maskPart(pair[3]!)}`;
  const hash = body.indexOf('#');
  const fragment = body.slice(hash + 1);
  if (hash > 0 && /[:/]/.test(body.slice(0, hash)) && secretish(fragment)) {
    return `${body.slice(0, hash + 1)}${maskPart(fragment)}`;
  }
  return undefined;
}

/** One whitespace-free token that looks like a URL or userinfo, masked part by part. */
function maskUrlToken(token: string): string {
  const lead = /^[("'<[{`]*([A-Za-z_][A-Za-z0-9_.-]*=(?![=\s]))?/.exec(token)![0];
  const trail = /[)\]}>"'`.,;:]*$/.exec(token.slice(lead.length))![0];
  const body = token.slice(lead.length, token.length - trail.length);
  if (NPM_SPEC.test(body) || /^\$\{\{[\w.-]+\}\}[)\]>"'`.,;:]*$/.test(token.slice(lead.length))) return token;
  const scheme = SCHEME_LIKE.exec(body)?.[0] ?? KNOWN_SCHEME.exec(body)?.[0] ?? '';
  let rest = body.slice(scheme.length);
  if (scheme === '' && !rest.includes('@') && !HOST_PORT_INSIDE.test(rest)) {
    // NAME=value, where the value looks like a secret, is masked whatever the name.
    const piece = maskFragmentOfUrl(body) ?? (lead.endsWith('=') && secretish(body) ? maskPart(body) : undefined);
    return piece === undefined ? token : `${lead}${piece}${trail}`;
  }
  const web = /^https?:/i.test(scheme);
  // Userinfo ends at the last @ (a raw @ in a password); for web URLs only within the authority.
  const authorityEnd = web ? (rest.search(/[/?#]/) + 1 || rest.length + 1) - 1 : rest.length;
  const at = rest.lastIndexOf('@', authorityEnd - 1);
  let out = `${lead}${scheme}`;
  if (at !== -1) {
    out += `${maskUserinfoPart(rest.slice(0, at))}@`;
    rest = rest.slice(at + 1);
  }
  const end = rest.search(/[/?#]/);
  const hostPort = end === -1 ? rest : rest.slice(0, end);
  return `${out}${maskHostPort(hostPort)}${maskTail(end === -1 ? '' : rest.slice(end), web)}${trail}`;
}

// A name that says secret: *PASSWORD*, *PASSWD*, *PWD*, *TOKEN*, *SECRET*, *KEY*, *AUTH*.
const SECRET_NAME = '[A-Za-z0-9_.-]*(?:pass(?:word|wd)?|pwd|token|secret|key|auth)[A-Za-z0-9_.-]*';
const QUOTED = String.raw`"(?:[^"\\]|\\.)*"|'[^']*'`;
// ?name=value in a query string ends at & or #; NAME=value elsewhere (env, argv) runs to the next space.
const QUERY_ASSIGNMENT = new RegExp(String.raw`([?&;])(${SECRET_NAME})(=\s*)([^\s&#]+)`, 'gi');
const ASSIGNMENT = new RegExp(String.raw`(^|[^A-Za-z0-9_.?&;-])(${SECRET_NAME})(\s*=\s*)(${QUOTED}|\S+)`, 'gi');
// "NAME": "value" / 'NAME': 'value' (JSON, Python dicts).

const JSON_MEMBER = new RegExp(String.raw`(["'])(${SECRET_NAME})\1(\s*:\s*)(${QUOTED}|[^\s,}\]]+)`, 'gi');

function maskValue(value: string): string {
  const q = value[0];
  const quoted = (q === '"' || q === "'") && value.length >= 2 && value.endsWith(q);
  if (quoted) return `${q}${maskPart(value.slice(1, -1))}${q}`;
  return maskPart(value);
}

function maskAssignments(text: string): string {
  type Groups = [string, string, string, string, string];
  return text
    .replace(QUERY_ASSIGNMENT, (...[, pre, name, eq, value]: Groups) => `${pre}${name}${eq}${maskPart(value)}`)
    .replace(ASSIGNMENT, (...[, pre, name, eq, value]: Groups) => `${pre}${name}${eq}${maskValue(value)}`)
    .replace(JSON_MEMBER, (...[, q, name, sep, value]: Groups) => `${q}${name}${q}${sep}${maskValue(value)}`);
}

/** The forms a known secret takes in output: raw, percent-encoded (three ways), form-encoded, JSON-escaped. */
function variantsOf(secret: string): string[] {
  const strict = encodeURIComponent(secret).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  const form = new URLSearchParams({ s: secret }).toString().slice(2);
  return [secret, encodeURIComponent(secret), strict, strict.toLowerCase(), form, JSON.stringify(secret).slice(1, -1)];
}

function maskLiterals(text: string, secrets: readonly string[]): string {
  const variants = new Set<string>();
  for (const s of secrets) {
    if (s.length < 4) continue; // too short to mask without mangling ordinary text
    for (const v of variantsOf(s)) variants.add(v);
  }
  let out = text;
  // Longest first so an encoded form is not half-replaced by its raw substring.
  for (const v of [...variants].sort((a, b) => b.length - a.length)) out = out.split(v).join(maskSecret(v));
  return out;
}

/** A token cut off a pasted URL by a space: looks generated once its quotes and punctuation are off. */
function strayPiece(token: string): boolean {
  const core = token.replace(/^[("'<[{`]+|[)\]}>"'`.,;:!?]+$/g, '');
  // Already masked, or a whole URL that maskUrlToken has judged part by part.
  if (core.includes('****') || core.includes('://')) return false;
  // A path (`.env: /home/Alice/Bot2/.env`, `regex: /^a+$/`): the one piece of a URL that starts with /
  // is its path, which holds no secret; a generated run inside a path is still masked by maskStrongSecrets.
  if (/^(~|\.{1,2})?\/[^/]/.test(core)) return false;
  if (/(^|[=(])\$\{\{[\w.-]+\}\}$/.test(token.replace(/[)\]>"'`.,;:!?]+$/g, ''))) return false; // a reference
  return looksGenerated(core);
}

/** Whatever the shape around it, a run that looks generated is masked. */
function maskStrongSecrets(text: string): string {
  return text.replace(SECRET_RUN, (run) => (strongSecret(run) ? maskPart(run) : run));
}

/**
 * Mask every credential we can recognise in free text: URL userinfo in any shape, passwords after a
 * host-less `scheme://user:`, fragments of Redis URLs, `NAME=value` and `"NAME": "value"` where the
 * name says secret, `password=`/`token=` query values, and any literal secrets passed in.
 */
export function maskText(text: string, secrets: readonly string[] = []): string {
  const literal = maskLiterals(text, secrets);
  const json = maskJson(literal, secrets);
  if (json !== undefined) return json;
  const parts = maskAssignments(literal).split(/(\s+)/);
  const masked = parts.map((part, i) => (i % 2 === 1 ? part : maskUrlToken(part)));
  // A space inside a pasted URL or after `user:` / `name=` leaves the secret as a token of its own.
  for (let i = 0; i < parts.length; i += 2) {
    const before = parts[i - 2] ?? '';
    const after = parts[i + 2] ?? '';
    const inUrl =
      /[:=#@/?&]$/.test(before) || /:\/|@/.test(before) || after.startsWith('@') || /^[A-Za-z0-9.[\]-]+:\d/.test(after);
    if (masked[i] === parts[i] && inUrl && strayPiece(parts[i]!)) masked[i] = maskPart(parts[i]!);
  }
  return maskStrongSecrets(masked.join(''));
}

const SECRET_KEY = new RegExp(`^${SECRET_NAME}$`, 'i');

/** A whole JSON document (a CLI's --json output): mask value by value, keep it valid JSON. */
function maskJson(text: string, secrets: readonly string[]): string | undefined {
  const trimmed = text.trim();
  if (!/^[[{]/.test(trimmed)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return undefined;
  }
  const walk = (v: unknown, key?: string): unknown => {
    if (typeof v === 'string') return key !== undefined && SECRET_KEY.test(key) ? maskPart(v) : maskText(v, secrets);
    if (Array.isArray(v)) return v.map((x) => walk(x));
    if (v === null || typeof v !== 'object') return v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
  };
  return JSON.stringify(walk(value), null, trimmed.includes('\n') ? 2 : undefined);
}

// CSI (ESC [ or C1 CSI … final), OSC (ESC ] … BEL or ST), DCS/SOS/PM/APC, other ESC pairs, then single
// control characters: C0 except \t and \n, DEL, C1, and the bidi overrides that reorder what is shown.
const ANSI_SEQUENCE = new RegExp(
  [
    String.raw`(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]`, // CSI
    String.raw`(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x9c|\x1b\\)?`, // OSC
    String.raw`\x1b[PX^_][^\x1b]*(?:\x1b\\)?`, // DCS, SOS, PM, APC
    String.raw`\x1b[ -~]?`, // any other ESC pair
  ].join('|'),
  'g',
);
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Text a server or child process said, made safe to print: no escape sequences, no control characters. */
export function sanitizeForTerminal(text: string): string {
  return text.replace(ANSI_SEQUENCE, '').replace(CONTROL, '');
}
