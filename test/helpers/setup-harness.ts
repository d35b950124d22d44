// A whole rotation scene for end-to-end tests of the BUILT binary: a real redis-server that wants
// the NEW password, a fake Railway project (Redis service + bot + worker [+ web]) whose services
// still hold a STALE REDIS_URL and run old deployments, and a temp project dir with a .env.
// `run()` drives the binary without a terminal; PTY tests can spawn BIN themselves with `h.env`.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { assertNoSecret, BIN, runCli, secretForms } from './cli.ts';
import {
  type AppRole,
  type Call,
  createFakeRailway,
  type FakeDeploymentInfo,
  type FakeRailway,
  type FakeRailwayOptions,
  type FakeTiming,
} from './fake-railway.ts';
import { startRedis, type RedisHandle } from './redis.ts';

export { BIN };

export const NEW_PASSWORD = 'NewRotatedPw7Kq2Zx9';
export const OLD_PASSWORD = 'OldStalePw3Hd8Lm1';
/** What the services hold before the rotation: the private URL with a password Redis no longer accepts. */
export const staleUrlFor = (oldPassword: string) => `redis://default:${oldPassword}@redis.railway.internal:6379`;

export const DEFAULT_ENV_TEXT = '# app\nBOT_TOKEN=123:abc\nREDIS_URL=redis://localhost:6379\n';

/** Short timings so a full rotation takes a couple of seconds. */
export const FAST_TIMING: Partial<FakeTiming> = {
  buildMs: 100,
  successAfterMs: 200,
  appTickMs: 300,
  workerRestartDelayMs: 500,
};

export interface SetupHarnessOptions {
  /**
   * Services besides Redis, name → app, each with REDIS_URL = the stale URL. Default { bot: 'bot', worker:
   * 'worker' }.
   */
  services?: Record<string, AppRole>;
  /** Add a `web` service running the web app. */
  web?: boolean;
  newPassword?: string;
  oldPassword?: string;
  /** Initial .env content (bytes as given). null = no .env. Default DEFAULT_ENV_TEXT. */
  envText?: string | null;
  /** Initial .env mode. Default 0o644 (setup must tighten it to 0600). */
  envMode?: number;
  timing?: Partial<FakeTiming>;
  /** Deploy every service once before the test (the old deployments). Default true. */
  deployOld?: boolean;
  /** Redis service's Public Networking. Default true. */
  publicAccess?: boolean;
  /** The fake CLI's version; below 5.28.0 there is no `railway api`, so every change is one CLI call. */
  cliVersion?: string;
  /** Extra fake options: shared variables, sealed ones, more environments. */
  fake?: Partial<FakeRailwayOptions>;
}

export interface RunOptions {
  /** Piped to stdin (closed after); stdin is ignored when undefined. */
  input?: string;
  /** Working directory; default the harness project dir. */
  cwd?: string;
  /** Extra environment on top of `h.env` (CI=true, NO_COLOR=1 are already set). */
  env?: Record<string, string>;
  /** Kill the binary after this long. Default 60 s. */
  timeoutMs?: number;
  /** Skip the built-in secret scan of stdout/stderr/argv (only for a test that checks it itself). */
  skipSecretCheck?: boolean;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON when it is exactly one JSON value, else undefined. */
  json?: Record<string, unknown>;
  /** The railway argv recorded during THIS run only (fake.calls() has all of them). */
  calls: Call[];
  fake: FakeRailway;
  cwd: string;
  ms: number;
}

export interface SetupHarness {
  fake: FakeRailway;
  redis: RedisHandle;
  /** Temp project dir (the binary's cwd). */
  cwd: string;
  envPath: string;
  /** The .env bytes written at creation (undefined when there was none). */
  initialEnv: Buffer | undefined;
  newPassword: string;
  oldPassword: string;
  staleUrl: string;
  /** The Redis service's public URL (what --provider railway puts everywhere). */
  publicUrl: string;
  /** Service names in creation order (without Redis). */
  services: string[];
  /** The latest deployment each service ran before the run under test (empty when deployOld was false). */
  oldDeployments: Record<string, FakeDeploymentInfo>;
  /** Count every deployment that exists now as old (after a test deploys something itself before the run). */
  markDeploymentsOld(): void;
  /** Deploy every app service with its variables as they are now, then count those deployments as old. */
  deployAll(): Promise<void>;
  /**
   * A complete environment for the binary: fake railway first on PATH, CI=true, NO_COLOR=1. A PTY test should
   * drop CI.
   */
  env: Record<string, string>;
  /** Every secret of the scene and the forms it could leak in (raw, percent-encoded). */
  secrets: string[];
  run(args: string[], opts?: RunOptions): Promise<RunResult>;
  /** Raw (unrendered) variable as stored by the fake, e.g. `${{Redis.REDIS_URL}}`. */
  rawVariable(service: string, key?: string): string | undefined;
  envBytes(): Buffer | undefined;
  /** Recorded calls that change something on Railway (variable set/delete, redeploy, restart, up). */
  changingCalls(calls?: Call[]): Call[];
  /** Deployments of a service made after the last markDeploymentsOld (or the harness start), newest first. */
  newDeployments(service: string): FakeDeploymentInfo[];
  /** Kill every app, stop redis, remove temp dirs. */
  cleanup(): Promise<void>;
}

export { secretForms };

