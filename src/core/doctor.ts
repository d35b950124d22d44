// `doctor`'s judgement, pure: given what the CLI read (rendered variables, deployment status,
// recent log lines), say per service what is wrong and the one command that fixes it.
// Passwords are compared, never returned.
import { analyzeUrl, passwordOf, type Provider } from './url.js';
import { compilePatterns, createFailureMatcher, diagnoseEvidence, type RolePatterns } from './health.js';
import type { Role } from './config.js';
import { deploymentFailed } from './deployment.js';

export type Severity = 'ok' | 'warn' | 'fail';

export type DoctorVerdict =
  | 'ok'
  | 'no-redis'
  | 'sealed'
  | 'stale-credential'
  | 'no-variable'
  | 'deployment-failed'
  | 'errors-in-logs'
  | 'invalid-url'
  | 'public-host'
  | 'upstash-quota'
  | 'split';

export interface DoctorFinding {
  verdict: DoctorVerdict;
  severity: Severity;
  detail: string;
  fix: string;
}

export interface DoctorRow {
  service: string;
  role: Role;
  provider: Provider | null;
  deploymentStatus: string | null;
  severity: Severity;
  /** The worst finding first. */
  findings: DoctorFinding[];
  /** Masked failure lines from the latest deployment. */
  evidence: string[];
}

export interface ServiceFacts {
  service: string;
  role: Role;
  /** By its variable or its logs (redis-usage.ts): a service that does not never fails the run. */
  usesRedis: boolean;
  /** The variable is sealed: its value cannot be read, only its logs can tell. */
  sealed?: boolean;
  /** Value of the variable as the service gets it (secret), undefined when not set or sealed. */
  value: string | undefined;
  /** Other variables of the service (for dramatiq_worker_timeout). */
  otherVariables: Record<string, string | null>;
  deploymentStatus: string | null;
  /** Already masked log messages of the latest deployment. */
  logMessages: string[];
  patterns: RolePatterns;
}

export interface RedisFacts {
  name: string;
  /** The Redis service's current password (secret). */
  password: string | undefined;
  /** Its rendered REDIS_URL (private), to recognise a reference. */
  privateUrl: string | undefined;
  /** Its rendered REDIS_PUBLIC_URL (TCP proxy), to recognise its public host whatever the domain. */
  publicUrl?: string | undefined;
}

const order: Record<Severity, number> = { fail: 0, warn: 1, ok: 2 };

/**
 * Dramatiq idle polling per process per queue, fitted to two measurements (MONITOR, Dramatiq 2.2):
 * 180 EVALSHA/min at the 1000 ms default worker timeout, 52/min at 5000 ms.
 */
export function dramatiqIdleCommandsPerMinute(workerTimeoutMs = 1000, processes = 1, queues = 1): number {
  return Math.round((160 / (workerTimeoutMs / 1000) + 20) * processes * queues);
}

export function upstashFreeTierDays(perMinute: number, monthlyLimit = 500_000): number {
  return Math.round((monthlyLimit / (perMinute * 60 * 24)) * 10) / 10;
}

type Opts = { variable: string; fixCommand: (service: string, provider: string) => string };

export function judgeService(s: ServiceFacts, redis: RedisFacts | undefined, opts: Opts): DoctorRow {
  const row = (provider: Provider | null, findings: DoctorFinding[], evidence: string[]): DoctorRow => {
    findings.sort((a, b) => order[a.severity] - order[b.severity]);
    return {
      service: s.service,
      role: s.role,
      provider,
      deploymentStatus: s.deploymentStatus,
      severity: findings[0]!.severity,
      findings,
      evidence,
    };
  };
  if (!s.usesRedis) {
    return row(
      null,
      [
        {
          verdict: 'no-redis',
          severity: 'ok',
          detail: `does not use Redis: no ${opts.variable}, no Redis lines in its logs`,
          fix: '',
        },
      ],
      [],
    );
  }
  const { provider, findings } = s.sealed ? { provider: null, findings: [] } : variableFindings(s, redis, opts);
  if (deploymentFailed(s.deploymentStatus)) {
    findings.push({
      verdict: 'deployment-failed',
      severity: 'fail',
      detail: `The latest deployment is ${s.deploymentStatus}.`,
      fix:
        `Read its logs: railway logs --latest -s ${s.service}; fix the cause, then redeploy: ` +
        `railway redeploy -s ${s.service} -y`,
    });
  }
  const evidence = failureEvidence(s);
  if (evidence.length > 0) findings.push(logFinding(s, evidence, findings, opts));
  // Checked last: an 'ok' or 'sealed' finding only when nothing failed, so a failing row never
  // carries one.
  const failed = findings.some((f) => f.severity === 'fail');
  if (s.sealed && !failed) findings.push(sealedFinding(s, opts.variable));
  if (provider === 'railway-private' && !failed) {
    findings.push({
      verdict: 'ok',
      severity: 'ok',
      detail:
        `private network${s.value === redis?.privateUrl ? " (same as the Redis service's REDIS_URL)" : ''}. ` +
        'In legacy environments (before 2025-10-16) *.railway.internal is IPv6-only: ' +
        'Node clients need family: 0 (ioredis ≥ 5.8.2 does this).',
      fix: '',
    });
  }
  if (findings.length === 0) findings.push({ verdict: 'ok', severity: 'ok', detail: 'no problem found', fix: '' });
  return row(provider, findings, evidence);
}

