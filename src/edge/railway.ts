// The `railway` CLI adapter. Every call goes through execa (never a shell), with stdin ignored
// unless it carries a secret, a time bound, and an environment that cannot retarget it by accident.
// Where the CLI has `railway api` (5.28+), reads, writes, redeploys and status checks of several
// services go in one request each: the Free plan allows about 100 API requests an hour.
// Facts behind each choice: the railway-cli fact sheets (shared/facts).
import { execa, type ResultPromise } from 'execa';
import { CliError, EXIT } from '../errors.js';
import { maskText, sanitizeForTerminal } from '../core/mask.js';
import { trackGroup, untrackGroup } from './children.js';
import { apiError, railwayError, UPGRADE } from './railway-errors.js';
import {
  ApiBody,
  DeploymentListOutput,
  EnvironmentConfigOutput,
  parseOutput,
  RedeployOutput,
  ServiceListOutput,
  StatusOutput,
  VariablesOutput,
} from './railway-output.js';

export { railwayError };

/** `service list` (every run reads it) exists since 4.41.0. */
export const MIN_VERSION = '4.41.0';
/** What newer CLIs add, and since when (from the CLI's own tags). */
export const FEATURES = {
  /** `redeploy -e`: without it a redeploy goes to the linked environment. */
  redeployEnvironment: '4.57.4',
  /** Raw GraphQL: batched reads and writes, shared variables, one-request status checks. */
  api: '5.28.0',
} as const;
export type Feature = keyof typeof FEATURES;

export interface ServiceSummary {
  id: string;
  name: string;
  image: string | null;
  status: string | null;
  latestDeployment: { id: string; status: string; createdAt: string } | null;
}

export interface Deployment {
  id: string;
  status: string;
  createdAt: string;
}

export interface ProjectInfo {
  projectId: string;
  projectName: string;
  environments: { id: string; name: string }[];
}

export interface RailwayCall {
  argv: string[];
  ms: number;
  ok: boolean;
}

/** A variable's stored value: a reference stays a reference; null = sealed (cannot be read). */
export type RawValue = string | null;
export interface RawVariables {
  /** By service ID. */
  services: Map<string, Record<string, RawValue>>;
  shared: Record<string, RawValue>;
}

/** Where api writes go: IDs, never names. */
export interface Target {
  projectId: string;
  environmentId: string;
}

/** One variable change: on a service (by ID) or, with serviceId null, the environment's shared variable. */
export interface VariableWrite {
  serviceId: string | null;
  name: string;
  value: string | null;
}

export interface RailwayOptions {
  environment?: string;
  cwd?: string;
  /** Per-call bound. The CLI's own HTTP timeout is 90 s; we ask it for less. */
  timeoutMs?: number;
  /** Masks the secrets we know of out of any CLI text we repeat. */
  secrets?: { mask(text: string): string };
}

/** What steps need from Railway; the class below is the real one, tests pass fakes. */
export interface RailwayPort {
  readonly environment: string | undefined;
  readonly calls: readonly RailwayCall[];
  version(): Promise<string>;
  supports(feature: Feature): boolean;
  project(): Promise<ProjectInfo>;
  services(): Promise<ServiceSummary[]>;
  /** Rendered values (references resolved); a sealed one is null. */
  variables(service: string): Promise<Record<string, RawValue>>;
  /** Stored values of the services (by ID) and the shared ones, or undefined on a CLI too old to read them. */
  rawVariables(target: Target | undefined, serviceIds: string[]): Promise<RawVariables>;
  setVariable(service: string, key: string, value: string): Promise<void>;
  deleteVariable(service: string, key: string): Promise<void>;
  /** Several writes in one request (needs `api`); throws when any of them failed. */
  writeVariables(target: Target, writes: VariableWrite[]): Promise<void>;
  /** The environment the folder is linked to (what a command without -e targets), by a service's variables. */
  linkedEnvironmentName(service: string): Promise<string | undefined>;
  redeploy(service: string): Promise<string>;
  /** Several redeploys in one request (needs `api`): service name → new deployment ID. */
  redeployMany(deployments: { service: string; latestDeploymentId: string }[]): Promise<Map<string, string>>;
  /** Status of several deployments in one request (needs `api`). */
  deploymentStatuses(ids: string[]): Promise<Map<string, string>>;
  deployments(service: string, limit?: number): Promise<Deployment[]>;
  logs(service: string, deploymentId: string, opts?: { lines?: number; since?: string }): Promise<string>;
  streamLogs(service: string, deploymentId: string): ResultPromise | undefined;
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((n) => Number.parseInt(n, 10) || 0);
  const pb = b.split('.').map((n) => Number.parseInt(n, 10) || 0);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** The environment of every child: no self-update, no telemetry, no stray targeting from `railway run`. */
export function childEnv(parent: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...parent,
    RAILWAY_NO_AUTO_UPDATE: '1',
    DO_NOT_TRACK: '1',
    RAILWAY_NO_TELEMETRY: '1',
    NO_COLOR: '1',
    // Quiet the Config-as-Code deprecation notice (5.42+) on commands without --json.
    RAILWAY_CAC_DEPRECATION_WARNING: '0',
  };
  if (!env.RAILWAY_HTTP_TIMEOUT) env.RAILWAY_HTTP_TIMEOUT = '30';
  // Present when redis-setup itself runs under `railway run`/`railway shell`: they would silently
  // point every call at that one service.
  delete env.RAILWAY_PROJECT_ID;
  delete env.RAILWAY_ENVIRONMENT_ID;
  delete env.RAILWAY_SERVICE_ID;
  return env;
}

