// Views and actions the test helper shares with the CLI (not CLI commands): deployment snapshots and
// "deploy this service now".
import { createDeployment, deploymentStatus } from './deployments.ts';
import type { Host } from './paths.ts';
import { mutate, readState } from './state.ts';
import type { DeploymentReason, DeploymentState, DeploymentStatus } from './types.ts';

export interface DeploymentInfo {
  id: string;
  service: string;
  environment: string;
  status: DeploymentStatus;
  createdAt: string;
  reason: DeploymentReason;
  /** The rendered variable snapshot the deployment runs with. */
  variables: Record<string, string>;
  pgids: number[];
  runs: number;
}

export function deploymentInfos(dir: string): DeploymentInfo[] {
  const state = readState(dir);
  const now = Date.now();
  return state.deployments.map((d) => ({
    id: d.id,
    service: state.services.find((x) => x.id === d.serviceId)?.name ?? d.serviceId,
    environment: state.environments.find((e) => e.id === d.envId)?.name ?? d.envId,
    status: deploymentStatus(dir, state, d, now),
    createdAt: d.createdAt,
    reason: d.reason,
    variables: d.variables,
    pgids: d.runs.map((r) => r.pgid),
    runs: d.runs.length,
  }));
}

/** A new deployment of a service (by name) in an environment (by name; default the first). */
export function deployNow(host: Host, serviceName: string, envName?: string): DeploymentState {
  return mutate(host.dir, (s) => {
    const svc = s.services.find((x) => x.name === serviceName);
    const env = envName ? s.environments.find((e) => e.name === envName) : s.environments[0];
    if (!svc || !env) throw new Error(`unknown service/environment ${serviceName}/${envName ?? ''}`);
    return createDeployment(host, s, svc, env, 'deploy');
  });
}
