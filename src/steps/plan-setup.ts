// Reading and asking only: preflight (the environment as stored) → each Redis user's state now →
// provider → URL and its live check → per-service or shared variable → services → what changes
// for each, and why. The result is a frozen plan; nothing is written before it is confirmed.
import { summarize } from '../core/check-report.js';
import { type PatternTemplates, resolveRolePatterns, ROLES, type ServiceRole } from '../core/config.js';
import type { RolePatterns } from '../core/health.js';
import type { SetupOptions } from '../core/options.js';
import {
  freezePlan,
  type Plan,
  previousOf,
  type ServiceStep,
  type SharedStep,
  type ValueSource,
} from '../core/plan.js';
import { describeUsage, isStale, usesRedis, type Usage } from '../core/redis-usage.js';
import { guessRole } from '../core/services.js';
import { renderStates, stateNow } from '../core/state-now.js';
import { CliError, EXIT } from '../errors.js';
import { loadRolePatterns } from '../edge/package-files.js';
import type { RailwayPort } from '../edge/railway.js';
import type { StepContext } from './context.js';
import { findLogUsers } from './log-users.js';
import { preflight, type RailwayState } from './preflight.js';
import { chooseScope } from './scope.js';
import { chooseServices } from './services.js';
import { type ChosenSource, chooseProvider, obtainSource } from './source.js';

type Ctx = StepContext<SetupOptions>;

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

export async function planSetup(ctx: Ctx, deps: PlanDeps, environment: string | undefined): Promise<SetupPlanning> {
  const { options } = ctx;
  const patterns = loadRolePatterns(options.patterns);
  const state = options.useRailway
    ? await preflight(ctx.ui, deps.connect(environment), options.redisService, options.variable)
    : undefined;
  const logUsers = state ? await readState(ctx, state, patterns) : new Map<string, string>();
  const provider = await chooseProvider(ctx, state);
  const source = await obtainSource(ctx, provider, state, deps.pastedUrl);
  const scope = state ? await chooseScope(ctx, state, source) : 'service';
  const chosen = state ? await chooseServices(ctx, state, logUsers) : [];
  const sharedValue = valueFor(source);
  const serviceValue: ValueSource | undefined =
    scope === 'shared' ? { kind: 'literal', value: `\${{shared.${options.variable}}}` } : sharedValue;
  const keepsReferences = provider === 'railway' && scope === 'service';
  const services = state
    ? serviceSteps(ctx, state, withSharedUsers(ctx, state, chosen, scope), serviceValue, patterns, keepsReferences)
    : [];
  const shared =
    state && scope === 'shared' && sharedValue ? sharedStep(state, options.variable, sharedValue) : undefined;
  if (state && (shared || services.some((s) => s.change.kind !== 'keep')) && scope === 'shared' && !state.target) {
    throw new CliError(
      'A shared variable is written through `railway api`, which this railway CLI or project ' +
        'setup cannot use here.',
      EXIT.railway,
      'Update the CLI (npm i -g @railway/cli@latest) and pass --environment NAME, or use --scope service.',
      'railway-version',
    );
  }
  const envValue: ValueSource | undefined =
    source.localUrl !== undefined ? { kind: 'literal', value: source.localUrl } : sharedValue;
  const { existsSync } = await import('node:fs');
  const plan: Plan = {
    kind: 'setup',
    environment,
    ...(state ? { projectName: state.project.projectName } : {}),
    variable: options.variable,
    provider,
    ...(source.check ? { check: summarize(source.check) } : {}),
    ...(source.providerAction ? { providerAction: source.providerAction } : {}),
    ...(options.writeEnv && envValue && (source.localUrl !== undefined || source.providerAction)
      ? {
          envFile: {
            path: options.envFile,
            exists: existsSync(options.envFile),
            change: { kind: 'set', value: envValue },
          },
        }
      : {}),
    ...(shared ? { shared } : {}),
    ...(state?.target ? { target: state.target } : {}),
    services,
    ...(options.redeploy ? { watch: { timeoutMs: options.timeoutMs, settleMs: options.settleMs } } : {}),
    notes: [...source.notes, ...sealedNotes(services, shared, options.variable)],
  };
  return { plan: freezePlan(plan), source, ...(state ? { state } : {}), chosen };
}

const valueFor = (source: ChosenSource): ValueSource | undefined =>
  source.railwayValue !== undefined
    ? { kind: 'literal', value: source.railwayValue }
    : source.providerAction
      ? { kind: 'provider-action' }
      : undefined;

