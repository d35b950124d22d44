// Follow one deployment's logs. `railway logs` streams only when its stdout is a terminal, so we
// stream under a pseudo-terminal (one CLI call per service) and fall back to polling (the last 500
// lines, seen ones skipped) with backoff where no pty helper exists. Lines reach `onLine` with the moment we saw them.
import { parseLogLine, type LogLine } from '../core/health.js';
import { trackGroup, untrackGroup } from './children.js';
import type { RailwayPort } from './railway.js';

export interface SeenLine extends LogLine {
  seenAtMs: number;
}

export interface WatchOptions {
  railway: RailwayPort;
  service: string;
  deploymentId: string;
  onLine: (line: SeenLine) => void;
  signal: AbortSignal;
  /** Force polling (also REDIS_SETUP_LOGS=poll). */
  poll?: boolean;
  /** A poll failed (rate limit, network): the watch goes on, but the caller may want to say why. */
  onError?: (error: unknown) => void;
  pollMinMs?: number;
  pollMaxMs?: number;
}

export type WatchMode = 'stream' | 'poll';

/** A streamed log line (one JSON object) longer than this is never a line we need. */
const MAX_PENDING_LINE = 1024 * 1024;

/** Runs until `signal` aborts. Returns how it watched. */
export async function watchDeploymentLogs(opts: WatchOptions): Promise<WatchMode> {
  if (!opts.poll) {
    const streamed = await stream(opts);
    if (streamed === 'aborted') return 'stream';
    // The stream ended early (CLI exited, network drop): keep watching by polling.
  }
  await poll(opts);
  return 'poll';
}

async function stream(opts: WatchOptions): Promise<'aborted' | 'ended' | 'unavailable'> {
  const child = opts.railway.streamLogs(opts.service, opts.deploymentId);
  if (!child) return 'unavailable';
  const kill = () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGTERM'); // the whole group: script and the CLI under it
    } catch {
      child.kill('SIGTERM');
    }
  };
  trackGroup(child.pid);
  opts.signal.addEventListener('abort', kill, { once: true });
  let pending = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const parts = pending.split('\n');
    pending = parts.pop() ?? '';
    // A line that never ends must not grow without bound: past the cap, it is dropped whole.
    if (pending.length > MAX_PENDING_LINE) pending = '';
    const now = Date.now();
    for (const raw of parts) {
      const line = parseLogLine(raw);
      if (line) opts.onLine({ ...line, seenAtMs: now });
    }
  });
  await child;
  untrackGroup(child.pid);
  opts.signal.removeEventListener('abort', kill);
  return opts.signal.aborted ? 'aborted' : 'ended';
}

async function poll(opts: WatchOptions): Promise<void> {
  const seen = new Set<string>();
  const min = opts.pollMinMs ?? 2000;
  const max = opts.pollMaxMs ?? 15_000;
  let delay = min;
  while (!opts.signal.aborted) {
    let fresh = 0;
    try {
      const out = await opts.railway.logs(opts.service, opts.deploymentId, { lines: 500 });
      const now = Date.now();
      for (const raw of out.split('\n')) {
        const line = parseLogLine(raw);
        if (!line) continue;
        const key = `${line.timestamp ?? ''}\u0000${line.message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        fresh++;
        opts.onLine({ ...line, seenAtMs: now });
      }
    } catch (e) {
      // A failed poll (rate limit, network) is retried with a longer pause; the caller's
      // timeout bounds the whole wait, and hears why.
      opts.onError?.(e);
      fresh = 0;
    }
    // New lines: look again soon. Quiet: back off, to spare the Railway API quota.
    delay = fresh > 0 ? min : Math.min(max, Math.round(delay * 1.6));
    await sleep(delay, opts.signal);
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
