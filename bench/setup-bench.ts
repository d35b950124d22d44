// Setup figures: detection lag, parallel wall time (3 services vs 1), CLI calls per rotation.
// Runs the built binary against the fake railway CLI, whose deployments are real programs
// talking to a real redis-server.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createFakeRailway } from '../test/helpers/fake-railway.ts';
import { startRedis } from '../test/helpers/redis.ts';
import { BIN } from '../test/helpers/cli.ts';

const NEW = 'bench-rotated-password-0123456789';
const OLD = 'bench-stale-password-9876543210';
const STALE = `redis://default:${OLD}@redis.railway.internal:6379`;
const ALL = [
  { name: 'bot', app: 'bot' as const, role: 'bot' },
  { name: 'worker', app: 'worker' as const, role: 'worker' },
  { name: 'web', app: 'web' as const, role: 'web' },
];

interface Run { ms: number; lagMs: number[]; calls: number; ok: boolean }

async function rotation(port: number, count: number, mode: 'stream' | 'poll'): Promise<Run> {
  const services = ALL.slice(0, count);
  const fake = await createFakeRailway({
    redis: { password: NEW, port },
    services: services.map((s) => ({ name: s.name, app: s.app, variables: { REDIS_URL: STALE } })),
    timing: { buildMs: 300, successAfterMs: 300, workerRestartDelayMs: 500 },
  });
  try {
    for (const s of services) await fake.deploy(s.name, { wait: true });
    const before = fake.calls().length;
    const cwd = mkdtempSync(path.join(tmpdir(), 'bench-setup-'));
    writeFileSync(path.join(cwd, '.env'), 'REDIS_URL=\n');
    const args = ['setup', '--yes', '--json', '--provider', 'railway', '--settle', '0', '--timeout', '60',
      '--services', services.map((s) => s.name).join(','), '--roles', services.map((s) => `${s.name}=${s.role}`).join(',')];
    const env = { ...fake.env, CI: 'true', ...(mode === 'poll' ? { REDIS_SETUP_LOGS: 'poll' } : {}) };
    const t0 = performance.now();
    const stdout = await new Promise<string>((resolve) => {
      let out = '';
      const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'ignore'] });
      child.stdout.on('data', (d) => { out += d; });
      child.on('close', () => resolve(out));
    });
    const ms = performance.now() - t0;
    const report = JSON.parse(stdout) as { ok: boolean; services: { lagMs?: number }[] };
    return { ms, ok: report.ok, calls: fake.calls().length - before, lagMs: report.services.flatMap((s) => (s.lagMs === undefined ? [] : [s.lagMs])) };
  } finally {
    await fake.cleanup();
  }
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); const m = Math.floor(s.length / 2); return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2; };

export async function setupFigures(report: (figure: string, value: string) => void): Promise<void> {
  const redis = await startRedis(['--requirepass', NEW]);
  const runs = Number(process.env.BENCH_SETUP_RUNS ?? 3);
  try {
    for (const mode of ['stream', 'poll'] as const) {
      const one: Run[] = [];
      const three: Run[] = [];
      for (let i = 0; i < runs; i++) {
        one.push(await rotation(redis.port, 1, mode));
        three.push(await rotation(redis.port, 3, mode));
      }
      if (![...one, ...three].every((r) => r.ok)) report(`setup (${mode})`, 'a rotation was not healthy: figures invalid');
      const lag = median(three.flatMap((r) => r.lagMs));
      report(`setup (${mode}): detection lag, line written → seen`, `${lag.toFixed(0)} ms`);
      report(`setup (${mode}): wall time, 1 service`, `${(median(one.map((r) => r.ms)) / 1000).toFixed(2)} s`);
      report(`setup (${mode}): wall time, 3 services`, `${(median(three.map((r) => r.ms)) / 1000).toFixed(2)} s`);
      report(`setup (${mode}): 3 ÷ 1 services (target ≤ 1.3×)`, `${(median(three.map((r) => r.ms)) / median(one.map((r) => r.ms))).toFixed(2)}×`);
      report(`setup (${mode}): railway CLI calls per rotation, 1 / 3 services`, `${median(one.map((r) => r.calls))} / ${median(three.map((r) => r.calls))}`);
    }
  } finally {
    await redis.stop();
  }
}
