// What a run did, as one report: built in one place from the plan and what executing it gave.
// The same shape is printed with --json and summarised for humans. Pure.
import type { CliError } from '../errors.js';
import { EXIT } from '../errors.js';
import type { Role } from './config.js';
import type { LogDiagnosis } from './health.js';
import type { Plan, Previous } from './plan.js';

export type ServiceStatus = 'healthy' | 'failed' | 'timeout' | 'skipped';

export interface ServiceOutcome {
  name: string;
  role: Role;
  deploymentId: string | null;
  status: ServiceStatus;
  /** Masked log lines: the failure lines, or the success lines that proved health. */
  evidence: string[];
  secondsToHealthy: number | null;
  missing: string[];
  reason?: string;
  diagnosis?: LogDiagnosis;
  /** Median delay between a line's timestamp and the moment we saw it. */
  lagMs?: number;
  watch?: 'stream' | 'poll';
  /** Railway refused to start the deployment (its error code): a Railway problem, not an unhealthy service. */
  railwayError?: string;
}

/** What executing a plan did. */
export interface Execution {
  env?: { path: string; created: boolean; changed: boolean; previous: Previous };
  /** Services whose variable was written or deleted, in order. */
  servicesChanged: string[];
  /** The environment's shared variable was written. */
  sharedChanged?: boolean;
  /** A change step that stopped partway: nothing was redeployed after it. */
  failure?: CliError;
  outcomes: ServiceOutcome[];
}

export interface Report {
  ok: boolean;
  code: string;
  exitCode: number;
  environment: string | null;
  provider?: string;
  url?: string | null;
  message: string;
  fix: string;
  env: { path: string | null; changed: boolean };
  services: ServiceOutcome[];
  partial?: { set: string[]; notSet: string[] };
  rolledBack?: boolean;
  railwayCalls?: number;
}

export const RESTORE_HINT = 'npx redis-setup restore';

export interface ReportInput {
  plan?: Plan;
  execution?: Execution;
  /** Stopped before any change (a failed check, a Railway error while planning). */
  failedEarly?: CliError;
  dryRun?: boolean;
  rolledBack?: boolean;
  railwayCalls?: number;
  envPath: string | null;
  environment?: string;
  provider?: string;
  /** Masked URL of the live check. */
  url?: string | null;
}

export const skipped = (name: string, role: Role, reason?: string): ServiceOutcome => ({
  name,
  role,
  deploymentId: null,
  status: 'skipped',
  evidence: [],
  secondsToHealthy: null,
  missing: [],
  ...(reason ? { reason } : {}),
});

const unhealthy = (o: ServiceOutcome) => o.status === 'failed' || o.status === 'timeout';

/** What every report carries around its verdict. */
interface Frame {
  base: { environment: string | null; provider?: string; url?: string | null };
  env: { path: string | null; changed: boolean };
  tail: { railwayCalls?: number };
}

export function buildReport(input: ReportInput): Report {
  const frame: Frame = {
    base: {
      environment: input.plan?.environment ?? input.environment ?? null,
      ...(input.provider !== undefined ? { provider: input.provider } : {}),
      ...(input.url !== undefined ? { url: input.url } : {}),
    },
    env: { path: input.execution?.env?.path ?? input.envPath, changed: input.execution?.env?.changed ?? false },
    tail: input.railwayCalls !== undefined ? { railwayCalls: input.railwayCalls } : {},
  };
  if (input.failedEarly) return failedEarlyReport(input.failedEarly, frame);
  const plan = input.plan!;
  if (input.dryRun || !input.execution) return dryRunReport(plan, frame);
  if (input.execution.failure) return failedApplyReport(input, plan, input.execution, frame);
  return outcomeReport(input, plan, input.execution, frame);
}

function failedEarlyReport(e: NonNullable<ReportInput['failedEarly']>, { base, env, tail }: Frame): Report {
  return {
    ok: false,
    code: e.code,
    exitCode: e.exitCode,
    ...base,
    message: e.message,
    fix: e.fix ?? '',
    env,
    services: [],
    ...tail,
  };
}

function dryRunReport(plan: Plan, { base, env, tail }: Frame): Report {
  return {
    ok: true,
    code: 'dry-run',
    exitCode: EXIT.ok,
    ...base,
    message: 'Dry run: nothing was changed.',
    fix: '',
    env,
    services: plan.services.map((s) => skipped(s.name, s.role)),
    ...tail,
  };
}

