// Runs one deployment run of the fake Railway: waits out the "build", starts the app in this
// process group, timestamps its output into the deployment's NDJSON log, records start/exit,
// and once the app has been up long enough removes (kills) the older deployments of the service.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const [dir, depId, runNo] = process.argv.slice(2);
const runBase = path.join(dir, 'runs', `${depId}.${runNo}`);
const spec = JSON.parse(fs.readFileSync(`${runBase}.spec.json`, 'utf8'));
const appsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'apps');
const logFile = path.join(dir, 'logs', `${depId}.ndjson`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function readState() {
  try { return JSON.parse(fs.readFileSync(path.join(dir, 'state.json'), 'utf8')); } catch { return null; }
}

function superseded() {
  const state = readState();
  if (!state) return true; // the test cleaned up
  const dep = state.deployments.find((d) => d.id === depId);
  if (!dep || dep.removedAt) return true;
  return dep.runs[dep.runs.length - 1]?.n !== Number(runNo);
}

function append(entry) {
  try { fs.appendFileSync(logFile, `${JSON.stringify(entry)}\n`); } catch { /* dir removed */ }
}

function pipeLines(stream, fallbackLevel) {
  readline.createInterface({ input: stream }).on('line', (line) => {
    const timestamp = new Date().toISOString();
    let parsed = null;
    if (line.startsWith('{')) { try { parsed = JSON.parse(line); } catch { parsed = null; } }
    if (parsed && typeof parsed === 'object' && typeof parsed.message === 'string') {
      const { message, ...attrs } = parsed;
      append({ message, timestamp, ...attrs });
    } else {
      append({ message: line, timestamp, level: fallbackLevel });
    }
  });
}

if (!spec.skipBuild) await sleep(spec.buildMs);
if (spec.app === 'fail-build' || superseded()) process.exit(0);

const appFile = path.join(appsDir, `${spec.app}.mjs`);
const child = spawn(process.execPath, [appFile], {
  env: spec.env, cwd: appsDir, stdio: ['ignore', 'pipe', 'pipe'],
});
fs.writeFileSync(`${runBase}.start.json`, JSON.stringify({ appPid: child.pid, at: new Date().toISOString() }));
pipeLines(child.stdout, 'info');
pipeLines(child.stderr, 'error');

const successTimer = setTimeout(() => {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const state = readState();
  if (!state) return;
  const mine = state.deployments.find((d) => d.id === depId);
  for (const dep of state.deployments) {
    if (dep.id === depId || dep.serviceId !== spec.serviceId || dep.envId !== spec.envId) continue;
    if (Date.parse(dep.createdAt) >= Date.parse(mine?.createdAt ?? spec.createdAt)) continue;
    for (const run of dep.runs) {
      try { process.kill(-run.pgid, 'SIGTERM'); } catch { /* already gone */ }
    }
  }
}, spec.successAfterMs);

child.on('exit', (code, signal) => {
  clearTimeout(successTimer);
  try {
    fs.writeFileSync(`${runBase}.exit.json`, JSON.stringify({ code, signal, at: new Date().toISOString() }));
  } catch { /* dir removed */ }
  // Let the line readers drain before leaving.
  setTimeout(() => process.exit(0), 50);
});
