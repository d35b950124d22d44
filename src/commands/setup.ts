// `redis-setup` / `redis-setup setup`: the whole runbook in one command. Preflight → source →
// live check → services → plan → apply (.env, variables) → redeploy and watch → result.
// Each step lives in src/steps/; this file only puts them in order and reports.
import { existsSync } from 'node:fs';
import type { Flags } from '../cli.js';
import { resolveRolePatterns } from '../core/config.js';
import { maskText } from '../core/mask.js';
import { passwordOf } from '../core/url.js';
import { CancelledError, CliError, EXIT } from '../errors.js';
import { Railway } from '../edge/railway.js';
import { loadRolePatterns } from '../edge/package-files.js';
import { createUi, isInteractive } from '../ui/prompts.js';
import { settingsFromFlags, type SetupContext } from '../steps/context.js';
import { preflight, type RailwayState } from '../steps/preflight.js';
import { chooseProvider, obtainSource, resolvePending } from '../steps/source.js';
import { chooseServices } from '../steps/services.js';
import { confirmPlan, type SetupPlan } from '../steps/plan.js';
import { applyPlan, rollbackChange, saveProjectConfig, warnIfNotIgnored, type ApplyResult } from '../steps/apply.js';
import { rollout, type ServiceOutcome } from '../steps/rollout.js';
import { printOutcomes, type SetupReport } from '../steps/result.js';
import { reportFailure } from '../run.js';

export async function setupCommand(flags: Flags, args: string[]): Promise<number> {
  if (args.length > 0) throw new CliError(`setup takes no arguments (got "${args[0]}").`, EXIT.usage, 'Pass the URL with --url-stdin.', 'usage');
  const settings = await settingsFromFlags(flags);
  const ui = createUi({ json: settings.json });
  const ctx: SetupContext = { settings, ui, canPrompt: !settings.yes && !settings.json && isInteractive() };
  ui.intro('redis-setup');

  const reports: SetupReport[] = [];
  for (const environment of settings.environments) {
    try {
      reports.push(await setupEnvironment(ctx, environment));
    } catch (e) {
      if (e instanceof CancelledError) throw e;
      if (settings.environments.length === 1) throw e;
      // Several environments: report this one and carry on with the rest.
      const err = e instanceof CliError ? e : new CliError(maskText(String(e)), EXIT.checkFailed);
      ui.error(`${environment ?? 'linked environment'}: ${err.message}${err.fix ? `\nFix: ${err.fix}` : ''}`);
      reports.push({ ok: false, code: err.code, exitCode: err.exitCode, environment: environment ?? null, message: err.message, fix: err.fix ?? '', env: { path: settings.envFile, changed: false }, services: [] });
    }
  }
  const exitCode = reports.reduce((worst, r) => Math.max(worst, r.exitCode), 0);
  if (settings.json) {
    const body = reports.length === 1 ? publicReport(reports[0]!) : { ok: exitCode === 0, environments: reports.map(publicReport) };
    process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
  }
  return exitCode;
}

function publicReport(r: SetupReport) {
  const { exitCode: _e, ...rest } = r;
  return rest;
}

async function setupEnvironment(ctx: SetupContext, environment: string | undefined): Promise<SetupReport> {
  try {
    return await setupOneEnvironment(ctx, environment);
  } catch (e) {
    // Every prompt comes before the first write, so a cancel there has changed nothing.
    if (e instanceof CancelledError && e.atPrompt) throw new CancelledError('Cancelled. Nothing was changed.');
    throw e;
  }
}

