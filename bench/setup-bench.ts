// Setup figures: detection lag, parallel wall time (3 services vs 1), Railway API requests per rotation,
// and how fast Ctrl-C ends a watch. Runs the built binary against the fake railway CLI, whose
// deployments are real programs talking to a real redis-server.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createFakeRailway } from '../test/helpers/fake-railway.ts';
import { startRedis } from '../test/helpers/redis.ts';
import { BIN } from '../test/helpers/cli.ts';
import { KEYS, spawnPty } from '../test/helpers/pty.ts';

const NEW = 'bench-rotated-password-0123456789';
const OLD = 'bench-stale-password-9876543210';
const STALE = `redis://default:${OLD}@redis.railway.internal:6379`;
const ALL = [
  { name: 'bot', app: 'bot' as const, role: 'bot' },
  { name: 'worker', app: 'worker' as const, role: 'worker' },
  { name: 'web', app: 'web' as const, role: 'web' },
];

interface Run {
  ms: number;
  lagMs: number[];
  calls: number;
  apiRequests: number;
  ok: boolean;
}
interface Variant {
  mode: 'stream' | 'poll';
  cliVersion?: string;
  bin?: string;
}

async function scene(port: number, count: number, opts: { cliVersion?: string; silent?: boolean } = {}) {
  const services = ALL.slice(0, count);
  const fake = await createFakeRailway({
    redis: { password: NEW, port },
    ...(opts.cliVersion ? { cliVersion: opts.cliVersion } : {}),
    services: services.map((s) => ({
      name: s.name,
      app: opts.silent ? ('silent' as const) : s.app,
      variables: { REDIS_URL: STALE },
    })),
    timing: { buildMs: 300, successAfterMs: 300, workerRestartDelayMs: 500 },
  });
  for (const s of services) await fake.deploy(s.name, { wait: true });
  const cwd = mkdtempSync(path.join(tmpdir(), 'bench-setup-'));
  writeFileSync(path.join(cwd, '.env'), 'REDIS_URL=\n');
  const args = [
    'setup',
    '--yes',
    '--provider',
    'railway',
    '--services',
    services.map((s) => s.name).join(','),
    '--roles',
    services.map((s) => `${s.name}=${s.role}`).join(','),
  ];
  return { fake, cwd, args };
}

