// Where the URL comes from, then a live check of it. The URL that goes into .env must be one this
// machine can reach; the value for Railway services may be a reference instead.
import type { CheckReport } from '../core/check-report.js';
import type { Provider, SetupOptions } from '../core/options.js';
import type { ProviderAction } from '../core/plan.js';
import { analyzeUrl, cleanPastedUrl, maskUrl, referenceValue } from '../core/url.js';
import { CliError, EXIT } from '../errors.js';
import { readEnvValue } from '../edge/dotenv-read.js';
import { checkUrl } from './check-url.js';
import { type StepContext, missingFlag } from './context.js';
import type { RailwayState } from './preflight.js';

export interface ChosenSource {
  provider: Provider;
  /** What each Railway service gets: a URL (secret) or a reference (no secret). Undefined with a provider action. */
  railwayValue: string | undefined;
  /** The URL for .env: reachable from here, checked live. Undefined when none can be had yet. */
  localUrl: string | undefined;
  check: CheckReport | undefined;
  /** Extra lines for the plan (why .env is skipped, what verifies a reference). */
  notes: string[];
  /** A change that yields the URL (Upstash create or password reset): runs after the confirmation. */
  providerAction?: ProviderAction;
}

type Ctx = StepContext<SetupOptions>;

export const CHECK_TIMEOUT_MS = 5000;

const PROVIDER_LABELS: Record<Provider, { label: string; hint: string }> = {
  railway: { label: 'Railway Redis (public URL)', hint: 'read from the Redis service, nothing to paste' },
  upstash: { label: 'Upstash', hint: 'paste the rediss:// URL' },
  url: { label: 'Another Redis URL', hint: 'paste redis:// or rediss://' },
  reference: {
    label: 'Railway reference ${{Redis.REDIS_URL}}',
    hint: 'private network, follows password changes; services in this project only',
  },
};

export async function chooseProvider(ctx: Ctx, railway: RailwayState | undefined): Promise<Provider> {
  const { options, ui } = ctx;
  if (options.provider) return options.provider;
  if (options.url !== undefined) return 'url';
  if (!ctx.canPrompt) throw missingFlag('Where the Redis URL comes from', '--provider railway|upstash|url|reference');
  const options_ = (Object.keys(PROVIDER_LABELS) as Provider[])
    .filter((p) => railway?.redis || (p !== 'railway' && p !== 'reference'))
    .map((value) => ({ value, ...PROVIDER_LABELS[value] }));
  return ui.select({
    message: 'Where should the Redis URL come from?',
    options: options_,
    initialValue: railway?.redis ? 'railway' : 'upstash',
  });
}