async function setupOneEnvironment(ctx: SetupContext, environment: string | undefined): Promise<SetupReport> {
  const { settings, ui } = ctx;
  const secrets: string[] = [];
  const mask = (text: string) => maskText(text, secrets);

  const railwayState: RailwayState | undefined = settings.useRailway
    ? await preflight(ctx, new Railway({ cwd: settings.cwd, ...(environment ? { environment } : {}), secrets: () => secrets }))
    : undefined;

  const provider = await chooseProvider(ctx, railwayState);
  const source = await obtainSource(ctx, provider, railwayState);
  for (const value of [source.localUrl, source.railwayValue]) {
    const password = value ? passwordOf(value) : undefined;
    if (password) secrets.push(password);
  }

  const chosen = railwayState ? await chooseServices(ctx, railwayState.services, railwayState.redis?.name) : [];
  const patterns = loadRolePatterns(settings.config?.patterns);
  const services = await Promise.all(chosen.map(async (s) => {
    const resolved = resolveRolePatterns(patterns, s.role);
    const previous = railwayState ? (await railwayState.railway.variables(s.name))[settings.variable] : undefined;
    const prevPassword = previous ? passwordOf(previous) : undefined;
    if (prevPassword) secrets.push(prevPassword);
    return { ...s, patterns: resolved.ok ? resolved.value : undefined, previous, unchanged: source.railwayValue !== undefined && previous === source.railwayValue };
  }));

  const plan: SetupPlan = {
    environment: railwayState?.environment,
    projectName: railwayState?.project.projectName,
    source,
    envFile: { path: settings.envFile, exists: existsSync(settings.envFile), write: settings.writeEnv && (source.localUrl !== undefined || source.pending !== undefined) },
    services,
    redeploy: settings.redeploy,
    variable: settings.variable,
  };

  let base = { environment: environment ?? null, provider, url: source.check?.url ?? null };
  if (!(await confirmPlan(ctx, plan))) {
    if (settings.dryRun) {
      ui.outro('Dry run: nothing was changed.');
      return { ok: true, code: 'dry-run', exitCode: EXIT.ok, ...base, message: 'Dry run: nothing was changed.', fix: '', env: { path: settings.envFile, changed: false }, services: services.map((s) => skipped(s.name, s.role)), railwayCalls: railwayState?.railway.calls.length ?? 0 };
    }
    throw new CancelledError('Cancelled at the confirmation. Nothing was changed.');
  }

  if (plan.source.pending) {
    plan.source = await resolvePending(ctx, plan.source);
    plan.envFile.write = settings.writeEnv && plan.source.localUrl !== undefined;
    const password = plan.source.localUrl ? passwordOf(plan.source.localUrl) : undefined;
    if (password) secrets.push(password);
    base = { ...base, url: plan.source.check?.url ?? null };
  }
  const applied: ApplyResult = await applyPlan(ctx, plan, railwayState?.railway);
  if (!applied.ok) {
    // Part of the change happened: say exactly what, and offer the way back.
    ui.error(applied.failure.message);
    ui.info(applied.summary);
    const rolledBack = await maybeRollback(ctx, plan, applied, railwayState?.railway, 'The change stopped partway.');
    return {
      ok: false, code: applied.failure.code, exitCode: applied.failure.exitCode, ...base,
      message: applied.failure.message, fix: rolledBack ? 'Rolled back to the previous values.' : applied.restoreHint,
      env: { path: settings.envFile, changed: applied.env?.changed ?? false },
      services: services.map((s) => skipped(s.name, s.role, applied.servicesSet.includes(s.name) ? 'new value set, not redeployed' : 'not changed')),
      partial: { set: applied.servicesSet, notSet: services.map((s) => s.name).filter((n) => !applied.servicesSet.includes(n)) },
      rolledBack,
      railwayCalls: railwayState?.railway.calls.length ?? 0,
    };
  }
  if (railwayState) await saveProjectConfig(settings, provider, railwayState.redis?.name, chosen);

  let outcomes: ServiceOutcome[] = services.map((s) => skipped(s.name, s.role, settings.redeploy ? 'no health patterns for this role' : '--no-redeploy'));
  if (railwayState && settings.redeploy && services.length > 0) {
    const watched = services.filter((s) => s.patterns);
    ui.step(`Redeploying ${watched.map((s) => s.name).join(', ')} and watching their new deployments' logs (up to ${Math.round(settings.timeoutMs / 1000)} s)…`);
    const results = await rollout({
      railway: railwayState.railway,
      targets: watched.map((s) => ({ service: s.name, role: s.role, patterns: s.patterns! })),
      variable: settings.variable,
      settleMs: settings.settleMs,
      timeoutMs: settings.timeoutMs,
      mask,
      onProgress: (service, state) => ui.info(`${service}: ${state.status}${state.lastRelevantLine ? ` · ${state.lastRelevantLine}` : ''}`),
    });
    outcomes = outcomes.map((o) => results.find((r) => r.name === o.name) ?? o);
  }

  printOutcomes(ui, outcomes, settings);
  if (railwayState) {
    const lags = outcomes.flatMap((o) => (o.lagMs === undefined ? [] : [o.lagMs]));
    ui.info(`${railwayState.railway.calls.length} railway CLI calls (each costs Railway's API a few requests)${lags.length ? ` · log lines seen ${Math.max(...lags)} ms or less after they were written` : ''}`);
  }
  if (applied.env) await warnIfNotIgnored(ctx, applied.env.path);
  const unhealthy = outcomes.filter((o) => o.status === 'failed' || o.status === 'timeout');
  let rolledBack = false;
  if (unhealthy.length > 0) {
    rolledBack = await maybeRollback(ctx, plan, applied, railwayState?.railway, `${unhealthy.map((o) => o.name).join(', ')} did not prove healthy.`);
  } else {
    ui.outro(railwayState ? 'Every service is proven healthy.' : 'Done.');
  }
  const ok = unhealthy.length === 0;
  return {
    ok,
    code: ok ? 'ok' : unhealthy.some((o) => o.status === 'failed') ? 'unhealthy' : 'timeout',
    exitCode: ok ? EXIT.ok : EXIT.unhealthy,
    ...base,
    message: ok ? 'All services healthy.' : `${unhealthy.map((o) => `${o.name}: ${o.status}`).join('; ')}`,
    fix: ok ? '' : rolledBack ? 'Rolled back to the previous values.' : applied.restoreHint,
    env: { path: settings.envFile, changed: applied.env?.changed ?? false },
    services: outcomes,
    ...(rolledBack ? { rolledBack } : {}),
    railwayCalls: railwayState?.railway.calls.length ?? 0,
  };
}

async function maybeRollback(ctx: SetupContext, plan: SetupPlan, applied: ApplyResult, railway: Railway | undefined, why: string): Promise<boolean> {
  const { settings, ui } = ctx;
  let doIt: boolean;
  if (ctx.canPrompt) {
    // Ctrl-C here means "leave it as it is".
    doIt = await ui.confirm({ message: `${why} Roll back to the previous values (services and .env)?`, initialValue: true }).catch(() => false);
  } else {
    doIt = settings.onFailure === 'rollback';
  }
  if (!doIt) {
    ui.warn(`Kept the new values. To undo: ${applied.restoreHint}`);
    return false;
  }
  try {
    await rollbackChange(ctx, plan, applied, railway);
    ui.success('Rolled back: previous values restored and the services redeployed.');
    return true;
  } catch (e) {
    reportFailure(e, settings);
    ui.error(`Rollback did not finish. Run: ${applied.restoreHint}`);
    return false;
  }
}

function skipped(name: string, role: ServiceOutcome['role'], reason?: string): ServiceOutcome {
  return { name, role, deploymentId: null, status: 'skipped', evidence: [], secondsToHealthy: null, missing: [], ...(reason ? { reason } : {}) };
}

