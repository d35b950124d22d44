// `redis-setup check [URL]`: is this Redis URL usable, and if not, exactly why and how to fix it.
import { existsSync } from 'node:fs';
import { type CheckReport, publicReport } from '../core/check-report.js';
import { checkFlags, checkOptions, type CheckOptions, type RawFlags } from '../core/options.js';
import { readEnvValue } from '../edge/dotenv-read.js';
import { readAllStdin } from '../edge/stdin.js';
import { EXIT, UsageError } from '../errors.js';
import { printJson } from '../ui/output.js';
import { checkUrl } from '../steps/check-url.js';

export async function run(raw: RawFlags, args: string[]): Promise<number> {
  const options = checkOptions(checkFlags(raw), args[0], process.cwd());
  const url = await urlToCheck(options);
  const report = await checkUrl(url, { timeoutMs: options.timeoutMs, ...(options.caFile ? { caFile: options.caFile } : {}) });
  if (options.json) printJson(publicReport(report));
  else process.stdout.write(renderCheck(report));
  return report.ok ? EXIT.ok : EXIT.checkFailed;
}

/** The argument, stdin, or the variable in the .env file. */
async function urlToCheck(o: CheckOptions): Promise<string> {
  if (o.url !== undefined) return o.url;
  if (o.urlStdin) return readAllStdin();
  if (!existsSync(o.envFile)) {
    throw new UsageError(`No Redis URL to check: ${o.envFile} does not exist.`,
      'Pass the URL (npx redis-setup check "rediss://default:PASSWORD@HOST:PORT"), pipe it with --url-stdin, or point --dotenv at your .env file.');
  }
  const value = await readEnvValue(o.envFile, o.variable);
  if (value === undefined) {
    throw new UsageError(`No Redis URL to check: ${o.variable} is not set in ${o.envFile}.`,
      `Pass one: npx redis-setup check "rediss://default:PASSWORD@HOST:PORT", or pipe it with --url-stdin, or run npx redis-setup to write ${o.envFile}.`);
  }
  return value;
}

export function renderCheck(r: CheckReport): string {
  const lines: string[] = [`URL      ${r.url}${r.provider ? `  (${r.provider}${r.tls === null ? '' : r.tls ? ', TLS' : ', no TLS'})` : ''}`];
  if (r.ok) {
    lines.push(`Verdict  ✔ ok: ${r.message}`, `Latency  ${r.latencyMs} ms (median of 5 PINGs)`);
    if (r.serverVersion) lines.push(`Server   Redis ${r.serverVersion}`);
  } else {
    lines.push(`Verdict  ✖ ${r.code}`, `Cause    ${r.message}`, `Fix      ${r.fix}`);
  }
  for (const w of r.warnings) lines.push(`Warning  ${w.code}: ${w.message}`, `         Fix: ${w.fix}`);
  if (r.normalizedUrl || r.suggestedUrl) {
    lines.push('         Run npx redis-setup (or setup --provider url --url-stdin) to write the corrected, percent-encoded URL for you.');
  }
  return `${lines.join('\n')}\n`;
}
