// A faithful fake of the `railway` CLI (railwayapp/cli v5.43.1 behaviour, see
// /work/shared/facts/railway-cli.md) for the redis-setup tests. State lives in $FAKE_RAILWAY_DIR.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const DIR = process.env.FAKE_RAILWAY_DIR;
const STATE_FILE = DIR && path.join(DIR, 'state.json');
const LOCK_FILE = DIR && path.join(DIR, 'state.lock');
const argv = process.argv.slice(2);

const stdinIsTTY = Boolean(process.stdin.isTTY);
const stdoutIsTTY = Boolean(process.stdout.isTTY);
const stderrIsTTY = Boolean(process.stderr.isTTY);

// ---------------------------------------------------------------- errors and output

class RwError extends Error {
  constructor(message, { hint, exit = 1 } = {}) { super(message); this.hint = hint; this.exit = exit; }
}
class Exit extends Error { constructor(code) { super(`exit ${code}`); this.code = code; } }

const out = (s) => process.stdout.write(`${s}\n`);
const err = (s) => process.stderr.write(`${s}\n`);
/** indicatif spinners draw on stderr only when it is a terminal. */
const spinnerDone = (msg) => { if (stderrIsTTY) err(msg); };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- state with a lock

function readState() {
  for (let i = 0; ; i++) {
    try { return JSON.parse(fs.readFileSync(STATE_FILE, 'utf8')); } catch (e) {
      if (i > 50) throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  }
}

function writeState(state) {
  const tmp = `${STATE_FILE}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(state, null, 2));
  fs.renameSync(tmp, STATE_FILE);
}

function lock() {
  const t0 = Date.now();
  for (;;) {
    try { const fd = fs.openSync(LOCK_FILE, 'wx'); fs.writeSync(fd, String(process.pid)); fs.closeSync(fd); return; } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      try { if (Date.now() - fs.statSync(LOCK_FILE).mtimeMs > 5000) fs.rmSync(LOCK_FILE, { force: true }); } catch { /* gone */ }
      if (Date.now() - t0 > 15000) throw new Error('fake railway: state lock timeout');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5 + Math.floor(Math.random() * 10));
    }
  }
}
const unlock = () => fs.rmSync(LOCK_FILE, { force: true });

/** Read-modify-write under the lock. fn gets the fresh state and may mutate it. */
function mutate(fn) {
  lock();
  try { const state = readState(); const result = fn(state); writeState(state); return result; } finally { unlock(); }
}

// ---------------------------------------------------------------- versions

const vparse = (v) => String(v).replace(/^v/, '').split('.').map((x) => parseInt(x, 10) || 0);
function vgte(a, b) {
  const x = vparse(a); const y = vparse(b);
  for (let i = 0; i < 3; i++) { if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) > (y[i] ?? 0); }
  return true;
}

// ---------------------------------------------------------------- clap-like parsing

const f = {
  service: { long: 'service', short: 's', value: 'SERVICE' },
  environment: { long: 'environment', short: 'e', value: 'ENVIRONMENT' },
  project: { long: 'project', short: 'p', value: 'PROJECT_ID', since: '4.57.4' },
  json: { long: 'json' },
  yes: { long: 'yes', short: 'y' },
};
const withSince = (flag, since) => ({ ...flag, since });

const redeploySpec = {
  flags: [f.service, withSince(f.environment, '4.57.4'), f.project, f.yes, withSince(f.json, '4.23.3'),
    { long: 'from-source', since: '4.44.0' }],
};
const restartSpec = { ...redeploySpec, flags: redeploySpec.flags.filter((x) => x.long !== 'from-source') };
const logsSpec = {
  flags: [f.service, f.environment, f.project,
    { long: 'deployment', short: 'd', group: 'log_type' }, { long: 'build', short: 'b', group: 'log_type' },
    { long: 'http', group: 'log_type' }, { long: 'network', group: 'log_type' }, { long: 'dns', group: 'log_type' },
    f.json,
    { long: 'lines', short: 'n', aliases: ['tail'], value: 'LINES', number: true, since: '4.9.0' },
    { long: 'filter', short: 'f', value: 'FILTER', since: '4.9.0' },
    { long: 'latest', since: '4.17.0' },
    { long: 'since', short: 'S', value: 'TIME', since: '4.18.0' },
    { long: 'until', short: 'U', value: 'TIME', since: '4.18.0' }],
  positionals: [{ name: 'DEPLOYMENT_ID' }],
};
const varCommon = [f.service, f.environment, f.project];
const SPEC = {
  subcommands: {
    whoami: { flags: [f.json] },
    status: { flags: [{ ...f.project, since: undefined }, f.environment, f.json] },
    link: { flags: [{ ...f.project, since: undefined }, f.environment, f.service,
      { long: 'workspace', short: 'w', value: 'WORKSPACE' }, { long: 'team', short: 't', value: 'TEAM' }, f.json] },
    service: {
      positionals: [{ name: 'SERVICE' }],
      subcommands: {
        link: { positionals: [{ name: 'SERVICE' }] },
        list: { flags: [f.environment, f.project, f.json], since: '4.41.0' },
        status: { flags: [f.service, f.environment, f.project, f.json, { long: 'all', short: 'a' }] },
        logs: logsSpec, redeploy: redeploySpec, restart: { ...restartSpec, since: '4.22.0' },
      },
    },
    variable: {
      aliases: ['variables', 'vars', 'var'],
      flags: [...varCommon, { long: 'kv', short: 'k' }, { long: 'set', value: 'SET', multiple: true },
        { long: 'set-from-stdin', value: 'KEY', since: '4.19.0' }, f.json, { long: 'skip-deploys', since: '4.5.6' }],
      subcommands: {
        list: { aliases: ['ls'], since: '4.24.0', flags: [...varCommon, { long: 'kv', short: 'k' }, f.json] },
        set: { since: '4.24.0', flags: [...varCommon, { long: 'stdin' }, { long: 'skip-deploys' }, f.json],
          positionals: [{ name: 'VARIABLES', multiple: true, required: true }] },
        delete: { aliases: ['rm', 'remove'], since: '4.24.0', flags: [...varCommon, f.json],
          positionals: [{ name: 'KEY', required: true }] },
      },
    },
    redeploy: redeploySpec,
    restart: { ...restartSpec, since: '4.22.0' },
    deployment: {
      since: '4.10.0', required: true,
      subcommands: {
        list: { aliases: ['ls'], flags: [f.service, f.environment, f.project,
          { long: 'limit', value: 'LIMIT', number: true, default: 20 }, f.json] },
        redeploy: redeploySpec,
      },
    },
    logs: logsSpec,
  },
};
const NOT_FAKED = new Set(['login', 'logout', 'init', 'up', 'run', 'shell', 'add', 'connect', 'domain', 'environment',
  'volume', 'open', 'docs', 'ssh', 'scale', 'delete', 'down', 'list', 'api', 'unlink', 'bucket', 'dev', 'functions', 'metrics']);

class ClapError extends Error {}

function usageLine(pathParts, spec, version) {
  const subs = Object.entries(spec.subcommands ?? {}).filter(([, s]) => !s.since || vgte(version, s.since));
  const pos = (spec.positionals ?? []).map((p) => (p.required ? `<${p.name}>` : `[${p.name}]`) + (p.multiple ? '...' : ''));
  const parts = ['railway', ...pathParts];
  if ((spec.flags ?? []).length) parts.push('[OPTIONS]');
  if (subs.length && spec.required) parts.push('<COMMAND>');
  else if (subs.length && !pos.length) parts.push('[COMMAND]');
  parts.push(...pos);
  return `Usage: ${parts.join(' ')}`;
}

const flagDisplay = (fl) => (fl.value ? `--${fl.long} <${fl.value}>` : `--${fl.long}`);

/** Parse argv like clap would for this CLI version. Returns { path: [...], opts, pos, help }. */
function parseArgs(args, version) {
  const clap = (msg, pathParts, spec, withUsage = true) => {
    const usage = withUsage ? `\n\n${usageLine(pathParts, spec, version)}` : '';
    return new ClapError(`error: ${msg}${usage}\n\nFor more information, try '--help'.`);
  };
  const pathParts = [];
  let spec = SPEC;
  let i = 0;
  // top level: only --help/--version and a subcommand
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === '--version' || a === '-V') return { version: true };
    if (a === '--help' || a === '-h') return { help: true, path: [], spec };
    if (a.startsWith('-')) throw clap(`unexpected argument '${a}' found\n\n  tip: to pass '${a}' as a value, use '-- ${a}'`, [], { ...SPEC, required: true });
    break;
  }
  if (i >= args.length) return { help: true, path: [], spec, bare: true };

  const opts = {};
  const pos = [];
  const seen = new Set();
  for (;;) {
    // args[i] is a subcommand name
    const name = args[i];
    const subs = spec.subcommands ?? {};
    const entry = Object.entries(subs).find(([k, s]) => (k === name || (s.aliases ?? []).includes(name)) && (!s.since || vgte(version, s.since)));
    if (!entry) {
      if (pathParts.length === 0 && NOT_FAKED.has(name)) return { notFaked: name };
      const hasPositionals = (spec.positionals ?? []).length > 0;
      const visibleSubs = Object.values(subs).filter((s) => !s.since || vgte(version, s.since));
      if (hasPositionals) { pos.push(name); i++; break; }
      if (visibleSubs.length === 0) throw clap(`unexpected argument '${name}' found`, pathParts, spec);
      throw clap(`unrecognized subcommand '${name}'`, pathParts, { ...spec, required: true });
    }
    pathParts.push(entry[0]);
    spec = entry[1];
    i++;
    // parse this level's flags until the next subcommand
    for (const k of Object.keys(opts)) delete opts[k];
    seen.clear();
    let nextSub = false;
    for (; i < args.length; i++) {
      const a = args[i];
      if (a === '--') { pos.push(...args.slice(i + 1)); i = args.length; break; }
      const flags = (spec.flags ?? []).filter((fl) => !fl.since || vgte(version, fl.since));
      if (a === '--help' || a === '-h') return { help: true, path: pathParts, spec };
      if (a.startsWith('--')) {
        const [lname, inline] = a.slice(2).split(/=(.*)/s);
        const fl = flags.find((x) => x.long === lname || (x.aliases ?? []).includes(lname));
        if (!fl) throw clap(`unexpected argument '--${lname}' found\n\n  tip: to pass '--${lname}' as a value, use '-- --${lname}'`, pathParts, spec);
        i = takeFlag(fl, inline, args, i);
        continue;
      }
      if (a.startsWith('-') && a.length > 1 && !/^-\d/.test(a)) {
        // short flags, possibly clustered (-yd) or with an attached value (-sbot, -s=bot)
        for (let j = 1; j < a.length; j++) {
          const ch = a[j];
          const fl = flags.find((x) => x.short === ch);
          if (!fl) throw clap(`unexpected argument '-${ch}' found\n\n  tip: to pass '-${ch}' as a value, use '-- -${ch}'`, pathParts, spec);
          if (fl.value) {
            let rest = a.slice(j + 1);
            if (rest.startsWith('=')) rest = rest.slice(1);
            i = takeFlag(fl, rest === '' ? undefined : rest, args, i);
            break;
          }
          takeFlag(fl, undefined, args, i);
        }
        continue;
      }
      // positional or subcommand
      const subsHere = Object.entries(spec.subcommands ?? {}).filter(([, s]) => !s.since || vgte(version, s.since));
      if (pos.length === 0 && subsHere.some(([k, s]) => k === a || (s.aliases ?? []).includes(a))) { nextSub = true; break; }
      const positionals = spec.positionals ?? [];
      const slot = positionals[Math.min(pos.length, positionals.length - 1)];
      if (!slot || (pos.length >= positionals.length && !slot.multiple)) {
        if (!positionals.length && subsHere.length) throw clap(`unrecognized subcommand '${a}'`, pathParts, { ...spec, required: true });
        throw clap(`unexpected argument '${a}' found`, pathParts, spec);
      }
      pos.push(a);
    }
    if (!nextSub) break;
  }

  function takeFlag(fl, inline, all, idx) {
    const key = fl.long;
    if (seen.has(key) && !fl.multiple) {
      throw clap(`the argument '${flagDisplay(fl)}' cannot be used multiple times`, pathParts, spec);
    }
    const other = fl.group && (spec.flags ?? []).find((x) => x.group === fl.group && x.long !== fl.long && seen.has(x.long));
    if (other) throw clap(`the argument '${flagDisplay(fl)}' cannot be used with '${flagDisplay(other)}'`, pathParts, spec);
    seen.add(key);
    if (!fl.value) {
      if (inline !== undefined) throw clap(`unexpected value '${inline}' for '${flagDisplay(fl)}' found; no more were expected`, pathParts, spec);
      opts[key] = true;
      return idx;
    }
    let value = inline;
    let next = idx;
    if (value === undefined) {
      next = idx + 1;
      value = all[next];
      if (value === undefined || (value.startsWith('-') && value.length > 1 && !/^-\d/.test(value))) {
        throw clap(`a value is required for '${flagDisplay(fl)}' but none was supplied`, pathParts, spec, false);
      }
    }
    if (fl.number) {
      if (!/^-?\d+$/.test(value)) throw clap(`invalid value '${value}' for '${flagDisplay(fl)}': invalid digit found in string`, pathParts, spec, false);
      value = Number(value);
    }
    if (fl.long === 'set') {
      const eq = value.indexOf('=');
      if (eq <= 0) throw clap(`invalid value '${value}' for '${flagDisplay(fl)}': Invalid variable format: ${value}`, pathParts, spec, false);
    }
    if (fl.multiple) (opts[key] ??= []).push(value);
    else opts[key] = value;
    return next;
  }

  const missing = (spec.positionals ?? []).filter((p, idx) => p.required && pos.length <= idx);
  if (missing.length) {
    const names = missing.map((p) => `  <${p.name}>${p.multiple ? '...' : ''}`).join('\n');
    throw clap(`the following required arguments were not provided:\n${names}`, pathParts, spec);
  }
  if (spec.required && pathParts.length && Object.keys(spec.subcommands ?? {}).length) {
    // e.g. `railway deployment` with no subcommand: clap prints help to stderr, exit 2
    throw new ClapError(`${helpText(pathParts, spec, version)}`);
  }
  for (const fl of spec.flags ?? []) if (fl.default !== undefined && opts[fl.long] === undefined) opts[fl.long] = fl.default;
  return { path: pathParts, opts: { ...opts }, pos, spec };
}

function helpText(pathParts, spec, version) {
  const lines = [pathParts.length ? `railway ${pathParts.join(' ')}` : 'Interact with Railway via CLI', '', usageLine(pathParts, spec, version)];
  const subs = Object.entries(spec.subcommands ?? {}).filter(([, s]) => !s.since || vgte(version, s.since));
  if (subs.length) { lines.push('', 'Commands:'); for (const [k] of subs) lines.push(`  ${k}`); }
  const flags = (spec.flags ?? []).filter((fl) => !fl.since || vgte(version, fl.since));
  lines.push('', 'Options:');
  for (const fl of flags) lines.push(`  ${fl.short ? `-${fl.short}, ` : '    '}${flagDisplay(fl)}`);
  lines.push('  -h, --help     Print help');
  if (!pathParts.length) lines.push('  -V, --version  Print version');
  return lines.join('\n');
}

// ---------------------------------------------------------------- model helpers

const uuidFrom = (s) => {
  const h = crypto.createHash('sha1').update(s).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};
const timing = (state) => ({ buildMs: 200, successAfterMs: 300, appTickMs: 1000, workerRestartDelayMs: 3000, ...(state.timing ?? {}) });
const svcDeps = (state, svcId, envId) => state.deployments
  .filter((d) => d.serviceId === svcId && d.envId === envId)
  .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || b.seq - a.seq);

function readJson(file) { try { return JSON.parse(fs.readFileSync(file, 'utf8')); } catch { return null; } }
const runFile = (dep, run, kind) => path.join(DIR, 'runs', `${dep.id}.${run.n}.${kind}.json`);

function runSucceeded(state, dep, run, now) {
  const start = readJson(runFile(dep, run, 'start'));
  if (!start) return false;
  const exit = readJson(runFile(dep, run, 'exit'));
  const upUntil = exit ? Date.parse(exit.at) : now;
  return upUntil - Date.parse(start.at) >= timing(state).successAfterMs;
}
const everSucceeded = (state, dep, now) => dep.fixedStatus === 'SUCCESS' || dep.runs.some((r) => runSucceeded(state, dep, r, now));

function deploymentStatus(state, dep, now = Date.now()) {
  if (dep.removedAt) return 'REMOVED';
  const newer = svcDeps(state, dep.serviceId, dep.envId).filter((d) => d !== dep && d.id !== dep.id
    && (Date.parse(d.createdAt) > Date.parse(dep.createdAt) || (d.createdAt === dep.createdAt && d.seq > dep.seq)));
  if (newer.some((d) => !d.removedAt && everSucceeded(state, d, now))) return 'REMOVED';
  if (dep.fixedStatus) return dep.fixedStatus;
  const run = dep.runs[dep.runs.length - 1];
  if (!run) return 'QUEUED';
  const { buildMs, successAfterMs } = timing(state);
  const start = readJson(runFile(dep, run, 'start'));
  if (!start) {
    const elapsed = now - Date.parse(run.at);
    if (dep.app === 'fail-build' && !run.skipBuild) return elapsed >= buildMs ? 'FAILED' : (elapsed < buildMs / 4 ? 'INITIALIZING' : 'BUILDING');
    if (run.skipBuild) return 'DEPLOYING';
    if (elapsed < buildMs / 4) return 'INITIALIZING';
    return elapsed < buildMs ? 'BUILDING' : 'DEPLOYING';
  }
  const exit = readJson(runFile(dep, run, 'exit'));
  if (exit) return exit.code === 0 ? 'SUCCESS' : 'CRASHED';
  return now - Date.parse(start.at) >= successAfterMs ? 'SUCCESS' : 'DEPLOYING';
}

const IN_PROGRESS = new Set(['BUILDING', 'DEPLOYING', 'INITIALIZING', 'QUEUED', 'WAITING']);
const canRedeploy = (status) => !IN_PROGRESS.has(status) && !['REMOVED', 'REMOVING', 'NEEDS_APPROVAL'].includes(status);

function killRun(run, signal = 'SIGTERM') {
  if (!run?.pgid) return;
  try { process.kill(-run.pgid, signal); } catch { /* gone */ }
}

/** Removed deployments whose processes linger (the supervisor may not have got to them yet). */
function reapRemoved(state) {
  const now = Date.now();
  for (const dep of state.deployments) {
    if (deploymentStatus(state, dep, now) !== 'REMOVED') continue;
    for (const run of dep.runs) if (!readJson(runFile(dep, run, 'exit'))) killRun(run);
  }
}

function providedVars(state, svc, env) {
  const vars = {
    RAILWAY_ENVIRONMENT: env.name, RAILWAY_ENVIRONMENT_ID: env.id, RAILWAY_ENVIRONMENT_NAME: env.name,
    RAILWAY_PRIVATE_DOMAIN: `${svc.name.toLowerCase()}.railway.internal`,
    RAILWAY_PROJECT_ID: state.project.id, RAILWAY_PROJECT_NAME: state.project.name,
    RAILWAY_SERVICE_ID: svc.id, RAILWAY_SERVICE_NAME: svc.name,
  };
  if (svc.tcpProxy) {
    vars.RAILWAY_TCP_PROXY_DOMAIN = svc.tcpProxy.domain;
    vars.RAILWAY_TCP_PROXY_PORT = String(svc.tcpProxy.port);
    vars.RAILWAY_TCP_APPLICATION_PORT = String(svc.tcpProxy.applicationPort ?? 6379);
  }
  return vars;
}

/** Rendered variables of a service: ${{VAR}}, ${{Service.VAR}} and ${{shared.VAR}} resolved. */
function renderVariables(state, svc, env, depth = 0) {
  const raw = state.variables?.[env.id]?.[svc.id] ?? {};
  const provided = providedVars(state, svc, env);
  const result = {};
  const resolving = new Set();
  const resolveOwn = (key, d) => {
    if (key in result) return result[key];
    if (!(key in raw)) return provided[key];
    if (resolving.has(key) || d > 10) return '';
    resolving.add(key);
    const value = substitute(raw[key], d);
    resolving.delete(key);
    result[key] = value;
    return value;
  };
  const substitute = (value, d) => String(value).replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, ref) => {
    const dot = ref.indexOf('.');
    if (dot < 0) return resolveOwn(ref, d + 1) ?? '';
    const ns = ref.slice(0, dot);
    const key = ref.slice(dot + 1);
    if (ns === 'shared') return state.sharedVariables?.[env.id]?.[key] ?? '';
    const other = state.services.find((s) => s.name === ns);
    if (!other || depth > 5) return '';
    return renderVariables(state, other, env, depth + 1)[key] ?? '';
  });
  for (const key of Object.keys(raw)) resolveOwn(key, 0);
  const all = { ...provided, ...result };
  return Object.fromEntries(Object.keys(all).sort().map((k) => [k, all[k]]));
}

/** Inside deployments only: make <name>.railway.internal reachable by pointing it at the test server. */
function mapPrivateNetwork(state, vars) {
  const map = state.privateNetwork ?? {};
  const aliases = {};
  const env = {};
  for (const [k, v] of Object.entries(vars)) {
    let value = v;
    for (const [host, target] of Object.entries(map)) {
      const re = new RegExp(`([@/])${host.replace(/[.]/g, '\\.')}(:\\d+)?(?=[/?#]|$)`, 'g');
      value = value.replace(re, (m, lead, port) => {
        aliases[target] = `${host}:${(port ?? ':6379').slice(1)}`;
        return `${lead}${target}`;
      });
    }
    env[k] = value;
  }
  return { env, aliases };
}

function startRun(state, dep, { skipBuild }) {
  const t = timing(state);
  const n = dep.runs.length + 1;
  const { env, aliases } = mapPrivateNetwork(state, dep.variables);
  const procEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp',
    FAKE_APP_TICK_MS: String(t.appTickMs), dramatiq_restart_delay: String(t.workerRestartDelayMs),
    FAKE_RAILWAY_HOST_ALIASES: JSON.stringify(aliases),
    ...env,
  };
  fs.mkdirSync(path.join(DIR, 'runs'), { recursive: true });
  fs.mkdirSync(path.join(DIR, 'logs'), { recursive: true });
  const spec = { app: dep.app, env: procEnv, buildMs: t.buildMs, successAfterMs: t.successAfterMs, skipBuild,
    serviceId: dep.serviceId, envId: dep.envId, createdAt: dep.createdAt };
  fs.writeFileSync(path.join(DIR, 'runs', `${dep.id}.${n}.spec.json`), JSON.stringify(spec));
  const child = spawn(process.execPath, [path.join(HERE, 'supervisor.mjs'), DIR, dep.id, String(n)], {
    detached: true, stdio: 'ignore', cwd: DIR,
  });
  child.unref();
  dep.runs.push({ n, at: new Date().toISOString(), skipBuild, pgid: child.pid });
}