/** Secrets registered, log users found, and one line per Redis user with its state now. */
async function readState(ctx: Ctx, state: RailwayState, patterns: PatternTemplates): Promise<Map<string, string>> {
  for (const v of Object.values(state.redisVariables)) ctx.secrets.addUrl(v);
  ctx.secrets.add(state.redisFacts?.password);
  for (const v of [...state.values.values(), ...Object.values(state.shared)]) ctx.secrets.addUrl(v);
  const union: RolePatterns = { success: ROLES.flatMap((r) => patterns[r].success), failure: patterns.bot.failure };
  const logUsers = await findLogUsers(state, union, ctx.secrets);
  const rows = state.services
    .filter((s) => s !== state.redis && (usesRedis(state.usages.get(s.name)!) || logUsers.has(s.name)))
    .map((s) =>
      stateNow(s.name, state.usages.get(s.name)!, s.latestDeployment?.status ?? s.status, logUsers.get(s.name)),
    );
  if (rows.length > 0) ctx.ui.note(renderStates(rows), `Services that use Redis now (${ctx.options.variable})`);
  return logUsers;
}

/** With one shared variable, every service that references it is redeployed, not only the ones named. */
function withSharedUsers(
  ctx: Ctx,
  state: RailwayState,
  chosen: ServiceRole[],
  scope: 'service' | 'shared',
): ServiceRole[] {
  if (scope !== 'shared') return chosen;
  const named = new Set(chosen.map((c) => c.name));
  const followers = state.services.filter((s) => {
    const u = state.usages.get(s.name);
    return !named.has(s.name) && u?.kind === 'shared' && u.key === ctx.options.variable;
  });
  const roleOf = (name: string) =>
    ctx.options.roles.find((r) => r.name.toLowerCase() === name.toLowerCase())?.role ?? guessRole(name);
  return [...chosen, ...followers.map((s) => ({ name: s.name, role: roleOf(s.name) }))];
}

/**
 * `keepsReferences`: the new value is the Redis service's own public URL, so a service that already
 * references that service keeps its reference, which follows every future rotation by itself.
 */
function serviceSteps(
  ctx: Ctx,
  state: RailwayState,
  chosen: ServiceRole[],
  target: ValueSource | undefined,
  patterns: PatternTemplates,
  keepsReferences: boolean,
): ServiceStep[] {
  return chosen.map((s): ServiceStep => {
    const summary = state.services.find((x) => x.name === s.name);
    const now = state.values.get(s.name);
    const usage = state.usages.get(s.name) ?? { kind: 'unset' };
    const rolePatterns = resolveRolePatterns(patterns, s.role);
    const followsRedis = keepsReferences && usage.kind === 'reference' && usage.service === state.redis?.name;
    const same = followsRedis || (target?.kind === 'literal' && now === target.value);
    return {
      name: s.name,
      ...(summary ? { id: summary.id } : {}),
      role: s.role,
      ...(rolePatterns.ok ? { patterns: rolePatterns.value } : {}),
      change: same || !target ? { kind: 'keep' } : { kind: 'set', value: target },
      previous: previousOf(now),
      // Even an unchanged service is redeployed: a reference renders the current password only at
      // deploy time.
      deploy: ctx.options.redeploy ? 'redeploy' : 'none',
      ...(summary?.latestDeployment ? { latestDeploymentId: summary.latestDeployment.id } : {}),
      why: whyChange(usage, same),
    };
  });
}

function whyChange(u: Usage, same: boolean): string {
  if (same && u.kind === 'reference')
    return `keeps ${u.raw.trim()}, which follows the Redis service: redeployed to render it`;
  if (same) return u.kind === 'literal' ? 'redeployed to prove it' : 'redeployed to render the current value';
  if (isStale(u)) return 'stale password → the new value';
  if (u.kind === 'unset') return 'not set → the new value';
  if (u.kind === 'sealed') return 'sealed (cannot be saved) → the new value';
  if (u.kind === 'literal' && !u.onRedisService) return `another server (${u.endpoint ?? '?'}) → the new value`;
  return `${describeUsage(u)} → the new value`;
}

function sharedStep(state: RailwayState, variable: string, value: ValueSource): SharedStep {
  const now = state.shared[variable];
  const same = value.kind === 'literal' && now === value.value;
  return { change: same ? { kind: 'keep' } : { kind: 'set', value }, previous: previousOf(now) };
}

function sealedNotes(services: ServiceStep[], shared: SharedStep | undefined, variable: string): string[] {
  const sealed = services.filter((s) => s.previous.kind === 'sealed' && s.change.kind !== 'keep').map((s) => s.name);
  if (shared?.previous.kind === 'sealed' && shared.change.kind !== 'keep') sealed.push(`the shared ${variable}`);
  if (sealed.length === 0) return [];
  return [
    `${sealed.join(', ')}: ${variable} is sealed. Its value cannot be read, so it cannot be saved ` +
      `or put back by restore.`,
  ];
}
