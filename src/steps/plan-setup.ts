// Reading and asking only: preflight → provider → URL and its live check → services → what each
// holds now. The result is a frozen plan; nothing is written before it is confirmed.
import { summarize } from '../core/check-report.js';
import { resolveRolePatterns, type ServiceRole } from '../core/config.js';
import type { SetupOptions } from '../core/options.js';
import { freezePlan, type Plan, type Previous, type ServiceStep, type ValueSource } from '../core/plan.js';
import { loadRolePatterns } from '../edge/package-files.js';
import type { RailwayPort } from '../edge/railway.js';
import type { StepContext } from './context.js';
import { preflight, type RailwayState } from './preflight.js';
import { type ChosenSource, chooseProvider, obtainSource } from './source.js';
import { chooseServices } from './services.js';

export interface SetupPlanning {
  plan: Readonly<Plan>;
  source: ChosenSource;
  state?: RailwayState;
  chosen: ServiceRole[];
}

export interface PlanDeps {
  /** A railway adapter for one environment (undefined = the linked one). */
  connect(environment: string | undefined): RailwayPort;
  /** The URL from --url or --url-stdin, already read. */
  pastedUrl?: string;
}

export async function planSetup(ctx: StepContext<SetupOptions>, deps: PlanDeps, environment: string | undefined): Promise<SetupPlanning> {
  const { options } = ctx;
  const state = options.useRailway ? await preflight(ctx.ui, deps.connect(environment), options.redisService) : undefined;
  const provider = await chooseProvider(ctx, state);
  const source = await obtainSource(ctx, provider, state, deps.pastedUrl);
  const chosen = state ? await chooseServices(ctx, state.services, state.redis?.name) : [];
  const services = state ? await serviceSteps(ctx, state.railway, chosen, source) : [];
  const envValue: ValueSource | undefined = source.localUrl !== undefined
    ? { kind: 'literal', value: source.localUrl }
    : source.providerAction ? { kind: 'provider-action' } : undefined;
  const { existsSync } = await import('node:fs');
  const plan: Plan = {
    kind: 'setup',
    environment,
    ...(state ? { projectName: state.project.projectName } : {}),
    variable: options.variable,
    provider,
    ...(source.check ? { check: summarize(source.check) } : {}),
    ...(source.providerAction ? { providerAction: source.providerAction } : {}),
    ...(options.writeEnv && envValue ? { envFile: { path: options.envFile, exists: existsSync(options.envFile), change: { kind: 'set', value: envValue } } } : {}),
    services,
    ...(options.redeploy ? { watch: { timeoutMs: options.timeoutMs, settleMs: options.settleMs } } : {}),
    notes: source.notes,
  };
  return { plan: freezePlan(plan), source, ...(state ? { state } : {}), chosen };
}

async function serviceSteps(ctx: StepContext<SetupOptions>, railway: RailwayPort, chosen: ServiceRole[], source: ChosenSource): Promise<ServiceStep[]> {
  const patterns = loadRolePatterns(ctx.options.patterns);
  const target: ValueSource | undefined = source.railwayValue !== undefined
    ? { kind: 'literal', value: source.railwayValue }
    : source.providerAction ? { kind: 'provider-action' } : undefined;
  return Promise.all(chosen.map(async (s): Promise<ServiceStep> => {
    const rolePatterns = resolveRolePatterns(patterns, s.role);
    const now = (await railway.variables(s.name))[ctx.options.variable];
    ctx.secrets.addUrl(now);
    const previous: Previous = now === undefined ? { kind: 'unset' } : { kind: 'value', value: now };
    const same = target?.kind === 'literal' && now === target.value;
    return {
      name: s.name,
      role: s.role,
      ...(rolePatterns.ok ? { patterns: rolePatterns.value } : {}),
      change: same || !target ? { kind: 'keep' } : { kind: 'set', value: target },
      previous,
      // Even an unchanged service is redeployed: a reference renders the current password only at deploy time.
      deploy: ctx.options.redeploy ? 'redeploy' : 'none',
    };
  }));
}