function writeBuildLog(state, dep, svc) {
  const ts = new Date().toISOString();
  const lines = svc.source?.image
    ? [`Pulling image ${svc.source.image}`]
    : ['[Region: us-west2]', '=========================', 'Using Detected Dockerfile', '=========================',
      dep.app === 'fail-build' ? 'ERROR: failed to build: process "/bin/sh -c pip install -r requirements.txt" did not complete successfully: exit code: 1' : `Build time: ${(timing(state).buildMs / 1000).toFixed(2)} seconds`];
  fs.mkdirSync(path.join(DIR, 'logs'), { recursive: true });
  fs.writeFileSync(path.join(DIR, 'logs', `${dep.id}.build.ndjson`), lines.map((message) => JSON.stringify({ message, timestamp: ts, level: dep.app === 'fail-build' && /ERROR/.test(message) ? 'error' : 'info' })).join('\n') + '\n');
}

/** A new deployment runs the service's current (rendered) variables. Must be called inside mutate(). */
function createDeployment(state, svc, env, reason) {
  const now = Date.now();
  for (const old of svcDeps(state, svc.id, env.id)) {
    const st = deploymentStatus(state, old, now);
    if (IN_PROGRESS.has(st) && !everSucceeded(state, old, now)) {
      // Railway cancels a rollout that a newer deployment overtakes.
      old.removedAt = new Date(now).toISOString();
      for (const run of old.runs) killRun(run);
    }
  }
  state.seq = (state.seq ?? 0) + 1;
  const dep = {
    id: crypto.randomUUID(), seq: state.seq, serviceId: svc.id, envId: env.id, createdAt: new Date(now).toISOString(),
    app: svc.app ?? 'silent', image: svc.source?.image ?? null, reason,
    variables: renderVariables(state, svc, env), runs: [],
  };
  state.deployments.push(dep);
  writeBuildLog(state, dep, svc);
  startRun(state, dep, { skipBuild: false });
  return dep;
}

