// Start the new deployments (in one request where the CLI has `railway api`), then watch the ones
// whose role has log lines that prove health. A service without such lines is still redeployed,
// so it runs the new value; the report says it was not watched.
import type { Plan, ServiceStep } from '../core/plan.js';
import { type ServiceOutcome, skipped } from '../core/report.js';
import type { Secrets } from '../core/secrets.js';
import type { RailwayPort } from '../edge/railway.js';
import { CliError } from '../errors.js';
import type { Ui } from '../ui/prompts.js';
import { rollout, type RolloutTarget } from './rollout.js';
import { WatchBoard } from './watch-board.js';

export interface WatchDeps {
  ui: Ui;
  secrets: Secrets;
  railway: RailwayPort;
  rollout?: typeof rollout;
}

const redeployed = (plan: Plan) => plan.services.filter((s) => s.deploy !== 'none');

/** One request for every redeploy where the CLI has `api`; a failure there falls back to one CLI call each. */
async function startAll(railway: RailwayPort, steps: ServiceStep[]): Promise<Map<string, string>> {
  const batch = steps.filter((s) => s.deploy === 'redeploy');
  if (batch.length === 0 || !railway.supports('api') || batch.some((s) => !s.latestDeploymentId)) return new Map();
  return railway
    .redeployMany(batch.map((s) => ({ service: s.name, latestDeploymentId: s.latestDeploymentId! })))
    .catch(() => new Map<string, string>());
}

export async function redeployAndWatch(
  deps: WatchDeps,
  plan: Plan,
  deployedBefore: Map<string, string | null>,
  /** Filled as the watch goes, for the summary of a run stopped part-way. */
  watch: { deployments: Map<string, string>; verdicts: Map<string, string> },
): Promise<ServiceOutcome[]> {
  const { deployments } = watch;
  const steps = redeployed(plan);
  if (!plan.watch || steps.length === 0) return [];
  const started = await startAll(deps.railway, steps);
  const unwatched = await redeployUnwatched(
    deps.railway,
    steps.filter((s) => !s.patterns),
    started,
  );
  for (const [service, id] of started) deployments.set(service, id);
  const targets: RolloutTarget[] = steps
    .filter((s) => s.patterns)
    .map((s) => ({
      service: s.name,
      role: s.role,
      patterns: s.patterns!,
      ...(started.has(s.name) ? { deploymentId: started.get(s.name)! } : {}),
      ...(s.deploy === 'self' ? { deployedAfter: deployedBefore.get(s.name) ?? null } : {}),
    }));
  if (targets.length === 0) return unwatched;
  const names = targets.map((t) => t.service).join(', ');
  deps.ui.step(
    `Redeploying ${names} and watching their new deployments' logs (up to ` +
      `${Math.round(plan.watch.timeoutMs / 1000)} s)…`,
  );
  const board = new WatchBoard(
    deps.ui,
    targets.map((t) => t.service),
    plan.watch.timeoutMs,
  );
  try {
    const watched = await (deps.rollout ?? rollout)({
      railway: deps.railway,
      targets,
      variable: plan.variable,
      settleMs: plan.watch.settleMs,
      timeoutMs: plan.watch.timeoutMs,
      mask: (t) => deps.secrets.mask(t),
      onDeployment: (service, id) => {
        deployments.set(service, id);
        board.deployment(service, id);
      },
      onStatus: (service, status) => board.status(service, status),
      onProgress: (service, state) => {
        board.health(service, state);
        if (state.status === 'healthy') watch.verdicts.set(service, 'healthy');
        if (state.status === 'failed') watch.verdicts.set(service, 'failed');
      },
    });
    return [...watched, ...unwatched];
  } finally {
    board.stop();
  }
}

async function redeployUnwatched(
  railway: RailwayPort,
  steps: ServiceStep[],
  started: Map<string, string>,
): Promise<ServiceOutcome[]> {
  return Promise.all(
    steps.map(async (s) => {
      try {
        const id = started.get(s.name) ?? (s.deploy === 'redeploy' ? await railway.redeploy(s.name) : undefined);
        if (id) started.set(s.name, id);
        return {
          ...skipped(s.name, s.role, 'redeployed, not watched: its role has no log lines that prove it healthy'),
          deploymentId: id ?? null,
        };
      } catch (e) {
        const err = e instanceof CliError ? e : undefined;
        return {
          ...skipped(s.name, s.role),
          status: 'failed' as const,
          reason: err?.message ?? 'redeploy failed',
          railwayError: err?.code ?? 'railway-error',
        };
      }
    }),
  );
}
