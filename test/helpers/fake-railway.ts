// Test helper around the fake `railway` CLI (test/fake-railway/railway.mjs): builds its state,
// puts it first on PATH, and cleans up every deployed app process afterwards.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const FAKE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fake-railway');
const FAKE_SCRIPT = path.join(FAKE_DIR, 'railway.mjs');

export type AppRole = 'bot' | 'worker' | 'web' | 'redis' | 'crash' | 'silent' | 'fail-build';
export type AuthMode = 'login' | 'none' | 'expired';
export type DeploymentStatus =
  | 'BUILDING' | 'CRASHED' | 'DEPLOYING' | 'FAILED' | 'INITIALIZING' | 'NEEDS_APPROVAL' | 'QUEUED'
  | 'REMOVED' | 'REMOVING' | 'SKIPPED' | 'SLEEPING' | 'SUCCESS' | 'WAITING';

export interface FakeServiceOptions {
  name: string;
  /** Which fake program the deployment runs. Default 'silent'. */
  app?: AppRole;
  /** source.image (e.g. 'redis:8.2.1'); a repo is used when neither is given. */
  image?: string;
  repo?: string;
  /** Raw variables (may hold references like `${{Redis.REDIS_URL}}`), for the first environment. */
  variables?: Record<string, string>;
}

export interface FakeRedisOptions {
  /** Service name, default 'Redis' (so references read `${{Redis.REDIS_URL}}`). */
  name?: string;
  password: string;
  /** Port of the real local test redis-server. It backs both the TCP proxy and the private host. */
  port: number;
  /** Add REDIS_PUBLIC_URL + RAILWAY_TCP_PROXY_* (Public Access enabled). Default true. */
  publicAccess?: boolean;
  image?: string;
}

export interface FakeTiming {
  /** INITIALIZING/BUILDING phase before the app starts. Default 200. */
  buildMs: number;
  /** How long the app must stay up for SUCCESS. Default 300. */
  successAfterMs: number;
  /** Bot/worker Redis poll interval. Default 1000. */
  appTickMs: number;
  /** Dramatiq `dramatiq_restart_delay` for the worker. Default 3000. */
  workerRestartDelayMs: number;
}

export interface FakeInjection {
  /** 'variable set' | 'variable list' | 'variable delete' | 'redeploy' | 'restart' | 'logs' | 'deployment list'
   *  | 'service list' | 'service status' | 'service link' | 'status' | 'whoami' | 'link' | '*' */
  command: string;
  /** Only when this service (name, case-insensitive) is the target. */
  service?: string;
  stderr?: string;
  stdout?: string;
  /** Exit code, default 1. */
  exit?: number;
  /** How many times it fires; unlimited when omitted. */
  times?: number;
  /** Sleep before failing (or before carrying on, when no stderr/stdout/exit is given). */
  delayMs?: number;
}

export interface FakeRailwayOptions {
  projectName?: string;
  workspaceName?: string;
  /** Environment names, default ['production']. The first one is the linked one. */
  environments?: string[];
  services?: FakeServiceOptions[];
  /** Adds a Railway-template Redis service (image redis:8.2.1) pointing at a real test server. */
  redis?: FakeRedisOptions;
  /** Version printed by `railway --version`; older versions lose newer flags. Default '5.43.1'. */
  cliVersion?: string;
  /** Stored `railway login` state. Default 'login'. */
  auth?: AuthMode;
  /** The valid RAILWAY_TOKEN (project token, scoped to the first environment). */
  projectToken?: string;
  /** The valid RAILWAY_API_TOKEN; when omitted any value is accepted. */
  apiToken?: string;
  apiTokenScope?: 'account' | 'workspace';
  /** Directory link. Default: project + first environment, no service, for every cwd. false = not linked. */
  linked?: false | { environment?: string; service?: string; path?: string };
  timing?: Partial<FakeTiming>;
  user?: { name: string | null; email: string };
}

export interface Call {
  argv: string[];
  cwd: string;
  stdinIsTTY: boolean;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  hadStdin: boolean;
  env: {
    RAILWAY_TOKEN: boolean;
    RAILWAY_API_TOKEN: boolean;
    RAILWAY_NO_AUTO_UPDATE?: string;
    DO_NOT_TRACK?: string;
    CI?: string;
    NO_COLOR?: string;
    RAILWAY_PROJECT_ID?: string;
    RAILWAY_ENVIRONMENT_ID?: string;
    RAILWAY_SERVICE_ID?: string;
  };
  pid: number;
  time: string;
}