/** What the variable's value says: not set, unreadable, a stale password, the public proxy, Upstash quota. */
function variableFindings(
  s: ServiceFacts,
  redis: RedisFacts | undefined,
  opts: Opts,
): { provider: Provider | null; findings: DoctorFinding[] } {
  if (s.value === undefined) {
    return {
      provider: null,
      findings: [
        {
          verdict: 'no-variable',
          severity: 'fail',
          detail: `${opts.variable} is not set, yet its logs mention Redis: the service cannot find it.`,
          fix: opts.fixCommand(s.service, redis ? 'reference' : 'url'),
        },
      ],
    };
  }
  const findings: DoctorFinding[] = [];
  const analysis = analyzeUrl(s.value);
  let provider: Provider | null = analysis.ok ? analysis.provider : (analysis.provider ?? null);
  const url = analysis.ok ? analysis.url : undefined;
  // The TCP proxy domain is not always *.proxy.rlwy.net (older *.railway.app, custom): the Redis
  // service's own REDIS_PUBLIC_URL names it for sure.
  if (provider === 'other' && url && sameEndpoint(url, redis?.publicUrl)) provider = 'railway-public';
  if (!analysis.ok && analysis.issue.code !== 'private-host') {
    findings.push({
      verdict: 'invalid-url',
      severity: 'fail',
      detail: analysis.issue.message,
      fix: analysis.issue.fix,
    });
  }
  const password = url?.password ?? passwordOf(s.value);
  const pointsAtRailwayRedis = provider === 'railway-private' || provider === 'railway-public';
  if (redis?.password !== undefined && pointsAtRailwayRedis && password !== undefined && password !== redis.password) {
    findings.push({
      verdict: 'stale-credential',
      severity: 'fail',
      detail:
        `${opts.variable} holds an old password: it does not match the current password of ` +
        `${redis.name}, so every connection gets "invalid username-password pair".`,
      fix: opts.fixCommand(s.service, 'reference'),
    });
  }
  if (provider === 'railway-public') {
    findings.push({
      verdict: 'public-host',
      severity: 'warn',
      detail:
        'Uses the public TCP proxy from inside Railway: it costs egress and breaks at the next password rotation.',
      fix: opts.fixCommand(s.service, 'reference'),
    });
  }
  if (provider === 'upstash' && s.role === 'worker') findings.push(upstashQuota(s));
  return { provider, findings };
}

function upstashQuota(s: ServiceFacts): DoctorFinding {
  const timeoutMs = Number(s.otherVariables.dramatiq_worker_timeout ?? 1000) || 1000;
  const perMinute = dramatiqIdleCommandsPerMinute(timeoutMs);
  const days = upstashFreeTierDays(perMinute);
  return {
    verdict: 'upstash-quota',
    severity: 'warn',
    detail:
      `An idle Dramatiq worker sends about ${perMinute} EVALSHA/min per process per queue ` +
      `(${Math.round((perMinute * 60 * 24) / 1000)}K a day): the Upstash free tier's 500K ` +
      `commands a month last about ${days} days.`,
    fix:
      `Set dramatiq_worker_timeout=5000 on the worker (about ` +
      `${dramatiqIdleCommandsPerMinute(5000)}/min), use a fixed Upstash plan, and keep ` +
      `eviction off for the queue.`,
  };
}

function failureEvidence(s: ServiceFacts): string[] {
  const evidence: string[] = [];
  const matchFailure = createFailureMatcher(compilePatterns(s.patterns));
  for (const m of s.logMessages) {
    if (matchFailure(m).failure && !evidence.includes(m) && evidence.length < 5) evidence.push(m);
  }
  return evidence;
}

function logFinding(s: ServiceFacts, evidence: string[], findings: DoctorFinding[], opts: Opts): DoctorFinding {
  const d = diagnoseEvidence(evidence, { variable: opts.variable });
  const stale = findings.some((f) => f.verdict === 'stale-credential');
  return {
    verdict: 'errors-in-logs',
    severity: 'fail',
    detail: `Its latest deployment logs Redis errors. ${d.cause}`,
    fix: stale || d.code === 'wrong-password' ? opts.fixCommand(s.service, 'reference') : d.fix,
  };
}

function sealedFinding(s: ServiceFacts, variable: string): DoctorFinding {
  const success = compilePatterns(s.patterns).success;
  const proven = success.length > 0 && success.every((p) => s.logMessages.some((m) => p.matches(m)));
  return {
    verdict: 'sealed',
    severity: proven ? 'ok' : 'warn',
    detail:
      `${variable} is sealed: its value cannot be read, so it is judged from its logs, ` +
      `which ${proven ? 'show it connected' : 'show no sign of Redis working yet'}.`,
    fix: proven ? '' : `Read its logs: railway logs --latest -s ${s.service}`,
  };
}

/** More than one Redis server among the services that use Redis: a queue split in two. */
export function judgeSplit(
  groups: ReadonlyMap<string, string[]>,
  fixCommand: (services: string[]) => string,
): DoctorFinding | undefined {
  if (groups.size < 2) return undefined;
  const where = [...groups].map(([server, services]) => `${services.join(', ')} → ${server}`).join('; ');
  return {
    verdict: 'split',
    severity: 'fail',
    detail:
      `The services that use Redis point at different servers (${where}): jobs the bot ` +
      `enqueues on one are never consumed from the other.`,
    fix: fixCommand([...groups.values()].flat()),
  };
}

function sameEndpoint(url: { host: string; port: number }, other: string | undefined): boolean {
  if (!other) return false;
  const o = analyzeUrl(other);
  return o.ok && o.url.host.toLowerCase() === url.host.toLowerCase() && o.url.port === url.port;
}
