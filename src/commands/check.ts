// `redis-setup check [URL]`: is this Redis URL usable, and if not, exactly why and how to fix it.
import { existsSync } from 'node:fs';
import { type CheckReport, type CheckWarning, publicReport } from '../core/check-report.js';
import { maskText, sanitizeForTerminal } from '../core/mask.js';
import { maskUrl } from '../core/url.js';
import { type CheckOptions, checkFlags, checkOptions, type RawFlags } from '../core/options.js';
import { readEnvReadings } from '../edge/dotenv-read.js';
import { readAllStdin } from '../edge/stdin.js';
import { EXIT, UsageError } from '../errors.js';
import { printJson } from '../ui/output.js';
import { checkUrl } from '../steps/check-url.js';

export async function run(raw: RawFlags, args: string[]): Promise<number> {
  const options = checkOptions(checkFlags(raw), args[0], process.cwd());
  const url = await urlToCheck(options);
  const bounds = { timeoutMs: options.timeoutMs, ...(options.caFile ? { caFile: options.caFile } : {}) };
  const report = await checkUrl(url, bounds);
  const envWarning = await envReadingsWarning(options, bounds);
  if (envWarning) report.warnings.push(envWarning);
  if (options.json) printJson(publicReport(report));
  // The server's own words (its version, its errors) are printed too: no escape sequence gets through.
  else process.stdout.write(maskText(sanitizeForTerminal(renderCheck(report))));
  return report.ok ? EXIT.ok : EXIT.checkFailed;
}

/** The argument, stdin, or the variable in the .env file. */
async function urlToCheck(o: CheckOptions): Promise<string> {
  if (o.url !== undefined) return o.url;
  if (o.urlStdin) return readAllStdin();
  if (!existsSync(o.envFile)) {
    throw new UsageError(
      `No Redis URL to check: ${o.envFile} does not exist.`,
      'Pass the URL (npx redis-setup check "rediss://default:PASSWORD@HOST:PORT"), pipe it with ' +
        '--url-stdin, or point --dotenv at your .env file.',
    );
  }
  const readings = await readEnvReadings(o.envFile, o.variable);
  const value = readings?.pythonUnreadable ? readings.node : readings?.python;
  if (value === undefined) {
    const nodeOnly =
      readings?.node !== undefined
        ? " as python-dotenv reads it (Node's dotenv does read a value: is it a `KEY: value` line?)"
        : '';
    throw new UsageError(
      `No Redis URL to check: ${o.variable} is not set in ${o.envFile}${nodeOnly}.`,
      `Pass one: npx redis-setup check "rediss://default:PASSWORD@HOST:PORT", or pipe it with ` +
        `--url-stdin, or run npx redis-setup to write ${o.envFile}.`,
    );
  }
  return value;
}

/** The app reads .env with python-dotenv, a Node app with dotenv: when they differ, judge both. */
async function envReadingsWarning(
  o: CheckOptions,
  opts: { timeoutMs: number; caFile?: string },
): Promise<CheckWarning | undefined> {
  if (o.url !== undefined || o.urlStdin) return undefined;
  const r = await readEnvReadings(o.envFile, o.variable);
  if (r === undefined || (r.python === r.node && !r.pythonUnreadable)) return undefined;
  const node = r.node === undefined ? undefined : await checkUrl(r.node, opts);
  const literal = r.node?.includes('${') ? ' (dotenv does not expand ${…})' : '';
  const nodeText = node ? `${node.url}${literal}, which checks as ${node.code}` : 'no value';
  const unreadable = 'nothing (the file is not valid UTF-8: python-dotenv raises UnicodeDecodeError)';
  const pythonText = r.pythonUnreadable ? unreadable : r.python === undefined ? 'no value' : maskUrl(r.python);
  return {
    code: 'env-readers-disagree',
    message: `Python apps (python-dotenv) read ${o.variable} as ${pythonText}; Node apps (dotenv) read ${nodeText}.`,
    fix:
      'Write the value so both read it alike: UTF-8, no ${VAR} references, no backticks, ' +
      'KEY=value lines (npx redis-setup writes it that way).',
  };
}

export function renderCheck(r: CheckReport): string {
  const tls = r.tls === null ? '' : r.tls ? ', TLS' : ', no TLS';
  const lines: string[] = [`URL      ${r.url}${r.provider ? `  (${r.provider}${tls})` : ''}`];
  if (r.ok) {
    lines.push(`Verdict  ✔ ok: ${r.message}`, `Latency  ${r.latencyMs} ms (median of 5 PINGs)`);
    if (r.serverVersion) lines.push(`Server   Redis ${r.serverVersion}`);
  } else {
    lines.push(`Verdict  ✖ ${r.code}`, `Cause    ${r.message}`, `Fix      ${r.fix}`);
  }
  for (const w of r.warnings) lines.push(`Warning  ${w.code}: ${w.message}`, `         Fix: ${w.fix}`);
  if (r.normalizedUrl || r.suggestedUrl) {
    lines.push(
      '         Run npx redis-setup (or setup --provider url --url-stdin) to write the corrected, ' +
        'percent-encoded URL for you.',
    );
  }
  return `${lines.join('\n')}\n`;
}
