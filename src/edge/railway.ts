// The `railway` CLI adapter. Every call goes through execa (never a shell), with stdin ignored
// unless it carries a secret, a time bound, and an environment that cannot retarget it by accident.
// Facts behind each choice: ../shared/facts/railway-cli.md.
import { execa, type ResultPromise } from 'execa';
import { CliError, EXIT } from '../errors.js';
import { maskText } from '../core/mask.js';
import { trackGroup, untrackGroup } from './children.js';

export const MIN_VERSION = '4.23.3'; // `redeploy --json` returns the new deployment's ID
export const STDIN_SET_VERSION = '4.24.0'; // `variable set KEY --stdin`; older: `variables --set-from-stdin`
export const RECOMMENDED_VERSION = '4.57.4'; // -e on redeploy

export interface ServiceSummary {
  id: string;
  name: string;
  image: string | null;
  status: string | null;
  latestDeployment: { id: string; status: string; createdAt: string } | null;
}

export interface Deployment { id: string; status: string; createdAt: string }

export interface ProjectInfo {
  projectId: string;
  projectName: string;
  environments: { id: string; name: string }[];
}

export interface RailwayCall { argv: string[]; ms: number; ok: boolean }

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
  project(): Promise<ProjectInfo>;
  services(): Promise<ServiceSummary[]>;
  variables(service: string): Promise<Record<string, string>>;
  setVariable(service: string, key: string, value: string): Promise<void>;
  deleteVariable(service: string, key: string): Promise<void>;
  redeploy(service: string): Promise<string>;
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
  const env: NodeJS.ProcessEnv = { ...parent, RAILWAY_NO_AUTO_UPDATE: '1', DO_NOT_TRACK: '1', RAILWAY_NO_TELEMETRY: '1', NO_COLOR: '1' };
  if (!env.RAILWAY_HTTP_TIMEOUT) env.RAILWAY_HTTP_TIMEOUT = '30';
  // Present when redis-setup itself runs under `railway run`/`railway shell`: they would silently
  // point every call at that one service.
  delete env.RAILWAY_PROJECT_ID;
  delete env.RAILWAY_ENVIRONMENT_ID;
  delete env.RAILWAY_SERVICE_ID;
  return env;
}