// ---------------------------------------------------------------- auth and context

function authMode(state) {
  if ('RAILWAY_TOKEN' in process.env) return 'project-token';
  if ('RAILWAY_API_TOKEN' in process.env) return 'api-token';
  if (state.auth === 'none') return null;
  return 'login';
}

function unauthorizedToken(state, name) {
  if (!vgte(state.cliVersion, '4.25.3')) return new RwError('Unauthorized. Please login with `railway login`');
  return new RwError(`Unauthorized. Please check that your ${name} is valid and has access to the resource you're trying to use.`);
}

const hintFor = (state, hint) => (vgte(state.cliVersion, '5.3.0') ? hint : undefined);
const noLinkedProject = (state) => new RwError('No linked project found. Run railway link to connect to a project', { hint: hintFor(state, 'Run `railway link` to connect to a project.') });

/** GQLClient::new_authorized: only checks that some credential exists. */
function requireCredential(state) {
  const mode = authMode(state);
  if (!mode) throw new RwError('Unauthorized. Please login with `railway login`');
  return mode;
}

/** The first real API call: rejects bad tokens and dead logins. */
function checkApiAuth(state, mode) {
  if (mode === 'project-token') {
    if (process.env.RAILWAY_TOKEN !== state.projectToken) {
      throw new RwError("Invalid RAILWAY_TOKEN. Please check that it is valid and has access to the resource you're trying to use.");
    }
  } else if (mode === 'api-token') {
    if (state.apiToken != null && process.env.RAILWAY_API_TOKEN !== state.apiToken) throw unauthorizedToken(state, 'RAILWAY_API_TOKEN');
  } else if (state.auth === 'expired') {
    throw new RwError('Unauthorized. Please run `railway login` again.');
  }
}

