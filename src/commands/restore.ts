// `redis-setup restore`: undo the last change. Each environment's saved values become a plan
// (services that already hold them are left alone), confirmed once, then carried out by the same
// engine as setup. Its own undo point is promoted only when every value is back.
import { resolveRolePatterns, type Role } from '../core/config.js';
import type { RestoreOptions } from '../core/options.js';
import { type RawFlags, restoreFlags, restoreOptions } from '../core/options.js';
import { type Plan, type Previous, previousOf, renderPlan, restorePlan, type SavedChange } from '../core/plan.js';
import { buildReport, publicReport, type Report, worstExit } from '../core/report.js';
import { guessRole } from '../core/services.js';
import { backupPath, loadBackup } from '../edge/backup-store.js';
import { loadRolePatterns } from '../edge/package-files.js';
import { loadProjectConfig } from '../edge/project-config.js';
import { Railway } from '../edge/railway.js';
import { CancelledError, CliError, EXIT, UsageError } from '../errors.js';
import { printJson } from '../ui/output.js';
import { BackupRecorder } from '../steps/backup.js';
import { type ChangingRun, changingRun } from '../steps/run-context.js';
import { executePlan } from '../steps/execute.js';
import { guardProject } from '../steps/project-guard.js';
import { preflight } from '../steps/preflight.js';
import { printOutcomes } from '../steps/result.js';

type Ctx = ChangingRun<RestoreOptions>;

export async function run(raw: RawFlags): Promise<number> {
  const flags = restoreFlags(raw);
  const cwd = process.cwd();
  const options = restoreOptions(flags, await loadProjectConfig(cwd), cwd);
  const ctx: Ctx = changingRun(options);
  const lock = await guardProject(cwd, undefined);
  try {
    return await restoreWithLock(ctx);
  } finally {
    await lock.release();
    ctx.stop.dispose();
  }
}

async function restoreWithLock(ctx: Ctx): Promise<number> {
  const { options, ui, secrets } = ctx;
  const { cwd } = options;
  const saved = await loadBackup(cwd);
  if (!saved) {
    throw new CliError(
      `Nothing to restore: no saved change in ${backupPath(cwd)}.`,
      EXIT.checkFailed,
      'redis-setup saves the previous values there each time setup applies a change; run restore ' +
        'from the same folder.',
      'nothing-to-restore',
    );
  }
  for (const s of [...saved.services, ...(saved.shared ?? [])]) secrets.addUrl(s.previousValue);
  secrets.addUrl(saved.envFile?.previousValue);
  ui.intro('redis-setup restore');
  // Refuse before reading anything: this run cannot be confirmed.
  if (!options.yes && !ctx.canPrompt)
    throw new UsageError('Restoring needs a confirmation, and this run cannot ask for it.', 'Pass --yes.');

  const railways = new Map<string | undefined, Railway>();
  const plans: Plan[] = [];
  for (const environment of environmentsOf(saved)) {
    const railway = new Railway({ cwd, ...(environment ? { environment } : {}), secrets });
    railways.set(environment, railway);
    plans.push(await planRestore(ctx, railway, saved, environment, plans.length === 0));
  }
  ui.note(plans.map((p) => renderPlan(p, cwd)).join('\n\n'), `Restore the values saved ${saved.createdAt}`);
  if (!options.yes && !(await ui.confirm({ message: 'Put these values back and redeploy?', initialValue: true }))) {
    throw new CancelledError('Cancelled. Nothing was changed.');
  }
  const reports = await applyAll(ctx, plans, railways, saved);
  if (options.json) {
    printJson(
      reports.length === 1
        ? publicReport(reports[0]!)
        : { ok: worstExit(reports) === 0, environments: reports.map(publicReport) },
      (t) => secrets.mask(t),
    );
  }
  return worstExit(reports);
}

const environmentsOf = (saved: SavedChange) => {
  const envs = [...new Set([...saved.services, ...(saved.shared ?? [])].map((s) => s.environment ?? undefined))];
  return envs.length > 0 ? envs : [undefined];
};