async function rotation(port: number, count: number, v: Variant): Promise<Run> {
  const { fake, cwd, args } = await scene(port, count, v.cliVersion ? { cliVersion: v.cliVersion } : {});
  try {
    const before = fake.calls().length;
    const requestsBefore = fake.apiRequests();
    const env = { ...fake.env, CI: 'true', ...(v.mode === 'poll' ? { REDIS_SETUP_LOGS: 'poll' } : {}) };
    const t0 = performance.now();
    const stdout = await new Promise<string>((resolve) => {
      let out = '';
      // --settle 3 for every run: a worker never settles in less (Dramatiq restarts a consumer after 3 s),
      // so a smaller value would compare 1 bot against 3 services that include a worker.
      const child = spawn(process.execPath, [v.bin ?? BIN, ...args, '--json', '--settle', '3', '--timeout', '60'], {
        cwd,
        env,
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      child.stdout.on('data', (d) => {
        out += d;
      });
      child.on('close', () => resolve(out));
    });
    const ms = performance.now() - t0;
    let report: { ok: boolean; services: { lagMs?: number }[] } = { ok: false, services: [] };
    try {
      report = JSON.parse(stdout);
    } catch {
      // not a report: counted as not healthy
    }
    return {
      ms,
      ok: report.ok,
      calls: fake.calls().length - before,
      apiRequests: fake.apiRequests() - requestsBefore,
      lagMs: report.services.flatMap((s) => (s.lagMs === undefined ? [] : [s.lagMs])),
    };
  } finally {
    await fake.cleanup();
  }
}

/** Ctrl-C while two services are being watched: time from the key to the process's exit. */
async function ctrlC(port: number): Promise<{ ms: number; code: number }> {
  const { fake, cwd, args } = await scene(port, 2, { silent: true });
  const w = spawnPty([...args, '--timeout', '60'], { cwd, env: fake.env as Record<string, string> });
  try {
    await w.waitFor(/worker +waiting for lines/, 30_000);
    const t0 = performance.now();
    w.press(KEYS.CTRL_C);
    const code = await w.exitCode(10_000);
    return { ms: performance.now() - t0, code };
  } finally {
    w.dispose();
    await fake.cleanup();
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function pair(port: number, runs: number, v: Variant) {
  const one: Run[] = [];
  const three: Run[] = [];
  for (let i = 0; i < runs; i++) {
    one.push(await rotation(port, 1, v));
    three.push(await rotation(port, 3, v));
  }
  return { one, three, ok: [...one, ...three].every((r) => r.ok) };
}

type Report = (figure: string, value: string) => void;

function apiFigure(report: Report, label: string, one: Run[], three: Run[]) {
  const a = median(one.map((r) => r.apiRequests));
  const b = median(three.map((r) => r.apiRequests));
  report(`${label}: API requests per rotation, 1 / 3 services`, `${a} / ${b} (${(b / a).toFixed(2)}×, target ≤ 1.5×)`);
}

export async function setupFigures(report: Report): Promise<void> {
  const redis = await startRedis(['--requirepass', NEW]);
  const runs = Number(process.env.BENCH_SETUP_RUNS ?? 3);
  try {
    for (const mode of ['stream', 'poll'] as const) {
      const { one, three, ok } = await pair(redis.port, runs, { mode });
      if (!ok) report(`setup (${mode})`, 'a rotation was not healthy: figures invalid');
      const lag = median(three.flatMap((r) => r.lagMs));
      report(`setup (${mode}): detection lag, line written → seen`, `${lag.toFixed(0)} ms`);
      report(`setup (${mode}): wall time, 1 service`, `${(median(one.map((r) => r.ms)) / 1000).toFixed(2)} s`);
      report(`setup (${mode}): wall time, 3 services`, `${(median(three.map((r) => r.ms)) / 1000).toFixed(2)} s`);
      report(
        `setup (${mode}): 3 ÷ 1 services (target ≤ 1.3×)`,
        `${(median(three.map((r) => r.ms)) / median(one.map((r) => r.ms))).toFixed(2)}×`,
      );
      report(
        `setup (${mode}): railway CLI calls per rotation, 1 / 3 services`,
        `${median(one.map((r) => r.calls))} / ${median(three.map((r) => r.calls))}`,
      );
      if (mode === 'stream') apiFigure(report, 'setup, CLI 5.43.1 (railway api)', one, three);
    }
    // The same rotation on a CLI without `railway api` (before 5.28): one CLI call per variable and redeploy.
    const old = await pair(redis.port, runs, { mode: 'stream', cliVersion: '5.27.0' });
    apiFigure(report, 'setup, CLI 5.27.0 (no railway api)', old.one, old.three);
    // "Today": the tool as it was before, built elsewhere (see README, Benchmarks).
    const baseline = process.env.BENCH_BASELINE_BIN;
    if (baseline) {
      const today = await pair(redis.port, runs, { mode: 'stream', bin: baseline });
      apiFigure(report, 'setup, baseline build (BENCH_BASELINE_BIN)', today.one, today.three);
    }
    const stops = [];
    for (let i = 0; i < runs; i++) stops.push(await ctrlC(redis.port));
    const codes = [...new Set(stops.map((s) => s.code))].join(', ');
    report(
      'Ctrl-C while watching: key → exit (target ≤ 0.5 s)',
      `${median(stops.map((s) => s.ms)).toFixed(0)} ms, exit ${codes}`,
    );
  } finally {
    await redis.stop();
  }
}
