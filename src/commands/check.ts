// `redis-setup check`: is this Redis URL usable, and if not, exactly why and how to fix it.
import { readFile } from 'node:fs/promises';
import { analyzeUrl, maskUrl, type Provider } from '../core/url.js';
import { classifyFailure, evictionWarning, explain, type CheckCode } from '../core/diagnosis.js';
import { probeRedis } from '../edge/probe.js';
import { EXIT, UsageError } from '../errors.js';

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

async function readCa(caFile: string | undefined): Promise<Buffer | undefined> {
  if (!caFile) return undefined;
  try {
    return await readFile(caFile);
  } catch (e) {
    throw new UsageError(`Cannot read the CA file ${caFile}: ${(e as NodeJS.ErrnoException).code ?? 'unreadable'}.`,
      'Pass the path of a PEM certificate file with --ca FILE.');
  }
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
  const { readEnvReadings } = await import('../edge/dotenv-read.js');
  const readings = await readEnvReadings(input.envFile, input.variable);
  const value = readings?.pythonUnreadable ? readings.node : readings?.python;
  if (value === undefined) {
    const nodeOnly = readings?.node !== undefined
      ? ' as python-dotenv reads it (Node\'s dotenv does read a value: is it a `KEY: value` line?)' : '';
    throw new UsageError(`No Redis URL to check: ${input.variable} is not set in ${input.envFile}${nodeOnly}.`,
      `Pass one: npx redis-setup check "rediss://default:PASSWORD@HOST:PORT", or pipe it with --url-stdin, or run npx redis-setup to write ${input.envFile}.`);
  }
  return value;
}

/**
 * When the URL came from .env and Node's dotenv reads it differently from python-dotenv (whose
 * reading was checked), judge Node's reading too and report both.
 */
export async function envReadingsWarning(input: CheckCommandInput, opts: CheckOptions)
  : Promise<CheckWarning | undefined> {
  if (input.url !== undefined || input.urlStdin) return undefined;
  const { readEnvReadings } = await import('../edge/dotenv-read.js');
  const r = await readEnvReadings(input.envFile, input.variable);
  if (r === undefined || (r.python === r.node && !r.pythonUnreadable)) return undefined;
  const node = r.node === undefined ? undefined : await checkUrl(r.node, opts);
  const literal = r.node?.includes('${') ? ' (dotenv does not expand ${…})' : '';
  const nodeText = node ? `${node.url}${literal}, which checks as ${node.code}` : 'no value';
  const unreadable = 'nothing (the file is not valid UTF-8: python-dotenv raises UnicodeDecodeError)';
  const pythonText = r.pythonUnreadable ? unreadable : r.python === undefined ? 'no value' : maskUrl(r.python);
  return {
    code: 'env-readers-disagree',
    message: `Python apps (python-dotenv) read ${input.variable} as ${pythonText}; Node apps (dotenv) read `
      + `${nodeText}.`,
    fix: 'Write the value so both read it alike: UTF-8, no ${VAR} references, no backticks, KEY=value lines (npx '
      + 'redis-setup writes it that way).',
  };
}

export function checkExitCode(r: CheckReport): number {
  return r.ok ? EXIT.ok : EXIT.checkFailed;
}

