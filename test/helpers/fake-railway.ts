// Test helper around the fake `railway` CLI (test/fake-railway, bundled to test/fake-railway/dist by
// `npm run build`): builds its state, puts it first on PATH, and cleans up every deployed app process afterwards.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';
import { deployNow, deploymentInfos, type DeploymentInfo } from '../fake-railway/src/internal.ts';
import { setSealed } from '../fake-railway/src/mutations.ts';
import { callsFile, deployLogFile, graphqlFile, type Host } from '../fake-railway/src/paths.ts';
import { mutate, readState, withDefaults } from '../fake-railway/src/state.ts';
import type {
  AppRole,
  AuthMode,
  Call,
  DeploymentState,
  DeploymentStatus,
  FakeInjection,
  FakeState,
  FakeTiming,
  GraphqlRequestRecord,
  ServiceState,
} from '../fake-railway/src/types.ts';

export type {
  AppRole,
  AuthMode,
  Call,
  DeploymentStatus,
  EnvironmentPatch,
  FakeApiResponse,
  FakeInjection,
  FakeState,
  FakeTiming,
  GraphqlRequestRecord,
} from '../fake-railway/src/types.ts';

const FAKE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fake-railway');
const BUNDLE = path.join(FAKE_DIR, 'dist', 'railway.mjs');

