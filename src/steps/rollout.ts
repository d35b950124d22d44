// Redeploy each service and watch only its NEW deployment until its logs prove it healthy, it
// fails, or time runs out. Services run in parallel; one `service list` call per tick reads every
// deployment's status, to spare the Railway API quota.
import type { Role } from '../core/config.js';
import { deploymentEnded } from '../core/deployment.js';
import {
  createHealthTracker,
  diagnoseEvidence,
  type HealthState,
  type RolePatterns,
  settleFor,
} from '../core/health.js';
import type { ServiceOutcome } from '../core/report.js';
import { sleep, watchDeploymentLogs } from '../edge/logwatch.js';
import type { RailwayPort } from '../edge/railway.js';
import { CliError, EXIT } from '../errors.js';

export interface RolloutTarget {
  service: string;
  role: Role;
  patterns: RolePatterns;
  /**
   * The change deployed by itself (variable delete): watch the first deployment newer than this
   * one instead of redeploying.
   */
  deployedAfter?: string | null;
  /** Already started (a batched redeploy): watch this deployment. */
  deploymentId?: string;
}

export interface RolloutOptions {
  railway: RailwayPort;
  targets: RolloutTarget[];
  variable: string;
  settleMs: number;
  timeoutMs: number;
  mask: (text: string) => string;
  onProgress?: (service: string, state: HealthState) => void;
  /** A new deployment was started (or found) for a service. */
  onDeployment?: (service: string, deploymentId: string) => void;
  /** Railway's status of a watched deployment (BUILDING, DEPLOYING, SUCCESS…), when it was read. */
  onStatus?: (service: string, status: string) => void;
  /** Skip the redeploy and watch this deployment instead (tests, restore of a known deployment). */
  poll?: boolean;
}

const TICK_MS = 200;
const STATUS_POLL_MIN_MS = 5000;
const STATUS_POLL_MAX_MS = 20_000;

/** Ctrl-C while watching is the caller's StopGuard: it kills the streams and exits at once. */
export async function rollout(opts: RolloutOptions): Promise<ServiceOutcome[]> {
  const stopStatus = new AbortController();
  const shared: Shared = { deploymentIds: new Map(), trackers: new Map() };
  const statusPoll = pollStatuses(opts, shared, stopStatus.signal);
  try {
    const outcomes = await Promise.all(opts.targets.map((t) => rolloutOne(t, opts, shared)));
    return outcomes.map((o) => withTrouble(o, shared.trouble));
  } finally {
    stopStatus.abort();
    await statusPoll;
  }
}

interface Shared {
  deploymentIds: Map<string, string>;
  trackers: Map<string, ReturnType<typeof createHealthTracker>>;
  /** The last Railway error while reading logs or statuses (a rate limit, most often). */
  trouble?: CliError;
}

/** A wait that ran out while Railway refused our reads is Railway's problem: say so first, with its words. */
function withTrouble(o: ServiceOutcome, trouble: CliError | undefined): ServiceOutcome {
  if (!trouble || o.status !== 'timeout') return o;
  return {
    ...o,
    reason: `${trouble.message} (while watching); meanwhile ${o.reason ?? 'it timed out'}`,
    railwayError: trouble.code,
  };
}

const noteTrouble = (shared: Shared) => (e: unknown) => {
  if (e instanceof CliError) shared.trouble = e;
};

