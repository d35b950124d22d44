// Deployments: their status over time (computed from run files the supervisor writes), new deployments
// and runs (a detached supervisor per run starts the real app process), and removal of old ones.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { buildLogFile, runFile, supervisorScript, type Host, type RunFileKind } from './paths.ts';
import { deploymentVariables } from './render.ts';
import type {
  DeploymentReason,
  DeploymentState,
  DeploymentStatus,
  FakeState,
  FakeTiming,
  RunState,
  ServiceState,
} from './types.ts';

type Env = { id: string; name: string };

export interface Phase {
  status: DeploymentStatus;
  since: number;
}

/** What the supervisor reads from runs/<dep>.<n>.spec.json. */
export interface RunSpec {
  app: string;
  env: Record<string, string>;
  buildMs: number;
  successAfterMs: number;
  skipBuild: boolean;
  serviceId: string;
  envId: string;
  createdAt: string;
}

export const IN_PROGRESS: ReadonlySet<DeploymentStatus> = new Set([
  'BUILDING',
  'DEPLOYING',
  'INITIALIZING',
  'QUEUED',
  'WAITING',
]);

export function canRedeploy(status: DeploymentStatus): boolean {
  return !IN_PROGRESS.has(status) && !['REMOVED', 'REMOVING', 'NEEDS_APPROVAL'].includes(status);
}

export const deploymentMeta = (dep: DeploymentState) => ({
  reason: dep.reason,
  ...(dep.image ? { image: dep.image } : {}),
  serviceManifest: { deploy: { numReplicas: 1 } },
});

export function timing(state: FakeState): FakeTiming {
  return { buildMs: 200, successAfterMs: 300, appTickMs: 1000, workerRestartDelayMs: 3000, ...state.timing };
}

/** Deployments of a service in an environment, newest first. */
export function serviceDeployments(state: FakeState, serviceId: string, envId: string): DeploymentState[] {
  return state.deployments
    .filter((d) => d.serviceId === serviceId && d.envId === envId)
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || b.seq - a.seq);
}

function readRunFile<T>(dir: string, dep: DeploymentState, run: RunState, kind: RunFileKind): T | null {
  try {
    return JSON.parse(fs.readFileSync(runFile(dir, dep, run, kind), 'utf8')) as T;
  } catch {
    return null;
  }
}

type Stamp = { at: string };
type ExitStamp = Stamp & { code: number | null; signal: string | null };

/** When a run became SUCCESS: it reported ready, then stayed up for successAfterMs. */
function runSuccessAt(
  dir: string,
  state: FakeState,
  dep: DeploymentState,
  run: RunState,
  now: number,
): number | undefined {
  const ready = readRunFile<Stamp>(dir, dep, run, 'ready');
  if (!ready) return undefined;
  const at = Date.parse(ready.at) + timing(state).successAfterMs;
  const exit = readRunFile<ExitStamp>(dir, dep, run, 'exit');
  const upUntil = exit ? Date.parse(exit.at) : now;
  return upUntil >= at ? at : undefined;
}

function successAt(dir: string, state: FakeState, dep: DeploymentState, now: number): number | undefined {
  if (dep.fixedStatus === 'SUCCESS') return Date.parse(dep.createdAt);
  const times = dep.runs.flatMap((r) => runSuccessAt(dir, state, dep, r, now) ?? []);
  return times.length ? Math.min(...times) : undefined;
}

const isNewer = (d: DeploymentState, than: DeploymentState) =>
  d.id !== than.id &&
  (Date.parse(d.createdAt) > Date.parse(than.createdAt) || (d.createdAt === than.createdAt && d.seq > than.seq));

