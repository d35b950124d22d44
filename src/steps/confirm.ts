// One masked summary of every change, then one confirmation. --yes answers yes; a run that cannot
// ask needs --yes; --dry-run shows the plan and stops.
import { type Plan, renderPlan } from '../core/plan.js';
import { CancelledError } from '../errors.js';
import { missingFlag, type StepContext } from './context.js';

export async function confirmPlan(
  ctx: StepContext<{ yes: boolean; dryRun?: boolean; cwd: string }>,
  plan: Plan,
  question = 'Apply these changes?',
): Promise<'apply' | 'dry-run'> {
  const { options, ui } = ctx;
  ui.note(renderPlan(plan, options.cwd), options.dryRun ? 'Plan (dry run: nothing will be changed)' : 'Plan');
  if (options.dryRun) return 'dry-run';
  if (options.yes) return 'apply';
  if (!ctx.canPrompt) throw missingFlag('Confirmation of the plan', '--yes');
  if (await ui.confirm({ message: question, initialValue: true })) return 'apply';
  throw new CancelledError('Cancelled at the confirmation. Nothing was changed.', true);
}
