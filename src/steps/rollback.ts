// After a failure: find out which previous values still work (bounded live checks, or the
// Redis service's current password for private hosts), decide what may go back without making
// anything worse (core/rollback-policy.ts), ask (or follow --on-failure), then run the rollback as
// a
// plan of its own through the same engine.
import type { SetupOptions } from '../core/options.js';
import { type Plan, type Previous, rollbackPlan } from '../core/plan.js';
import { classifyValue, type RedisFacts, serverOf, type Usage } from '../core/redis-usage.js';
import { type Execution, RESTORE_HINT } from '../core/report.js';
import { decideRollback, type RollbackDecision } from '../core/rollback-policy.js';
import { BackupRecorder } from './backup.js';
import { checkUrl } from './check-url.js';
import type { StepContext } from './context.js';
import { executePlan, type ExecuteDeps } from './execute.js';
import type { RailwayState } from './preflight.js';
import { printOutcomes } from './result.js';

type Ctx = StepContext<SetupOptions>;
const CHECK_MS = 5000;
const REJECTED = new Set([
  'wrong-password',
  'auth-required',
  'dns',
  'refused',
  'not-redis',
  'invalid-url',
  'ambiguous-url',
]);

interface Alive {
  alive: boolean | undefined;
  why?: string;
}

/** Does a previous value still work? Checked live where this machine can reach it. */
async function stillWorks(
  previous: Previous,
  facts: RedisFacts | undefined,
  shared: Record<string, string | null>,
  caFile?: string,
): Promise<Alive> {
  if (previous.kind === 'unset') return { alive: true };
  if (previous.kind === 'sealed') return { alive: undefined };
  const u = classifyValue(previous.value, facts, shared);
  const target: Usage = u.kind === 'shared' ? u.target : u;
  if (target.kind === 'reference') return { alive: true }; // renders the service's current value
  if (target.kind !== 'literal') return { alive: undefined };
  if (target.onRedisService) {
    return target.passwordCurrent === false
      ? { alive: false, why: 'an old password of the Redis service' }
      : { alive: target.passwordCurrent };
  }
  if (target.endpoint?.includes('.railway.internal')) return { alive: undefined };
  const r = await checkUrl(target.raw, { timeoutMs: CHECK_MS, ...(caFile ? { caFile } : {}) });
  return r.ok ? { alive: true } : { alive: REJECTED.has(r.code) ? false : undefined, why: r.code };
}

async function decide(
  ctx: Ctx,
  plan: Plan,
  execution: Execution,
  state: RailwayState | undefined,
): Promise<RollbackDecision> {
  const facts = state?.redisFacts;
  const shared = state?.shared ?? {};
  const caFile = ctx.options.caFile;
  const proven = new Set(execution.outcomes.filter((o) => o.status === 'healthy').map((o) => o.name));
  const changed = plan.services.filter((s) => execution.servicesChanged.includes(s.name));
  const services = await Promise.all(
    changed.map(async (s) => {
      const { alive, why } = await stillWorks(s.previous, facts, shared, caFile);
      return {
        name: s.name,
        failed: !proven.has(s.name),
        previousAlive: alive,
        ...(why ? { deadBecause: why } : {}),
        sealed: s.previous.kind === 'sealed',
      };
    }),
  );
  const newValue = plan.services.find((s) => s.change.kind === 'set')?.change;
  const newRaw = newValue?.kind === 'set' && newValue.value.kind === 'literal' ? newValue.value.value : undefined;
  const newServer = newRaw === undefined ? undefined : serverOf(classifyValue(newRaw, facts, shared), facts);
  const switched = changed.some((s) => {
    const before =
      s.previous.kind === 'value' ? serverOf(classifyValue(s.previous.value, facts, shared), facts) : undefined;
    return before !== undefined && newServer !== undefined && before !== newServer;
  });
  const env = execution.env?.changed ? await stillWorks(execution.env.previous, facts, shared, caFile) : undefined;
  const sharedAlive =
    execution.sharedChanged && plan.shared ? await stillWorks(plan.shared.previous, facts, shared, caFile) : undefined;
  return decideRollback({
    services,
    switched,
    ...(env ? { env: { previousAlive: env.alive } } : {}),
    ...(sharedAlive ? { shared: { previousAlive: sharedAlive.alive } } : {}),
  });
}

export async function offerRollback(
  ctx: Ctx,
  deps: ExecuteDeps,
  plan: Plan,
  execution: Execution,
  why: string,
  state?: RailwayState,
): Promise<boolean> {
  const { ui, options } = ctx;
  const decision = await decide(ctx, plan, execution, state);
  const nothing = decision.restore.length === 0 && !decision.env && !decision.shared;
  if (nothing) {
    ui.warn(
      `${why} Nothing is rolled back: no previous value would work ` +
        `better.\n${decision.lines.join('\n')}\nTo undo anyway: ${RESTORE_HINT}`,
    );
    return false;
  }
  const yes = decision.lines.join('\n       ');
  const question = `${why} Roll back?\n  Yes: ${yes}\n  No:  every service keeps the new value`;
  // --on-failure answers the question when given. Yes cannot make anything worse: only values that
  // still work go back. Ctrl-C at the question means "leave it".
  const wanted = options.onFailure
    ? options.onFailure === 'rollback'
    : ctx.canPrompt && (await ui.confirm({ message: question, initialValue: true }).catch(() => false));
  if (!wanted) {
    ui.warn(`Kept the new values. To undo: ${RESTORE_HINT}`);
    return false;
  }
  return runRollback(ctx, deps, plan, execution, decision);
}

async function runRollback(
  ctx: Ctx,
  deps: ExecuteDeps,
  plan: Plan,
  execution: Execution,
  decision: RollbackDecision,
): Promise<boolean> {
  const { ui, options } = ctx;
  // Nothing was redeployed after a change that stopped partway: putting the values back is enough.
  const redeployed = !execution.failure && execution.outcomes.length > 0;
  const back = rollbackPlan(plan, {
    services: decision.restore,
    sharedChanged: decision.shared,
    envChanged: decision.env,
    envPrevious: execution.env?.previous,
    watch: redeployed ? plan.watch : undefined,
  });
  const result = await executePlan({ ...deps, recorder: new BackupRecorder(options.cwd, 'none') }, back);
  if (result.failure) {
    ui.error(`Rollback did not finish. Run: ${RESTORE_HINT}`);
    return false;
  }
  printOutcomes(ui, result.outcomes, plan.variable);
  ui.success(`Rolled back:\n${decision.lines.join('\n')}`);
  return true;
}
