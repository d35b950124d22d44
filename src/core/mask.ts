// Secret masking and terminal-safe text. Pure: no I/O. Everything printed, logged or put in --json
// passes through maskText. It works on any text, URL or not, because what a person pastes by
// mistake (`redis:/default:PW@h`, `PW@h:1`, `redis://default:PW` with no host, `?password=PW`,
// `#PW`) is exactly what gets echoed back in an error. When in doubt it masks more, never less.

/** Show only a short hint of a secret: first 2 and last 2 characters of long ones (enough to tell two apart), nothing of short ones. */
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

const maskPart = (s: string) => (s === '' ? '' : maskSecret(safeDecode(s)));

// Where the userinfo of a URL-like token starts: after `scheme://`, `scheme:/`, `//`, or a known
// scheme with no slashes (`redis:default:PW@h`).
const USERINFO_START = /^(.*?(?:[a-z][a-z0-9+.-]*:\/\/?|\/\/)|(?:rediss?|https?|postgres(?:ql)?|mysql|amqps?|mongodb(?:\+srv)?):)/i;

/** After the @: a host, not an npm dist-tag or version (`npx redis-setup@latest`, `pkg@1.2`). */
function looksLikeHost(after: string): boolean {
  if (!/^[A-Za-z0-9[]/.test(after)) return false;
  const host = /^[^/?#\s]*/.exec(after)![0];
  return !/^(latest|next|beta|alpha|canary|rc)$/i.test(host) && !/^\d+(\.\d+){0,2}([-+]\S*)?$/.test(host);
}

/** `…user:secret@host` and `secret@host` in one whitespace-free token. */
function maskUserinfo(token: string): string {
  let at = -1;
  for (let i = token.length - 1; i > 0; i--) {
    if (token[i] === '@' && looksLikeHost(token.slice(i + 1))) { at = i; break; }
  }
  if (at === -1) return token;
  const head = token.slice(0, at);
  const start = USERINFO_START.exec(head)?.[0].length ?? 0;
  const schemeLess = start === 0;
  const lead = schemeLess ? /^[("'<`=[{]*/.exec(head)![0].length : start;
  const userinfo = head.slice(lead);
  if (schemeLess && head.startsWith('@')) return token; // an npm scope: @railway/cli@4
  const colon = userinfo.indexOf(':');
  const masked = colon === -1 ? maskPart(userinfo) : `${userinfo.slice(0, colon)}:${maskPart(userinfo.slice(colon + 1))}`;
  return `${head.slice(0, lead)}${masked}${token.slice(at)}`;
}

/** `scheme://user:secret` with no host (the part after the colon is not a port). */
function maskHostless(token: string): string {
  const m = /^(.*?[a-z][a-z0-9+.-]*:\/\/?)([^[@:/?#]*):(.+)$/i.exec(token);
  if (!m || token.includes('@', m[1]!.length)) return token;
  if (/^\d{1,5}(?:[/?#]|$)/.test(m[3]!)) return token;
  return `${m[1]}${m[2]}:${maskPart(m[3]!)}`;
}

/** A fragment after a Redis URL means nothing to the clients; it is most likely a pasted secret. */
function maskFragment(token: string): string {
  const m = /^(.*?rediss?:\/\/[^#]*#)(.+)$/i.exec(token);
  return m ? `${m[1]}${maskPart(m[2]!)}` : token;
}

// A name that says secret: *PASSWORD*, *PASSWD*, *PWD*, *TOKEN*, *SECRET*, *KEY*, *AUTH*.
const SECRET_NAME = String.raw`[A-Za-z0-9_.-]*(?:pass(?:word|wd)?|pwd|token|secret|key|auth)[A-Za-z0-9_.-]*`;
const QUOTED = String.raw`"(?:[^"\\]|\\.)*"|'[^']*'`;
// ?name=value in a query string ends at & or #; NAME=value elsewhere (env, argv) runs to the next space.
const QUERY_ASSIGNMENT = new RegExp(String.raw`([?&;])(${SECRET_NAME})(=)([^\s&#]+)`, 'gi');
const ASSIGNMENT = new RegExp(String.raw`(^|[^A-Za-z0-9_.?&;-])(${SECRET_NAME})(=)(${QUOTED}|\S+)`, 'gi');
// "NAME": "value" / 'NAME': 'value' (JSON, Python dicts).

const JSON_MEMBER = new RegExp(String.raw`(["'])(${SECRET_NAME})\1(\s*:\s*)(${QUOTED}|[^\s,}\]]+)`, 'gi');

function maskValue(value: string): string {
  const q = value[0];
  if ((q === '"' || q === "'") && value.length >= 2 && value.endsWith(q)) return `${q}${maskPart(value.slice(1, -1))}${q}`;
  return maskPart(value);
}

function maskAssignments(text: string): string {
  return text
    .replace(QUERY_ASSIGNMENT, (_m, pre: string, name: string, eq: string, value: string) => `${pre}${name}${eq}${maskPart(value)}`)
    .replace(ASSIGNMENT, (_m, pre: string, name: string, eq: string, value: string) => `${pre}${name}${eq}${maskValue(value)}`)
    .replace(JSON_MEMBER, (_m, q: string, name: string, sep: string, value: string) => `${q}${name}${q}${sep}${maskValue(value)}`);
}

/** The forms a known secret takes in output: raw, percent-encoded (three ways), form-encoded, JSON-escaped. */
function variantsOf(secret: string): string[] {
  const strict = encodeURIComponent(secret).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
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

/**
 * Mask every credential we can recognise in free text: URL userinfo in any shape, passwords after a
 * host-less `scheme://user:`, fragments of Redis URLs, `NAME=value` and `"NAME": "value"` where the
 * name says secret, `password=`/`token=` query values, and any literal secrets passed in.
 */
export function maskText(text: string, secrets: readonly string[] = []): string {
  const literal = maskLiterals(text, secrets);
  const tokens = literal.replace(/\S+/g, (token) => maskFragment(maskHostless(maskUserinfo(token))));
  return maskAssignments(tokens);
}

// CSI (ESC [ … final), OSC (ESC ] … BEL or ESC \), other two-byte ESC sequences, then single
// control characters: C0 except \t and \n, DEL, C1, and the bidi overrides that reorder what is shown.
const ANSI_SEQUENCE = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[PX^_][^\x1b]*(?:\x1b\\)?|\x1b[ -~]?/g;
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Text a server or child process said, made safe to print: no escape sequences, no control characters. */
export function sanitizeForTerminal(text: string): string {
  return text.replace(ANSI_SEQUENCE, '').replace(CONTROL, '');
}