function linkForCwd(state) {
  const l = state.linked;
  if (!l) return null;
  if (!l.path) return l;
  const cwd = process.cwd();
  return cwd === l.path || cwd.startsWith(l.path + path.sep) ? l : null;
}

/** Configs::get_linked_project(). */
function linkedProject(state, mode) {
  if (mode === 'project-token') {
    checkApiAuth(state, mode);
    const envId = state.projectTokenEnvironmentId ?? state.environments[0].id;
    const local = linkForCwd(state);
    return { projectId: state.project.id, environmentId: envId, serviceId: local?.serviceId ?? null, fromToken: true };
  }
  const pid = process.env.RAILWAY_PROJECT_ID;
  const eid = process.env.RAILWAY_ENVIRONMENT_ID;
  if (vgte(state.cliVersion, '4.35.0') && (pid !== undefined || eid !== undefined)) {
    if (pid === undefined) throw new RwError('RAILWAY_ENVIRONMENT_ID cannot be set without RAILWAY_PROJECT_ID.');
    if (mode !== 'api-token' && mode !== 'login') throw new RwError('Unauthorized. Please login with `railway login`');
    const local = linkForCwd(state);
    const sameLocal = local && local.projectId === pid ? local : null;
    return {
      projectId: pid, environmentId: eid ?? sameLocal?.environmentId ?? null,
      serviceId: process.env.RAILWAY_SERVICE_ID ?? sameLocal?.serviceId ?? null,
    };
  }
  const local = linkForCwd(state);
  if (!local) throw noLinkedProject(state);
  return { projectId: local.projectId, environmentId: local.environmentId ?? null, serviceId: local.serviceId ?? null };
}

function matchEnvironment(state, name) {
  const env = state.environments.find((e) => e.name === name || e.id === name);
  if (!env) throw new RwError(`Environment "${name}" not found.\nRun \`railway environment\` to connect to an environment.`);
  return env;
}

/** resolve_service_context() minus the service, shared by every project-scoped command. */
function resolveProjectEnv(state, { project, environment }) {
  const mode = requireCredential(state);
  maybeInject(state, null);
  if (project !== undefined && environment === undefined) throw new RwError('--environment is required when using --project');
  const linked = project === undefined ? linkedProject(state, mode) : null;
  checkApiAuth(state, mode);
  if (linked) {
    if (linked.projectId !== state.project.id) {
      throw new RwError('Project not found. Run `railway link` to connect to a project.', { hint: hintFor(state, 'Run `railway link` to connect to a project.') });
    }
    if (state.project.deletedAt) throw new RwError('Project is deleted. Run `railway link` to connect to a project.');
    if (linked.environmentId && !state.environments.some((e) => e.id === linked.environmentId || e.name === linked.environmentId)) {
      throw new RwError('Environment is deleted. Run `railway environment` to connect to an environment.');
    }
  } else {
    const p = state.project;
    if (project.toLowerCase() !== p.id.toLowerCase() && project.toLowerCase() !== p.name.toLowerCase()) throw new RwError(`Project "${project}" not found`);
  }
  const envRef = environment ?? linked?.environmentId;
  if (!envRef) {
    throw new RwError('No environment specified. Set RAILWAY_ENVIRONMENT_ID, use --environment, or run `railway environment` to link one.');
  }
  const env = matchEnvironment(state, envRef);
  if (mode === 'project-token' && env.id !== (state.projectTokenEnvironmentId ?? state.environments[0].id)) {
    throw unauthorizedToken(state, 'RAILWAY_TOKEN');
  }
  return { mode, linked, env };
}

function resolveServiceContext(state, opts) {
  const ctx = resolveProjectEnv(state, opts);
  if (!state.services.length) throw new RwError('Project has no services.');
  let svc;
  if (opts.service !== undefined) {
    svc = state.services.find((s) => s.name.toLowerCase() === opts.service.toLowerCase() || s.id === opts.service);
    if (!svc) throw new RwError(`Service '${opts.service}' not found`);
  } else if (ctx.linked?.serviceId) {
    svc = state.services.find((s) => s.id === ctx.linked.serviceId);
    if (!svc) throw new RwError('The service specified doesn\'t exist in the current environment');
  } else if (state.services.length === 1) {
    [svc] = state.services;
  } else {
    throw new RwError('No service linked\nRun `railway service` to link a service', { hint: hintFor(state, 'Run `railway service` to link a service.') });
  }
  maybeInject(state, svc);
  return { ...ctx, svc };
}

// ---------------------------------------------------------------- failure injection

let currentCommand = '';

/** Injected failures: {command:'variable set'|'*', service?, stderr?, stdout?, exit?, times?, delayMs?}. */
function maybeInject(state, svc) {
  const list = state.inject ?? [];
  const idx = list.findIndex((inj) => (inj.command === '*' || inj.command === currentCommand)
    && (inj.service === undefined ? true : svc && inj.service.toLowerCase() === svc.name.toLowerCase())
    && (inj.service === undefined ? svc === null : true)
    && (inj.times === undefined || inj.times > 0));
  if (idx < 0) return;
  const hit = mutate((s) => {
    const live = s.inject?.[idx];
    if (!live || (live.times !== undefined && live.times <= 0)) return null;
    if (live.times !== undefined) live.times -= 1;
    live.hits = (live.hits ?? 0) + 1;
    return { ...live };
  });
  if (!hit) return;
  if (hit.delayMs) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, hit.delayMs);
  if (hit.exit === undefined && hit.stderr === undefined && hit.stdout === undefined) return; // delay only
  if (hit.stdout) process.stdout.write(hit.stdout.endsWith('\n') ? hit.stdout : `${hit.stdout}\n`);
  if (hit.stderr) process.stderr.write(hit.stderr.endsWith('\n') ? hit.stderr : `${hit.stderr}\n`);
  throw new Exit(hit.exit ?? 1);
}

