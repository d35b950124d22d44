// Redeploy each service and watch only its NEW deployment until its logs prove it healthy, it
// fails, or time runs out. Services run in parallel; one `service list` call per tick reads every
// deployment's status, to spare the Railway API quota.
import { createHealthTracker, diagnoseEvidence, type HealthState, type LogDiagnosis, type RolePatterns } from '../core/health.js';
import type { Role } from '../core/config.js';
import { isFailedStatus, type Railway } from '../edge/railway.js';
import { sleep, watchDeploymentLogs, type WatchMode } from '../edge/logwatch.js';
import { CancelledError, CliError, EXIT } from '../errors.js';

export interface RolloutTarget {
  service: string;
  role: Role;
  patterns: RolePatterns;
  /** Watch the newest deployment instead of redeploying (a change that deployed by itself, such as variable delete). */
  watchLatest?: boolean;
}

export type ServiceStatus = 'healthy' | 'failed' | 'timeout' | 'skipped';

export interface ServiceOutcome {
  name: string;
  role: Role;
  deploymentId: string | null;
  status: ServiceStatus;
  /** Masked log lines: the failure lines, or the success lines that proved health. */
  evidence: string[];
  secondsToHealthy: number | null;
  missing: string[];
  reason?: string;
  diagnosis?: LogDiagnosis;
  /** Median delay between a line's timestamp and the moment we saw it. */
  lagMs?: number;
  watch?: WatchMode;
}

export interface RolloutOptions {
  railway: Railway;
  targets: RolloutTarget[];
  variable: string;
  settleMs: number;
  timeoutMs: number;
  mask: (text: string) => string;
  onProgress?: (service: string, state: HealthState) => void;
  /** Skip the redeploy and watch this deployment instead (tests, restore of a known deployment). */
  poll?: boolean;
}

const TICK_MS = 200;
const STATUS_POLL_MIN_MS = 5000;
const STATUS_POLL_MAX_MS = 20_000;

export async function rollout(opts: RolloutOptions): Promise<ServiceOutcome[]> {
  // Ctrl-C while watching: stop every watcher cleanly, then exit 130 with what is true now.
  const cancelled = new AbortController();
  const onSigint = () => cancelled.abort();
  process.on('SIGINT', onSigint);
  const stopStatus = new AbortController();
  const deploymentIds = new Map<string, string>();
  const trackers = new Map<string, ReturnType<typeof createHealthTracker>>();
  const statusPoll = pollStatuses(opts.railway, deploymentIds, trackers, stopStatus.signal);
  try {
    const outcomes = await Promise.all(opts.targets.map((t) => rolloutOne(t, opts, deploymentIds, trackers, cancelled.signal)));
    if (cancelled.signal.aborted) {
      throw new CancelledError('Stopped watching (Ctrl-C). The new values are set and the services are redeploying.\nCheck them: npx redis-setup doctor · undo: npx redis-setup restore');
    }
    return outcomes;
  } finally {
    process.off('SIGINT', onSigint);
    stopStatus.abort();
    await statusPoll;
  }
}

async function rolloutOne(
  target: RolloutTarget,
  opts: RolloutOptions,
  deploymentIds: Map<string, string>,
  trackers: Map<string, ReturnType<typeof createHealthTracker>>,
  cancelled: AbortSignal,
): Promise<ServiceOutcome> {
  const base = { name: target.service, role: target.role };
  let deploymentId: string;
  try {
    if (target.watchLatest) {
      const [latest] = await opts.railway.deployments(target.service, 1);
      if (!latest) throw new CliError(`No deployment found for ${target.service}.`, EXIT.railway);
      deploymentId = latest.id;
    } else {
      deploymentId = await opts.railway.redeploy(target.service);
    }
  } catch (e) {
    const reason = e instanceof CliError ? e.message : 'redeploy failed';
    return { ...base, deploymentId: null, status: 'failed', evidence: [], secondsToHealthy: null, missing: [], reason: opts.mask(reason) };
  }
  deploymentIds.set(target.service, deploymentId);

  const startedAtMs = Date.now();
  const tracker = createHealthTracker({ patterns: target.patterns, settleMs: opts.settleMs, timeoutMs: opts.timeoutMs, startedAtMs });
  trackers.set(target.service, tracker);
  const lags: number[] = [];
  const stop = new AbortController();
  cancelled.addEventListener('abort', () => stop.abort(), { once: true });
  let last = tracker.state();
  const report = (state: HealthState) => {
    if (state.status !== last.status || state.lastRelevantLine !== last.lastRelevantLine) opts.onProgress?.(target.service, state);
    last = state;
    if (state.status === 'healthy' || state.status === 'failed' || state.status === 'timeout') stop.abort();
  };

  const watching = watchDeploymentLogs({
    railway: opts.railway,
    service: target.service,
    deploymentId,
    signal: stop.signal,
    poll: opts.poll ?? false,
    onLine: (line) => {
      if (line.timestamp) {
        const lag = line.seenAtMs - Date.parse(line.timestamp);
        if (Number.isFinite(lag) && lag >= 0) lags.push(lag);
      }
      report(tracker.observe(opts.mask(line.message), line.seenAtMs));
    },
  });
  while (!stop.signal.aborted) {
    report(tracker.tick(Date.now()));
    await sleep(TICK_MS, stop.signal);
  }
  const watch = await watching;
  const state = tracker.state();
  const status = state.status === 'healthy' ? 'healthy' : state.status === 'timeout' ? 'timeout' : 'failed';
  const failureLines = status === 'healthy' ? [] : state.evidence;
  return {
    ...base,
    deploymentId,
    status,
    evidence: state.evidence,
    secondsToHealthy: state.healthyAtMs === undefined ? null : round1((state.healthyAtMs - startedAtMs) / 1000),
    missing: state.missing,
    ...(state.reason ? { reason: state.reason } : {}),
    ...(status === 'failed' && failureLines.length > 0 ? { diagnosis: diagnoseEvidence(failureLines, { variable: opts.variable }) } : {}),
    ...(lags.length > 0 ? { lagMs: median(lags) } : {}),
    watch,
  };
}

/** One `service list` per tick covers every service; FAILED or CRASHED ends that service's wait. */
async function pollStatuses(
  railway: Railway,
  deploymentIds: Map<string, string>,
  trackers: Map<string, ReturnType<typeof createHealthTracker>>,
  signal: AbortSignal,
): Promise<void> {
  let delay = STATUS_POLL_MIN_MS;
  await sleep(delay, signal);
  while (!signal.aborted) {
    const pending = [...trackers.entries()].filter(([, t]) => ['waiting', 'settling'].includes(t.state().status));
    if (pending.length > 0) {
      try {
        const services = await railway.services();
        for (const [name, tracker] of pending) {
          const s = services.find((x) => x.name === name);
          const d = s?.latestDeployment;
          if (d && d.id === deploymentIds.get(name) && isFailedStatus(d.status)) tracker.deploymentStatus(d.status);
        }
      } catch {
        // Status is a second opinion; the logs and the timeout still decide.
      }
    }
    delay = Math.min(STATUS_POLL_MAX_MS, Math.round(delay * 1.5));
    await sleep(delay, signal);
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : Math.round((s[m - 1]! + s[m]!) / 2);
}

const round1 = (n: number) => Math.round(n * 10) / 10;
