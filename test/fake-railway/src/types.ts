// State of the fake Railway (state.json in $FAKE_RAILWAY_DIR) and the records the fake writes.
// Shared by the fake CLI and the test helper (test/helpers/fake-railway.ts).

export type AppRole = 'bot' | 'worker' | 'web' | 'redis' | 'crash' | 'silent' | 'fail-build';
export type AuthMode = 'login' | 'none' | 'expired';
export type DeploymentStatus =
  | 'BUILDING'
  | 'CRASHED'
  | 'DEPLOYING'
  | 'FAILED'
  | 'INITIALIZING'
  | 'NEEDS_APPROVAL'
  | 'QUEUED'
  | 'REMOVED'
  | 'REMOVING'
  | 'SKIPPED'
  | 'SLEEPING'
  | 'SUCCESS'
  | 'WAITING';
export type DeploymentReason = 'deploy' | 'redeploy' | 'variableChange';

export interface FakeTiming {
  /** INITIALIZING/BUILDING phase before the app starts. Default 200. */
  buildMs: number;
  /** How long the app must stay up after it reported ready for SUCCESS. Default 300. */
  successAfterMs: number;
  /** Bot/worker Redis poll interval. Default 1000. */
  appTickMs: number;
  /** Dramatiq `dramatiq_restart_delay` for the worker. Default 3000. */
  workerRestartDelayMs: number;
}

/** The HTTP answer the fake Railway API gives to one `railway api` request. */
export interface FakeApiResponse {
  /** HTTP status, default 200. */
  status?: number;
  /** JSON body (serialised by the fake) or a raw text body. */
  body: unknown;
}

export interface FakeInjection {
  /** 'variable set' | 'variable list' | 'variable delete' | 'redeploy' | 'restart' | 'logs' | 'deployment list'
   *  | 'service list' | 'service status' | 'service link' | 'status' | 'whoami' | 'link' | 'api'
   *  | 'environment config' | 'environment edit' | 'environment link' | '*' */
  command: string;
  /** Only when this service (name, case-insensitive) is the target. */
  service?: string;
  /** `api` only: only when the document selects this root field (e.g. 'variableCollectionUpsert'). */
  operation?: string;
  stderr?: string;
  stdout?: string;
  /** Exit code, default 1. */
  exit?: number;
  /** `api` only: the API answers with this instead of executing the document; the CLI then prints and
   *  exits the way it does for any response (body on stdout, HTTP/GraphQL error line on stderr). */
  apiResponse?: FakeApiResponse;
  /** The API answers HTTP 429 with this Retry-After; each command reports it the way the CLI does. */
  rateLimitSeconds?: number;
  /** How many times it fires; unlimited when omitted. */
  times?: number;
  /** Sleep before failing (or before carrying on, when nothing else is given). */
  delayMs?: number;
}

export interface ServiceState {
  id: string;
  name: string;
  app: AppRole;
  source: { repo: string | null; image: string | null } | null;
  tcpProxy?: { domain: string; port: number; applicationPort?: number };
}

export interface RunState {
  n: number;
  at: string;
  skipBuild: boolean;
  /** Process group of the run's supervisor and app. */
  pgid: number;
  /** The build phase this run was started with (timing may change later). */
  buildMs?: number;
}

export interface DeploymentState {
  id: string;
  seq: number;
  serviceId: string;
  envId: string;
  createdAt: string;
  app: AppRole;
  image: string | null;
  reason: DeploymentReason;
  /** The rendered variables the deployment runs with (sealed values included). */
  variables: Record<string, string>;
  runs: RunState[];
  removedAt?: string;
  /** A deployment with no process behind it (the helper's long-running Redis). */
  fixedStatus?: DeploymentStatus;
}

export interface LinkedState {
  projectId: string;
  environmentId: string | null;
  serviceId: string | null;
  path?: string;
}

/** Raw stored values by environment id, then service id (or SHARED_SCOPE), then key. */
export type VariableStore = Record<string, Record<string, Record<string, string>>>;

/** Scope key of shared variables in `sealed`. */
export const SHARED_SCOPE = 'shared';

export interface FakeState {
  cliVersion: string;
  auth: AuthMode;
  user: { name: string | null; email: string };
  workspace: { id: string; name: string };
  project: { id: string; name: string; deletedAt?: string | null };
  environments: { id: string; name: string }[];
  services: ServiceState[];
  /** Service variables: variables[envId][serviceId][KEY] = raw value (references intact). */
  variables: VariableStore;
  /** Shared variables: sharedVariables[envId][KEY] = raw value. */
  sharedVariables: Record<string, Record<string, string>>;
  /** Sealed keys: sealed[envId][serviceId | 'shared'] = [KEY, …]. Values stay readable to deployments only. */
  sealed: Record<string, Record<string, string[]>>;
  deployments: DeploymentState[];
  linked: LinkedState | null;
  projectToken: string | null;
  projectTokenEnvironmentId: string;
  apiToken: string | null;
  apiTokenScope: 'account' | 'workspace';
  inject: (FakeInjection & { hits?: number })[];
  privateNetwork: Record<string, string>;
  timing: Partial<FakeTiming>;
  /** `environment edit --stage` / environmentStageChanges: the staged patch per environment. */
  stagedChanges: Record<string, EnvironmentPatch>;
  /** What the API does with a service NAME used as a key in an environment patch (the CLI passes it on). */
  patchServiceNameKeys: 'resolve' | 'reject';
  seq?: number;
}

/** A variable entry in an environment config or patch (null deletes it in a patch). */
export interface PatchVariable {
  value?: string | null;
  isSealed?: boolean;
  [k: string]: unknown;
}

/** EnvironmentConfig subset the fake understands: variables of services and shared variables. */
export interface EnvironmentPatch {
  services?: Record<string, { variables?: Record<string, PatchVariable | null>; [k: string]: unknown }>;
  sharedVariables?: Record<string, PatchVariable | null>;
  [k: string]: unknown;
}

/** One line of calls.jsonl: a `railway` invocation as the fake saw it. */
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
  /** GraphQL requests the invocation costs against the rate limit (src/cost.ts). */
  apiRequests: number;
  pid: number;
  time: string;
}

/** One line of graphql.jsonl: a request that reached the fake Railway API through `railway api`. */
export interface GraphqlRequestRecord {
  time: string;
  pid: number;
  document: string;
  operationName: string | null;
  operationType: 'query' | 'mutation' | 'subscription' | null;
  /** Root fields the executed operation selects, e.g. ['variableCollectionUpsert']. */
  rootFields: string[];
  variables: Record<string, unknown>;
  status: number;
  errors: string[];
}