/** GraphQL aliases must be names: a0, a1, … in the order given. */
const alias = (i: number) => `a${i}`;

export class Railway implements RailwayPort {
  readonly calls: RailwayCall[] = [];
  private readonly env = childEnv();
  private readonly timeoutMs: number;
  private cliVersion: string | undefined;

  constructor(private readonly opts: RailwayOptions = {}) {
    this.timeoutMs = opts.timeoutMs ?? 60_000;
  }

  get environment(): string | undefined {
    return this.opts.environment;
  }

  supports(feature: Feature): boolean {
    return this.cliVersion !== undefined && compareVersions(this.cliVersion, FEATURES[feature]) >= 0;
  }

  private envArgs(): string[] {
    return this.opts.environment ? ['-e', this.opts.environment] : [];
  }

  /** CLI text we may repeat: escape sequences out first (one could split a secret and hide it), then masked. */
  private mask(s: string): string {
    const clean = sanitizeForTerminal(s);
    return this.opts.secrets ? this.opts.secrets.mask(clean) : maskText(clean);
  }

  /** One CLI call. `input` is the only way a secret reaches the CLI. */
  async exec(argv: string[], input?: string): Promise<string> {
    const result = await this.run(argv, input);
    if (result.exitCode !== 0) {
      const [stderr, stdout] = [this.mask(String(result.stderr)), this.mask(String(result.stdout))];
      throw argv[0] === 'api'
        ? apiError(stderr, stdout, argv, result.exitCode)
        : railwayError(stderr || stdout, argv, result.exitCode);
    }
    return String(result.stdout);
  }

  private async run(argv: string[], input?: string) {
    const started = Date.now();
    let result: Awaited<ReturnType<typeof execa>> | undefined;
    try {
      const child = execa('railway', argv, {
        cwd: this.opts.cwd,
        env: this.env,
        extendEnv: false,
        ...(input === undefined ? { stdin: 'ignore' as const } : { input }),
        timeout: this.timeoutMs,
        reject: false,
        stripFinalNewline: true,
        // Own process group: a Ctrl-C in the terminal reaches us, not the CLI mid-call, so a
        // variable set is never cut in half; we stop between calls instead.
        detached: true,
      });
      trackGroup(child.pid);
      result = await child;
      untrackGroup(child.pid);
    } finally {
      this.calls.push({ argv, ms: Date.now() - started, ok: result?.exitCode === 0 });
    }
    if ((result as { code?: string }).code === 'ENOENT') {
      throw new CliError(
        'The railway CLI is not installed (no `railway` on PATH).',
        EXIT.railway,
        'Install it: npm i -g @railway/cli   (or: brew install railway), then run: railway login',
        'railway-missing',
      );
    }
    if (result.timedOut) {
      throw new CliError(
        `railway ${argv.slice(0, 2).join(' ')} did not answer within ${Math.round(this.timeoutMs / 1000)} s.`,
        EXIT.railway,
        'Check your network connection and https://status.railway.com, then run again.',
        'railway-timeout',
      );
    }
    return result;
  }

  /** One GraphQL document; its variables (which may hold a secret) go through stdin. */
  private async api<T>(document: string, variables: Record<string, unknown>): Promise<T> {
    this.need('api');
    const out = await this.exec(['api', document, '--variables', '@-', '--compact'], JSON.stringify(variables));
    const body = parseOutput(ApiBody, out, 'railway api') as { data?: T };
    if (!body.data)
      throw new CliError(
        'railway api returned no data.',
        EXIT.railway,
        `Update the railway CLI: ${UPGRADE}`,
        'railway-output',
      );
    return body.data;
  }

  private need(feature: Feature): void {
    if (!this.supports(feature)) {
      throw new CliError(
        `This needs railway ${FEATURES[feature]} or newer (found ${this.cliVersion ?? 'unknown'}).`,
        EXIT.railway,
        `Update it: ${UPGRADE}`,
        'railway-version',
      );
    }
  }

