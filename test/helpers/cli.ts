// The one way tests run the BUILT binary, with or without a terminal, and the one secret checker.
// Every run is bounded: past its deadline the whole process tree is killed (the binary, and the
// `script`/`railway logs` children it starts in their own process groups) and the test fails with
// what the screen showed.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(ROOT, 'bin', 'redis-setup.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface RunCliOptions {
  input?: string;
  /** Added on top of process.env, CI=true and NO_COLOR=1 (or on top of nothing with `env` complete). */
  env?: NodeJS.ProcessEnv;
  /** Use `env` as the complete environment. */
  exactEnv?: boolean;
  cwd?: string;
  /** Kill the tree and fail after this long. Default 60 s. */
  timeoutMs?: number;
}

/** Every process below `pid`, found through /proc (children may sit in other process groups). */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone while we looked
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

/** Kill a process and everything it started, children first seen before the parent goes. */
export function killTree(pid: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  for (const p of [...descendants(pid), pid]) {
    try {
      process.kill(p, signal);
    } catch {
      // already gone
    }
  }
}

export function cliEnv(opts: Pick<RunCliOptions, 'env' | 'exactEnv'>): NodeJS.ProcessEnv {
  return opts.exactEnv ? { ...opts.env } : { ...process.env, CI: 'true', NO_COLOR: '1', ...opts.env };
}

export function runCli(args: string[], opts: RunCliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: opts.cwd ?? ROOT,
      env: cliEnv(opts),
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => {
      stdout += d;
    });
    child.stderr!.on('data', (d) => {
      stderr += d;
    });
    const timeoutMs = opts.timeoutMs ?? 60_000;
    const timer = setTimeout(() => {
      if (child.pid) killTree(child.pid);
      reject(
        new Error(
          `redis-setup ${args.join(' ')} did not finish within ${timeoutMs} ms\n--- stdout ` +
            `---\n${stdout}\n--- stderr ---\n${stderr}`,
        ),
      );
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
    if (opts.input !== undefined) child.stdin!.end(opts.input);
  });
}

/** A secret in every form it could be printed: raw, encodeURIComponent, and URL-userinfo encoding. */
export function secretForms(secret: string): string[] {
  const u = new URL('redis://h');
  u.password = secret;
  return [...new Set([secret, encodeURIComponent(secret), u.password])];
}

/** No secret, in any printable form, in stdout, stderr, nor any recorded railway argv. */
export function assertNoSecret(
  r: { stdout?: string; stderr?: string; calls?: { argv: string[] }[] },
  ...secrets: string[]
): void {
  for (const s of secrets.filter(Boolean).flatMap(secretForms)) {
    const hint = `secret (${s.slice(0, 2)}…)`;
    assert.ok(!(r.stdout ?? '').includes(s), `${hint} leaked on stdout:\n${r.stdout}`);
    assert.ok(!(r.stderr ?? '').includes(s), `${hint} leaked on stderr:\n${r.stderr}`);
    for (const c of r.calls ?? []) {
      for (const a of c.argv) assert.ok(!a.includes(s), `${hint} in railway argv: ${c.argv.join(' ')}`);
    }
  }
}

export function json<T = Record<string, unknown>>(r: CliResult): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`stdout is not one JSON object:\n${r.stdout}\nstderr:\n${r.stderr}`);
  }
}
