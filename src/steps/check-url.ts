// One URL checked live: the URL rules (core/url), a bounded probe (edge/probe), the diagnosis
// catalogue (core/diagnosis). Never throws for a bad URL: the report says what is wrong.
import { readFile } from 'node:fs/promises';
import type { CheckReport, CheckWarning } from '../core/check-report.js';
import { classifyFailure, evictionWarning, explain } from '../core/diagnosis.js';
import { analyzeUrl, maskUrl } from '../core/url.js';
import { probeRedis } from '../edge/probe.js';
import { UsageError } from '../errors.js';

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
      ok: false, code: issue.code, message: issue.message, fix: issue.fix, url: masked,
      provider: analysis.provider ?? null, tls: null, latencyMs: null, serverVersion: null, warnings: [],
      ...(issue.suggestedUrl ? { suggestedUrl: issue.suggestedUrl } : {}),
    };
  }
  const { url, provider } = analysis;
  const ca = await readCa(opts.caFile);
  const ctx = { host: url.host, port: url.port, tls: url.tls, provider, timeoutSeconds: opts.timeoutMs / 1000 };
  const warnings: CheckWarning[] = analysis.warnings.map(({ code, message, fix }) => ({ code, message, fix }));
  const base = {
    url: masked, provider, tls: url.tls,
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