/** Status of a deployment now, and since when. */
export function deploymentPhase(dir: string, state: FakeState, dep: DeploymentState, now = Date.now()): Phase {
  if (dep.removedAt) return { status: 'REMOVED', since: Date.parse(dep.removedAt) };
  // A newer deployment that went healthy replaces this one.
  const overtaken = serviceDeployments(state, dep.serviceId, dep.envId)
    .filter((d) => isNewer(d, dep) && !d.removedAt)
    .flatMap((d) => successAt(dir, state, d, now) ?? []);
  if (overtaken.length) return { status: 'REMOVED', since: Math.min(...overtaken) };
  if (dep.fixedStatus) return { status: dep.fixedStatus, since: Date.parse(dep.createdAt) };
  const run = dep.runs[dep.runs.length - 1];
  if (!run) return { status: 'QUEUED', since: Date.parse(dep.createdAt) };
  return runPhase(dir, state, dep, run, now);
}

export function deploymentStatus(
  dir: string,
  state: FakeState,
  dep: DeploymentState,
  now = Date.now(),
): DeploymentStatus {
  return deploymentPhase(dir, state, dep, now).status;
}

function runPhase(dir: string, state: FakeState, dep: DeploymentState, run: RunState, now: number): Phase {
  const start = readRunFile<Stamp>(dir, dep, run, 'start');
  if (!start) return buildPhase(state, dep, run, now);
  const exit = readRunFile<ExitStamp>(dir, dep, run, 'exit');
  if (exit) return { status: exit.code === 0 ? 'SUCCESS' : 'CRASHED', since: Date.parse(exit.at) };
  const ready = readRunFile<Stamp>(dir, dep, run, 'ready');
  const healthyAt = ready ? Date.parse(ready.at) + timing(state).successAfterMs : Infinity;
  return now >= healthyAt
    ? { status: 'SUCCESS', since: healthyAt }
    : { status: 'DEPLOYING', since: Date.parse(start.at) };
}

/** Before the app process starts: INITIALIZING, BUILDING, then DEPLOYING (or FAILED for 'fail-build'). */
function buildPhase(state: FakeState, dep: DeploymentState, run: RunState, now: number): Phase {
  const at = Date.parse(run.at);
  const buildMs = run.buildMs ?? timing(state).buildMs;
  if (run.skipBuild) return { status: 'DEPLOYING', since: at };
  const elapsed = now - at;
  if (elapsed < buildMs / 4) return { status: 'INITIALIZING', since: at };
  if (elapsed < buildMs) return { status: 'BUILDING', since: at + buildMs / 4 };
  return { status: dep.app === 'fail-build' ? 'FAILED' : 'DEPLOYING', since: at + buildMs };
}

export function killRun(run: RunState | undefined, signal: NodeJS.Signals = 'SIGTERM'): void {
  if (!run?.pgid) return;
  try {
    process.kill(-run.pgid, signal);
  } catch {
    /* gone */
  }
}

/** Removed deployments whose processes linger (the supervisor may not have got to them yet). */
export function reapRemoved(dir: string, state: FakeState): void {
  const now = Date.now();
  for (const dep of state.deployments) {
    if (deploymentStatus(dir, state, dep, now) !== 'REMOVED') continue;
    for (const run of dep.runs) if (!readRunFile(dir, dep, run, 'exit')) killRun(run);
  }
}

/** Inside deployments only: make <name>.railway.internal reachable by pointing it at the test server. */
function mapPrivateNetwork(state: FakeState, vars: Record<string, string>) {
  const aliases: Record<string, string> = {};
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(vars)) {
    let value = v;
    for (const [host, target] of Object.entries(state.privateNetwork)) {
      const re = new RegExp(`([@/])${host.replace(/[.]/g, '\\.')}(:\\d+)?(?=[/?#]|$)`, 'g');
      value = value.replace(re, (_m, lead: string, port: string | undefined) => {
        aliases[target] = `${host}:${(port ?? ':6379').slice(1)}`;
        return `${lead}${target}`;
      });
    }
    env[k] = value;
  }
  return { env, aliases };
}