const fixAfterChange = (input: ReportInput) =>
  input.rolledBack ? 'Rolled back to the previous values.' : RESTORE_HINT;

/** The apply stopped part-way: which services got the new value, and which did not. */
function failedApplyReport(input: ReportInput, plan: Plan, ex: Execution, { base, env, tail }: Frame): Report {
  const failure = ex.failure!;
  const changed = new Set(ex.servicesChanged);
  return {
    ok: false,
    code: failure.code,
    exitCode: failure.exitCode,
    ...base,
    message: failure.message,
    fix: fixAfterChange(input),
    env,
    services: plan.services.map((s) =>
      skipped(s.name, s.role, changed.has(s.name) ? 'new value set, not redeployed' : 'not changed'),
    ),
    partial: {
      set: ex.servicesChanged,
      notSet: plan.services.filter((s) => s.change.kind !== 'keep' && !changed.has(s.name)).map((s) => s.name),
    },
    rolledBack: input.rolledBack ?? false,
    ...tail,
  };
}

/** Everything was applied: the verdict comes from each service's outcome. */
function outcomeReport(input: ReportInput, plan: Plan, ex: Execution, { base, env, tail }: Frame): Report {
  const services = plan.services.map(
    (s) => ex.outcomes.find((o) => o.name === s.name) ?? skipped(s.name, s.role, skipReason(plan, s.change.kind)),
  );
  const bad = services.filter(unhealthy);
  const ok = bad.length === 0;
  const railway = bad.find((o) => o.railwayError);
  const code = railway ? railway.railwayError! : bad.some((o) => o.status === 'failed') ? 'unhealthy' : 'timeout';
  return {
    ok,
    code: ok ? 'ok' : code,
    exitCode: ok ? EXIT.ok : railway ? EXIT.railway : EXIT.unhealthy,
    ...base,
    // A Railway refusal is said in Railway's words (a rate limit and its wait), not as the service's status.
    message: ok ? okMessage(plan) : bad.map((o) => `${o.name}: ${o.railwayError ? o.reason : o.status}`).join('; '),
    fix: ok ? '' : fixAfterChange(input),
    env,
    services,
    ...(input.rolledBack ? { rolledBack: true } : {}),
    ...tail,
  };
}

function skipReason(plan: Plan, change: string): string {
  if (!plan.watch) return '--no-redeploy';
  if (change === 'keep') return 'already this value';
  return 'no health patterns for this role';
}

const okMessage = (plan: Plan) => (plan.kind === 'restore' ? 'Restored.' : 'All services healthy.');

/** The --json shape: the exit code is the process's own. */
export function publicReport(r: Report): Omit<Report, 'exitCode'> {
  const { exitCode: _e, ...rest } = r;
  return rest;
}

export const worstExit = (reports: readonly Pick<Report, 'exitCode'>[]) =>
  reports.reduce((w, r) => Math.max(w, r.exitCode), 0);

/** Everything a run changed so far, in words: for a stop in the middle, and for the undo hint. */
/** `verdicts`: services whose watch already ended (healthy, failed, timeout) when the run stopped. */
export function describeChanges(
  plan: Plan,
  execution: Execution,
  deployments: ReadonlyMap<string, string>,
  verdicts: ReadonlyMap<string, string> = new Map(),
): string[] {
  const rollout = (name: string, id: string) => `${verdicts.get(name) ?? 'redeploying'} (deployment ${id})`;
  const lines: string[] = [];
  if (execution.env?.changed) lines.push(`.env: ${execution.env.path} (${plan.variable})`);
  if (execution.sharedChanged)
    lines.push(
      `shared ${plan.variable}${plan.environment ? ` (${plan.environment})` : ''}: ` +
        `${plan.kind === 'setup' ? 'set' : 'put back'}`,
    );
  for (const name of execution.servicesChanged) {
    const id = deployments.get(name);
    lines.push(
      `${name}: ${plan.variable} ` +
        `${plan.kind === 'setup' ? 'set' : 'put back'}${id ? `; ${rollout(name, id)}` : ''}`,
    );
  }
  for (const [name, id] of deployments) {
    if (!execution.servicesChanged.includes(name)) lines.push(`${name}: ${rollout(name, id)}`);
  }
  return lines;
}
