// One URL checked live: the URL rules (core/url), a bounded probe (edge/probe), the diagnosis
// catalogue (core/diagnosis). Never throws for a bad URL: the report says what is wrong.
import type { CheckReport, CheckWarning } from '../core/check-report.js';
import { classifyFailure, evictionWarning, explain } from '../core/diagnosis.js';
import { analyzeUrl, maskUrl } from '../core/url.js';
import { probeRedis } from '../edge/probe.js';
import { readBoundedRegularFile } from '../edge/secret-file.js';
import { CliError, UsageError } from '../errors.js';

export interface CheckOptions {
  timeoutMs: number;
  caFile?: string;
}

export async function checkUrl(input: string, opts: CheckOptions): Promise<CheckReport> {
  const analysis = analyzeUrl(input);
  const masked = maskUrl(input);
  if (!analysis.ok) {
    const { issue } = analysis;
    return {
      ok: false,
      code: issue.code,
      message: issue.message,
      fix: issue.fix,
      url: masked,
      provider: analysis.provider ?? null,
      tls: null,
      latencyMs: null,
      serverVersion: null,
      warnings: [],
      ...(issue.suggestedUrl ? { suggestedUrl: issue.suggestedUrl } : {}),
    };
  }
  const { url, provider } = analysis;
  const ca = await readCa(opts.caFile);
  const ctx = { host: url.host, port: url.port, tls: url.tls, provider, timeoutSeconds: opts.timeoutMs / 1000 };
  const warnings: CheckWarning[] = analysis.warnings.map(({ code, message, fix }) => ({ code, message, fix }));
  const base = {
    url: masked,
    provider,
    tls: url.tls,
    ...(analysis.normalized !== input.trim() ? { normalizedUrl: analysis.normalized } : {}),
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
  return {
    ok: true,
    code: 'ok',
    message: d.message,
    fix: '',
    ...base,
    latencyMs: result.latencyMs,
    serverVersion: result.serverVersion ?? null,
    warnings,
  };
}

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