export interface FakeDeploymentInfo {
  id: string;
  service: string;
  environment: string;
  status: DeploymentStatus;
  createdAt: string;
  reason: 'deploy' | 'redeploy' | 'variableChange';
  /** The rendered variable snapshot the deployment runs with. */
  variables: Record<string, string>;
  pgids: number[];
  runs: number;
}

export interface LogEntry { message: string; timestamp: string; level?: string; [k: string]: unknown }

/** The raw state.json (loosely typed: tests mostly read it through the helper methods). */
export interface FakeState {
  cliVersion: string;
  auth: AuthMode;
  project: { id: string; name: string; deletedAt?: string | null };
  workspace: { id: string; name: string };
  environments: { id: string; name: string }[];
  services: { id: string; name: string; app: AppRole; source: { repo: string | null; image: string | null } | null;
    tcpProxy?: { domain: string; port: number; applicationPort?: number } }[];
  variables: Record<string, Record<string, Record<string, string>>>;
  deployments: { id: string; serviceId: string; envId: string; createdAt: string; variables: Record<string, string>;
    runs: { n: number; at: string; skipBuild: boolean; pgid: number }[] }[];
  linked: { projectId: string; environmentId: string; serviceId: string | null; path?: string } | null;
  inject: (FakeInjection & { hits?: number })[];
  privateNetwork: Record<string, string>;
  timing: Partial<FakeTiming>;
  [k: string]: unknown;
}

