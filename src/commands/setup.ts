// `redis-setup` / `redis-setup setup`: the runbook in one command. options → plan (read and ask
// only) → confirm → execute (one engine) → report. Each environment gets its own plan.
import type { RawFlags, SetupOptions } from '../core/options.js';
import { setupFlags, setupOptions } from '../core/options.js';
import { buildReport, type Execution, publicReport, type Report, worstExit } from '../core/report.js';
import { loadProjectConfig } from '../edge/project-config.js';
import { Railway, type RailwayPort } from '../edge/railway.js';
import { readAllStdin } from '../edge/stdin.js';
import { CancelledError } from '../errors.js';
import { asCliError, printJson } from '../ui/output.js';
import { BackupRecorder } from '../steps/backup.js';
import { confirmPlan } from '../steps/confirm.js';
import { type ChangingRun, changingRun } from '../steps/run-context.js';
import { executePlan, type ExecuteDeps, runProviderAction } from '../steps/execute.js';
import { planSetup, type SetupPlanning } from '../steps/plan-setup.js';
import { guardProject } from '../steps/project-guard.js';
import { offerGitignore, rememberAnswers } from '../steps/remember.js';
import { printOutcomes } from '../steps/result.js';
import { offerRollback } from '../steps/rollback.js';

type Ctx = ChangingRun<SetupOptions> & { pastedUrl?: string | undefined };

export async function run(raw: RawFlags): Promise<number> {
  const flags = setupFlags(raw);
  const cwd = process.cwd();
  const options = setupOptions(flags, await loadProjectConfig(cwd), cwd);
  const ctx: Ctx = changingRun(options);
  const { ui, secrets, stop } = ctx;
  const pastedUrl = options.url?.from === 'stdin' ? await readAllStdin() : options.url?.value;
  secrets.addUrl(pastedUrl?.trim());
  ctx.pastedUrl = pastedUrl;
  ui.intro('redis-setup');
  const lock = options.dryRun ? undefined : await guardProject(cwd, options.writeEnv ? options.envFile : undefined);
  try {
    return await setupAll(ctx);
  } finally {
    await lock?.release();
    stop.dispose();
  }
}

async function setupAll(ctx: Ctx): Promise<number> {
  const { options, ui, secrets } = ctx;
  // One restore point for the whole run, across environments.
  const recorder = new BackupRecorder(options.cwd, 'record');
  const reports: Report[] = [];
  for (const environment of options.environments) {
    try {
      reports.push(await setupEnvironment(ctx, recorder, environment, ctx.pastedUrl));
    } catch (e) {
      if (e instanceof CancelledError || options.environments.length === 1) throw e;
      // Several environments: report this one and carry on with the rest.
      const err = asCliError(e);
      ui.error(`${environment ?? 'linked environment'}: ${err.message}${err.fix ? `\nFix: ${err.fix}` : ''}`);
      reports.push(
        buildReport({ failedEarly: err, envPath: options.envFile, ...(environment ? { environment } : {}) }),
      );
    }
  }
  if (options.json) {
    const body =
      reports.length === 1
        ? publicReport(reports[0]!)
        : { ok: worstExit(reports) === 0, environments: reports.map(publicReport) };
    printJson(body, (t) => secrets.mask(t));
  }
  return worstExit(reports);
}

async function setupEnvironment(
  ctx: Ctx,
  recorder: BackupRecorder,
  environment: string | undefined,
  pastedUrl: string | undefined,
): Promise<Report> {
  const { options, ui, secrets } = ctx;
  const railways: RailwayPort[] = [];
  const connect = (env: string | undefined) => {
    const r = new Railway({ cwd: options.cwd, ...(env ? { environment: env } : {}), secrets });
    railways.push(r);
    return r;
  };
  const calls = () => railways.reduce((n, r) => n + r.calls.length, 0);
  let planning: SetupPlanning;
  try {
    planning = await planSetup(ctx, { connect, ...(pastedUrl !== undefined ? { pastedUrl } : {}) }, environment);
  } catch (e) {
    // Every prompt comes before the first write, so a cancel there has changed nothing.
    if (e instanceof CancelledError && e.atPrompt) throw new CancelledError('Cancelled. Nothing was changed.');
    throw e;
  }
  const { plan } = planning;
  const meta = {
    envPath: options.envFile,
    ...(plan.provider ? { provider: plan.provider } : {}),
    url: plan.check?.url ?? null,
  };
  let decision: 'apply' | 'dry-run';
  try {
    decision = await confirmPlan(ctx, plan);
  } catch (e) {
    if (e instanceof CancelledError && e.atPrompt) throw new CancelledError('Cancelled. Nothing was changed.');
    throw e;
  }
  if (decision === 'dry-run') {
    ui.outro('Dry run: nothing was changed.');
    return buildReport({ plan, dryRun: true, railwayCalls: calls(), ...meta });
  }
  const deps: ExecuteDeps = {
    ui,
    secrets,
    recorder,
    stop: ctx.stop,
    ...(planning.state ? { railway: planning.state.railway } : {}),
    ...(options.caFile ? { caFile: options.caFile } : {}),
  };
  const action = await runProviderAction(deps, plan);
  const execution = await executePlan(deps, plan, action?.url);
  const url = action ? action.check.url : meta.url;
  const rolledBack = await finish(ctx, deps, planning, execution, calls);
  return buildReport({ plan, execution, rolledBack, railwayCalls: calls(), ...meta, url });
}

/** Print the outcome, offer a rollback when something failed, remember the answers when all is well. */
async function finish(
  ctx: Ctx,
  deps: ExecuteDeps,
  planning: SetupPlanning,
  execution: Execution,
  calls: () => number,
): Promise<boolean> {
  const { ui, options } = ctx;
  const { plan } = planning;
  if (execution.failure)
    return offerRollback(ctx, deps, plan, execution, 'The change stopped partway.', planning.state);
  printOutcomes(ui, execution.outcomes, plan.variable);
  if (planning.state) ui.info(callsLine(calls(), execution));
  if (execution.env) await offerGitignore(ctx, execution.env.path);
  const unhealthy = execution.outcomes.filter((o) => o.status === 'failed' || o.status === 'timeout');
  if (unhealthy.length > 0) {
    return offerRollback(
      ctx,
      deps,
      plan,
      execution,
      `${unhealthy.map((o) => o.name).join(', ')} did not prove healthy.`,
      planning.state,
    );
  }
  if (planning.state)
    await rememberAnswers(options, plan.provider ?? 'url', planning.state.redis?.name, planning.chosen);
  ui.outro(planning.state ? 'Every service is proven healthy.' : 'Done.');
  return false;
}

function callsLine(calls: number, execution: Execution): string {
  const lags = execution.outcomes.flatMap((o) => (o.lagMs === undefined ? [] : [o.lagMs]));
  const lag = lags.length ? ` · log lines seen ${Math.max(...lags)} ms or less after they were written` : '';
  return `${calls} railway CLI calls (each costs Railway's API a few requests)${lag}`;
}
