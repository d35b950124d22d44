// The one engine. Setup, a rollback and restore each hand it a confirmed plan, and it does exactly
// that plan, in this order: provider action → restore point → .env → variables → redeploy → watch.
// A change step that fails stops the run before anything is redeployed, and says what was changed.
import type { CheckReport } from '../core/check-report.js';
import { readVar, renderTemplate } from '../core/envfile.js';
import type { Plan, Previous, ValueSource } from '../core/plan.js';
import { describeChanges, type Execution, RESTORE_HINT } from '../core/report.js';
import type { Secrets } from '../core/secrets.js';
import { cleanPastedUrl } from '../core/url.js';
import { removeEnvVar, updateEnvFile } from '../edge/envstore.js';
import { templatePath } from '../edge/package-files.js';
import type { RailwayPort } from '../edge/railway.js';
import { readSecretFile } from '../edge/secret-file.js';
import { NO_STOPS, STOP_EXIT_CODES, type StopGuard, type StopSignal, signalName } from '../edge/stop.js';
import { CancelledError, CliError, EXIT } from '../errors.js';
import type { Ui } from '../ui/prompts.js';
import type { BackupRecorder } from './backup.js';
import { checkUrl } from './check-url.js';
import { redeployAndWatch } from './redeploy-watch.js';
import type { rollout } from './rollout.js';
import { writeVariables } from './write-variables.js';

export interface ExecuteDeps {
  ui: Ui;
  secrets: Secrets;
  railway?: RailwayPort;
  recorder: BackupRecorder;
  caFile?: string;
  /** The redeploy-and-watch step; tests pass their own. */
  rollout?: typeof rollout;
  /** Ctrl-C, SIGTERM and SIGHUP: deferred while a change is made, at once while watching. */
  stop?: StopGuard;
}

/** A provider action's URL, checked live; it can take a moment before a new password works. */
export async function runProviderAction(
  deps: ExecuteDeps,
  plan: Plan,
): Promise<{ url: string; check: CheckReport } | undefined> {
  const action = plan.providerAction;
  if (!action) return undefined;
  const { ui } = deps;
  const url = await ui.task(
    action.describe,
    () => action.obtain(),
    () => 'done',
  );
  deps.secrets.addUrl(url);
  let report: CheckReport | undefined;
  for (let attempt = 0; attempt < 5; attempt++) {
    report = await ui.task(
      'Checking the new URL live',
      () => checkUrl(url, { timeoutMs: 5000, ...(deps.caFile ? { caFile: deps.caFile } : {}) }),
      (r) => (r.ok ? `${r.url}: ok, ${r.latencyMs} ms` : `${r.url}: ${r.code}`),
    );
    if (report.ok || !['wrong-password', 'dns', 'refused', 'timeout'].includes(report.code)) break;
    await new Promise((r) => setTimeout(r, 1500));
  }
  if (!report!.ok) throw actionCheckFailed(action, report!);
  return { url: report!.normalizedUrl ?? cleanPastedUrl(url), check: report! };
}

function actionCheckFailed(action: NonNullable<Plan['providerAction']>, report: CheckReport): CliError {
  // Right after our own reset, "it was probably rotated" would mislead: say what we know.
  const rejected = report.code === 'wrong-password';
  const cause = rejected
    ? 'Redis still rejects the new password (Upstash may not have applied it yet).'
    : report.message;
  const lost = action.irreversible ? ', but the old password no longer works' : '';
  return new CliError(
    `${action.describe} succeeded, but the new URL failed its check (${report.code}): ${cause}`,
    EXIT.checkFailed,
    `${rejected ? 'Wait a minute.' : report.fix} .env and Railway were not changed${lost}: once ` +
      `fixed, run again with --upstash-db NAME alone to use the database as it is now.`,
    report.code,
  );
}

export async function executePlan(deps: ExecuteDeps, plan: Plan, actionUrl?: string): Promise<Execution> {
  const value = (v: ValueSource) => (v.kind === 'literal' ? v.value : actionUrl);
  const execution: Execution = { servicesChanged: [], outcomes: [] };
  const stop = deps.stop ?? NO_STOPS;
  const deployments = new Map<string, string>();
  const verdicts = new Map<string, string>();
  stop.summary = (signal) => stoppedWhileWatching(plan, execution, { deployments, verdicts }, signal);
  stop.phase = 'defer';
  try {
    const envPrevious = plan.envFile ? await readEnvPrevious(plan.envFile.path, plan.variable) : undefined;
    if (changesAnything(plan)) await deps.recorder.record(plan, envPrevious);
    if (plan.envFile)
      execution.env = { ...(await applyEnvFile(deps.ui, plan, value)), previous: envPrevious ?? { kind: 'unset' } };
    if (!deps.railway) return execution;
    const railway = deps.railway;
    const before = await writeVariables(
      { ui: deps.ui, railway, stopIfRequested: () => stopIfRequested(stop) },
      plan,
      value,
      execution,
    );
    stopIfRequested(stop);
    stop.phase = 'now';
    execution.outcomes = await redeployAndWatch({ ...deps, railway }, plan, before, { deployments, verdicts });
  } catch (e) {
    if (!(e instanceof CliError)) throw e;
    if (e instanceof CancelledError && execution.servicesChanged.length === 0 && !execution.env?.changed) throw e;
    execution.failure = e;
    deps.ui.error(e.message);
    deps.ui.info(changeSummary(plan, execution));
  } finally {
    stop.phase = 'now';
  }
  return execution;
}