  async version(): Promise<string> {
    const out = await this.exec(['--version']);
    const m = /(\d+\.\d+\.\d+)/.exec(out);
    if (!m)
      throw new CliError(
        `Cannot read the railway CLI version from "${out}".`,
        EXIT.railway,
        `Reinstall it: ${UPGRADE}`,
        'railway-version',
      );
    this.cliVersion = m[1]!;
    return this.cliVersion;
  }

  /** Works with a browser login, RAILWAY_TOKEN and RAILWAY_API_TOKEN alike (whoami does not). */
  async project(): Promise<ProjectInfo> {
    const s = parseOutput(StatusOutput, await this.exec(['status', '--json', ...this.envArgs()]), 'railway status');
    return {
      projectId: s.id,
      projectName: s.name,
      environments: (s.environments?.edges ?? []).map((e) => ({ id: e.node.id, name: e.node.name })),
    };
  }

  async services(): Promise<ServiceSummary[]> {
    const list = parseOutput(
      ServiceListOutput,
      await this.exec(['service', 'list', '--json', ...this.envArgs()]),
      'railway service list',
    );
    return list.map((s) => ({
      id: s.id,
      name: s.name,
      image: s.source?.image ?? null,
      status: s.status ?? null,
      latestDeployment: s.latestDeployment ?? null,
    }));
  }

  async variables(service: string): Promise<Record<string, RawValue>> {
    const out = await this.exec(['variable', 'list', '-s', service, '--json', ...this.envArgs()]);
    return parseOutput(VariablesOutput, out, 'railway variable list');
  }

  /** `environment config` exists since 4.27.0, below MIN_VERSION: every CLI we accept reads stored values. */
  async rawVariables(target: Target | undefined, serviceIds: string[]): Promise<RawVariables> {
    if (this.supports('api') && target) return this.rawVariablesByApi(target, serviceIds);
    const out = await this.exec(['environment', 'config', '--json', ...this.envArgs()]);
    const config = parseOutput(EnvironmentConfigOutput, out, 'railway environment config');
    const values = (vars: Record<string, { value?: string | null; isSealed?: boolean }> | undefined) =>
      Object.fromEntries(Object.entries(vars ?? {}).map(([k, v]) => [k, v.isSealed ? null : (v.value ?? null)]));
    const services = new Map(Object.entries(config.services ?? {}).map(([id, svc]) => [id, values(svc.variables)]));
    return { services, shared: values(config.sharedVariables) };
  }

  /** Every service's stored variables and the shared ones, in one request. */
  private async rawVariablesByApi(target: Target, services: string[]): Promise<RawVariables> {
    const fields = services.map(
      (_, i) => `${alias(i)}: variables(projectId: $p, environmentId: $e, serviceId: $${alias(i)}, unrendered: true)`,
    );
    const params = services.map((_, i) => `$${alias(i)}: String!`).join(', ');
    const document = `query RawVariables($p: String!, $e: String!${params ? `, ${params}` : ''}) {
      shared: variables(projectId: $p, environmentId: $e, unrendered: true) ${fields.join(' ')} }`;
    const vars = Object.fromEntries(services.map((id, i) => [alias(i), id]));
    const data = await this.api<Record<string, Record<string, RawValue>>>(document, {
      p: target.projectId,
      e: target.environmentId,
      ...vars,
    });
    return { services: new Map(services.map((id, i) => [id, data[alias(i)] ?? {}])), shared: data.shared ?? {} };
  }

  /** Store a value without deploying. The value goes through stdin, never argv. */
  async setVariable(service: string, key: string, value: string): Promise<void> {
    if (value === '')
      throw new CliError(`Refusing to set an empty ${key} on ${service}.`, EXIT.usage, undefined, 'empty-value');
    await this.exec(['variable', 'set', key, '--stdin', '-s', service, '--skip-deploys', ...this.envArgs()], value);
  }

  async deleteVariable(service: string, key: string): Promise<void> {
    await this.exec(['variable', 'delete', key, '-s', service, ...this.envArgs()]);
  }

  async writeVariables(target: Target, writes: VariableWrite[]): Promise<void> {
    if (writes.length === 0) return;
    if (writes.some((w) => w.value === ''))
      throw new CliError('Refusing to write an empty value.', EXIT.usage, undefined, 'empty-value');
    // Never `variableCollectionUpsert` with replace: true, which deletes every other variable of its scope.
    const fields = writes.map((w, i) =>
      w.value === null
        ? `${alias(i)}: variableDelete(input: $${alias(i)})`
        : `${alias(i)}: variableUpsert(input: $${alias(i)})`,
    );
    const params = writes.map(
      (w, i) => `$${alias(i)}: ${w.value === null ? 'VariableDeleteInput!' : 'VariableUpsertInput!'}`,
    );
    const inputs = Object.fromEntries(
      writes.map((w, i) => [
        alias(i),
        {
          projectId: target.projectId,
          environmentId: target.environmentId,
          ...(w.serviceId ? { serviceId: w.serviceId } : {}),
          name: w.name,
          ...(w.value === null ? {} : { value: w.value, skipDeploys: true }),
        },
      ]),
    );
    await this.api(`mutation WriteVariables(${params.join(', ')}) { ${fields.join(' ')} }`, inputs);
  }