/** Read what each saved service holds now, as stored (read-only), then plan the way back. */
async function planRestore(
  ctx: Ctx,
  railway: Railway,
  saved: SavedChange,
  environment: string | undefined,
  first: boolean,
): Promise<Plan> {
  const { options, secrets } = ctx;
  const here = (s: { environment: string | null }) => (s.environment ?? undefined) === environment;
  const mine = saved.services.filter(here);
  const variable = mine[0]?.name ?? saved.shared?.find(here)?.name ?? 'REDIS_URL';
  const touchesRailway = mine.length > 0 || saved.shared?.some(here);
  const state = touchesRailway ? await preflight(ctx.ui, railway, undefined, variable) : undefined;
  const current = new Map<string, Previous>();
  for (const s of mine) {
    const value = state?.values.get(s.service);
    secrets.addUrl(value);
    current.set(s.service, previousOf(value));
  }
  if (state) for (const v of Object.values(state.shared)) secrets.addUrl(v);
  const envCurrent = first && saved.envFile ? await currentEnv(saved.envFile.path, saved.envFile.name) : undefined;
  secrets.addUrl(envCurrent?.kind === 'value' ? envCurrent.value : undefined);
  const summaries = state?.services ?? [];
  return restorePlan({
    saved,
    environment,
    current,
    ...(state ? { sharedCurrent: previousOf(state.shared[variable]) } : {}),
    ids: new Map(summaries.map((s) => [s.name, s.id])),
    latest: new Map(summaries.flatMap((s) => (s.latestDeployment ? [[s.name, s.latestDeployment.id] as const] : []))),
    ...(state?.target ? { target: state.target } : {}),
    ...(state ? { projectName: state.project.projectName } : {}),
    roles: rolesFor(
      options,
      mine.map((s) => s.service),
    ),
    restoreEnv: first,
    ...(envCurrent ? { envCurrent } : {}),
    ...(options.redeploy ? { watch: { timeoutMs: options.timeoutMs, settleMs: options.settleMs } } : {}),
  });
}

async function currentEnv(file: string, name: string): Promise<Previous> {
  const { readSecretFile } = await import('../edge/secret-file.js');
  const { readVar } = await import('../core/envfile.js');
  const bytes = await readSecretFile(file).catch(() => undefined);
  const value = bytes === undefined ? undefined : readVar(bytes.toString('utf8'), name)?.value;
  return value === undefined ? { kind: 'unset' } : { kind: 'value', value };
}

function rolesFor(options: RestoreOptions, names: string[]) {
  const patterns = loadRolePatterns(options.patterns);
  const roles = new Map<string, { role: Role; patterns?: import('../core/health.js').RolePatterns }>();
  for (const name of names) {
    const role = options.remembered?.find((c) => c.name.toLowerCase() === name.toLowerCase())?.role ?? guessRole(name);
    const p = resolveRolePatterns(patterns, role);
    roles.set(name, { role, ...(p.ok ? { patterns: p.value } : {}) });
  }
  return roles;
}

async function applyAll(
  ctx: Ctx,
  plans: Plan[],
  railways: Map<string | undefined, Railway>,
  saved: SavedChange,
): Promise<Report[]> {
  const { ui, secrets, options } = ctx;
  const recorder = new BackupRecorder(options.cwd, 'record-on-success');
  const reports: Report[] = [];
  let failed = false;
  for (const plan of plans) {
    const railway = railways.get(plan.environment)!;
    const execution = await executePlan({ ui, secrets, railway, recorder, stop: ctx.stop }, plan);
    failed ||= execution.failure !== undefined;
    printOutcomes(ui, execution.outcomes, plan.variable);
    reports.push(
      buildReport({ plan, execution, railwayCalls: railway.calls.length, envPath: saved.envFile?.path ?? null }),
    );
  }
  // A restore that stopped partway keeps the original restore point, so running it again goes back,
  // not forward.
  if (!failed) await recorder.commit();
  const ok = reports.every((r) => r.ok);
  if (ok) ui.outro('Restored.');
  else if (!failed) {
    ui.warn(
      'Restored, but not every service is healthy with the previous value (it may be the value ' +
        'that was broken). Run npx redis-setup restore again to return to the newer values.',
    );
  }
  return reports;
}
