// The plan: every change a run will make, decided before the first one and frozen once shown.
// Setup, a rollback and restore all produce a Plan; one engine (steps/execute.ts) carries it out.
// Pure: types, builders and the masked text a person confirms.
import path from 'node:path';
import type { CheckSummary } from './check-report.js';
import type { Role } from './config.js';
import type { RolePatterns } from './health.js';
import { isReference, maskUrl } from './url.js';

/** Where a new value comes from: known now, or the URL a confirmed provider action yields. */
export type ValueSource = { kind: 'literal'; value: string } | { kind: 'provider-action' };

/** What a variable held before the change: its stored value (a reference stays a reference). */
export type Previous = { kind: 'unset' } | { kind: 'value'; value: string } | { kind: 'sealed' };

export const previousOf = (raw: string | null | undefined): Previous =>
  raw === undefined ? { kind: 'unset' } : raw === null ? { kind: 'sealed' } : { kind: 'value', value: raw };

export type VariableChange = { kind: 'set'; value: ValueSource } | { kind: 'delete' } | { kind: 'keep' };

export interface ServiceStep {
  name: string;
  /** Railway's service ID, for batched writes. */
  id?: string;
  role: Role;
  /** The log lines that prove it healthy; undefined = do not watch it. */
  patterns?: RolePatterns;
  change: VariableChange;
  previous: Previous;
  /** redeploy: we start a new deployment; self: the change deploys by itself (a delete); none. */
  deploy: 'redeploy' | 'self' | 'none';
  /** The deployment a redeploy starts from (batched redeploys name it). */
  latestDeploymentId?: string;
  /** Why this service changes, for the plan: "stale password → current URL". */
  why?: string;
}

/** The environment's shared variable (the runbook's "Shared Variables" step). */
export interface SharedStep {
  change: VariableChange;
  previous: Previous;
}

export type EnvFileChange = { kind: 'set'; value: ValueSource } | { kind: 'remove' } | { kind: 'delete-if-ours' };

export interface EnvFileStep {
  path: string;
  exists: boolean;
  change: EnvFileChange;
}

/** A change that yields the URL (an Upstash reset or create): the first step, after the confirmation. */
export interface ProviderAction {
  describe: string;
  irreversible: boolean;
  obtain(): Promise<string>;
}

export interface Plan {
  kind: 'setup' | 'rollback' | 'restore';
  environment: string | undefined;
  projectName?: string;
  variable: string;
  provider?: string;
  /** The live check of the URL that .env and the services get, when one was made. */
  check?: CheckSummary;
  providerAction?: ProviderAction;
  envFile?: EnvFileStep;
  /** Set once, before the services: they reference it as ${{shared.NAME}}. */
  shared?: SharedStep;
  services: ServiceStep[];
  /** Project and environment IDs for `railway api` (batched writes, shared variables). */
  target?: { projectId: string; environmentId: string };
  /** Redeploy and watch; undefined = set only. */
  watch?: { timeoutMs: number; settleMs: number };
  notes: string[];
}

export function freezePlan(plan: Plan): Readonly<Plan> {
  for (const s of plan.services) Object.freeze(s);
  if (plan.shared) Object.freeze(plan.shared);
  Object.freeze(plan.services);
  Object.freeze(plan.notes);
  if (plan.envFile) Object.freeze(plan.envFile);
  return Object.freeze(plan);
}

/** Services whose variable this plan writes or deletes. */

// ── Rollback and restore: plans built from saved previous values ─────────────────────────────

/** A stored (raw) value: a reference stays a reference. A sealed one cannot be read: only marked. */
export interface SavedShared {
  environment: string | null;
  name: string;
  hadValue: boolean;
  previousValue?: string;
  sealed?: boolean;
}
export interface SavedService extends SavedShared {
  service: string;
}
export interface SavedEnvFile {
  path: string;
  name: string;
  existed: boolean;
  previousValue?: string;
}
/** The saved values of one change (the shape of .redis-setup/last-change.json, less its version). */
export interface SavedChange {
  createdAt: string;
  envFile?: SavedEnvFile;
  services: SavedService[];
  shared?: SavedShared[];
}

/** The way back to a previous value. A sealed one cannot be read, so it cannot be put back: keep. */
const backTo = (previous: Previous): VariableChange =>
  previous.kind === 'value'
    ? { kind: 'set', value: { kind: 'literal', value: previous.value } }
    : previous.kind === 'sealed'
      ? { kind: 'keep' }
      : { kind: 'delete' };

const savedPrevious = (s: { previousValue?: string; sealed?: boolean }): Previous =>
  s.sealed
    ? { kind: 'sealed' }
    : s.previousValue !== undefined
      ? { kind: 'value', value: s.previousValue }
      : { kind: 'unset' };

