// `redis-setup check`: is this Redis URL usable, and if not, exactly why and how to fix it.
import { analyzeUrl, maskUrl, type Provider } from '../core/url.js';
import { classifyFailure, evictionWarning, explain, type CheckCode } from '../core/diagnosis.js';
import { probeRedis } from '../edge/probe.js';
import { CliError, EXIT, UsageError } from '../errors.js';
import { readBoundedRegularFile } from '../edge/secret-file.js';

export interface CheckWarning { code: string; message: string; fix: string }

export interface CheckReport {
  ok: boolean;
  code: CheckCode;
  message: string;
  fix: string;
  /** Masked: safe to print. */
  url: string;
  provider: Provider | null;
  tls: boolean | null;
  latencyMs: number | null;
  serverVersion: string | null;
  warnings: CheckWarning[];
  /** The percent-encoded URL when it differs from the input. Holds the secret: never print it. */
  normalizedUrl?: string;
  /** A corrected URL (rediss:// for Upstash…). Holds the secret: never print it. */
  suggestedUrl?: string;
}

export interface CheckOptions {
  timeoutMs: number;
  caFile?: string;
}

export const DEFAULT_TIMEOUT_SECONDS = 5;

/** Analyze, probe and diagnose one URL. Never throws for a bad URL: the report says what is wrong. */
export async function checkUrl(input: string, opts: CheckOptions): Promise<CheckReport> {
  const analysis = analyzeUrl(input);
  const masked = maskUrl(input);
  if (!analysis.ok) {
    const { issue } = analysis;
    return {
      ok: false, code: issue.code, message: issue.message, fix: issue.fix, url: masked,
      provider: analysis.provider ?? null, tls: null, latencyMs: null, serverVersion: null, warnings: [],
      ...(issue.suggestedUrl ? { suggestedUrl: issue.suggestedUrl } : {}),
    };
  }
  const { url, provider } = analysis;
  const ca = await readCa(opts.caFile);
  const ctx = { host: url.host, port: url.port, tls: url.tls, provider, timeoutSeconds: opts.timeoutMs / 1000 };
  const warnings: CheckWarning[] = analysis.warnings.map(({ code, message, fix }) => ({ code, message, fix }));
  const encodedDiffers = analysis.normalized !== input.trim();
  const base = {
    url: masked, provider, tls: url.tls,
    ...(encodedDiffers ? { normalizedUrl: analysis.normalized } : {}),
  };

  const result = await probeRedis({ url, timeoutMs: opts.timeoutMs, ...(ca ? { ca } : {}) });
  if (!result.ok) {
    const code = classifyFailure(result.failure, { tls: url.tls });
    const d = explain(code, ctx);
    return { ok: false, code, message: d.message, fix: d.fix, ...base, latencyMs: null, serverVersion: null, warnings };
  }
  const eviction = result.maxmemoryPolicy ? evictionWarning(result.maxmemoryPolicy) : undefined;
  if (eviction) warnings.push(eviction);
  const d = explain('ok', ctx);
  return { ok: true, code: 'ok', message: d.message, fix: '', ...base, latencyMs: result.latencyMs, serverVersion: result.serverVersion ?? null, warnings };
}

/** A CA bundle is a few KiB of PEM; a device, FIFO or huge file is refused instead of read. */
const MAX_CA_BYTES = 1024 * 1024;

async function readCa(caFile: string | undefined): Promise<Buffer | undefined> {
  if (!caFile) return undefined;
  const fix = 'Pass the path of a PEM certificate file with --ca FILE.';
  let ca: Buffer | undefined;
  try {
    ca = await readBoundedRegularFile(caFile, MAX_CA_BYTES);
  } catch (e) {
    if (e instanceof CliError) throw new UsageError(e.message, `${fix} It must be a regular file of at most 1 MiB.`);
    const code = (e as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new UsageError(`Cannot read the CA file ${caFile}: ${code}.`, fix);
  }
  if (ca === undefined) throw new UsageError(`Cannot read the CA file ${caFile}: ENOENT.`, fix);
  return ca;
}

/** The JSON shape of `check --json`: no field holds a secret. */
export function publicReport(r: CheckReport): Omit<CheckReport, 'normalizedUrl' | 'suggestedUrl'> {
  const { normalizedUrl: _n, suggestedUrl: _s, ...rest } = r;
  return rest;
}

export interface CheckCommandInput {
  url?: string;
  urlStdin: boolean;
  envFile: string;
  variable: string;
  timeoutSeconds: number;
  caFile?: string;
  json: boolean;
}

/** Where the URL comes from: the argument, stdin, or the variable in .env. */
export async function resolveCheckUrl(input: CheckCommandInput, readStdin: () => Promise<string>): Promise<string> {
  if (input.url !== undefined && input.urlStdin) throw new UsageError('Give the URL either as an argument or with --url-stdin, not both.');
  if (input.url !== undefined) return input.url;
  if (input.urlStdin) {
    const text = await readStdin();
    if (text.trim() === '') throw new UsageError('--url-stdin was given, but stdin was empty.', 'Pipe the URL in: printf %s "$REDIS_URL" | npx redis-setup check --url-stdin');
    return text;
  }
  const { readEnvValue } = await import('../edge/dotenv-read.js');
  const value = await readEnvValue(input.envFile, input.variable);
  if (value === undefined) {
    throw new UsageError(`No Redis URL to check: ${input.variable} is not set in ${input.envFile}.`,
      `Pass one: npx redis-setup check "rediss://default:PASSWORD@HOST:PORT", or pipe it with --url-stdin, or run npx redis-setup to write ${input.envFile}.`);
  }
  return value;
}

export function checkExitCode(r: CheckReport): number {
  return r.ok ? EXIT.ok : EXIT.checkFailed;
}

