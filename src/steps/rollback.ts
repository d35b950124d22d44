// After a failure: ask (or follow --on-failure) whether to put the previous values back, then run
// the rollback as a plan of its own through the same engine.
import type { SetupOptions } from '../core/options.js';
import { type Plan, rollbackPlan } from '../core/plan.js';
import { type Execution, RESTORE_HINT } from '../core/report.js';
import { BackupRecorder } from './backup.js';
import type { StepContext } from './context.js';
import { executePlan, type ExecuteDeps } from './execute.js';
import { printOutcomes } from './result.js';

export async function offerRollback(
  ctx: StepContext<SetupOptions>, deps: ExecuteDeps, plan: Plan, execution: Execution, why: string,
): Promise<boolean> {
  const { ui, options } = ctx;
  const wanted = ctx.canPrompt
    // Ctrl-C here means "leave it as it is".
    ? await ui.confirm({ message: `${why} Roll back to the previous values (services and .env)?`, initialValue: true }).catch(() => false)
    : options.onFailure === 'rollback';
  if (!wanted) {
    ui.warn(`Kept the new values. To undo: ${RESTORE_HINT}`);
    return false;
  }
  // Nothing was redeployed after a change that stopped partway: putting the values back is enough.
  const redeployed = !execution.failure && execution.outcomes.length > 0;
  const back = rollbackPlan(plan, {
    services: execution.servicesChanged,
    sharedChanged: execution.sharedChanged ?? false,
    envChanged: execution.env?.changed ?? false,
    envPrevious: execution.env?.previous,
    watch: redeployed ? plan.watch : undefined,
  });
  const result = await executePlan({ ...deps, recorder: new BackupRecorder(options.cwd, 'none') }, back);
  if (result.failure) {
    ui.error(`Rollback did not finish. Run: ${RESTORE_HINT}`);
    return false;
  }
  printOutcomes(ui, result.outcomes, plan.variable);
  ui.success(`Rolled back: previous values restored${redeployed ? ' and the services redeployed' : ''}.`);
  return true;
}
