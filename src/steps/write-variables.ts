// The Railway side of a change: the shared variable first (services reference it), then each
// service's variable. Where the CLI has `railway api`, all of it goes in one request; otherwise one
// `railway variable set --stdin` per service, with a stop request honoured between two calls.
import type { Plan, ValueSource } from '../core/plan.js';
import type { Execution } from '../core/report.js';
import type { RailwayPort, Target, VariableWrite } from '../edge/railway.js';
import { CliError, EXIT } from '../errors.js';
import type { Ui } from '../ui/prompts.js';

type Resolve = (v: ValueSource) => string | undefined;

export interface WriteDeps {
  ui: Ui;
  railway: RailwayPort;
  stopIfRequested: () => void;
}

function mustResolve(value: Resolve, v: ValueSource, where: string): string {
  const resolved = value(v);
  if (resolved === undefined)
    throw new CliError(`No value to set on ${where}.`, EXIT.checkFailed, undefined, 'internal');
  return resolved;
}

/** The deployment a delete will start is the first one newer than this: noted before it. */
async function latestBeforeDeletes(railway: RailwayPort, plan: Plan): Promise<Map<string, string | null>> {
  const before = new Map<string, string | null>();
  for (const s of plan.services) {
    if (s.change.kind === 'delete' && s.deploy === 'self')
      before.set(s.name, (await railway.deployments(s.name, 1))[0]?.id ?? null);
  }
  return before;
}

export async function writeVariables(
  deps: WriteDeps,
  plan: Plan,
  value: Resolve,
  execution: Execution,
): Promise<Map<string, string | null>> {
  const deployedBefore = await latestBeforeDeletes(deps.railway, plan);
  const batched =
    plan.target !== undefined && deps.railway.supports('api') && plan.services.every((s) => s.id !== undefined);
  if (plan.shared && plan.shared.change.kind !== 'keep' && !batched) {
    throw new CliError(
      'The shared variable can only be written through `railway api` (railway 5.28+).',
      EXIT.railway,
      'Update the CLI: npm i -g @railway/cli@latest',
      'railway-version',
    );
  }
  if (batched) await writeBatch(deps, plan, plan.target!, value, execution);
  else await writeOneByOne(deps, plan, value, execution);
  return deployedBefore;
}

async function writeBatch(
  deps: WriteDeps,
  plan: Plan,
  target: Target,
  value: Resolve,
  execution: Execution,
): Promise<void> {
  const writes: (VariableWrite & { service?: string })[] = [];
  if (plan.shared && plan.shared.change.kind !== 'keep') {
    const v =
      plan.shared.change.kind === 'set'
        ? mustResolve(value, plan.shared.change.value, `the shared ${plan.variable}`)
        : null;
    writes.push({ serviceId: null, name: plan.variable, value: v });
  }
  for (const s of plan.services) {
    if (s.change.kind === 'keep') continue;
    const v = s.change.kind === 'set' ? mustResolve(value, s.change.value, s.name) : null;
    writes.push({ serviceId: s.id!, service: s.name, name: plan.variable, value: v });
  }
  if (writes.length === 0) return;
  deps.stopIfRequested();
  try {
    await deps.railway.writeVariables(
      target,
      writes.map(({ service: _s, ...w }) => w),
    );
  } catch (e) {
    // One request, several changes: read back which ones went through before saying what changed.
    await recordWhatLanded(deps.railway, target, writes, execution);
    throw e;
  }
  execution.sharedChanged = writes.some((w) => w.serviceId === null);
  execution.servicesChanged.push(...writes.flatMap((w) => (w.service ? [w.service] : [])));
  const verb = plan.kind === 'setup' ? 'set' : 'put back';
  if (execution.sharedChanged) deps.ui.success(`shared ${plan.variable}: ${verb}`);
  if (execution.servicesChanged.length > 0) {
    deps.ui.success(`${execution.servicesChanged.join(', ')}: ${plan.variable} ${verb} (not deployed yet)`);
  }
}

async function recordWhatLanded(
  railway: RailwayPort,
  target: Target,
  writes: (VariableWrite & { service?: string })[],
  execution: Execution,
) {
  const ids = writes.flatMap((w) => (w.serviceId ? [w.serviceId] : []));
  const raw = await railway.rawVariables(target, ids).catch(() => undefined);
  for (const w of writes) {
    const now = raw ? (w.serviceId === null ? raw.shared : raw.services.get(w.serviceId))?.[w.name] : undefined;
    // Unknown (the read failed too): count it as changed, so a rollback puts it back for sure.
    const landed = raw === undefined || (w.value === null ? now === undefined : now === w.value);
    if (!landed) continue;
    if (w.service) execution.servicesChanged.push(w.service);
    else execution.sharedChanged = true;
  }
}

async function writeOneByOne(deps: WriteDeps, plan: Plan, value: Resolve, execution: Execution): Promise<void> {
  for (const s of plan.services) {
    deps.stopIfRequested();
    if (s.change.kind === 'keep') continue;
    if (s.change.kind === 'delete') {
      await deps.railway.deleteVariable(s.name, plan.variable);
      deps.ui.success(`${s.name}: ${plan.variable} deleted (it was not set before)`);
    } else {
      await deps.railway.setVariable(s.name, plan.variable, mustResolve(value, s.change.value, s.name));
      deps.ui.success(`${s.name}: ${plan.variable} ${plan.kind === 'setup' ? 'set' : 'put back'} (not deployed yet)`);
    }
    execution.servicesChanged.push(s.name);
  }
}
