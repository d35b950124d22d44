// Deciding from a service's logs whether it really works with Redis. Pure: no I/O and no clock;
// the caller passes the time in, so every rule here is testable without waiting.
import { deploymentEnded } from './deployment.js';
import { MATCHED_LINE_LIMIT } from './safe-regex.js';

// ── Log lines ────────────────────────────────────────────────────────────────────────────────

export interface LogLine {
  message: string;
  timestamp?: string;
  level?: string;
}

// CSI (colours, cursor moves), OSC (titles, links) and the remaining two-byte escapes.
const ANSI =
  /\u001b\[[0-?]*[ -/]*[@-~]|\u009b[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;
// Control characters left after ANSI removal (backspace, bell…), but not tab.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/**
 * One line of `railway logs --json` output. Under a pseudo-terminal, stdout and stderr are merged:
 * lines may end in \r\n, carry escape sequences, or be noise (update banner, spinner). Noise and
 * blank lines give undefined, unless `plainText` is set (logs that are not JSON at all), in which
 * case the visible text is the message.
 */
export function parseLogLine(raw: string, options: { plainText?: boolean } = {}): LogLine | undefined {
  // A carriage return lets later text overwrite earlier text (spinners): keep what remains visible
  // last.
  const segments = stripAnsi(raw)
    .split('\r')
    .map((s) => s.replace(CONTROL, '').trim())
    .filter((s) => s !== '');
  const text = segments.at(-1);
  if (text === undefined) return undefined;
  const json = parseJsonLine(text);
  if (json) return json;
  return options.plainText ? { message: text } : undefined;
}

function parseJsonLine(text: string): LogLine | undefined {
  const start = text.startsWith('{') ? 0 : text.indexOf('{"');
  if (start < 0) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text.slice(start));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  if (typeof record.message !== 'string') return undefined;
  const line: LogLine = { message: stripAnsi(record.message).trimEnd() };
  if (typeof record.timestamp === 'string') line.timestamp = record.timestamp;
  const level = record.level ?? record.severity;
  if (typeof level === 'string') line.level = level;
  return line;
}

// ── Patterns ─────────────────────────────────────────────────────────────────────────────────

/**
 * A case-sensitive substring, or a JavaScript regular expression. `times` (failure patterns only):
 * how often the line must appear before it fails the service, for lines that are harmless once.
 */
export type Pattern = string | { regex: string; flags?: string; times?: number };

export interface RolePatterns {
  /** Every one must appear. */
  success: Pattern[];
  /** Any one fails the service. */
  failure: Pattern[];
}

export interface CompiledPattern {
  /** How the pattern is named in `seen`, `missing` and reasons. */
  readonly label: string;
  /** How many matching lines it takes (1 unless the pattern says `times`). */
  readonly times: number;
  matches(message: string): boolean;
}

export interface CompiledRolePatterns {
  success: CompiledPattern[];
  failure: CompiledPattern[];
}

export function patternLabel(pattern: Pattern): string {
  if (typeof pattern === 'string') return pattern;
  const times = pattern.times && pattern.times > 1 ? ` ×${pattern.times}` : '';
  return `/${pattern.regex}/${pattern.flags ?? ''}${times}`;
}

/** Throws a SyntaxError for an invalid regex; config validation reports those to the user first. */
export function compilePattern(pattern: Pattern): CompiledPattern {
  const label = patternLabel(pattern);
  if (typeof pattern === 'string') return { label, times: 1, matches: (message) => message.includes(pattern) };
  // Without g/y, test() keeps no state between lines.
  const regex = new RegExp(pattern.regex, (pattern.flags ?? '').replace(/[gy]/g, ''));
  return { label, times: Math.max(1, pattern.times ?? 1), matches: (message) => regex.test(message) };
}

export function compilePatterns(patterns: RolePatterns): CompiledRolePatterns {
  return { success: patterns.success.map(compilePattern), failure: patterns.failure.map(compilePattern) };
}

export interface LineMatch {
  /** Labels of the success patterns this message contains. */
  success: string[];
  /** Label of the first failure pattern it contains (one that fails on its first line). */
  failure?: string;
  /** Labels of failure patterns with `times` > 1 that it contains: the caller counts them. */
  counted: string[];
}

/**
 * Only the start of a message is matched: a regex's cost grows with the line, and one 400 KB line
 * must not stall the watch. The lines that prove health are short. (Same figure safe-regex.ts
 * budgets with.)
 */
export const MAX_MATCHED_LINE = MATCHED_LINE_LIMIT;

export function matchLine(message: string, patterns: CompiledRolePatterns): LineMatch {
  const text = message.length > MAX_MATCHED_LINE ? message.slice(0, MAX_MATCHED_LINE) : message;
  const match: LineMatch = {
    success: patterns.success.filter((p) => p.matches(text)).map((p) => p.label),
    counted: [],
  };
  for (const p of patterns.failure) {
    if (!p.matches(text)) continue;
    if (p.times > 1) match.counted.push(p.label);
    else if (match.failure === undefined) match.failure = p.label;
  }
  return match;
}

/** Matches lines one after another and says which failure pattern a line completes, if any. */
export function createFailureMatcher(
  patterns: CompiledRolePatterns,
): (message: string) => { match: LineMatch; failure?: string } {
  const counts = new Map<string, number>();
  const times = new Map(patterns.failure.map((p) => [p.label, p.times]));
  return (message) => {
    const match = matchLine(message, patterns);
    let failure = match.failure;
    for (const label of match.counted) {
      const n = (counts.get(label) ?? 0) + 1;
      counts.set(label, n);
      if (failure === undefined && n >= (times.get(label) ?? 1)) failure = label;
    }
    return failure === undefined ? { match } : { match, failure };
  };
}

/**
 * Dramatiq logs "ready" before its consumers first touch Redis, and restarts a failed consumer
 * after 3 s (dramatiq_restart_delay): a worker's quiet window must cover that, whatever --settle
 * says.
 */
export const WORKER_MIN_SETTLE_MS = 3000;

export function settleFor(role: string, settleMs: number): number {
  return role === 'worker' ? Math.max(settleMs, WORKER_MIN_SETTLE_MS) : settleMs;
}

// ── Health tracker ───────────────────────────────────────────────────────────────────────────

export type HealthStatus = 'waiting' | 'settling' | 'healthy' | 'failed' | 'timeout';

export interface HealthState {
  status: HealthStatus;
  /** Success patterns seen so far. */
  seen: string[];
  /** Success patterns not seen yet. */
  missing: string[];
  /** Failure lines (deduplicated, at most 5) and the first line of each success pattern, in order seen. */
  evidence: string[];
  lastRelevantLine?: string;
  /** While settling: when the service becomes healthy if no failure line arrives first. */
  settleUntilMs?: number;
  healthyAtMs?: number;
  reason?: string;
}

export interface HealthTrackerOptions {
  patterns: RolePatterns;
  /** Quiet time required after the last success line (Dramatiq logs "ready" before its auth errors). */
  settleMs?: number;
  /** Deadline for all success lines, counted from startedAtMs. */
  timeoutMs?: number;
  startedAtMs: number;
}

export interface HealthTracker {
  /** Feed one log message. Feed every line received up to nowMs before calling tick(nowMs). */
  observe(message: string, nowMs: number): HealthState;
  /** Let time pass: ends a settle window or the overall timeout. */
  tick(nowMs: number): HealthState;
  /** Railway deployment status; FAILED, CRASHED, REMOVED and SKIPPED fail the service. */
  deploymentStatus(status: string): HealthState;
  state(): HealthState;
}

const MAX_FAILURE_EVIDENCE = 5;
const MAX_EVIDENCE_LINE = 500;

/**
 * Healthy = every success pattern appeared, then no failure line for settleMs. Any failure line
 * fails at once. No success within timeoutMs = timeout (a settle window already running may
 * finish). healthy, failed and timeout are final: later lines change nothing, except that a
 * failed service keeps collecting failure lines as evidence.
 */
export function createHealthTracker(options: HealthTrackerOptions): HealthTracker {
  const { settleMs = 10_000, timeoutMs = 180_000, startedAtMs } = options;
  const patterns = compilePatterns(options.patterns);
  if (patterns.success.length === 0) {
    throw new RangeError('No success patterns: a role needs at least one log line that proves it is healthy.');
  }
  const matchFailure = createFailureMatcher(patterns);
  const seen = new Set<string>();
  const evidence: string[] = [];
  let failureEvidence = 0;
  const current: Omit<HealthState, 'seen' | 'missing' | 'evidence'> = { status: 'waiting' };

  const isFinal = () => current.status === 'healthy' || current.status === 'failed' || current.status === 'timeout';
  const missing = () => patterns.success.map((p) => p.label).filter((label) => !seen.has(label));

  const snapshot = (): HealthState => ({ ...current, seen: [...seen], missing: missing(), evidence: [...evidence] });

  const addFailureEvidence = (line: string) => {
    if (failureEvidence >= MAX_FAILURE_EVIDENCE || evidence.includes(line)) return;
    evidence.push(line);
    failureEvidence++;
  };

  const tick = (nowMs: number): HealthState => {
    if (current.status === 'settling' && current.settleUntilMs !== undefined && nowMs >= current.settleUntilMs) {
      current.status = 'healthy';
      current.healthyAtMs = nowMs;
      delete current.settleUntilMs;
    } else if (current.status === 'waiting' && nowMs - startedAtMs >= timeoutMs) {
      const never = missing()
        .map((label) => `"${label}"`)
        .join(', ');
      current.status = 'timeout';
      current.reason = `no healthy sign within ${Math.round(timeoutMs / 1000)} s; never saw ${never}`;
    }
    return snapshot();
  };

  const observe = (message: string, nowMs: number): HealthState => {
    const line = message.length > MAX_EVIDENCE_LINE ? `${message.slice(0, MAX_EVIDENCE_LINE)}…` : message;
    const { match, failure } = matchFailure(message);
    if (current.status === 'failed' && (failure || match.counted.length > 0)) addFailureEvidence(line);
    if (isFinal()) return snapshot();

    // The line counts before the clock: a failure that arrives with a late batch still fails.
    if (match.counted.length > 0) current.lastRelevantLine = line;
    if (failure) {
      addFailureEvidence(line);
      current.lastRelevantLine = line;
      current.status = 'failed';
      current.reason = `log line matched "${failure}"`;
      delete current.settleUntilMs;
      return snapshot();
    }
    const newlySeen = match.success.filter((label) => !seen.has(label));
    if (newlySeen.length > 0) {
      for (const label of newlySeen) seen.add(label);
      evidence.push(line);
      current.lastRelevantLine = line;
      if (current.status === 'waiting' && missing().length === 0) {
        current.status = 'settling';
        current.settleUntilMs = nowMs + settleMs;
      }
    } else if (match.success.length > 0) {
      current.lastRelevantLine = line;
    }
    return tick(nowMs);
  };

  const deploymentStatus = (status: string): HealthState => {
    const normalized = status.trim().toUpperCase();
    if (!isFinal() && deploymentEnded(normalized)) {
      current.status = 'failed';
      current.reason = `deployment ${normalized}`;
      delete current.settleUntilMs;
    }
    return snapshot();
  };

  return { observe, tick, deploymentStatus, state: snapshot };
}

// ── Diagnosis ────────────────────────────────────────────────────────────────────────────────

export type LogDiagnosisCode =
  | 'wrong-password'
  | 'auth-required'
  | 'variable-missing'
  | 'tls-cert'
  | 'quota-exceeded'
  | 'unreachable'
  | 'cache-disabled'
  | 'worker-error'
  | 'unknown';

export interface LogDiagnosis {
  code: LogDiagnosisCode;
  cause: string;
  fix: string;
}

const DNS_FAILURE = new RegExp(
  [
    'ENOTFOUND',
    'EAI_AGAIN',
    'Name or service not known',
    'Temporary failure in name resolution',
    'nodename nor servname',
    'getaddrinfo',
  ].join('|'),
  'i',
);
const REFUSED = /ECONNREFUSED|Connection refused|Error 111 connecting/i;
const TIMED_OUT = /ETIMEDOUT|Timeout connecting|timed out/i;

const CONNECT_FAILED = (text: string) =>
  DNS_FAILURE.test(text) || REFUSED.test(text) || TIMED_OUT.test(text) || /Failed to connect to Redis/.test(text);

/** First match wins: the order puts the most specific cause first. */
const EVIDENCE_RULES: {
  when: (text: string) => boolean;
  code: LogDiagnosisCode;
  words: (variable: string, text: string) => Omit<LogDiagnosis, 'code'>;
}[] = [
  {
    when: (text) => /invalid username-password pair|WRONGPASS|invalid password/.test(text),
    code: 'wrong-password',
    words: (variable) => ({
      cause:
        `The service reached Redis, but Redis rejected the password in its ${variable}: ` +
        'the password was probably rotated.',
      fix: `Set the current URL in ${variable} and redeploy.`,
    }),
  },
  {
    when: (text) =>
      /Authentication required|NOAUTH|HELLO must be called with the client already authenticated/.test(text),
    code: 'auth-required',
    words: (variable) => ({
      cause: `The service reached Redis but sent no password: its ${variable} has none, or the app ignores it.`,
      fix: `Use a URL with the password (redis://default:PASSWORD@HOST:PORT) in ${variable} and redeploy.`,
    }),
  },
  {
    when: (text) => /URL must specify one of the following schemes/.test(text),
    code: 'variable-missing',
    words: (variable) => ({
      cause: `${variable} is empty or missing in that service: redis-py was given no Redis URL at all.`,
      fix: `Set ${variable} on the service (npx redis-setup setup --services NAME) and redeploy.`,
    }),
  },
  {
    when: (text) => /CERTIFICATE_VERIFY_FAILED|certificate verify failed/i.test(text),
    code: 'tls-cert',
    words: (variable) => ({
      cause:
        "The service does not trust the Redis server's TLS certificate " +
        '(self-signed, unknown CA, or another host name).',
      fix:
        `Use the provider's rediss:// URL with the host name its certificate was issued for in ${variable}, ` +
        'then redeploy.',
    }),
  },
  {
    when: (text) => /max (daily )?requests? limit exceeded/.test(text),
    code: 'quota-exceeded',
    words: () => ({
      cause:
        'Upstash refused the commands: the database used up its request quota (500K per month on the free tier). ' +
        'Idle Dramatiq workers poll constantly and can use it up in days.',
      fix:
        'Move the database to a pay-as-you-go or fixed Upstash plan, or use a Railway Redis service; ' +
        'raising dramatiq_worker_timeout slows idle polling.',
    }),
  },
  { when: CONNECT_FAILED, code: 'unreachable', words: (variable, text) => unreachable(text, variable) },
  {
    when: (text) => /Redis caching disabled/.test(text),
    code: 'cache-disabled',
    words: (variable) => ({
      cause: 'The service started without Redis and turned its cache off: it could not connect at start.',
      fix: `Read the lines before "Redis caching disabled" in its logs (railway logs); check ${variable} and redeploy.`,
    }),
  },
  {
    when: (text) =>
      /Consumer encountered an unexpected error|Consumer encountered a connection error|Restarting consumer in/.test(
        text,
      ),
    code: 'worker-error',
    words: () => ({
      cause: 'The Dramatiq worker hit an error while talking to Redis.',
      fix: 'Read the lines after "Consumer encountered" in the service logs (railway logs); they hold the Redis error.',
    }),
  },
];

/** What the failure lines of a service (already masked by the caller) say went wrong. */
export function diagnoseEvidence(lines: readonly string[], context: { variable?: string } = {}): LogDiagnosis {
  const variable = context.variable ?? 'REDIS_URL';
  const text = lines.join('\n');
  const rule = EVIDENCE_RULES.find((r) => r.when(text));
  if (rule) return { code: rule.code, ...rule.words(variable, text) };
  return {
    code: 'unknown',
    cause: 'The service logged an error about Redis that redis-setup does not recognise.',
    fix: 'Read the lines above in the service logs (railway logs).',
  };
}

function unreachable(text: string, variable: string): Omit<LogDiagnosis, 'code'> {
  const dns = DNS_FAILURE.test(text);
  if (dns && /\.railway\.internal/.test(text)) {
    return {
      cause:
        'The service could not resolve the private *.railway.internal host: it resolves only ' +
        'inside the same Railway project and environment. Either the service is in another ' +
        'project or environment, or this is a legacy IPv6-only environment and the client ' +
        'asks for IPv4.',
      fix:
        `Point ${variable} at the Redis service of the same project and environment ` +
        `(\${{Redis.REDIS_URL}}); for ioredis or BullMQ in a legacy environment, connect with ` +
        `family: 0 (or append ?family=0, not for redis-py).`,
    };
  }
  if (dns) {
    return {
      cause: 'The Redis host name does not resolve from the service.',
      fix: `Check the host in ${variable} and redeploy.`,
    };
  }
  if (REFUSED.test(text)) {
    return {
      cause: 'Nothing accepted the connection at that host and port: Redis is down or the port is wrong.',
      fix: `Check that the Redis service is running and that the port in ${variable} is right, then redeploy.`,
    };
  }
  if (TIMED_OUT.test(text)) {
    return {
      cause:
        'Connecting to Redis timed out: the host is unreachable from the service, or rediss:// ' +
        '(TLS) points at a plain port.',
      fix:
        `Check the host and the scheme in ${variable} (Upstash needs rediss://, Railway ` +
        `private hosts use redis://), then redeploy.`,
    };
  }
  return {
    cause: 'The service could not connect to Redis.',
    fix: `Check the host and port in ${variable} and that Redis is running, then redeploy.`,
  };
}