export interface FakeRailway {
  dir: string;
  /** Folder holding the `railway` executable; put it first on PATH. */
  binDir: string;
  /** A complete environment for child processes: PATH with binDir first, FAKE_RAILWAY_DIR set and the
   *  RAILWAY_* variables of the outer shell removed. Pass it with `extendEnv: false` (execa). */
  env: Record<string, string>;
  calls(): Call[];
  state(): FakeState;
  /** Change state.json under the fake's lock. */
  update(fn: (s: FakeState) => void): void;
  /** Store a raw variable without deploying (like `--skip-deploys`). */
  setVariable(service: string, key: string, value: string, environment?: string): void;
  /** Create a deployment now with the service's current variables; waits for a final status unless wait=false. */
  deploy(service: string, opts?: { environment?: string; wait?: boolean; timeoutMs?: number }): Promise<FakeDeploymentInfo>;
  deployments(service?: string): FakeDeploymentInfo[];
  deployment(id: string): FakeDeploymentInfo;
  waitForStatus(id: string, statuses: DeploymentStatus[], timeoutMs?: number): Promise<FakeDeploymentInfo>;
  /** Deploy log entries (NDJSON) of a deployment. */
  logs(deploymentId: string): LogEntry[];
  /** Wait until a log line of the deployment contains `text`. */
  waitForLog(deploymentId: string, text: string, timeoutMs?: number): Promise<LogEntry>;
  inject(injection: FakeInjection): void;
  rateLimit(seconds: number, opts?: { command?: string; times?: number }): void;
  /** Process groups of app runs that are still alive. */
  liveProcessGroups(): number[];
  /** Kill every app process group and remove the state folder. */
  cleanup(): Promise<void>;
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** True while a process group has a member that is not a zombie (killed apps are reaped late by PID 1 here). */
export function processGroupAlive(pgid: number): boolean {
  try { process.kill(-pgid, 0); } catch (e) { if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false; }
  let entries: string[];
  try { entries = fs.readdirSync('/proc'); } catch { return true; }
  for (const ent of entries) {
    if (!/^\d+$/.test(ent)) continue;
    let stat: string;
    try { stat = fs.readFileSync(`/proc/${ent}/stat`, 'utf8'); } catch { continue; }
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z') return true;
  }
  return false;
}
const groupAlive = processGroupAlive;

export function redisTemplateVariables(password: string, publicAccess: boolean): Record<string, string> {
  const vars: Record<string, string> = {
    REDISHOST: '${{RAILWAY_PRIVATE_DOMAIN}}',
    REDISPORT: '6379',
    REDISUSER: 'default',
    REDIS_PASSWORD: password,
    REDISPASSWORD: '${{REDIS_PASSWORD}}',
    REDIS_URL: 'redis://${{REDISUSER}}:${{REDIS_PASSWORD}}@${{REDISHOST}}:${{REDISPORT}}',
  };
  if (publicAccess) {
    vars.REDIS_PUBLIC_URL = 'redis://default:${{REDIS_PASSWORD}}@${{RAILWAY_TCP_PROXY_DOMAIN}}:${{RAILWAY_TCP_PROXY_PORT}}';
  }
  return vars;
}

export async function createFakeRailway(opts: FakeRailwayOptions = {}): Promise<FakeRailway> {
  const dir = fs.mkdtempSync(path.join(tmpdir(), 'fake-railway-'));
  fs.mkdirSync(path.join(dir, 'logs'));
  fs.mkdirSync(path.join(dir, 'runs'));
  const envNames = opts.environments ?? ['production'];
  const environments = envNames.map((name) => ({ id: randomUUID(), name }));
  const firstEnv = environments[0]!;
  const services: FakeState['services'] = [];
  const variables: FakeState['variables'] = Object.fromEntries(environments.map((e) => [e.id, {}]));
  const privateNetwork: Record<string, string> = {};

  if (opts.redis) {
    const r = opts.redis;
    const id = randomUUID();
    const publicAccess = r.publicAccess ?? true;
    const name = r.name ?? 'Redis';
    services.push({
      id, name, app: 'redis', source: { repo: null, image: r.image ?? 'redis:8.2.1' },
      ...(publicAccess ? { tcpProxy: { domain: '127.0.0.1', port: r.port, applicationPort: 6379 } } : {}),
    });
    for (const e of environments) variables[e.id]![id] = redisTemplateVariables(r.password, publicAccess);
    privateNetwork[`${name.toLowerCase()}.railway.internal`] = `127.0.0.1:${r.port}`;
  }
  for (const s of opts.services ?? []) {
    const id = randomUUID();
    const source = s.image ? { repo: null, image: s.image } : { repo: s.repo ?? `acme/${s.name}`, image: null };
    services.push({ id, name: s.name, app: s.app ?? 'silent', source });
    variables[firstEnv.id]![id] = { ...(s.variables ?? {}) };
  }

  const projectId = randomUUID();
  const linkedOpt = opts.linked;
  let linked: FakeState['linked'] = null;
  if (linkedOpt !== false) {
    const env = linkedOpt?.environment ? environments.find((e) => e.name === linkedOpt.environment) : firstEnv;
    if (!env) throw new Error(`linked.environment ${linkedOpt?.environment} is not one of ${envNames.join(', ')}`);
    const svc = linkedOpt?.service ? services.find((s) => s.name === linkedOpt.service) : undefined;
    if (linkedOpt?.service && !svc) throw new Error(`linked.service ${linkedOpt.service} is not a service`);
    linked = { projectId, environmentId: env.id, serviceId: svc?.id ?? null, ...(linkedOpt?.path ? { path: linkedOpt.path } : {}) };
  }

  const state: FakeState = {
    cliVersion: opts.cliVersion ?? '5.43.1',
    auth: opts.auth ?? 'login',
    user: opts.user ?? { name: 'Test User', email: 'test@example.com' },
    workspace: { id: randomUUID(), name: opts.workspaceName ?? "Test User's Projects" },
    project: { id: projectId, name: opts.projectName ?? 'telegram-bot', deletedAt: null },
    environments,
    services,
    variables,
    sharedVariables: {},
    deployments: [],
    linked,
    projectToken: opts.projectToken ?? null,
    projectTokenEnvironmentId: firstEnv.id,
    apiToken: opts.apiToken ?? null,
    apiTokenScope: opts.apiTokenScope ?? 'account',
    inject: [],
    privateNetwork,
    timing: opts.timing ?? {},
  };
  const redisSvc = opts.redis ? services[0]! : undefined;
  if (redisSvc) {
    // The database has been up for a while: a SUCCESS deployment with no process behind it.
    for (const e of environments) {
      const id = randomUUID();
      const createdAt = new Date(Date.now() - 3600_000).toISOString();
      state.deployments.push({ id, serviceId: redisSvc.id, envId: e.id, createdAt, variables: {}, runs: [],
        fixedStatus: 'SUCCESS', app: 'redis', image: redisSvc.source?.image ?? null, reason: 'deploy', seq: 0 } as FakeState['deployments'][number]);
      fs.writeFileSync(path.join(dir, 'logs', `${id}.ndjson`), ['Server initialized', 'Ready to accept connections tcp']
        .map((message) => JSON.stringify({ message, timestamp: createdAt, level: 'info' })).join('\n') + '\n');
    }
  }
  const stateFile = path.join(dir, 'state.json');
  fs.writeFileSync(stateFile, JSON.stringify(state, null, 2));

  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || k.startsWith('RAILWAY_')) continue;
    env[k] = v;
  }
  env.PATH = `${FAKE_DIR}${path.delimiter}${process.env.PATH ?? ''}`;
  env.FAKE_RAILWAY_DIR = dir;

  const readState = (): FakeState => JSON.parse(fs.readFileSync(stateFile, 'utf8')) as FakeState;
  const lockFile = path.join(dir, 'state.lock');
  const update = (fn: (s: FakeState) => void): void => {
    const t0 = Date.now();
    for (;;) {
      try { fs.closeSync(fs.openSync(lockFile, 'wx')); break; } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        if (Date.now() - t0 > 15000) throw new Error('fake railway: state lock timeout');
        sleepSync(5);
      }
    }
    try {
      const s = readState();
      fn(s);
      const tmp = `${stateFile}.helper.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(s, null, 2));
      fs.renameSync(tmp, stateFile);
    } finally {
      fs.rmSync(lockFile, { force: true });
    }
  };
  const internal = (args: string[]): string => execFileSync(process.execPath, [FAKE_SCRIPT, ...args], {
    env: { ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
  });
  const deployments = (service?: string): FakeDeploymentInfo[] => {
    const all = JSON.parse(internal(['__status'])) as FakeDeploymentInfo[];
    return service ? all.filter((d) => d.service === service) : all;
  };
  const deployment = (id: string): FakeDeploymentInfo => {
    const d = deployments().find((x) => x.id === id);
    if (!d) throw new Error(`no deployment ${id}`);
    return d;
  };
  const waitForStatus = async (id: string, statuses: DeploymentStatus[], timeoutMs = 10000): Promise<FakeDeploymentInfo> => {
    const t0 = Date.now();
    for (;;) {
      const d = deployment(id);
      if (statuses.includes(d.status)) return d;
      if (Date.now() - t0 > timeoutMs) throw new Error(`deployment ${id} stayed ${d.status}, wanted ${statuses.join('|')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const logs = (deploymentId: string): LogEntry[] => {
    let text = '';
    try { text = fs.readFileSync(path.join(dir, 'logs', `${deploymentId}.ndjson`), 'utf8'); } catch { return []; }
    return text.split('\n').filter(Boolean).flatMap((l) => { try { return [JSON.parse(l) as LogEntry]; } catch { return []; } });
  };
  const allPgids = (): number[] => {
    try { return readState().deployments.flatMap((d) => d.runs.map((r) => r.pgid)); } catch { return []; }
  };

  const fake: FakeRailway = {
    dir,
    binDir: FAKE_DIR,
    env,
    calls: () => {
      let text = '';
      try { text = fs.readFileSync(path.join(dir, 'calls.jsonl'), 'utf8'); } catch { return []; }
      return text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Call);
    },
    state: readState,
    update,
    setVariable(service, key, value, environment) {
      update((s) => {
        const svc = s.services.find((x) => x.name === service);
        const e = environment ? s.environments.find((x) => x.name === environment) : s.environments[0];
        if (!svc || !e) throw new Error(`unknown service/environment ${service}/${environment ?? ''}`);
        s.variables[e.id] ??= {};
        (s.variables[e.id]![svc.id] ??= {})[key] = value;
      });
    },
    async deploy(service, o = {}) {
      const id = internal(['__deploy', service, ...(o.environment ? [o.environment] : [])]).trim();
      if (o.wait === false) return deployment(id);
      return waitForStatus(id, ['SUCCESS', 'CRASHED', 'FAILED'], o.timeoutMs ?? 10000);
    },
    deployments,
    deployment,
    waitForStatus,
    logs,
    async waitForLog(deploymentId, text, timeoutMs = 10000) {
      const t0 = Date.now();
      for (;;) {
        const hit = logs(deploymentId).find((e) => e.message.includes(text));
        if (hit) return hit;
        if (Date.now() - t0 > timeoutMs) {
          throw new Error(`no log line with ${JSON.stringify(text)} in ${deploymentId}:\n${logs(deploymentId).map((e) => e.message).join('\n')}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    inject(injection) {
      update((s) => { s.inject.push({ ...injection }); });
    },
    rateLimit(seconds, o = {}) {
      fake.inject({ command: o.command ?? '*', stderr: `You are being ratelimited. Try again in ${seconds} seconds`, exit: 1,
        ...(o.times !== undefined ? { times: o.times } : {}) });
    },
    liveProcessGroups: () => allPgids().filter(groupAlive),
    async cleanup() {
      const pgids = allPgids();
      // Stop new app starts first: supervisors still "building" give up once state.json is gone.
      for (const pgid of pgids) { try { process.kill(-pgid, 'SIGKILL'); } catch { /* gone */ } }
      const t0 = Date.now();
      while (pgids.some(groupAlive) && Date.now() - t0 < 3000) await new Promise((r) => setTimeout(r, 20));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return fake;
}
