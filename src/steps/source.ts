// Steps 2 and 3: where the URL comes from, then a live check of it. The URL that goes into .env
// must be one this machine can reach; the value for Railway services may be a reference instead.
import { analyzeUrl, cleanPastedUrl, maskUrl, referenceValue } from '../core/url.js';
import { CliError, EXIT } from '../errors.js';
import { checkUrl, type CheckReport } from '../commands/check.js';
import { DEFAULT_TIMEOUT_SECONDS } from '../commands/check.js';
import type { SetupContext, SourceProvider } from './context.js';
import { missingFlag } from './context.js';
import type { RailwayState } from './preflight.js';

export interface ChosenSource {
  provider: SourceProvider;
  /** The value each Railway service gets: a URL (secret) or a reference (no secret). */
  railwayValue: string | undefined;
  /** The URL for .env: reachable from here, checked live. Undefined when none can be had. */
  localUrl: string | undefined;
  check: CheckReport | undefined;
  /** Extra lines for the plan (why .env is skipped, what verifies a reference). */
  notes: string[];
  /** A change that yields the URL (Upstash create or password reset): runs after the confirmation. */
  pending?: { describe: string; obtain: () => Promise<string>; irreversible: boolean };
}

const PROVIDER_LABELS: Record<SourceProvider, { label: string; hint: string }> = {
  railway: { label: 'Railway Redis (public URL)', hint: 'read from the Redis service, nothing to paste' },
  upstash: { label: 'Upstash', hint: 'paste the rediss:// URL' },
  url: { label: 'Another Redis URL', hint: 'paste redis:// or rediss://' },
  reference: { label: 'Railway reference ${{Redis.REDIS_URL}}', hint: 'private network, follows password changes; services in this project only' },
};

export async function chooseProvider(ctx: SetupContext, railway: RailwayState | undefined): Promise<SourceProvider> {
  const { settings, ui } = ctx;
  if (settings.provider) return settings.provider;
  if (settings.url !== undefined) return 'url';
  if (!ctx.canPrompt) throw missingFlag('Where the Redis URL comes from', '--provider railway|upstash|url|reference');
  const options = (Object.keys(PROVIDER_LABELS) as SourceProvider[])
    .filter((p) => railway?.redis || (p !== 'railway' && p !== 'reference'))
    .map((value) => ({ value, ...PROVIDER_LABELS[value] }));
  return ui.select({ message: 'Where should the Redis URL come from?', options, initialValue: railway?.redis ? 'railway' : 'upstash' });
}