async function rolloutOne(target: RolloutTarget, opts: RolloutOptions, shared: Shared): Promise<ServiceOutcome> {
  const { deploymentIds, trackers } = shared;
  const base = { name: target.service, role: target.role };
  let deploymentId: string;
  try {
    if (target.deploymentId) {
      deploymentId = target.deploymentId;
    } else if (target.deployedAfter !== undefined) {
      deploymentId = await newDeployment(opts.railway, target.service, target.deployedAfter, opts.timeoutMs);
    } else {
      deploymentId = await opts.railway.redeploy(target.service);
    }
  } catch (e) {
    const err = e instanceof CliError ? e : new CliError('redeploy failed', EXIT.railway, undefined, 'railway-error');
    const failed = { deploymentId: null, status: 'failed' as const, evidence: [], secondsToHealthy: null, missing: [] };
    return { ...base, ...failed, reason: opts.mask(err.message), railwayError: err.code };
  }
  deploymentIds.set(target.service, deploymentId);
  opts.onDeployment?.(target.service, deploymentId);

  const startedAtMs = Date.now();
  const settleMs = settleFor(target.role, opts.settleMs);
  const tracker = createHealthTracker({ patterns: target.patterns, settleMs, timeoutMs: opts.timeoutMs, startedAtMs });
  trackers.set(target.service, tracker);
  const lags: number[] = [];
  const stop = new AbortController();
  let last = tracker.state();
  const report = (state: HealthState) => {
    if (state.status !== last.status || state.lastRelevantLine !== last.lastRelevantLine)
      opts.onProgress?.(target.service, state);
    last = state;
    if (state.status === 'healthy' || state.status === 'failed' || state.status === 'timeout') stop.abort();
  };

  const watching = watchDeploymentLogs({
    railway: opts.railway,
    service: target.service,
    deploymentId,
    signal: stop.signal,
    poll: opts.poll ?? false,
    onError: noteTrouble(shared),
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
    ...(status === 'failed' && failureLines.length > 0
      ? { diagnosis: diagnoseEvidence(failureLines, { variable: opts.variable }) }
      : {}),
    ...(lags.length > 0 ? { lagMs: median(lags) } : {}),
    watch,
  };
}

/** The deployment a variable delete started: the first one newer than `before`, bounded by `timeoutMs`. */
async function newDeployment(
  railway: RailwayPort,
  service: string,
  before: string | null,
  timeoutMs: number,
): Promise<string> {
  const started = Date.now();
  for (let delay = 500; ; delay = Math.min(5000, delay * 2)) {
    const [latest] = await railway.deployments(service, 1);
    if (latest && latest.id !== before) return latest.id;
    if (Date.now() - started > timeoutMs) throw new CliError(`No new deployment of ${service} started.`, EXIT.railway);
    await sleep(delay);
  }
}

/** One `service list` per tick covers every service; a failed or cancelled deployment ends that service's wait. */
async function pollStatuses(opts: RolloutOptions, shared: Shared, signal: AbortSignal): Promise<void> {
  let delay = STATUS_POLL_MIN_MS;
  await sleep(delay, signal);
  while (!signal.aborted) {
    const pending = [...shared.trackers.entries()].filter(([, t]) =>
      ['waiting', 'settling'].includes(t.state().status),
    );
    if (pending.length > 0) {
      try {
        const statuses = await readStatuses(
          opts.railway,
          pending.map(([name]) => name),
          shared.deploymentIds,
        );
        for (const [name, tracker] of pending) {
          const status = statuses.get(name);
          if (!status) continue;
          opts.onStatus?.(name, status);
          if (deploymentEnded(status)) tracker.deploymentStatus(status);
        }
      } catch (e) {
        // Status is a second opinion; the logs and the timeout still decide.
        noteTrouble(shared)(e);
      }
    }
    delay = Math.min(STATUS_POLL_MAX_MS, Math.round(delay * 1.5));
    await sleep(delay, signal);
  }
}

/** Service → status of the deployment we watch: one `railway api` request, or one `service list`. */
async function readStatuses(
  railway: RailwayPort,
  names: string[],
  ids: Map<string, string>,
): Promise<Map<string, string>> {
  const watched = names.flatMap((n) => (ids.has(n) ? [[n, ids.get(n)!] as const] : []));
  if (railway.supports('api')) {
    const byId = await railway.deploymentStatuses(watched.map(([, id]) => id));
    return new Map(watched.flatMap(([n, id]) => (byId.get(id) ? [[n, byId.get(id)!] as const] : [])));
  }
  const services = await railway.services();
  return new Map(
    watched.flatMap(([n, id]) => {
      const d = services.find((x) => x.name === n)?.latestDeployment;
      return d && d.id === id ? [[n, d.status] as const] : [];
    }),
  );
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : Math.round((s[m - 1]! + s[m]!) / 2);
}

const round1 = (n: number) => Math.round(n * 10) / 10;