// ---------------------------------------------------------------- prompts (TTY only)

async function promptConfirm(message) {
  process.stderr.write(`? ${message} (y/N) `);
  if (!process.stdin.isTTY) return false;
  process.stdin.setRawMode(true);
  process.stdin.resume();
  let buf = '';
  try {
    return await new Promise((resolve, reject) => {
      process.stdin.on('data', (d) => {
        for (const ch of d.toString('utf8')) {
          if (ch === '\x03' || ch === '\x1b') { reject(new Exit(130)); return; }
          if (ch === '\r' || ch === '\n') { resolve(/^y(es)?$/i.test(buf.trim())); return; }
          if (ch === '\x7f') buf = buf.slice(0, -1); else buf += ch;
          process.stderr.write(ch === '\x7f' ? '\b \b' : ch);
        }
      });
    });
  } catch (e) {
    if (e instanceof Exit) { err('\nOperation cancelled.'); }
    throw e;
  } finally {
    process.stdin.setRawMode(false);
    process.stdin.pause();
    process.stderr.write('\n');
  }
}

// ---------------------------------------------------------------- commands

function cmdWhoami(state, opts) {
  const mode = requireCredential(state);
  maybeInject(state, null);
  if (mode === 'project-token') {
    if (process.env.RAILWAY_TOKEN !== state.projectToken) checkApiAuth(state, mode);
    throw unauthorizedToken(state, 'RAILWAY_TOKEN');
  }
  checkApiAuth(state, mode);
  if (mode === 'api-token' && state.apiTokenScope === 'workspace') throw unauthorizedToken(state, 'RAILWAY_API_TOKEN');
  const user = state.user;
  if (opts.json) {
    out(JSON.stringify({ name: user.name ?? null, email: user.email, workspaces: [{ id: state.workspace.id, name: state.workspace.name }] }, null, 2));
  } else {
    out(user.name ? `Logged in as ${user.name} (${user.email}) 👋` : `Logged in as ${user.email} 👋`);
  }
}

function deploymentJson(state, dep, now) {
  const status = deploymentStatus(state, dep, now);
  return {
    canRedeploy: canRedeploy(status), id: dep.id, meta: deploymentMeta(dep), status, createdAt: dep.createdAt,
    deploymentStopped: false, instances: status === 'SUCCESS' ? [{ status: 'RUNNING' }] : status === 'CRASHED' ? [{ status: 'CRASHED' }] : [],
  };
}
const deploymentMeta = (dep) => ({ reason: dep.reason, ...(dep.image ? { image: dep.image } : {}), serviceManifest: { deploy: { numReplicas: 1 } } });

function serviceInstanceJson(state, svc, env, now) {
  const deps = svcDeps(state, svc.id, env.id);
  const latest = deps[0];
  return {
    id: uuidFrom(`si:${env.id}:${svc.id}`), serviceId: svc.id, serviceName: svc.name, environmentId: env.id, numReplicas: 1,
    latestDeployment: latest ? deploymentJson(state, latest, now) : null,
    activeDeployments: deps.map((d) => deploymentJson(state, d, now)).filter((d) => !['REMOVED', 'FAILED', 'SKIPPED'].includes(d.status)),
    source: svc.source ? { repo: svc.source.repo ?? null, image: svc.source.image ?? null } : null,
    domains: { serviceDomains: [], customDomains: [] }, cronSchedule: null, nextCronRunAt: null, startCommand: null,
  };
}

function cmdStatus(state, opts) {
  const { env, linked } = resolveProjectEnv(state, opts);
  const now = Date.now();
  const envs = opts.project !== undefined || opts.environment !== undefined ? [env] : state.environments;
  if (opts.json) {
    const p = state.project;
    out(JSON.stringify({
      id: p.id, name: p.name, workspaceId: state.workspace.id, deletedAt: null, workspace: { name: state.workspace.name },
      buckets: { edges: [] },
      environments: { edges: envs.map((e) => ({ node: {
        id: e.id, name: e.name, canAccess: true, deletedAt: null, unmergedChangesCount: 0,
        serviceInstances: { edges: state.services.map((s) => ({ node: serviceInstanceJson(state, s, e, now) })) },
        volumeInstances: { edges: [] },
      } })) },
      services: { edges: state.services.map((s) => ({ node: { id: s.id, name: s.name } })) },
    }, null, 2));
    return;
  }
  const svc = linked?.serviceId ? state.services.find((s) => s.id === linked.serviceId) : null;
  out(`Project: ${state.project.name}\nEnvironment: ${env.name}\nService: ${svc ? svc.name : 'None'}`);
}

function cmdLink(state, opts) {
  const mode = requireCredential(state);
  maybeInject(state, null);
  checkApiAuth(state, mode);
  if (mode === 'project-token') throw unauthorizedToken(state, 'RAILWAY_TOKEN');
  if (opts.team && opts.workspace) err('Warning: Both --team and --workspace provided. Using --workspace. The --team flag is deprecated.');
  const wsArg = opts.workspace ?? opts.team;
  const ws = state.workspace;
  if (wsArg !== undefined && wsArg.toLowerCase() !== ws.name.toLowerCase() && wsArg !== ws.id) throw new RwError(`Workspace "${wsArg}" not found.`);
  const p = state.project;
  if (opts.project === undefined) {
    if (!stdoutIsTTY) throw new RwError(`--project required in non-interactive mode.\nAvailable: ${p.name}`);
    throw new RwError('fake-railway: interactive project selection is not supported; pass --project');
  }
  if (opts.project.toLowerCase() !== p.id.toLowerCase() && opts.project.toLowerCase() !== p.name.toLowerCase()) {
    throw new RwError(`Project "${opts.project}" not found in workspace "${ws.name}".\nAvailable: ${p.name}`);
  }
  err(`> Select a project: ${p.name}`);
  let env;
  if (opts.environment !== undefined) {
    env = state.environments.find((e) => e.name.toLowerCase() === opts.environment.toLowerCase() || e.id.toLowerCase() === opts.environment.toLowerCase());
    if (!env) throw new RwError(`Environment "${opts.environment}" not found.\nAvailable: ${state.environments.slice(0, 5).map((e) => e.name).join(', ')}${state.environments.length > 5 ? `, +${state.environments.length - 5} more` : ''}`);
  } else if (state.environments.length === 1) {
    [env] = state.environments;
  } else if (!stdoutIsTTY) {
    throw new RwError(`--environment required in non-interactive mode.\nAvailable: ${state.environments.slice(0, 5).map((e) => e.name).join(', ')}`);
  } else {
    throw new RwError('fake-railway: interactive environment selection is not supported; pass --environment');
  }
  err(`> Select an environment: ${env.name}`);
  let svc = null;
  const names = state.services.slice(0, 5).map((s) => s.name).join(', ') + (state.services.length > 5 ? `, +${state.services.length - 5} more` : '');
  if (opts.service !== undefined) {
    svc = state.services.find((s) => s.name.toLowerCase() === opts.service.toLowerCase() || s.id.toLowerCase() === opts.service.toLowerCase());
    if (!svc) throw new RwError(`Service "${opts.service}" not found.\nAvailable: ${names}`);
    err(`> Select a service: ${svc.name}`);
  } else if (state.services.length === 1) {
    [svc] = state.services;
    err(`No service specified — auto-selecting "${svc.name}"`);
  } else if (state.services.length > 1) {
    err(`Multiple services available — use --service <name> to link one.\nAvailable: ${names}`);
  }
  mutate((s) => { s.linked = { projectId: p.id, environmentId: env.id, serviceId: svc?.id ?? null, path: process.cwd() }; });
  if (opts.json) {
    out(JSON.stringify({ projectId: p.id, projectName: p.name, environmentId: env.id, environmentName: env.name,
      ...(svc ? { serviceId: svc.id, serviceName: svc.name } : {}) }, null, 2));
  } else {
    out(`\nProject ${p.name} linked successfully! 🎉`);
  }
}