const changesAnything = (plan: Plan) =>
  plan.envFile !== undefined ||
  (plan.shared !== undefined && plan.shared.change.kind !== 'keep') ||
  plan.services.some((s) => s.change.kind !== 'keep');

function stopIfRequested(stop: StopGuard): void {
  if (stop.requested)
    throw new CancelledError(
      `Stopped (${signalName(stop.requested)}) between two changes.`,
      false,
      STOP_EXIT_CODES[stop.requested],
    );
}

function stoppedWhileWatching(
  plan: Plan,
  execution: Execution,
  watch: { deployments: Map<string, string>; verdicts: Map<string, string> },
  signal: StopSignal,
): string {
  const changes = describeChanges(plan, execution, watch.deployments, watch.verdicts);
  if (changes.length === 0) return `Stopped (${signalName(signal)}). Nothing was changed.`;
  return [
    `Stopped watching (${signalName(signal)}). What was changed:`,
    ...changes.map((c) => `  ${c}`),
    `Check them: npx redis-setup doctor · undo: ${RESTORE_HINT}`,
  ].join('\n');
}

async function readEnvPrevious(file: string, name: string): Promise<Previous> {
  const bytes = await readSecretFile(file).catch(() => undefined);
  const value = bytes === undefined ? undefined : readVar(bytes.toString('utf8'), name)?.value;
  return value === undefined ? { kind: 'unset' } : { kind: 'value', value };
}

async function applyEnvFile(ui: Ui, plan: Plan, value: (v: ValueSource) => string | undefined) {
  const env = plan.envFile!;
  const name = plan.variable;
  if (env.change.kind === 'set') {
    const v = value(env.change.value);
    if (v === undefined) return { path: env.path, created: false, changed: false };
    const r = await updateEnvFile({ path: env.path, name, value: v, templatePath: templatePath('env.template') });
    const verb = plan.kind !== 'setup' ? 'Put back' : r.created ? 'Created' : r.changed ? 'Updated' : 'Kept';
    ui.success(`${verb} ${name} in ${r.path}${r.modeTightened ? ' (file mode tightened to 0600)' : ''}`);
    return { path: r.path, created: r.created, changed: r.changed };
  }
  if (env.change.kind === 'delete-if-ours' && (await untouchedSinceCreated(env.path, name))) {
    const { unlink } = await import('node:fs/promises');
    await unlink(env.path);
    ui.success(`${env.path}: deleted (it did not exist before)`);
    return { path: env.path, created: false, changed: true };
  }
  const changed = await removeEnvVar(env.path, name);
  ui.success(`${env.path}: ${name} removed (it was not set before)`);
  return { path: env.path, created: false, changed };
}

/** The file is exactly what setup wrote when it created it: deleting it loses nothing of the user's. */
async function untouchedSinceCreated(file: string, name: string): Promise<boolean> {
  const bytes = await readSecretFile(file).catch(() => undefined);
  const text = bytes?.toString('utf8');
  const value = text === undefined ? undefined : readVar(text, name)?.value;
  if (text === undefined || value === undefined) return false;
  const template = (await readSecretFile(templatePath('env.template')).catch(() => undefined))?.toString('utf8') ?? '';
  return renderTemplate(template, name, value) === text;
}

/** Exactly what changed when a change step stopped partway. */
export function changeSummary(plan: Plan, execution: Execution): string {
  const changed = execution.servicesChanged;
  const notChanged = plan.services
    .filter((s) => s.change.kind !== 'keep' && !changed.includes(s.name))
    .map((s) => s.name);
  const verb = plan.kind === 'setup' ? `Has the new ${plan.variable}` : `Has its previous ${plan.variable} back`;
  const also = [
    execution.sharedChanged ? `the shared ${plan.variable}` : '',
    execution.env?.changed ? '.env' : '',
  ].filter(Boolean);
  return [
    `${verb}: ` +
      `${changed.length ? changed.join(', ') : 'no service'}${also.length ? ` and ${also.join(' and ')}` : ''}.`,
    `Still has the old value: ${notChanged.length ? notChanged.join(', ') : 'no service'}.`,
    'No service was redeployed, so every running service still uses its old value.',
  ].join('\n');
}