/** Railway's public URL of the Redis service, found by host, not by variable name. */
export function findPublicUrl(vars: Record<string, string | null>): string | undefined {
  const names = [
    'REDIS_PUBLIC_URL',
    'REDIS_URL',
    'REDIS_PRIVATE_URL',
    ...Object.keys(vars).filter((k) => /URL$/.test(k)),
  ];
  for (const name of names) {
    const value = vars[name];
    if (!value || !/^rediss?:\/\//.test(value)) continue;
    const analysis = analyzeUrl(value);
    if (analysis.ok && analysis.provider !== 'railway-private') return value;
  }
  return undefined;
}

function noPublicUrl(redisName: string): CliError {
  return new CliError(
    `The Redis service ${redisName} has no public URL: Public Networking is off, so nothing ` +
      `outside Railway can reach it.`,
    EXIT.checkFailed,
    `Turn it on: Railway dashboard → ${redisName} → Settings → Networking → Public Networking → ` +
      `TCP Proxy (port 6379); then run again. For services inside this project, --provider ` +
      `reference needs no public URL.`,
    'no-public-url',
  );
}

/** Nothing has been changed when the URL fails its check: exit 1 with the diagnosis. */
export function checkFailed(report: CheckReport): CliError {
  return new CliError(
    `The URL check failed (${report.code}) for ${report.url}: ${report.message}`,
    EXIT.checkFailed,
    `${report.fix} Nothing was changed.`,
    report.code,
  );
}

function liveCheck(ctx: Ctx, url: string): Promise<CheckReport> {
  const { caFile } = ctx.options;
  return ctx.ui.task(
    'Checking the URL live',
    () => checkUrl(url, { timeoutMs: CHECK_TIMEOUT_MS, ...(caFile ? { caFile } : {}) }),
    (r) => (r.ok ? `${r.url}: ok, ${r.latencyMs} ms, Redis ${r.serverVersion ?? '?'}` : `${r.url}: ${r.code}`),
  );
}

export async function obtainSource(
  ctx: Ctx,
  provider: Provider,
  railway: RailwayState | undefined,
  pastedUrl: string | undefined,
): Promise<ChosenSource> {
  if (provider === 'railway' || provider === 'reference') return fromRailway(ctx, provider, railway);
  let candidate = pastedUrl;
  if (provider === 'upstash' && candidate === undefined) {
    const { chooseUpstash } = await import('./upstash-source.js');
    const current = await readEnvValue(ctx.options.envFile, ctx.options.variable).catch(() => undefined);
    const choice = await chooseUpstash(ctx, current);
    if (choice.kind === 'action') {
      const notes = [`${choice.action.describe}; then the new URL is checked live before anything else changes.`];
      if (choice.action.irreversible)
        notes.push('The reset cannot be undone: services keep failing until they are redeployed with the new URL.');
      return {
        provider,
        railwayValue: undefined,
        localUrl: undefined,
        check: undefined,
        notes,
        providerAction: choice.action,
      };
    }
    if (choice.kind === 'url') candidate = choice.url;
  }
  return pasted(ctx, provider, candidate);
}

async function fromRailway(
  ctx: Ctx,
  provider: 'railway' | 'reference',
  railway: RailwayState | undefined,
): Promise<ChosenSource> {
  if (!railway) {
    throw new CliError(
      `--provider ${provider} reads the Redis service through the railway CLI, but --no-railway was given.`,
      EXIT.usage,
      'Drop --no-railway, or use --provider url with --url-stdin.',
      'usage',
    );
  }
  const redis = railway.redis;
  if (!redis) {
    throw new CliError(
      'Cannot tell which service is the Redis database (no service, or more than one, runs a redis image).',
      EXIT.railway,
      `Pass --redis-service NAME (services: ${railway.services.map((s) => s.name).join(', ')}).`,
      'railway-service',
    );
  }
  const vars = railway.redisVariables;
  for (const v of Object.values(vars)) ctx.secrets.addUrl(v);
  const publicUrl = findPublicUrl(vars);
  if (provider === 'railway') {
    if (!publicUrl) throw noPublicUrl(redis.name);
    const report = await liveCheck(ctx, publicUrl);
    if (!report.ok) throw checkFailed(report);
    const value = report.normalizedUrl ?? cleanPastedUrl(publicUrl);
    return { provider, railwayValue: value, localUrl: value, check: report, notes: [] };
  }
  if (!vars.REDIS_URL) {
    throw new CliError(
      `The Redis service ${redis.name} has no REDIS_URL variable to reference.`,
      EXIT.railway,
      'Use the Railway Redis template (it defines REDIS_URL), or choose --provider railway/url.',
      'railway-service',
    );
  }
  const notes = [
    'Services get a reference, which only their logs can verify (the private network is not reachable from here).',
  ];
  const reference = referenceValue(redis.name);
  if (!publicUrl) {
    notes.push(
      `.env is left alone: ${redis.name} has no public URL this machine could use (turn on Public ` +
        `Networking to get one).`,
    );
    return { provider, railwayValue: reference, localUrl: undefined, check: undefined, notes };
  }
  const report = await liveCheck(ctx, publicUrl);
  if (!report.ok) throw checkFailed(report);
  return {
    provider,
    railwayValue: reference,
    localUrl: report.normalizedUrl ?? cleanPastedUrl(publicUrl),
    check: report,
    notes,
  };
}

/** upstash / url: pasted (or piped) by the user, checked, and asked again on failure when we can. */
async function pasted(ctx: Ctx, provider: Provider, first: string | undefined): Promise<ChosenSource> {
  const { ui } = ctx;
  let candidate = first;
  for (;;) {
    if (candidate === undefined) {
      if (!ctx.canPrompt) throw missingFlag('The Redis URL', '--url-stdin (or --url)');
      candidate = await ui.password({
        message:
          provider === 'upstash'
            ? 'Paste the Upstash rediss:// URL (input is hidden)'
            : 'Paste the Redis URL (input is hidden)',
        validate: (v) => (v && v.trim() !== '' ? undefined : 'Paste a redis:// or rediss:// URL'),
      });
    }
    ctx.secrets.addUrl(cleanPastedUrl(candidate));
    const report = await liveCheck(ctx, candidate);
    if (report.ok) return accepted(ctx, provider, candidate, report);
    if (!ctx.canPrompt) throw checkFailed(report);
    ui.error(`${report.message}\nFix: ${report.fix}`);
    if (
      report.suggestedUrl &&
      (await ui.confirm({ message: `Use the corrected URL ${maskUrl(report.suggestedUrl)}?`, initialValue: true }))
    ) {
      candidate = report.suggestedUrl;
      continue;
    }
    candidate = undefined; // ask again
  }
}

function accepted(ctx: Ctx, provider: Provider, candidate: string, report: CheckReport): ChosenSource {
  if (provider === 'upstash' && report.provider !== 'upstash') {
    ctx.ui.warn(`This host is not *.upstash.io (${report.provider}); continuing with it as a plain Redis URL.`);
  }
  for (const w of report.warnings) ctx.ui.warn(`${w.message}\n${w.fix}`);
  const value = report.normalizedUrl ?? cleanPastedUrl(candidate);
  const notes = report.normalizedUrl
    ? ['The URL will be written percent-encoded, so every client reads the same password.']
    : [];
  return { provider, railwayValue: value, localUrl: value, check: report, notes };
}
