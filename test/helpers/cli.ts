// Run the BUILT binary as a user would, without a terminal (CI-like).
import { spawn } from 'node:child_process';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(ROOT, 'bin', 'redis-setup.js');

export interface CliResult { code: number | null; stdout: string; stderr: string; ms: number }

export function runCli(args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: opts.cwd ?? ROOT,
      env: { ...process.env, CI: 'true', NO_COLOR: '1', ...opts.env },
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => { stdout += d; });
    child.stderr!.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`redis-setup ${args.join(' ')} did not finish within ${opts.timeoutMs ?? 30000} ms\n${stdout}\n${stderr}`));
    }, opts.timeoutMs ?? 30000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
    if (opts.input !== undefined) child.stdin!.end(opts.input);
  });
}

/** Every test that runs the binary checks that no secret leaked, raw or percent-encoded. */
export function assertNoSecret(r: Pick<CliResult, 'stdout' | 'stderr'>, ...secrets: string[]): void {
  for (const s of secrets) {
    for (const form of new Set([s, encodeURIComponent(s)])) {
      assert.ok(!r.stdout.includes(form), `secret leaked on stdout: ${r.stdout}`);
      assert.ok(!r.stderr.includes(form), `secret leaked on stderr: ${r.stderr}`);
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
