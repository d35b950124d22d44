// The result of checking one Redis URL, and its public (secret-free) shapes. Pure types.
import type { CheckCode } from './diagnosis.js';
import type { Provider } from './url.js';

export interface CheckWarning {
  code: string;
  message: string;
  fix: string;
}

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

/** What a plan shows of a passed check. */
export type CheckSummary = Pick<CheckReport, 'url' | 'provider' | 'tls' | 'latencyMs'>;

/** The JSON shape of `check --json`: no field holds a secret. */
export function publicReport(r: CheckReport): Omit<CheckReport, 'normalizedUrl' | 'suggestedUrl'> {
  const { normalizedUrl: _n, suggestedUrl: _s, ...rest } = r;
  return rest;
}

export const summarize = (r: CheckReport): CheckSummary => ({
  url: r.url,
  provider: r.provider,
  tls: r.tls,
  latencyMs: r.latencyMs,
});