function cmdServiceLink(state, name) {
  const { env } = resolveProjectEnv(state, {});
  void env;
  if (name === undefined) {
    if (!stdoutIsTTY) throw new RwError('Service name required in non-interactive mode. Usage: railway service <name>');
    throw new RwError('fake-railway: interactive service selection is not supported; pass a name');
  }
  const svc = state.services.find((s) => s.name.toLowerCase() === name.toLowerCase() || s.id === name);
  if (!svc) throw new RwError(`Service "${name}" not found.`);
  mutate((s) => { s.linked = { ...(s.linked ?? {}), serviceId: svc.id }; });
  out(`Linked service ${svc.name}`);
}

function cmdServiceList(state, opts) {
  const { env, linked } = resolveProjectEnv(state, opts);
  const now = Date.now();
  const rows = [...state.services].sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase())).map((svc) => {
    const deps = svcDeps(state, svc.id, env.id);
    const latest = deps[0];
    const withStatus = deps.map((d) => ({ d, status: deploymentStatus(state, d, now) }));
    const stable = withStatus.find((x) => ['SUCCESS', 'CRASHED', 'SLEEPING'].includes(x.status));
    const snap = stable ?? (latest ? { d: latest, status: deploymentStatus(state, latest, now) } : null);
    const isRedis = /redis|valkey/i.test(svc.source?.image ?? '');
    return {
      id: svc.id, name: svc.name, isLinked: linked?.serviceId === svc.id,
      source: svc.source && (svc.source.repo || svc.source.image) ? { repo: svc.source.repo ?? null, image: svc.source.image ?? null } : null,
      status: snap?.status ?? null, deploymentStopped: false, deploymentId: snap?.d.id ?? null,
      latestDeployment: latest ? { id: latest.id, status: deploymentStatus(state, latest, now), createdAt: latest.createdAt, deploymentStopped: false } : null,
      url: null,
      volumes: isRedis ? [{ name: `${svc.name.toLowerCase()}-volume`, mountPath: '/data', currentSizeMb: 12.5, sizeMb: 5000, state: 'READY' }] : [],
      regions: [],
      replicas: snap ? { configured: 1, running: snap.status === 'SUCCESS' ? 1 : 0, crashed: snap.status === 'CRASHED' ? 1 : 0, exited: 0, total: 1 } : null,
      volumeMigrating: false,
    };
  });
  if (opts.json) { out(JSON.stringify(rows, null, 2)); return; }
  if (!rows.length) { out(`No services found in environment '${env.name}'`); return; }
  out(`\nServices in ${env.name}\n`);
  for (const r of rows) {
    out(r.isLinked ? `${r.name} (linked)` : r.name);
    out(`  status:       ${r.status ?? 'no deployment'}`);
    if (r.source?.repo) out(`  repo:         ${r.source.repo}`);
    if (r.source?.image) out(`  image:        ${r.source.image}`);
  }
}

function cmdServiceStatus(state, opts) {
  const { env, linked } = resolveProjectEnv(state, opts);
  const now = Date.now();
  const rows = state.services.map((svc) => {
    const latest = svcDeps(state, svc.id, env.id)[0];
    return { id: svc.id, name: svc.name, deploymentId: latest?.id ?? null, status: latest ? deploymentStatus(state, latest, now) : null, stopped: false };
  });
  if (opts.all) {
    err('Warning: `railway service status --all` is deprecated. Please use `railway service list` instead.');
    if (opts.json) out(JSON.stringify(rows, null, 2));
    else for (const r of rows) out(`${r.name.padEnd(20)} | ${(r.deploymentId ?? 'N/A').padEnd(14)} | ${r.status ?? 'NO DEPLOYMENT'}`);
    return;
  }
  let row;
  if (opts.service !== undefined) {
    row = rows.find((r) => r.id === opts.service || r.name === opts.service);
    if (!row) throw new RwError(`Service "${opts.service}" not found.`);
  } else {
    if (!linked?.serviceId) throw new RwError('No service linked. Use --service flag or --all to see all services');
    row = rows.find((r) => r.id === linked.serviceId);
    if (!row) throw new RwError('Linked service not found in this environment');
  }
  if (opts.json) out(JSON.stringify(row, null, 2));
  else out(`Service: ${row.name}\nDeployment: ${row.deploymentId ?? 'No deployment'}\nStatus: ${row.status ?? 'NO DEPLOYMENT'}`);
}

function readStdinValue() {
  if (stdinIsTTY) {
    throw new RwError('No input provided via stdin. Use --stdin with piped input, e.g.:\n  echo "value" | railway variable set KEY --stdin');
  }
  const chunks = [];
  const buf = Buffer.alloc(65536);
  for (;;) {
    let n;
    try { n = fs.readSync(0, buf, 0, buf.length, null); } catch (e) {
      if (e.code === 'EAGAIN') { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5); continue; }
      if (e.code === 'EOF') break;
      throw e;
    }
    if (n === 0) break;
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  const raw = Buffer.concat(chunks).toString('utf8');
  const value = raw.replace(/\n+$/, '').replace(/\r+$/, '');
  if (value === '') throw new RwError('Empty value provided via stdin');
  return value;
}

function parseVariable(s) {
  const eq = s.indexOf('=');
  if (eq <= 0) throw new RwError(`Invalid variable format: ${s}`);
  return [s.slice(0, eq), s.slice(eq + 1)];
}

function setVariables(state, pairs, opts, { json, legacy }) {
  const { svc, env } = resolveServiceContext(state, opts);
  const keys = pairs.map(([k]) => k);
  mutate((s) => {
    s.variables ??= {};
    s.variables[env.id] ??= {};
    const bag = (s.variables[env.id][svc.id] ??= {});
    for (const [k, v] of pairs) bag[k] = v;
    if (!opts['skip-deploys']) createDeployment(s, s.services.find((x) => x.id === svc.id), env, 'variableChange');
  });
  if (json && !legacy) { out(JSON.stringify({ keys, set: true })); return; }
  spinnerDone(`Set variables ${keys.join(', ')}`);
  if (!stderrIsTTY && vgte(state.cliVersion, '5.34.2')) out(`Set variables ${keys.join(', ')}`);
}

function listVariables(state, opts) {
  const { svc, env } = resolveServiceContext(state, opts);
  const vars = renderVariables(state, svc, env);
  if (opts.kv) { for (const [k, v] of Object.entries(vars)) out(`${k}=${v}`); return; }
  if (opts.json) { out(JSON.stringify(vars, null, 2)); return; }
  if (!Object.keys(vars).length) { err('No variables found'); return; }
  const width = Math.max(...Object.keys(vars).map((k) => k.length));
  out(`║ Variables for ${svc.name}`);
  for (const [k, v] of Object.entries(vars)) out(`║ ${k.padEnd(width)} │ ${v}`);
}

