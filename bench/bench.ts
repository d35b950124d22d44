// `npm run bench`: the figures the issues name, measured in one run on this machine.
// Timings live here, never in tests. Each figure is a median over interleaved runs.
import { spawn, spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { startRedis } from '../test/helpers/redis.ts';
import { startBlackHole } from '../test/helpers/blackhole.ts';
import { BIN } from '../test/helpers/cli.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);

function timeOnce(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { stdio: 'ignore', env });
  const ms = performance.now() - t0;
  if (r.error) throw r.error;
  return ms;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Interleave the commands so machine noise hits them alike. */
function compare(cases: Record<string, [string, string[]]>, runs = RUNS): Record<string, number> {
  const samples: Record<string, number[]> = {};
  for (const name of Object.keys(cases)) {
    samples[name] = [];
    const [cmd, args] = cases[name]!;
    timeOnce(cmd, args); // warm-up (file cache, compile cache)
  }
  for (let i = 0; i < runs; i++) {
    for (const [name, [cmd, args]] of Object.entries(cases)) samples[name]!.push(timeOnce(cmd, args));
  }
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
}

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
const rows: [string, string][] = [];
const report = (figure: string, value: string) => {
  rows.push([figure, value]);
  console.log(`${figure.padEnd(58)} ${value}`);
};

async function coldStart() {
  const t = compare({ node: [process.execPath, ['-e', '0']], help: [process.execPath, [BIN, '--help']] });
  report('cold start: node -e 0', fmt(t.node!));
  report('cold start: redis-setup --help', fmt(t.help!));
  report('cold start ratio (target ≤ 1.5×)', `${(t.help! / t.node!).toFixed(2)}×`);
}

async function checkVsRedisCli() {
  const pw = 'bench-password-0123456789';
  const server = await startRedis(['--requirepass', pw]);
  try {
    const url = `redis://default:${pw}@127.0.0.1:${server.port}`;
    const hasCli = spawnSync('redis-cli', ['--version'], { stdio: 'ignore' }).status === 0;
    // The URL is in argv here only because this is a throwaway local server made for the bench.
    const cases: Record<string, [string, string[]]> = {
      node: [process.execPath, ['-e', '0']],
      check: [process.execPath, [BIN, 'check', url, '--json']],
    };
    if (hasCli) cases.cli = ['redis-cli', ['-u', url, '--no-auth-warning', 'ping']];
    const t = compare(cases, RUNS * 2);
    report('redis-setup check (local server)', fmt(t.check!));
    report('check ÷ node -e 0 (target ≤ 2×)', `${(t.check! / t.node!).toFixed(2)}×`);
    if (hasCli) {
      report('redis-cli -u URL ping (same server)', fmt(t.cli!));
      report('check ÷ redis-cli ping', `${(t.check! / t.cli!).toFixed(1)}×`);
    } else {
      report('redis-cli -u URL ping', 'redis-cli not installed');
    }
  } finally {
    await server.stop();
  }
}

async function blackHole() {
  const hole = await startBlackHole();
  try {
    const t0 = performance.now();
    await new Promise<void>((resolve) => {
      spawn(process.execPath, [BIN, 'check', `redis://default:x@127.0.0.1:${hole.port}`], { stdio: 'ignore' }).on(
        'close',
        () => resolve(),
      );
    });
    report('black-holed host: time to verdict (default timeout 5 s)', fmt(performance.now() - t0));
  } finally {
    hole.close();
  }
}

console.log(`redis-setup bench — node ${process.version}, ${RUNS} interleaved runs per figure, medians\n`);
await coldStart();
await checkVsRedisCli();
await blackHole();
const { setupFigures } = await import('./setup-bench.ts').catch(() => ({ setupFigures: undefined }));
if (setupFigures) await setupFigures(report);
