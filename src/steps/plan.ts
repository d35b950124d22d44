// Step 5: one masked summary of every change, then one confirmation. Nothing is written before it.
import type { ServiceRole } from '../core/config.js';
import { isReference, maskUrl } from '../core/url.js';
import { patternLabel, type RolePatterns } from '../core/health.js';
import type { SetupContext } from './context.js';
import { missingFlag } from './context.js';
import type { ChosenSource } from './source.js';

export interface ServicePlan extends ServiceRole {
  patterns: RolePatterns | undefined;
  /** The value before this change (secret), or undefined when the variable was not set. */
  previous: string | undefined;
  unchanged: boolean;
}

export interface SetupPlan {
  environment: string | undefined;
  projectName: string | undefined;
  source: ChosenSource;
  envFile: { path: string; write: boolean };
  services: ServicePlan[];
  redeploy: boolean;
  variable: string;
}

export function showValue(value: string | undefined): string {
  if (value === undefined) return '(not set)';
  return isReference(value) ? value : maskUrl(value);
}

export function renderPlan(plan: SetupPlan): string {
  const lines: string[] = [];
  const { source } = plan;
  if (source.check) lines.push(`URL        ${source.check.url}  (${source.check.provider}${source.check.tls ? ', TLS' : ''}; live check ok, ${source.check.latencyMs} ms)`);
  lines.push(plan.envFile.write && source.localUrl
    ? `.env       ${plan.envFile.path}: set ${plan.variable} (every other line kept; the old value is saved for restore)`
    : `.env       not changed`);
  if (plan.services.length > 0) {
    lines.push(`Railway    ${plan.projectName ?? 'project'}${plan.environment ? ` / ${plan.environment}` : ''}: set ${plan.variable} = ${showValue(source.railwayValue)}`);
    for (const s of plan.services) {
      const waitFor = s.patterns ? s.patterns.success.map((p) => `"${patternLabel(p)}"`).join(' + ') : 'no health patterns (not watched)';
      const action = s.unchanged ? 'already set; redeploy' : `was ${showValue(s.previous)}`;
      lines.push(`  ${s.name.padEnd(12)} ${s.role.padEnd(7)} ${action}${plan.redeploy ? `, then watch for ${waitFor}` : ''}`);
    }
    if (!plan.redeploy) lines.push('  (--no-redeploy: the services keep the old value until their next deploy)');
  }
  for (const note of source.notes) lines.push(`Note       ${note}`);
  return lines.join('\n');
}

/** Show the plan and ask once. --yes answers yes; a run that cannot ask needs --yes. */
export async function confirmPlan(ctx: SetupContext, plan: SetupPlan): Promise<boolean> {
  ctx.ui.note(renderPlan(plan), ctx.settings.dryRun ? 'Plan (dry run: nothing will be changed)' : 'Plan');
  if (ctx.settings.dryRun) return false;
  if (ctx.settings.yes) return true;
  if (!ctx.canPrompt) throw missingFlag('Confirmation of the plan', '--yes');
  return ctx.ui.confirm({ message: 'Apply these changes?', initialValue: true });
}