const samePrevious = (a: Previous, b: Previous) =>
  a.kind === b.kind && (a.kind !== 'value' || (b.kind === 'value' && a.value === b.value));

export interface RollbackInput {
  /** Services whose variable the change wrote. */
  services: readonly string[];
  sharedChanged: boolean;
  envChanged: boolean;
  envPrevious: Previous | undefined;
  /** Redeploy and watch again: only when the change itself was redeployed. */
  watch: Plan['watch'];
}

/** Put back what `plan` changed on `services`, and .env when it was changed. */
export function rollbackPlan(plan: Plan, input: RollbackInput): Plan {
  const { envChanged, envPrevious, watch } = input;
  const steps = plan.services
    .filter((s) => input.services.includes(s.name))
    .map((s): ServiceStep => {
      const change = backTo(s.previous);
      return { ...s, change, previous: { kind: 'unset' }, deploy: deployFor(change, watch !== undefined) };
    });
  return {
    kind: 'rollback',
    environment: plan.environment,
    ...(plan.projectName ? { projectName: plan.projectName } : {}),
    variable: plan.variable,
    ...(envChanged && plan.envFile && envPrevious
      ? { envFile: { path: plan.envFile.path, exists: true, change: envBack(envPrevious, plan.envFile.exists) } }
      : {}),
    ...(input.sharedChanged && plan.shared
      ? { shared: { change: backTo(plan.shared.previous), previous: { kind: 'unset' } } }
      : {}),
    ...(plan.target ? { target: plan.target } : {}),
    services: steps,
    ...(watch ? { watch } : {}),
    notes: [],
  };
}

function envBack(previous: Previous, existed: boolean): EnvFileChange {
  if (previous.kind === 'value') return { kind: 'set', value: { kind: 'literal', value: previous.value } };
  return existed ? { kind: 'remove' } : { kind: 'delete-if-ours' };
}

const deployFor = (change: VariableChange, watch: boolean): ServiceStep['deploy'] =>
  !watch || change.kind === 'keep' ? 'none' : change.kind === 'delete' ? 'self' : 'redeploy';

export interface RestoreInput {
  saved: SavedChange;
  environment: string | undefined;
  /** What each saved service holds now (stored values), read just before planning. */
  current: ReadonlyMap<string, Previous>;
  /** The shared variable now, when the change saved one. */
  sharedCurrent?: Previous;
  ids?: ReadonlyMap<string, string>;
  /** Latest deployment per service, for batched redeploys. */
  latest?: ReadonlyMap<string, string>;
  target?: { projectId: string; environmentId: string };
  roles: ReadonlyMap<string, { role: Role; patterns?: RolePatterns }>;
  restoreEnv: boolean;
  envCurrent?: Previous;
  watch?: { timeoutMs: number; settleMs: number };
  projectName?: string;
}

/** The saved values of one environment back in place; services that already hold them are kept. */
export function restorePlan(input: RestoreInput): Plan {
  const { saved } = input;
  const here = (s: { environment: string | null }) => (s.environment ?? undefined) === input.environment;
  const mine = saved.services.filter(here);
  const savedShared = saved.shared?.find(here);
  const variable = mine[0]?.name ?? savedShared?.name ?? saved.envFile?.name ?? 'REDIS_URL';
  const shared = savedShared
    ? sharedBack(savedPrevious(savedShared), input.sharedCurrent ?? { kind: 'unset' })
    : undefined;
  const sharedMoves = shared !== undefined && shared.change.kind !== 'keep';
  const services = mine.map((s): ServiceStep => {
    const previous = savedPrevious(s);
    const now = input.current.get(s.service) ?? { kind: 'unset' };
    const change: VariableChange = samePrevious(now, previous) ? { kind: 'keep' } : backTo(previous);
    // A service that references the shared variable renders its restored value only after a
    // redeploy.
    const follows = sharedMoves && refersToShared(change.kind === 'keep' ? now : previous, variable);
    const role = input.roles.get(s.service);
    const id = input.ids?.get(s.service);
    const latest = input.latest?.get(s.service);
    return {
      name: s.service,
      ...(id ? { id } : {}),
      role: role?.role ?? 'custom',
      ...(role?.patterns ? { patterns: role.patterns } : {}),
      change,
      previous: now,
      deploy: follows && input.watch ? 'redeploy' : deployFor(change, input.watch !== undefined),
      ...(latest ? { latestDeploymentId: latest } : {}),
      ...(previous.kind === 'sealed'
        ? { why: 'it was sealed: its value could not be saved, so it cannot be put back' }
        : {}),
    };
  });
  const env = input.restoreEnv ? saved.envFile : undefined;
  return {
    kind: 'restore',
    environment: input.environment,
    ...(input.projectName ? { projectName: input.projectName } : {}),
    variable,
    ...(env
      ? {
          envFile: {
            path: env.path,
            exists: input.envCurrent?.kind === 'value',
            change: envBack(savedPrevious(env), env.existed),
          },
        }
      : {}),
    ...(shared ? { shared } : {}),
    ...(input.target ? { target: input.target } : {}),
    services,
    ...(input.watch ? { watch: input.watch } : {}),
    notes: [],
  };
}