function cmdVariable(state, parsed) {
  const { path: p, opts, pos } = parsed;
  const sub = p[1];
  if (sub === 'list') { currentCommand = 'variable list'; return listVariables(state, opts); }
  if (sub === 'set') {
    currentCommand = 'variable set';
    let pairs;
    if (opts.stdin) {
      if (pos.length !== 1) throw new RwError('--stdin requires exactly one KEY argument');
      if (pos[0].includes('=')) throw new RwError('Cannot use --stdin with KEY=VALUE format. Use: railway variable set KEY --stdin');
      pairs = [[pos[0], readStdinValue()]];
    } else {
      pairs = pos.map(parseVariable);
    }
    return setVariables(state, pairs, opts, { json: opts.json, legacy: false });
  }
  if (sub === 'delete') {
    currentCommand = 'variable delete';
    const { svc, env } = resolveServiceContext(state, opts);
    const key = pos[0];
    if (!(key in renderVariables(state, svc, env))) throw new RwError(`Variable '${key}' not found`);
    mutate((s) => {
      const bag = s.variables?.[env.id]?.[svc.id];
      if (bag) delete bag[key];
      createDeployment(s, s.services.find((x) => x.id === svc.id), env, 'variableChange');
    });
    if (opts.json) out(JSON.stringify({ key, deleted: true }));
    else spinnerDone(`Deleted variable ${key}`);
    return undefined;
  }
  // legacy `railway variables [--set K=V]... [--set-from-stdin KEY]`
  if (opts['set-from-stdin'] !== undefined) {
    currentCommand = 'variable set';
    return setVariables(state, [[opts['set-from-stdin'], readStdinValue()]], opts, { legacy: true });
  }
  if (opts.set?.length) {
    currentCommand = 'variable set';
    return setVariables(state, opts.set.map(parseVariable), opts, { legacy: true });
  }
  currentCommand = 'variable list';
  return listVariables(state, opts);
}

async function cmdRedeploy(state, opts) {
  currentCommand = 'redeploy';
  requireCredential(state);
  const { svc, env } = resolveServiceContext(state, opts);
  let latest = null;
  if (!opts['from-source']) {
    latest = svcDeps(state, svc.id, env.id)[0];
    if (!latest) throw new RwError('No deployment found for service');
    if (!canRedeploy(deploymentStatus(state, latest))) {
      throw new RwError(`The latest deployment for service ${svc.name} cannot be redeployed. This may be because it's currently building, deploying, or was removed.`);
    }
  }
  if (!opts.yes) {
    if (!stdoutIsTTY) throw new RwError('Cannot prompt for confirmation in non-interactive mode. Use --yes to skip confirmation.');
    const msg = opts['from-source']
      ? `Pull the latest source (commit or image) and deploy service ${svc.name} in environment ${env.name}?`
      : `Redeploy the latest deployment from service ${svc.name} in environment ${env.name}?`;
    if (!(await promptConfirm(msg))) return;
  }
  // deploymentRedeploy: same image, the service's current variables.
  const dep = mutate((s) => createDeployment(s, s.services.find((x) => x.id === svc.id), env, 'redeploy'));
  if (opts.json) { out(JSON.stringify(opts['from-source'] ? { success: true } : { id: dep.id })); return; }
  spinnerDone(opts['from-source'] ? `Triggered a deploy from the latest source for service ${svc.name}` : `The latest deployment from service ${svc.name} has been redeployed`);
}

async function cmdRestart(state, opts) {
  currentCommand = 'restart';
  const { svc, env } = resolveServiceContext(state, opts);
  const latest = svcDeps(state, svc.id, env.id)[0];
  if (!latest) throw new RwError('No deployment found for service');
  if (!opts.yes) {
    if (!stdoutIsTTY) throw new RwError('Cannot prompt for confirmation in non-interactive mode. Use --yes to skip confirmation.');
    if (!(await promptConfirm(`Restart the latest deployment from service ${svc.name} in environment ${env.name}?`))) return;
  }
  // deploymentRestart: same deployment, same image, the OLD variable snapshot.
  mutate((s) => {
    const dep = s.deployments.find((d) => d.id === latest.id);
    killRun(dep.runs[dep.runs.length - 1]);
    startRun(s, dep, { skipBuild: true });
  });
  if (opts.json) { out(JSON.stringify({ id: latest.id })); return; }
  const t0 = Date.now();
  while (Date.now() - t0 < 120000) {
    await sleep(100);
    const fresh = readState();
    const st = deploymentStatus(fresh, fresh.deployments.find((d) => d.id === latest.id));
    if (st === 'SUCCESS') { spinnerDone(`The latest deployment from service ${svc.name} has been restarted and is healthy`); return; }
    if (st === 'FAILED') { spinnerDone(`Deployment from service ${svc.name} failed`); throw new RwError('Deployment failed'); }
    if (st === 'CRASHED') { spinnerDone(`Deployment from service ${svc.name} crashed`); throw new RwError('Deployment crashed'); }
  }
  spinnerDone(`The latest deployment from service ${svc.name} has been restarted`);
}

function cmdDeploymentList(state, opts) {
  currentCommand = 'deployment list';
  let limit = opts.limit;
  if (limit > 1000) { err('Warning: limit cannot exceed 1000, using 1000 instead'); limit = 1000; }
  if (limit < 1) { err('Warning: limit must be at least 1, using 1 instead'); limit = 1; }
  const { svc, env } = resolveServiceContext(state, opts);
  const now = Date.now();
  const deps = svcDeps(state, svc.id, env.id).slice(0, limit)
    .map((d) => ({ id: d.id, status: deploymentStatus(state, d, now), createdAt: d.createdAt, meta: deploymentMeta(d) }));
  if (opts.json) { out(JSON.stringify(deps, null, 2)); return; }
  if (!deps.length) { out('No deployments found'); return; }
  out('Recent Deployments');
  for (const d of deps) out(`  ${d.id} | ${d.status} | ${d.createdAt}`);
}

// ---- logs

function parseTime(input) {
  const s = input.trim().toLowerCase();
  const m = /^(\d+)([smhdw])$/.exec(s);
  if (m) {
    const mult = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 604800e3 }[m[2]];
    return Date.now() - Number(m[1]) * mult;
  }
  const t = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/i.test(input.trim()) ? Date.parse(input.trim().replace(' ', 'T')) : NaN;
  if (Number.isNaN(t)) {
    throw new RwError(`Invalid time format: '${input.trim()}'. Use relative time (e.g., 30m, 2h, 1d) or ISO 8601 (e.g., 2024-01-15T10:30:00Z)`);
  }
  return t;
}

/** A small subset of Railway's log query syntax: words/"phrases", @attr:value, -negation, AND/OR. */
function compileFilter(q) {
  if (!q || !q.trim()) return () => true;
  const tokens = q.replace(/[()]/g, ' ').match(/-?"[^"]*"|\S+/g) ?? [];
  const groups = [[]];
  for (const tok of tokens) {
    if (tok === 'OR') groups.push([]);
    else if (tok !== 'AND') groups[groups.length - 1].push(tok);
  }
  const termMatch = (entry, term) => {
    let neg = false;
    let t = term;
    if (t.startsWith('-') && t.length > 1) { neg = true; t = t.slice(1); }
    let ok;
    const attr = /^@([\w.]+):(.*)$/.exec(t);
    if (attr) {
      const v = entry[attr[1]];
      ok = v !== undefined && String(v).toLowerCase() === attr[2].replace(/^"|"$/g, '').toLowerCase();
    } else {
      ok = String(entry.message).toLowerCase().includes(t.replace(/^"|"$/g, '').toLowerCase());
    }
    return neg ? !ok : ok;
  };
  return (entry) => groups.some((g) => g.every((t) => termMatch(entry, t)));
}

function formatLog(entry, json) {
  const { message, timestamp, ...attrs } = entry;
  if (json) return JSON.stringify({ message, timestamp, ...attrs });
  const keys = Object.keys(attrs);
  if (!keys.length || (keys.length === 1 && keys[0] === 'level')) return message;
  let level = null;
  const others = [];
  for (const [k, v] of Object.entries(attrs)) {
    if (['level', 'lvl', 'severity'].includes(k.toLowerCase())) level = String(v);
    else others.push(`${k}=${typeof v === 'string' ? `"${v}"` : JSON.stringify(v)}`);
  }
  if (level === null) return message;
  const tag = { info: '[INFO]', error: '[ERRO]', err: '[ERRO]', warn: '[WARN]', debug: '[DBUG]' }[level.toLowerCase()] ?? `[${level}]`;
  return others.length ? `${timestamp} ${tag} ${message} ${others.join(' ')}` : `${tag} ${message}`;
}

function readEntries(file) {
  let text = '';
  try { text = fs.readFileSync(file, 'utf8'); } catch { return []; }
  const entries = [];
  for (const line of text.split('\n')) { if (line) { try { entries.push(JSON.parse(line)); } catch { /* partial line */ } } }
  return entries;
}