export interface FakeServiceOptions {
  name: string;
  /** Which fake program the deployment runs. Default 'silent'. */
  app?: AppRole;
  /** source.image (e.g. 'redis:8.2.1'); a repo is used when neither is given. */
  image?: string;
  repo?: string;
  /** Raw variables (may hold references like `${{Redis.REDIS_URL}}`), for the first environment. */
  variables?: Record<string, string>;
  /** Keys of `variables` that are sealed (readable only by deployments). */
  sealed?: string[];
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

export interface FakeRailwayOptions {
  projectName?: string;
  workspaceName?: string;
  /** Environment names, default ['production']. The first one is the linked one. */
  environments?: string[];
  services?: FakeServiceOptions[];
  /** Adds a Railway-template Redis service (image redis:8.2.1) pointing at a real test server. */
  redis?: FakeRedisOptions;
  /** Shared variables (raw) of the first environment. */
  sharedVariables?: Record<string, string>;
  /** Version printed by `railway --version`; older versions lose newer commands and flags. Default '5.43.1'. */
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
  /** What the API does with a service NAME as a key of an environment patch. Default 'resolve'. */
  patchServiceNameKeys?: 'resolve' | 'reject';
}

/** A deployment as the tests see it (status computed now). */
export type FakeDeploymentInfo = DeploymentInfo;

export interface LogEntry {
  message: string;
  timestamp: string;
  level?: string;
  [k: string]: unknown;
}

export interface FakeIds {
  projectId: string;
  /** Environment ids by name. */
  environments: Record<string, string>;
  /** Service ids by name. */
  services: Record<string, string>;
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface RunOptions {
  /** Piped to stdin; without it stdin is ignored (/dev/null), as redis-setup spawns the CLI. */
  input?: string;
  /** Added to (and overriding) fake.env, e.g. RAILWAY_TOKEN. */
  env?: Record<string, string>;
  cwd?: string;
  /** Killed after this long. Default 15000. */
  timeoutMs?: number;
}

export interface FakeRailway {
  dir: string;
  /** Folder holding the `railway` executable; put it first on PATH. */
  binDir: string;
  /** A complete environment for child processes: PATH with binDir first, FAKE_RAILWAY_DIR set and the
   *  RAILWAY_* variables of the outer shell removed. Pass it with `extendEnv: false` (execa). */
  env: Record<string, string>;
  calls(): Call[];
  /** GraphQL requests all recorded calls cost against Railway's rate limit (sum of Call.apiRequests). */
  apiRequests(): number;
  /** Requests that reached the fake API through `railway api`, with their variables and answers. */
  graphqlRequests(): GraphqlRequestRecord[];
  state(): FakeState;
  /** Project, environment and service ids (for `railway api` documents). */
  ids(): FakeIds;
  /** Change state.json under the fake's lock. */
  update(fn: (s: FakeState) => void): void;
  /** Store a raw variable without deploying (like `--skip-deploys`). */
  setVariable(service: string, key: string, value: string, environment?: string, opts?: { sealed?: boolean }): void;
  /** Seal an existing variable: readers see null (or nothing, on older CLIs); deployments still get it. */
  sealVariable(service: string, key: string, environment?: string): void;
  /** Store a raw shared variable (environment level) without deploying. */
  setSharedVariable(key: string, value: string, environment?: string, opts?: { sealed?: boolean }): void;
  /** Raw stored values of a service, or (service null) the shared variables. */
  rawVariables(service: string | null, environment?: string): Record<string, string>;
  /** Create a deployment now with the service's current variables; waits for a final status unless wait=false. */
  deploy(
    service: string,
    opts?: { environment?: string; wait?: boolean; timeoutMs?: number },
  ): Promise<FakeDeploymentInfo>;
  deployments(service?: string): FakeDeploymentInfo[];
  deployment(id: string): FakeDeploymentInfo;
  waitForStatus(id: string, statuses: DeploymentStatus[], timeoutMs?: number): Promise<FakeDeploymentInfo>;
  /** Deploy log entries (NDJSON) of a deployment. */
  logs(deploymentId: string): LogEntry[];
  /** Wait until a log line of the deployment contains `text`. */
  waitForLog(deploymentId: string, text: string, timeoutMs?: number): Promise<LogEntry>;
  inject(injection: FakeInjection): void;
  /** The API answers 429 (Retry-After: seconds); each command reports it as the CLI does. */
  rateLimit(seconds: number, opts?: { command?: string; times?: number }): void;
  /** Process groups of app runs that are still alive. */
  liveProcessGroups(): number[];
  /** Run the fake `railway` (execa, no shell, never rejects); cleanup() kills it if it still runs. */
  run(args: string[], opts?: RunOptions): Promise<RunResult>;
  /** Kill every app process group and remove the state folder. */
  cleanup(): Promise<void>;
}

/** True while a process group has a member that is not a zombie (killed apps are reaped late by PID 1 here). */
/** Cleans the fakes up; returns the app process groups that survived it (a test wants none). */
export async function cleanUpFakes(fakes: readonly FakeRailway[]): Promise<number[]> {
  const leaked: number[] = [];
  for (const f of fakes) {
    const pgids = f.state().deployments.flatMap((d) => d.runs.map((r) => r.pgid));
    await f.cleanup();
    leaked.push(...pgids.filter(processGroupAlive));
  }
  return leaked;
}

export function processGroupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return true;
  }
  for (const ent of entries) {
    if (!/^\d+$/.test(ent)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${ent}/stat`, 'utf8');
    } catch {
      continue;
    }
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z') return true;
  }
  return false;
}

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
    vars.REDIS_PUBLIC_URL =
      'redis://default:${{REDIS_PASSWORD}}@${{RAILWAY_TCP_PROXY_DOMAIN}}:${{RAILWAY_TCP_PROXY_PORT}}';
  }
  return vars;
}

function readJsonLines<T>(file: string): T[] {
  let text = '';
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as T);
}

type Env = { id: string; name: string };

interface BuiltServices {
  services: ServiceState[];
  variables: FakeState['variables'];
  sealed: FakeState['sealed'];
  privateNetwork: Record<string, string>;
}

function buildRedisService(r: FakeRedisOptions, environments: Env[], built: BuiltServices): void {
  const id = randomUUID();
  const publicAccess = r.publicAccess ?? true;
  const name = r.name ?? 'Redis';
  built.services.push({
    id,
    name,
    app: 'redis',
    source: { repo: null, image: r.image ?? 'redis:8.2.1' },
    ...(publicAccess ? { tcpProxy: { domain: '127.0.0.1', port: r.port, applicationPort: 6379 } } : {}),
  });
  for (const e of environments) built.variables[e.id]![id] = redisTemplateVariables(r.password, publicAccess);
  built.privateNetwork[`${name.toLowerCase()}.railway.internal`] = `127.0.0.1:${r.port}`;
}

function buildServices(opts: FakeRailwayOptions, environments: Env[]): BuiltServices {
  const firstEnv = environments[0]!;
  const built: BuiltServices = {
    services: [],
    variables: Object.fromEntries(environments.map((e) => [e.id, {}])),
    sealed: {},
    privateNetwork: {},
  };
  if (opts.redis) buildRedisService(opts.redis, environments, built);
  for (const s of opts.services ?? []) {
    const id = randomUUID();
    const source = s.image ? { repo: null, image: s.image } : { repo: s.repo ?? `acme/${s.name}`, image: null };
    built.services.push({ id, name: s.name, app: s.app ?? 'silent', source });
    built.variables[firstEnv.id]![id] = { ...(s.variables ?? {}) };
    if (s.sealed?.length) (built.sealed[firstEnv.id] ??= {})[id] = [...s.sealed].sort();
  }
  return built;
}

function buildLink(
  opts: FakeRailwayOptions,
  projectId: string,
  environments: Env[],
  services: ServiceState[],
): FakeState['linked'] {
  const linkedOpt = opts.linked;
  if (linkedOpt === false) return null;
  const env = linkedOpt?.environment ? environments.find((e) => e.name === linkedOpt.environment) : environments[0];
  if (!env)
    throw new Error(
      `linked.environment ${linkedOpt?.environment} is not one of ${environments.map((e) => e.name).join(', ')}`,
    );
  const svc = linkedOpt?.service ? services.find((s) => s.name === linkedOpt.service) : undefined;
  if (linkedOpt?.service && !svc) throw new Error(`linked.service ${linkedOpt.service} is not a service`);
  return {
    projectId,
    environmentId: env.id,
    serviceId: svc?.id ?? null,
    ...(linkedOpt?.path ? { path: linkedOpt.path } : {}),
  };
}

/** The database has been up for a while: a SUCCESS deployment per environment with no process behind it. */
function longRunningRedis(dir: string, svc: ServiceState, environments: Env[]): DeploymentState[] {
  return environments.map((e) => {
    const id = randomUUID();
    const createdAt = new Date(Date.now() - 3600_000).toISOString();
    fs.writeFileSync(
      deployLogFile(dir, id),
      ['Server initialized', 'Ready to accept connections tcp']
        .map((message) => JSON.stringify({ message, timestamp: createdAt, level: 'info' }))
        .join('\n') + '\n',
    );
    return {
      id,
      seq: 0,
      serviceId: svc.id,
      envId: e.id,
      createdAt,
      app: 'redis',
      image: svc.source?.image ?? null,
      reason: 'deploy',
      variables: {},
      runs: [],
      fixedStatus: 'SUCCESS',
    };
  });
}

function initialState(dir: string, opts: FakeRailwayOptions): FakeState {
  const environments = (opts.environments ?? ['production']).map((name) => ({ id: randomUUID(), name }));
  const firstEnv = environments[0]!;
  const built = buildServices(opts, environments);
  const projectId = randomUUID();
  return {
    cliVersion: opts.cliVersion ?? '5.43.1',
    auth: opts.auth ?? 'login',
    user: opts.user ?? { name: 'Test User', email: 'test@example.com' },
    workspace: { id: randomUUID(), name: opts.workspaceName ?? "Test User's Projects" },
    project: { id: projectId, name: opts.projectName ?? 'telegram-bot', deletedAt: null },
    environments,
    services: built.services,
    variables: built.variables,
    sharedVariables: { [firstEnv.id]: { ...(opts.sharedVariables ?? {}) } },
    sealed: built.sealed,
    deployments: opts.redis ? longRunningRedis(dir, built.services[0]!, environments) : [],
    linked: buildLink(opts, projectId, environments, built.services),
    projectToken: opts.projectToken ?? null,
    projectTokenEnvironmentId: firstEnv.id,
    apiToken: opts.apiToken ?? null,
    apiTokenScope: opts.apiTokenScope ?? 'account',
    inject: [],
    privateNetwork: built.privateNetwork,
    timing: opts.timing ?? {},
    stagedChanges: {},
    patchServiceNameKeys: opts.patchServiceNameKeys ?? 'resolve',
  };
}

function childEnv(dir: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || k.startsWith('RAILWAY_')) continue;
    env[k] = v;
  }
  env.PATH = `${FAKE_DIR}${path.delimiter}${process.env.PATH ?? ''}`;
  env.FAKE_RAILWAY_DIR = dir;
  return env;
}

function findEnv(s: FakeState, environment: string | undefined): Env {
  const env = environment ? s.environments.find((x) => x.name === environment) : s.environments[0];
  if (!env) throw new Error(`unknown environment ${environment ?? ''}`);
  return env;
}

function findSvc(s: FakeState, service: string): ServiceState {
  const svc = s.services.find((x) => x.name === service);
  if (!svc) throw new Error(`unknown service ${service}`);
  return svc;
}

async function pollUntil<T>(check: () => T | undefined, timeoutMs: number, failure: () => string): Promise<T> {
  const started = Date.now();
  for (;;) {
    const hit = check();
    if (hit !== undefined) return hit;
    if (Date.now() - started > timeoutMs) throw new Error(failure());
    await new Promise((r) => setTimeout(r, 50));
  }
}

type VariableMethods = Pick<FakeRailway, 'setVariable' | 'sealVariable' | 'setSharedVariable' | 'rawVariables'>;

function variableMethods(dir: string, update: FakeRailway['update']): VariableMethods {
  return {
    setVariable(service, key, value, environment, opts) {
      update((s) => {
        const svc = findSvc(s, service);
        const e = findEnv(s, environment);
        ((s.variables[e.id] ??= {})[svc.id] ??= {})[key] = value;
        if (opts?.sealed !== undefined) setSealed(s, { envId: e.id, serviceId: svc.id }, key, opts.sealed);
      });
    },
    sealVariable(service, key, environment) {
      update((s) => {
        const svc = findSvc(s, service);
        const e = findEnv(s, environment);
        if (s.variables[e.id]?.[svc.id]?.[key] === undefined)
          throw new Error(`${service} has no variable ${key} to seal`);
        setSealed(s, { envId: e.id, serviceId: svc.id }, key, true);
      });
    },
    setSharedVariable(key, value, environment, opts) {
      update((s) => {
        const e = findEnv(s, environment);
        (s.sharedVariables[e.id] ??= {})[key] = value;
        if (opts?.sealed !== undefined) setSealed(s, { envId: e.id, serviceId: null }, key, opts.sealed);
      });
    },
    rawVariables(service, environment) {
      const s = withDefaults(readState(dir));
      const e = findEnv(s, environment);
      if (service === null) return { ...(s.sharedVariables[e.id] ?? {}) };
      return { ...(s.variables[e.id]?.[findSvc(s, service).id] ?? {}) };
    },
  };
}

type DeploymentMethods = Pick<
  FakeRailway,
  'deploy' | 'deployments' | 'deployment' | 'waitForStatus' | 'logs' | 'waitForLog'
>;

function deploymentMethods(host: Host): DeploymentMethods {
  const deployments = (service?: string) => deploymentInfos(host.dir).filter((d) => !service || d.service === service);
  const deployment = (id: string) => {
    const d = deploymentInfos(host.dir).find((x) => x.id === id);
    if (!d) throw new Error(`no deployment ${id}`);
    return d;
  };
  const waitForStatus = (id: string, statuses: DeploymentStatus[], timeoutMs = 10000) =>
    pollUntil(
      () => {
        const d = deployment(id);
        return statuses.includes(d.status) ? d : undefined;
      },
      timeoutMs,
      () => `deployment ${id} stayed ${deployment(id).status}, wanted ${statuses.join('|')}`,
    );
  const logs = (deploymentId: string): LogEntry[] => {
    let text = '';
    try {
      text = fs.readFileSync(deployLogFile(host.dir, deploymentId), 'utf8');
    } catch {
      return [];
    }
    return text
      .split('\n')
      .filter(Boolean)
      .flatMap((l) => {
        try {
          return [JSON.parse(l) as LogEntry];
        } catch {
          return [];
        }
      });
  };
  return {
    deployments,
    deployment,
    waitForStatus,
    logs,
    async deploy(service, o = {}) {
      const { id } = deployNow(host, service, o.environment);
      if (o.wait === false) return deployment(id);
      return waitForStatus(id, ['SUCCESS', 'CRASHED', 'FAILED'], o.timeoutMs ?? 10000);
    },
    waitForLog: (deploymentId, text, timeoutMs = 10000) =>
      pollUntil(
        () => logs(deploymentId).find((e) => e.message.includes(text)),
        timeoutMs,
        () =>
          `no log line with ${JSON.stringify(text)} in ${deploymentId}:\n${logs(deploymentId)
            .map((e) => e.message)
            .join('\n')}`,
      ),
  };
}

/** CLI runs of one fake, killed on cleanup if a test gave up on them. */
function runner(env: Record<string, string>) {
  const running = new Set<ResultPromise>();
  const run = async (args: string[], o: RunOptions = {}): Promise<RunResult> => {
    const child = execa('railway', args, {
      env: { ...env, ...o.env },
      extendEnv: false,
      reject: false,
      timeout: o.timeoutMs ?? 15000,
      ...(o.cwd ? { cwd: o.cwd } : {}),
      ...(o.input !== undefined ? { input: o.input } : { stdin: 'ignore' as const }),
    });
    running.add(child);
    try {
      const r = await child;
      return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr), timedOut: r.timedOut };
    } finally {
      running.delete(child);
    }
  };
  const killAll = () => {
    for (const child of running) child.kill('SIGKILL');
  };
  return { run, killAll };
}

type ProcessMethods = Pick<FakeRailway, 'run' | 'liveProcessGroups' | 'cleanup'>;

/** CLI runs and deployed apps of one fake, and their cleanup. */
function processMethods(dir: string, env: Record<string, string>): ProcessMethods {
  const cli = runner(env);
  const allPgids = (): number[] => {
    try {
      return readState(dir).deployments.flatMap((d) => d.runs.map((r) => r.pgid));
    } catch {
      return [];
    }
  };
  return {
    run: cli.run,
    liveProcessGroups: () => allPgids().filter(processGroupAlive),
    async cleanup() {
      cli.killAll();
      const pgids = allPgids();
      // Stop new app starts first: supervisors still "building" give up once state.json is gone.
      for (const pgid of pgids) {
        try {
          process.kill(-pgid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
      const started = Date.now();
      while (pgids.some(processGroupAlive) && Date.now() - started < 3000) await new Promise((r) => setTimeout(r, 20));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function ids(state: FakeState): FakeIds {
  return {
    projectId: state.project.id,
    environments: Object.fromEntries(state.environments.map((e) => [e.name, e.id])),
    services: Object.fromEntries(state.services.map((x) => [x.name, x.id])),
  };
}

export async function createFakeRailway(opts: FakeRailwayOptions = {}): Promise<FakeRailway> {
  if (!fs.existsSync(BUNDLE)) {
    throw new Error(`${BUNDLE} is missing: run \`npm run build\` (it bundles the fake railway CLI)`);
  }
  const dir = fs.mkdtempSync(path.join(tmpdir(), 'fake-railway-'));
  fs.mkdirSync(path.join(dir, 'logs'));
  fs.mkdirSync(path.join(dir, 'runs'));
  fs.writeFileSync(path.join(dir, 'state.json'), JSON.stringify(initialState(dir, opts), null, 2));
  const update = (fn: (s: FakeState) => void): void => {
    mutate(dir, (s) => fn(withDefaults(s)));
  };
  const state = () => withDefaults(readState(dir));
  const calls = () => readJsonLines<Call>(callsFile(dir));
  const env = childEnv(dir);
  const fake: FakeRailway = {
    dir,
    binDir: FAKE_DIR,
    env,
    calls,
    state,
    update,
    apiRequests: () => calls().reduce((sum, c) => sum + (c.apiRequests ?? 0), 0),
    graphqlRequests: () => readJsonLines<GraphqlRequestRecord>(graphqlFile(dir)),
    ids: () => ids(state()),
    ...variableMethods(dir, update),
    ...deploymentMethods({ dir, root: FAKE_DIR }),
    ...processMethods(dir, env),
    inject(injection) {
      update((s) => {
        s.inject.push({ ...injection });
      });
    },
    rateLimit(seconds, o = {}) {
      const times = o.times !== undefined ? { times: o.times } : {};
      fake.inject({ command: o.command ?? '*', rateLimitSeconds: seconds, ...times });
    },
  };
  return fake;
}