const refersToShared = (p: Previous, variable: string) =>
  p.kind === 'value' && p.value.includes(`\${{shared.${variable}}}`);

function sharedBack(previous: Previous, now: Previous): SharedStep {
  return { change: samePrevious(now, previous) ? { kind: 'keep' } : backTo(previous), previous: now };
}

// ── The text a person confirms (masked) ──────────────────────────────────────────────────────

export function showValue(value: string | undefined): string {
  if (value === undefined) return '(not set)';
  if (value === '') return '(empty)';
  return isReference(value) ? value : maskUrl(value);
}

const showPrevious = (p: Previous) =>
  p.kind === 'value' ? showValue(p.value) : p.kind === 'sealed' ? '(sealed)' : '(not set)';

function showChange(change: VariableChange, action: ProviderAction | undefined): string {
  if (change.kind === 'keep') return 'already this value';
  if (change.kind === 'delete') return 'delete (it was not set before)';
  return change.value.kind === 'provider-action' ? (action ? 'the new URL' : '?') : showValue(change.value.value);
}

function envLine(plan: Plan, cwd: string): string {
  const env = plan.envFile;
  if (!env) return '.env     not changed';
  const name = path.relative(cwd, env.path) || env.path;
  if (env.change.kind === 'remove') return `.env     ${name}: ${plan.variable} removed (it was not set before)`;
  if (env.change.kind === 'delete-if-ours') return `.env     ${name}: deleted (redis-setup created it)`;
  if (plan.kind !== 'setup')
    return `.env     ${name}: ${plan.variable} ← ${showChange(env.change, plan.providerAction)}`;
  return env.exists
    ? `.env     ${name}: ${plan.variable} replaced, other lines kept (old value saved)`
    : `.env     ${name}: created from the template, mode 0600`;
}

function serviceLine(plan: Plan, s: ServiceStep): string {
  const why = s.why ? ` · ${s.why}` : '';
  if (plan.kind === 'setup') {
    return (
      `${`(${s.role})`.padEnd(9)} ` +
      `${s.change.kind === 'keep' ? 'already this value' : `now ${showPrevious(s.previous)}`}${why}`
    );
  }
  const what = s.change.kind === 'keep' ? 'already this value (left alone)' : showChange(s.change, undefined);
  return `${plan.variable} ← ${what}${why}`;
}

function sharedLine(plan: Plan): string | undefined {
  const shared = plan.shared;
  if (!shared) return undefined;
  const where = `Shared   ${plan.variable} (the environment's shared variable)`;
  if (shared.change.kind === 'keep') return `${where}: already this value`;
  if (plan.kind !== 'setup') return `${where} ← ${showChange(shared.change, undefined)}`;
  return `${where} = ${showChange(shared.change, plan.providerAction)}, now ${showPrevious(shared.previous)}`;
}

export function renderPlan(plan: Plan, cwd: string): string {
  const lines: string[] = [];
  if (plan.providerAction) lines.push(`First    ${plan.providerAction.describe}`);
  if (plan.check) {
    lines.push(
      `URL      ${plan.check.url}`,
      `         ${plan.check.provider}${plan.check.tls ? ' · TLS' : ''} · live check ok · ` +
        `${plan.check.latencyMs} ms`,
    );
  }
  lines.push(envLine(plan, cwd));
  const shared = sharedLine(plan);
  if (shared) lines.push(shared);
  if (plan.services.length > 0) {
    const where = `${plan.projectName ?? 'Railway project'}${plan.environment ? ` · ${plan.environment}` : ''}`;
    const target = plan.services.find((s) => s.change.kind === 'set')?.change;
    const shown =
      plan.kind === 'setup' && target?.kind === 'set' ? ` = ${showChange(target, plan.providerAction)}` : '';
    lines.push(`Railway  ${where}: ${plan.variable}${shown}`);
    const width = Math.max(12, ...plan.services.map((s) => s.name.length));
    for (const s of plan.services) lines.push(`  ${s.name.padEnd(width)}  ${serviceLine(plan, s)}`);
    lines.push(
      plan.watch
        ? 'Then     redeploy each changed service and watch its new logs until healthy'
        : 'Then     no redeploy (--no-redeploy): services keep the old value until they deploy',
    );
  }
  for (const note of plan.notes) lines.push(`Note     ${note}`);
  return lines.join('\n');
}