/** Turn the CLI's failure text into our typed error with the exact fix. */
export function railwayError(stderr: string, argv: string[], exitCode: number | undefined): CliError {
  const text = stderr.trim().split('\n').filter((l) => !/^\s*$/.test(l)).join('\n');
  const what = `railway ${argv.filter((a) => !a.startsWith('-')).slice(0, 2).join(' ')}`;
  if (/Unauthorized|Invalid RAILWAY_(API_)?TOKEN|Not signed in|no longer valid|login/i.test(text)) {
    const token = /RAILWAY_API_TOKEN/.test(text) ? 'RAILWAY_API_TOKEN' : /RAILWAY_TOKEN/.test(text) ? 'RAILWAY_TOKEN' : undefined;
    return new CliError(`The Railway CLI is not logged in: ${firstLine(text)}`, EXIT.railway,
      token ? `Check that ${token} is a valid token for this project and environment (Project Settings → Tokens).` : 'Run: railway login   (in CI, set RAILWAY_TOKEN to a project token, or RAILWAY_API_TOKEN)', 'railway-auth');
  }
  if (/You do not have access/i.test(text)) {
    return new CliError(`Railway says this login has no access to the project: ${firstLine(text)}`, EXIT.railway, 'Log in with an account that is a member of the project (railway login), or link another project (railway link).', 'railway-auth');
  }
  if (/No linked project|Project not found|Project is deleted/i.test(text)) {
    return new CliError('This folder is not linked to a Railway project.', EXIT.railway, 'Run: railway link   (then run redis-setup again from the same folder)', 'railway-link');
  }
  if (/No environment specified|Environment .* not found/i.test(text)) {
    return new CliError(`Railway environment problem: ${firstLine(text)}`, EXIT.railway, 'Pass --environment NAME (see railway environment list), or run: railway environment', 'railway-environment');
  }
  if (/Service ['"].*['"] not found|service specified doesn't exist/i.test(text)) {
    return new CliError(`Railway: ${firstLine(text)}`, EXIT.railway, 'Check the service name (redis-setup lists them), or pass --services with names from: railway service list', 'railway-service');
  }
  if (/ratelimited/i.test(text)) {
    return new CliError(`Railway rate-limited the CLI: ${firstLine(text)}`, EXIT.railway, 'Wait as long as it says, then run again. The Free plan allows about 100 API requests an hour.', 'railway-ratelimit');
  }
  if (exitCode === 2 || /unrecognized subcommand|unexpected argument|Found argument/i.test(text)) {
    return new CliError(`Your railway CLI does not understand "${what}": it is too old.`, EXIT.railway, `Update it to ${RECOMMENDED_VERSION} or newer: npm i -g @railway/cli (or brew upgrade railway)`, 'railway-version');
  }
  return new CliError(`${what} failed: ${firstLine(text) || `exit code ${exitCode ?? 'unknown'}`}`, EXIT.railway, 'Run the same railway command yourself to see the full error.', 'railway-error');
}

function firstLine(s: string): string {
  return s.split('\n')[0]?.trim() ?? '';
}

export class Railway implements RailwayPort {
  readonly calls: RailwayCall[] = [];
  private readonly env = childEnv();
  private readonly timeoutMs: number;
  private cliVersion = RECOMMENDED_VERSION;

  constructor(private readonly opts: RailwayOptions = {}) {
    this.timeoutMs = opts.timeoutMs ?? 60_000;
  }

  get environment(): string | undefined {
    return this.opts.environment;
  }

  private envArgs(): string[] {
    return this.opts.environment ? ['-e', this.opts.environment] : [];
  }

  private mask(s: string): string {
    return this.opts.secrets ? this.opts.secrets.mask(s) : maskText(s);
  }

  /** One CLI call. `input` is the only way a secret reaches the CLI. */
  async exec(argv: string[], input?: string): Promise<string> {
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
      throw new CliError('The railway CLI is not installed (no `railway` on PATH).', EXIT.railway,
        'Install it: npm i -g @railway/cli   (or: brew install railway), then run: railway login', 'railway-missing');
    }
    if (result.timedOut) {
      throw new CliError(`railway ${argv.slice(0, 2).join(' ')} did not answer within ${Math.round(this.timeoutMs / 1000)} s.`, EXIT.railway,
        'Check your network connection and https://status.railway.com, then run again.', 'railway-timeout');
    }
    if (result.exitCode !== 0) throw railwayError(this.mask(String(result.stderr || result.stdout)), argv, result.exitCode);
    return String(result.stdout);
  }

  private async json<T>(argv: string[]): Promise<T> {
    const out = await this.exec(argv);
    try {
      return JSON.parse(out) as T;
    } catch {
      throw new CliError(`railway ${argv.slice(0, 2).join(' ')} did not print JSON.`, EXIT.railway,
        `Update the railway CLI to ${RECOMMENDED_VERSION} or newer: npm i -g @railway/cli`, 'railway-version');
    }
  }

  async version(): Promise<string> {
    const out = await this.exec(['--version']);
    const m = /(\d+\.\d+\.\d+)/.exec(out);
    if (!m) throw new CliError(`Cannot read the railway CLI version from "${out}".`, EXIT.railway, 'Reinstall it: npm i -g @railway/cli', 'railway-version');
    this.cliVersion = m[1]!;
    return this.cliVersion;
  }

  /** Works with a browser login, RAILWAY_TOKEN and RAILWAY_API_TOKEN alike (whoami does not). */
  async project(): Promise<ProjectInfo> {
    type Status = { id: string; name: string; environments?: { edges?: { node: { id: string; name: string } }[] } };
    const s = await this.json<Status>(['status', '--json', ...this.envArgs()]);
    return {
      projectId: s.id,
      projectName: s.name,
      environments: (s.environments?.edges ?? []).map((e) => ({ id: e.node.id, name: e.node.name })),
    };
  }

  async services(): Promise<ServiceSummary[]> {
    type Raw = { id: string; name: string; source?: { image?: string | null } | null; status?: string | null; latestDeployment?: { id: string; status: string; createdAt: string } | null };
    const list = await this.json<Raw[]>(['service', 'list', '--json', ...this.envArgs()]);
    return list.map((s) => ({
      id: s.id,
      name: s.name,
      image: s.source?.image ?? null,
      status: s.status ?? null,
      latestDeployment: s.latestDeployment ?? null,
    }));
  }

  /** Rendered values (references resolved). They are secrets: never print them. */
  async variables(service: string): Promise<Record<string, string>> {
    return this.json<Record<string, string>>(['variable', 'list', '-s', service, '--json', ...this.envArgs()]);
  }

  /** Store a value without deploying. The value goes through stdin, never argv. */
  async setVariable(service: string, key: string, value: string): Promise<void> {
    if (value === '') throw new CliError(`Refusing to set an empty ${key} on ${service}.`, EXIT.usage, undefined, 'empty-value');
    if (compareVersions(this.cliVersion, STDIN_SET_VERSION) >= 0) {
      await this.exec(['variable', 'set', key, '--stdin', '-s', service, '--skip-deploys', ...this.envArgs()], value);
    } else {
      await this.exec(['variables', '--set-from-stdin', key, '-s', service, '--skip-deploys', ...this.envArgs()], value);
    }
  }

  async deleteVariable(service: string, key: string): Promise<void> {
    await this.exec(['variable', 'delete', key, '-s', service, ...this.envArgs()]);
  }

  /** A new deployment with the current variables (`restart` would keep the old ones). */
  async redeploy(service: string): Promise<string> {
    const supportsEnvFlag = compareVersions(this.cliVersion, RECOMMENDED_VERSION) >= 0;
    const out = await this.json<{ id?: string }>(['redeploy', '-s', service, '-y', '--json', ...(supportsEnvFlag ? this.envArgs() : [])]);
    if (!out.id) throw new CliError(`railway redeploy did not return a deployment ID for ${service}.`, EXIT.railway, `Update the railway CLI to ${RECOMMENDED_VERSION} or newer.`, 'railway-version');
    return out.id;
  }

  async deployments(service: string, limit = 5): Promise<Deployment[]> {
    const list = await this.json<Deployment[]>(['deployment', 'list', '-s', service, '--limit', String(limit), '--json', ...this.envArgs()]);
    return [...list].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
  }

  /** Fetch mode (stdout is a pipe): up to `lines` lines of one deployment, then exit. */
  async logs(service: string, deploymentId: string, opts: { lines?: number; since?: string } = {}): Promise<string> {
    return this.exec(['logs', deploymentId, '-s', service, '--json',
      ...(opts.since ? ['--since', opts.since] : ['--lines', String(opts.lines ?? 500)]), ...this.envArgs()]);
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
  if (platform === 'linux') return { file: 'script', args: ['-qfec', ['railway', ...argv].map(shellQuote).join(' '), '/dev/null'] };
  if (platform === 'darwin' || platform === 'freebsd') return { file: 'script', args: ['-q', '/dev/null', 'railway', ...argv] };
  return undefined;
}

/** Quote for /bin/sh. Only IDs, names and flags pass here: never a secret. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