/** Railway's public URL of the Redis service, found by host, not by variable name. */
export function findPublicUrl(vars: Record<string, string>): string | undefined {
  const names = ['REDIS_PUBLIC_URL', 'REDIS_URL', 'REDIS_PRIVATE_URL', ...Object.keys(vars).filter((k) => /URL$/.test(k))];
  for (const name of names) {
    const value = vars[name];
    if (!value || !/^rediss?:\/\//.test(value)) continue;
    const analysis = analyzeUrl(value);
    if (analysis.ok && analysis.provider !== 'railway-private') return value;
  }
  return undefined;
}

function noPublicUrl(redisName: string): CliError {
  return new CliError(`The Redis service ${redisName} has no public URL: Public Networking is off, so nothing outside Railway can reach it.`, EXIT.checkFailed,
    `Turn it on: Railway dashboard → ${redisName} → Settings → Networking → Public Networking → TCP Proxy (port 6379); then run again. For services inside this project, --provider reference needs no public URL.`, 'no-public-url');
}

export async function obtainSource(ctx: SetupContext, provider: SourceProvider, railway: RailwayState | undefined): Promise<ChosenSource> {
  const { settings, ui } = ctx;
  const timeoutMs = DEFAULT_TIMEOUT_SECONDS * 1000;
  const check = (url: string) => ui.task('Checking the URL live', () => checkUrl(url, { timeoutMs, ...(settings.caFile ? { caFile: settings.caFile } : {}) }),
    (r) => (r.ok ? `${r.url}: ok, ${r.latencyMs} ms, Redis ${r.serverVersion ?? '?'}` : `${r.url}: ${r.code}`));

  if (provider === 'railway' || provider === 'reference') {
    if (!railway) throw new CliError(`--provider ${provider} reads the Redis service through the railway CLI, but --no-railway was given.`, EXIT.usage, 'Drop --no-railway, or use --provider url with --url-stdin.', 'usage');
    const redis = railway.redis;
    if (!redis) {
      const candidates = railway.services.map((s) => s.name).join(', ');
      throw new CliError('Cannot tell which service is the Redis database (no service, or more than one, runs a redis image).', EXIT.railway,
        `Pass --redis-service NAME (services: ${candidates}).`, 'railway-service');
    }
    const vars = await railway.railway.variables(redis.name);
    const publicUrl = findPublicUrl(vars);
    if (provider === 'railway') {
      if (!publicUrl) throw noPublicUrl(redis.name);
      const report = await check(publicUrl);
      if (!report.ok) throw checkFailed(report);
      const value = report.normalizedUrl ?? cleanPastedUrl(publicUrl);
      return { provider, railwayValue: value, localUrl: value, check: report, notes: [] };
    }
    // reference
    if (!vars.REDIS_URL) {
      throw new CliError(`The Redis service ${redis.name} has no REDIS_URL variable to reference.`, EXIT.railway,
        'Use the Railway Redis template (it defines REDIS_URL), or choose --provider railway/url.', 'railway-service');
    }
    const notes = ['Services get a reference, which only their logs can verify (the private network is not reachable from here).'];
    if (!publicUrl) {
      notes.push(`.env is left alone: ${redis.name} has no public URL this machine could use (turn on Public Networking to get one).`);
      return { provider, railwayValue: referenceValue(redis.name), localUrl: undefined, check: undefined, notes };
    }
    const report = await check(publicUrl);
    if (!report.ok) throw checkFailed(report);
    return { provider, railwayValue: referenceValue(redis.name), localUrl: report.normalizedUrl ?? cleanPastedUrl(publicUrl), check: report, notes };
  }

  // upstash / url: pasted (or piped) by the user, checked, and asked again on failure when we can.
  let candidate = settings.url;
  if (provider === 'upstash' && candidate === undefined) {
    const { chooseUpstash } = await import('./upstash-source.js');
    const { readEnvValue } = await import('../edge/dotenv-read.js');
    const choice = await chooseUpstash(ctx, settings.upstash, await readEnvValue(settings.envFile, settings.variable).catch(() => undefined));
    if (choice.kind === 'pending') {
      return {
        provider, railwayValue: undefined, localUrl: undefined, check: undefined, pending: choice,
        notes: [`${choice.describe}; then the new URL is checked live before anything else changes.`,
          ...(choice.irreversible ? ['The reset cannot be undone: services keep failing until they are redeployed with the new URL.'] : [])],
      };
    }
    if (choice.kind === 'url') candidate = choice.url;
  }
  for (;;) {
    if (candidate === undefined) {
      if (!ctx.canPrompt) throw missingFlag('The Redis URL', '--url-stdin (or --url)');
      candidate = await ui.password({
        message: provider === 'upstash' ? 'Paste the Upstash rediss:// URL (input is hidden)' : 'Paste the Redis URL (input is hidden)',
        validate: (v) => (v && v.trim() !== '' ? undefined : 'Paste a redis:// or rediss:// URL'),
      });
    }
    const report = await check(candidate);
    if (report.ok) {
      if (provider === 'upstash' && report.provider !== 'upstash') ui.warn(`This host is not *.upstash.io (${report.provider}); continuing with it as a plain Redis URL.`);
      const value = report.normalizedUrl ?? cleanPastedUrl(candidate);
      for (const w of report.warnings) ui.warn(`${w.message}\n${w.fix}`);
      return { provider, railwayValue: value, localUrl: value, check: report, notes: report.normalizedUrl ? ['The URL will be written percent-encoded, so every client reads the same password.'] : [] };
    }
    if (!ctx.canPrompt) throw checkFailed(report);
    ui.error(`${report.message}\nFix: ${report.fix}`);
    if (report.suggestedUrl && (await ui.confirm({ message: `Use the corrected URL ${maskUrl(report.suggestedUrl)}?`, initialValue: true }))) {
      candidate = report.suggestedUrl;
      continue;
    }
    candidate = undefined; // ask again
  }
}

/** After the confirmation: run the Upstash change, then check the URL it gives (new passwords can take a moment). */
export async function resolvePending(ctx: SetupContext, source: ChosenSource): Promise<ChosenSource> {
  if (!source.pending) return source;
  const { ui, settings } = ctx;
  const url = await ui.task(source.pending.describe, () => source.pending!.obtain(), () => 'done');
  let report: CheckReport | undefined;
  for (let attempt = 0; attempt < 5; attempt++) {
    report = await ui.task('Checking the new URL live', () => checkUrl(url, { timeoutMs: DEFAULT_TIMEOUT_SECONDS * 1000, ...(settings.caFile ? { caFile: settings.caFile } : {}) }),
      (r) => (r.ok ? `${r.url}: ok, ${r.latencyMs} ms` : `${r.url}: ${r.code}`));
    if (report.ok || !['wrong-password', 'dns', 'refused', 'timeout'].includes(report.code)) break;
    await new Promise((r) => setTimeout(r, 1500));
  }
  if (!report!.ok) {
    // Right after our own reset, "it was probably rotated" would mislead: say what we know.
    const cause = report!.code === 'wrong-password'
      ? 'Redis still rejects the new password (Upstash may not have applied it yet).'
      : report!.message;
    const fix = report!.code === 'wrong-password' ? 'Wait a minute.' : report!.fix;
    throw new CliError(`${source.pending.describe} succeeded, but the new URL failed its check (${report!.code}): ${cause}`, EXIT.checkFailed,
      `${fix} .env and Railway were not changed${source.pending.irreversible ? ', but the old password no longer works' : ''}: once fixed, run again with --upstash-db NAME alone to use the database as it is now.`, report!.code);
  }
  const value = report!.normalizedUrl ?? cleanPastedUrl(url);
  const { pending: _done, ...rest } = source;
  return { ...rest, railwayValue: value, localUrl: value, check: report };
}

/** Nothing has been changed when the URL fails its check: exit 1 with the diagnosis. */
export function checkFailed(report: CheckReport): CliError {
  return new CliError(`The URL check failed (${report.code}) for ${report.url}: ${report.message}`, EXIT.checkFailed, `${report.fix} Nothing was changed.`, report.code);
}