/** A fresh scene for one test, cleaned up after it; every argv the fake recorded is checked for secrets. */
export async function sceneFor(t: TestContext, opts: SetupHarnessOptions = {}): Promise<SetupHarness> {
  const h = await createSetupHarness(opts);
  t.after(async () => {
    assertNoSecretAnywhere({ stdout: '', stderr: '', calls: h.fake.calls() }, h.secrets);
    await h.cleanup();
  });
  return h;
}

/** The one JSON object a --json run printed, as the report type the test expects. */
export function jsonReport<T>(r: RunResult): T {
  assert.ok(r.json, `stdout is not one JSON object:\n${r.stdout}\nstderr:\n${r.stderr}`);
  return r.json as unknown as T;
}

/** No secret in stdout, stderr, nor any recorded railway argv (the one checker, from helpers/cli.ts). */
export function assertNoSecretAnywhere(r: Pick<RunResult, 'stdout' | 'stderr' | 'calls'>, secrets: string[]): void {
  assertNoSecret(r, ...secrets);
}

const CHANGING = /^(variable (set|delete)|variables|redeploy|restart|up|deploy|api mutation|environment edit)\b/;

export async function createSetupHarness(opts: SetupHarnessOptions = {}): Promise<SetupHarness> {
  const newPassword = opts.newPassword ?? NEW_PASSWORD;
  const oldPassword = opts.oldPassword ?? OLD_PASSWORD;
  const staleUrl = staleUrlFor(oldPassword);
  const redis = await startRedis(['--requirepass', newPassword]);
  const apps: Record<string, AppRole> = {
    ...(opts.services ?? { bot: 'bot', worker: 'worker' }),
    ...(opts.web ? { web: 'web' } : {}),
  };
  let fake: FakeRailway | undefined;
  let cwd: string | undefined;
  try {
    fake = await createFakeRailway({
      redis: { password: newPassword, port: redis.port, publicAccess: opts.publicAccess ?? true },
      services: Object.entries(apps).map(([name, app]) => ({ name, app, variables: { REDIS_URL: staleUrl } })),
      timing: { ...FAST_TIMING, ...opts.timing },
      ...(opts.cliVersion ? { cliVersion: opts.cliVersion } : {}),
      ...opts.fake,
    });
    const oldDeployments: Record<string, FakeDeploymentInfo> = {};
    const oldIds = new Set<string>();
    const markDeploymentsOld = () => {
      for (const d of fake!.deployments().sort((a, b) => a.createdAt.localeCompare(b.createdAt))) {
        oldIds.add(d.id);
        if (d.service in apps) oldDeployments[d.service] = d;
      }
    };
    const deployAll = async () => {
      await Promise.all(Object.keys(apps).map((name) => fake!.deploy(name, { wait: true })));
      markDeploymentsOld();
    };
    if (opts.deployOld ?? true) await deployAll();
    else markDeploymentsOld();
    cwd = mkdtempSync(path.join(tmpdir(), 'setup-e2e-'));
    const envPath = path.join(cwd, '.env');
    const envText = opts.envText === undefined ? DEFAULT_ENV_TEXT : opts.envText;
    if (envText !== null) {
      writeFileSync(envPath, envText);
      chmodSync(envPath, opts.envMode ?? 0o644);
    }
    const env: Record<string, string> = { ...fake.env, CI: 'true', NO_COLOR: '1' };
    const secrets = [newPassword, oldPassword];
    const f = fake;
    const dir = cwd;

    const run = async (args: string[], o: RunOptions = {}): Promise<RunResult> => {
      const before = f.calls().length;
      const r = await runCli(args, {
        cwd: o.cwd ?? dir,
        env: { ...env, ...o.env },
        exactEnv: true,
        timeoutMs: o.timeoutMs ?? 60_000,
        ...(o.input !== undefined ? { input: o.input } : {}),
      });
      let json: Record<string, unknown> | undefined;
      try {
        const parsed: unknown = JSON.parse(r.stdout);
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) json = parsed as Record<string, unknown>;
      } catch {
        /* not JSON */
      }
      const result: RunResult = {
        code: r.code,
        stdout: r.stdout,
        stderr: r.stderr,
        ...(json ? { json } : {}),
        calls: f.calls().slice(before),
        fake: f,
        cwd: o.cwd ?? dir,
        ms: r.ms,
      };
      if (!o.skipSecretCheck) assertNoSecretAnywhere(result, secrets);
      return result;
    };

    const publicUrl = `redis://default:${newPassword}@127.0.0.1:${redis.port}`;
    return {
      fake: f,
      redis,
      cwd: dir,
      envPath,
      initialEnv: envText === null ? undefined : Buffer.from(envText),
      newPassword,
      oldPassword,
      staleUrl,
      publicUrl,
      services: Object.keys(apps),
      oldDeployments,
      markDeploymentsOld,
      deployAll,
      env,
      secrets,
      run,
      rawVariable(service, key = 'REDIS_URL') {
        const s = f.state();
        const svc = s.services.find((x) => x.name === service);
        if (!svc) throw new Error(`no service ${service}`);
        return s.variables[s.environments[0]!.id]?.[svc.id]?.[key];
      },
      envBytes: () => (existsSync(envPath) ? readFileSync(envPath) : undefined),
      changingCalls: (calls = f.calls()) => calls.filter((c) => CHANGING.test(c.argv.join(' '))),
      newDeployments(service) {
        return f
          .deployments(service)
          .filter((d) => !oldIds.has(d.id))
          .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      },
      async cleanup() {
        await f.cleanup();
        await redis.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await fake?.cleanup();
    await redis.stop();
    if (cwd) rmSync(cwd, { recursive: true, force: true });
    throw e;
  }
}