/** Starts one run of a deployment under a detached supervisor (its own process group). */
export function startRun(host: Host, state: FakeState, dep: DeploymentState, opts: { skipBuild: boolean }): void {
  const script = supervisorScript(host.root);
  if (!fs.existsSync(script)) throw new Error(`fake railway: ${script} is missing; run \`npm run build\``);
  const t = timing(state);
  const n = dep.runs.length + 1;
  const { env, aliases } = mapPrivateNetwork(state, dep.variables);
  const spec: RunSpec = {
    app: dep.app,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      FAKE_APP_TICK_MS: String(t.appTickMs),
      dramatiq_restart_delay: String(t.workerRestartDelayMs),
      FAKE_RAILWAY_HOST_ALIASES: JSON.stringify(aliases),
      ...env,
    },
    buildMs: t.buildMs,
    successAfterMs: t.successAfterMs,
    skipBuild: opts.skipBuild,
    serviceId: dep.serviceId,
    envId: dep.envId,
    createdAt: dep.createdAt,
  };
  fs.mkdirSync(path.join(host.dir, 'runs'), { recursive: true });
  fs.mkdirSync(path.join(host.dir, 'logs'), { recursive: true });
  fs.writeFileSync(runFile(host.dir, dep, { n }, 'spec'), JSON.stringify(spec));
  const child = spawn(process.execPath, [script, host.dir, dep.id, String(n)], {
    detached: true,
    stdio: 'ignore',
    cwd: host.dir,
  });
  child.unref();
  dep.runs.push({
    n,
    at: new Date().toISOString(),
    skipBuild: opts.skipBuild,
    pgid: child.pid ?? 0,
    buildMs: t.buildMs,
  });
}

function writeBuildLog(dir: string, state: FakeState, dep: DeploymentState, svc: ServiceState): void {
  const timestamp = new Date().toISOString();
  const failed = dep.app === 'fail-build';
  const lines = svc.source?.image
    ? [`Pulling image ${svc.source.image}`]
    : [
        '[Region: us-west2]',
        '=========================',
        'Using Detected Dockerfile',
        '=========================',
        failed
          ? 'ERROR: failed to build: process "/bin/sh -c pip install -r requirements.txt" ' +
            'did not complete successfully: exit code: 1'
          : `Build time: ${(timing(state).buildMs / 1000).toFixed(2)} seconds`,
      ];
  const level = (message: string) => (failed && /ERROR/.test(message) ? 'error' : 'info');
  fs.mkdirSync(path.dirname(buildLogFile(dir, dep.id)), { recursive: true });
  fs.writeFileSync(
    buildLogFile(dir, dep.id),
    lines.map((message) => JSON.stringify({ message, timestamp, level: level(message) })).join('\n') + '\n',
  );
}

/** A new deployment with the service's current (rendered) variables. Call inside mutate(). */
export function createDeployment(
  host: Host,
  state: FakeState,
  svc: ServiceState,
  env: Env,
  reason: DeploymentReason,
): DeploymentState {
  const now = Date.now();
  for (const old of serviceDeployments(state, svc.id, env.id)) {
    const status = deploymentStatus(host.dir, state, old, now);
    if (IN_PROGRESS.has(status) && successAt(host.dir, state, old, now) === undefined) {
      // Railway cancels a rollout that a newer deployment overtakes.
      old.removedAt = new Date(now).toISOString();
      for (const run of old.runs) killRun(run);
    }
  }
  state.seq = (state.seq ?? 0) + 1;
  const dep: DeploymentState = {
    id: crypto.randomUUID(),
    seq: state.seq,
    serviceId: svc.id,
    envId: env.id,
    createdAt: new Date(now).toISOString(),
    app: svc.app,
    image: svc.source?.image ?? null,
    reason,
    variables: deploymentVariables(state, svc, env),
    runs: [],
  };
  state.deployments.push(dep);
  writeBuildLog(host.dir, state, dep, svc);
  startRun(host, state, dep, { skipBuild: false });
  return dep;
}
