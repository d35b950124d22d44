// Runs one deployment run of the fake Railway (bundled to dist/supervisor.mjs, spawned detached per run):
// waits out the "build", starts the app in this process group, timestamps its output into the
// deployment's NDJSON log, records start/ready/exit, and once the app has been healthy long enough
// removes (kills) the older deployments of the service.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { RunSpec } from './deployments.ts';
import { appsDir, deployLogFile, runFile, stateFile } from './paths.ts';
import type { FakeState } from './types.ts';

/** The app writes a line to this fd once it has started (apps/_lib.mjs ready()). */
const READY_FD = 3;

const [dir = '', depId = '', runNo = '0'] = process.argv.slice(2);
const run = { n: Number(runNo) };
const dep = { id: depId };
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const spec = JSON.parse(fs.readFileSync(runFile(dir, dep, run, 'spec'), 'utf8')) as RunSpec;
const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms);
  });

function readState(): FakeState | null {
  try {
    return JSON.parse(fs.readFileSync(stateFile(dir), 'utf8')) as FakeState;
  } catch {
    return null;
  }
}

/** True when the test cleaned up, or a newer run/deployment took over while we were "building". */
function superseded(): boolean {
  const state = readState();
  if (!state) return true;
  const mine = state.deployments.find((d) => d.id === depId);
  if (!mine || mine.removedAt) return true;
  return mine.runs[mine.runs.length - 1]?.n !== run.n;
}

function stamp(kind: 'start' | 'ready' | 'exit', extra: object = {}): void {
  try {
    fs.writeFileSync(runFile(dir, dep, run, kind), JSON.stringify({ ...extra, at: new Date().toISOString() }));
  } catch {
    /* the test removed the folder */
  }
}

function append(entry: object): void {
  try {
    fs.appendFileSync(deployLogFile(dir, depId), `${JSON.stringify(entry)}\n`);
  } catch {
    /* folder removed */
  }
}

/** JSON lines keep their attributes; other lines get the stream's level. */
function pipeLines(stream: Readable, fallbackLevel: string): void {
  readline.createInterface({ input: stream }).on('line', (line) => {
    const timestamp = new Date().toISOString();
    let parsed: unknown = null;
    if (line.startsWith('{')) {
      try {
        parsed = JSON.parse(line);
      } catch {
        parsed = null;
      }
    }
    if (parsed && typeof parsed === 'object' && typeof (parsed as { message?: unknown }).message === 'string') {
      const { message, ...attrs } = parsed as { message: string };
      append({ message, timestamp, ...attrs });
    } else {
      append({ message: line, timestamp, level: fallbackLevel });
    }
  });
}

/** Railway removes the older deployments once this one is healthy. */
function removeOlderDeployments(): void {
  const state = readState();
  if (!state) return;
  const mine = state.deployments.find((d) => d.id === depId);
  for (const other of state.deployments) {
    if (other.id === depId || other.serviceId !== spec.serviceId || other.envId !== spec.envId) continue;
    if (Date.parse(other.createdAt) >= Date.parse(mine?.createdAt ?? spec.createdAt)) continue;
    for (const r of other.runs) {
      try {
        process.kill(-r.pgid, 'SIGTERM');
      } catch {
        /* already gone */
      }
    }
  }
}

function watchReady(child: ChildProcess): void {
  const channel = child.stdio[READY_FD] as Readable | null | undefined;
  let timer: NodeJS.Timeout | undefined;
  channel?.once('data', () => {
    stamp('ready');
    timer = setTimeout(() => {
      if (child.exitCode === null && child.signalCode === null) removeOlderDeployments();
    }, spec.successAfterMs);
  });
  child.on('exit', () => clearTimeout(timer));
}

async function main(): Promise<void> {
  if (!spec.skipBuild) await sleep(spec.buildMs);
  if (spec.app === 'fail-build' || superseded()) process.exit(0);
  const apps = appsDir(root);
  const child = spawn(process.execPath, [path.join(apps, `${spec.app}.mjs`)], {
    env: { ...spec.env, FAKE_READY_FD: String(READY_FD) },
    cwd: apps,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  });
  stamp('start', { appPid: child.pid });
  pipeLines(child.stdout!, 'info');
  pipeLines(child.stderr!, 'error');
  watchReady(child);
  child.on('exit', (code, signal) => {
    stamp('exit', { code, signal });
    // Let the line readers drain before leaving.
    setTimeout(() => process.exit(0), 50);
  });
}

void main();