async function cmdLogs(state, opts, pos) {
  currentCommand = 'logs';
  requireCredential(state);
  const start = opts.since !== undefined ? parseTime(opts.since) : undefined;
  const end = opts.until !== undefined ? parseTime(opts.until) : undefined;
  if (start !== undefined && end !== undefined && start >= end) throw new RwError('--since time must be before --until time');
  const hasLimit = opts.lines !== undefined || start !== undefined || end !== undefined;
  // Before v4.17.0 the CLI streamed even when stdout was a pipe.
  const shouldStream = !hasLimit && (stdoutIsTTY || !vgte(state.cliVersion, '4.17.0'));
  const { svc, env } = resolveServiceContext(state, opts);
  if (opts.http || opts.network || opts.dns) {
    if (opts.network && !opts.json) out('fake-railway: no network flows');
    return;
  }
  const now = Date.now();
  const deps = svcDeps(state, svc.id, env.id);
  const defaultDep = opts.latest ? deps[0] : (deps.find((d) => deploymentStatus(state, d, now) === 'SUCCESS') ?? deps[0]);
  if (!defaultDep) throw new RwError('No deployments found');
  const depId = pos[0] ?? defaultDep.id;
  if (!state.deployments.some((d) => d.id === depId)) throw new RwError('Deployment not found');
  const showBuild = !opts.deployment && (opts.build || (deploymentStatus(state, defaultDep, now) === 'FAILED' && depId === defaultDep.id));
  const file = path.join(DIR, 'logs', showBuild ? `${depId}.build.ndjson` : `${depId}.ndjson`);
  const filter = compileFilter(opts.filter);
  const inRange = (e) => (start === undefined || Date.parse(e.timestamp) >= start) && (end === undefined || Date.parse(e.timestamp) <= end);
  const limit = opts.lines ?? 500;
  const print = (e) => out(formatLog(e, opts.json));
  const backlog = readEntries(file).filter((e) => inRange(e) && filter(e));
  for (const e of (limit > 0 ? backlog.slice(-limit) : [])) print(e);
  if (!shouldStream) return;
  // Follow the file until killed (the real CLI holds a websocket subscription open).
  let offset = 0;
  try { offset = fs.statSync(file).size; } catch { offset = 0; }
  let partial = '';
  await new Promise(() => {
    setInterval(() => {
      let size;
      try { size = fs.statSync(file).size; } catch { return; }
      if (size <= offset) return;
      const fd = fs.openSync(file, 'r');
      const buf = Buffer.alloc(size - offset);
      fs.readSync(fd, buf, 0, buf.length, offset);
      fs.closeSync(fd);
      offset = size;
      const chunk = partial + buf.toString('utf8');
      const lines = chunk.split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (!line) continue;
        let e; try { e = JSON.parse(line); } catch { continue; }
        if (filter(e)) print(e);
      }
    }, 50);
  });
}

// ---------------------------------------------------------------- main

function recordCall() {
  const st = (() => { try { return fs.fstatSync(0); } catch { return null; } })();
  const hadStdin = Boolean(st && (st.isFIFO() || st.isFile() || st.isSocket()));
  const pick = (k) => (k in process.env ? process.env[k] : undefined);
  const rec = {
    argv, cwd: process.cwd(), stdinIsTTY, stdoutIsTTY, stderrIsTTY, hadStdin,
    env: {
      RAILWAY_TOKEN: 'RAILWAY_TOKEN' in process.env, RAILWAY_API_TOKEN: 'RAILWAY_API_TOKEN' in process.env,
      RAILWAY_NO_AUTO_UPDATE: pick('RAILWAY_NO_AUTO_UPDATE'), DO_NOT_TRACK: pick('DO_NOT_TRACK'), CI: pick('CI'),
      NO_COLOR: pick('NO_COLOR'), RAILWAY_PROJECT_ID: pick('RAILWAY_PROJECT_ID'),
      RAILWAY_ENVIRONMENT_ID: pick('RAILWAY_ENVIRONMENT_ID'), RAILWAY_SERVICE_ID: pick('RAILWAY_SERVICE_ID'),
    },
    pid: process.pid, time: new Date().toISOString(),
  };
  fs.appendFileSync(path.join(DIR, 'calls.jsonl'), `${JSON.stringify(rec)}\n`);
}

/** Test-helper entry point (not a real command, not recorded): deploy a service now. */
function internalDeploy(serviceName, envName) {
  const dep = mutate((s) => {
    const svc = s.services.find((x) => x.name === serviceName);
    const env = envName ? s.environments.find((e) => e.name === envName) : s.environments[0];
    if (!svc || !env) throw new Error(`unknown service/environment ${serviceName}/${envName}`);
    return createDeployment(s, svc, env, 'deploy');
  });
  out(dep.id);
  return 0;
}

async function main() {
  if (!DIR || !fs.existsSync(STATE_FILE)) {
    err('fake railway: FAKE_RAILWAY_DIR is not set or has no state.json');
    return 1;
  }
  if (argv[0] === '__deploy') return internalDeploy(argv[1], argv[2]);
  if (argv[0] === '__status') {
    const state = readState();
    const now = Date.now();
    out(JSON.stringify(state.deployments.map((d) => ({
      id: d.id, service: state.services.find((x) => x.id === d.serviceId)?.name, environment: state.environments.find((e) => e.id === d.envId)?.name,
      status: deploymentStatus(state, d, now), createdAt: d.createdAt, reason: d.reason, variables: d.variables,
      pgids: d.runs.map((r) => r.pgid), runs: d.runs.length,
    }))));
    return 0;
  }
  recordCall();
  let state = readState();
  const version = state.cliVersion ?? '5.43.1';
  state.cliVersion = version;
  let parsed;
  try {
    parsed = parseArgs(argv, version);
  } catch (e) {
    if (e instanceof ClapError) { err(e.message); return 2; }
    throw e;
  }
  if (parsed.version) { out(`railway ${version}`); return 0; }
  if (parsed.help) {
    if (parsed.bare) { err(helpText([], SPEC, version)); return 2; }
    out(helpText(parsed.path, parsed.spec, version));
    return 0;
  }
  if (parsed.notFaked) { err(`fake railway: '${parsed.notFaked}' is not implemented by this fake`); return 1; }
  reapRemoved(state);
  state = readState();
  state.cliVersion = version;
  const [top, sub] = parsed.path;
  const { opts, pos } = parsed;
  try {
    if (top === 'whoami') { currentCommand = 'whoami'; cmdWhoami(state, opts); }
    else if (top === 'status') { currentCommand = 'status'; cmdStatus(state, opts); }
    else if (top === 'link') { currentCommand = 'link'; cmdLink(state, opts); }
    else if (top === 'variable') cmdVariable(state, parsed);
    else if (top === 'redeploy' || (top === 'service' && sub === 'redeploy') || (top === 'deployment' && sub === 'redeploy')) await cmdRedeploy(state, opts);
    else if (top === 'restart' || (top === 'service' && sub === 'restart')) await cmdRestart(state, opts);
    else if (top === 'logs' || (top === 'service' && sub === 'logs')) await cmdLogs(state, opts, pos);
    else if (top === 'deployment' && sub === 'list') cmdDeploymentList(state, opts);
    else if (top === 'service' && sub === 'list') { currentCommand = 'service list'; cmdServiceList(state, opts); }
    else if (top === 'service' && sub === 'status') { currentCommand = 'service status'; cmdServiceStatus(state, opts); }
    else if (top === 'service') { currentCommand = 'service link'; cmdServiceLink(state, pos[0]); }
    else { err(`fake railway: unhandled command ${parsed.path.join(' ')}`); return 1; }
  } catch (e) {
    if (e instanceof Exit) return e.code;
    if (e instanceof RwError) {
      err(e.hint ? `${e.message}\n  → ${e.hint}` : e.message);
      return e.exit;
    }
    throw e;
  }
  return 0;
}

main().then((code) => {
  process.exitCode = code;
}, (e) => {
  err(`fake railway internal error: ${e?.stack ?? e}`);
  process.exit(70);
});
