// Step 5: one masked summary of every change, then one confirmation. Nothing is written before it.
import path from 'node:path';
import type { ServiceRole } from '../core/config.js';
import { isReference, maskUrl } from '../core/url.js';
import type { RolePatterns } from '../core/health.js';
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
  envFile: { path: string; exists: boolean; write: boolean };
  services: ServicePlan[];
  redeploy: boolean;
  variable: string;
}

export function showValue(value: string | undefined): string {
  if (value === undefined) return '(not set)';
  return isReference(value) ? value : maskUrl(value);
}

export function renderPlan(plan: SetupPlan, cwd = process.cwd()): string {
  const lines: string[] = [];
  const { source } = plan;
  const check = source.check;
  if (check) lines.push(`URL      ${check.url}`, `         ${check.provider}${check.tls ? ' · TLS' : ''} · live check ok · ${check.latencyMs} ms`);
  const envName = path.relative(cwd, plan.envFile.path) || plan.envFile.path;
  lines.push(plan.envFile.write
    ? plan.envFile.exists
      ? `.env     ${envName}: ${plan.variable} replaced, other lines kept (old value saved)`
      : `.env     ${envName}: created from the template, mode 0600`
    : '.env     not changed');
  if (plan.services.length > 0) {
    lines.push(`Railway  ${plan.projectName ?? 'project'}${plan.environment ? ` · ${plan.environment}` : ''}: ${plan.variable} = ${source.pending ? 'the new Upstash URL' : showValue(source.railwayValue)}`);
    const width = Math.max(...plan.services.map((s) => s.name.length));
    for (const s of plan.services) {
      lines.push(`  ${s.name.padEnd(width)}  ${`(${s.role})`.padEnd(9)} ${s.unchanged ? 'already this value' : `now ${showValue(s.previous)}`}`);
    }
    lines.push(plan.redeploy
      ? 'Then     redeploy each service and watch its new logs until healthy'
      : 'Then     no redeploy (--no-redeploy): services keep the old value until they deploy');
  }
  for (const note of source.notes) lines.push(`Note     ${note}`);
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
