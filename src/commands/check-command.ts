// The `check` command's I/O: resolve the URL, run the check, print it for humans or as JSON.
import type { Flags } from '../cli.js';
import { UsageError } from '../errors.js';
import { readAllStdin, secondsFlag } from '../run.js';
import { checkExitCode, checkUrl, DEFAULT_TIMEOUT_SECONDS, envReadingsWarning, publicReport, resolveCheckUrl, type CheckReport } from './check.js';

export async function checkCommand(flags: Flags, args: string[]): Promise<number> {
  if (args.length > 1) throw new UsageError('check takes at most one URL.', 'Quote the URL: npx redis-setup check "rediss://…"');
  const input = {
    url: args[0] ?? flags.url,
    urlStdin: Boolean(flags['url-stdin']),
    envFile: flags['env-file'] ?? '.env',
    variable: flags.var ?? 'REDIS_URL',
    timeoutSeconds: secondsFlag('timeout', flags.timeout, DEFAULT_TIMEOUT_SECONDS),
    caFile: flags.ca,
    json: Boolean(flags.json),
  };
  const url = await resolveCheckUrl(input, readAllStdin);
  const options = { timeoutMs: input.timeoutSeconds * 1000, ...(input.caFile ? { caFile: input.caFile } : {}) };
  const report = await checkUrl(url, options);
  const envWarning = await envReadingsWarning(input, options);
  if (envWarning) report.warnings.push(envWarning);
  if (input.json) process.stdout.write(`${JSON.stringify(publicReport(report), null, 2)}\n`);
  else printReport(report);
  return checkExitCode(report);
}

export function printReport(r: CheckReport, write: (s: string) => void = (s) => process.stdout.write(s)): void {
  const lines: string[] = [`URL      ${r.url}${r.provider ? `  (${r.provider}${r.tls === null ? '' : r.tls ? ', TLS' : ', no TLS'})` : ''}`];
  if (r.ok) {
    lines.push(`Verdict  ✔ ok: ${r.message}`);
    lines.push(`Latency  ${r.latencyMs} ms (median of 5 PINGs)`);
    if (r.serverVersion) lines.push(`Server   Redis ${r.serverVersion}`);
  } else {
    lines.push(`Verdict  ✖ ${r.code}`);
    lines.push(`Cause    ${r.message}`);
    lines.push(`Fix      ${r.fix}`);
  }
  for (const w of r.warnings) lines.push(`Warning  ${w.code}: ${w.message}`, `         Fix: ${w.fix}`);
  if (r.normalizedUrl || r.suggestedUrl) {
    lines.push('         Run npx redis-setup (or setup --provider url --url-stdin) to write the corrected, percent-encoded URL for you.');
  }
  write(`${lines.join('\n')}\n`);
}