  async linkedEnvironmentName(service: string): Promise<string | undefined> {
    const out = await this.exec(['variable', 'list', '-s', service, '--json']);
    return parseOutput(VariablesOutput, out, 'railway variable list').RAILWAY_ENVIRONMENT_NAME ?? undefined;
  }

  /** A new deployment with the current variables (`restart` would keep the old ones). */
  async redeploy(service: string): Promise<string> {
    const envArgs = this.supports('redeployEnvironment') ? this.envArgs() : [];
    const out = await this.exec(['redeploy', '-s', service, '-y', '--json', ...envArgs]);
    return parseOutput(RedeployOutput, out, 'railway redeploy').id;
  }

  async redeployMany(deployments: { service: string; latestDeploymentId: string }[]): Promise<Map<string, string>> {
    const fields = deployments.map((_, i) => `${alias(i)}: deploymentRedeploy(id: $${alias(i)}) { id }`);
    const params = deployments.map((_, i) => `$${alias(i)}: String!`).join(', ');
    const vars = Object.fromEntries(deployments.map((d, i) => [alias(i), d.latestDeploymentId]));
    const data = await this.api<Record<string, { id: string }>>(
      `mutation Redeploy(${params}) { ${fields.join(' ')} }`,
      vars,
    );
    return new Map(deployments.map((d, i) => [d.service, data[alias(i)]?.id ?? '']));
  }

  async deploymentStatuses(ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const fields = ids.map((_, i) => `${alias(i)}: deployment(id: $${alias(i)}) { status }`);
    const params = ids.map((_, i) => `$${alias(i)}: String!`).join(', ');
    const vars = Object.fromEntries(ids.map((id, i) => [alias(i), id]));
    const data = await this.api<Record<string, { status: string }>>(
      `query Statuses(${params}) { ${fields.join(' ')} }`,
      vars,
    );
    return new Map(ids.map((id, i) => [id, data[alias(i)]?.status ?? '']));
  }

  async deployments(service: string, limit = 5): Promise<Deployment[]> {
    const argv = ['deployment', 'list', '-s', service, '--limit', String(limit), '--json', ...this.envArgs()];
    const list = parseOutput(DeploymentListOutput, await this.exec(argv), 'railway deployment list');
    return [...list].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
  }

  /** Fetch mode (stdout is a pipe): up to `lines` lines of one deployment, then exit. */
  async logs(service: string, deploymentId: string, opts: { lines?: number; since?: string } = {}): Promise<string> {
    return this.exec([
      'logs',
      deploymentId,
      '-s',
      service,
      '--json',
      ...(opts.since ? ['--since', opts.since] : ['--lines', String(opts.lines ?? 500)]),
      ...this.envArgs(),
    ]);
  }

  /**
   * Stream mode: `railway logs` follows only when stdout is a terminal, so run it under `script`,
   * which gives it a pseudo-terminal. Returns undefined where no `script` is available.
   */
  streamLogs(service: string, deploymentId: string): ResultPromise | undefined {
    const argv = ['logs', deploymentId, '-s', service, '--json', ...this.envArgs()];
    const wrapped = ptyWrapper(argv);
    if (!wrapped) return undefined;
    this.calls.push({ argv, ms: 0, ok: true });
    return execa(wrapped.file, wrapped.args, {
      cwd: this.opts.cwd,
      env: this.env,
      extendEnv: false,
      stdin: 'ignore',
      detached: true, // own process group, so stopping it also stops the CLI under the pty
      reject: false,
      buffer: false,
    });
  }
}

/** `script` gives a child a pty: util-linux takes a shell command, BSD/macOS takes argv. */
export function ptyWrapper(argv: string[], platform = process.platform): { file: string; args: string[] } | undefined {
  if (process.env.REDIS_SETUP_LOGS === 'poll') return undefined;
  if (platform === 'linux')
    return { file: 'script', args: ['-qfec', ['railway', ...argv].map(shellQuote).join(' '), '/dev/null'] };
  if (platform === 'darwin' || platform === 'freebsd')
    return { file: 'script', args: ['-q', '/dev/null', 'railway', ...argv] };
  return undefined;
}

/** Quote for /bin/sh. Only IDs, names and flags pass here: never a secret. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
