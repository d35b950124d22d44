// `railway status [--json] [-e] [-p]`: the Project object, one or every environment (src/commands/status.rs).
import crypto from 'node:crypto';
import { resolveProjectEnv } from '../context.ts';
import { canRedeploy, deploymentMeta, deploymentStatus, serviceDeployments } from '../deployments.ts';
import type { Cli } from '../io.ts';
import type { DeploymentState, FakeState, ServiceState } from '../types.ts';
import type { CommandHandler } from './types.ts';

type Env = { id: string; name: string };

const uuidFrom = (s: string) => {
  const h = crypto.createHash('sha1').update(s).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

function deploymentJson(cli: Cli, state: FakeState, dep: DeploymentState, now: number) {
  const status = deploymentStatus(cli.dir, state, dep, now);
  const instances =
    status === 'SUCCESS' ? [{ status: 'RUNNING' }] : status === 'CRASHED' ? [{ status: 'CRASHED' }] : [];
  return {
    canRedeploy: canRedeploy(status),
    id: dep.id,
    meta: deploymentMeta(dep),
    status,
    createdAt: dep.createdAt,
    deploymentStopped: false,
    instances,
  };
}

function serviceInstanceJson(cli: Cli, state: FakeState, svc: ServiceState, env: Env, now: number) {
  const deps = serviceDeployments(state, svc.id, env.id);
  const latest = deps[0];
  return {
    id: uuidFrom(`si:${env.id}:${svc.id}`),
    serviceId: svc.id,
    serviceName: svc.name,
    environmentId: env.id,
    numReplicas: 1,
    latestDeployment: latest ? deploymentJson(cli, state, latest, now) : null,
    activeDeployments: deps
      .map((d) => deploymentJson(cli, state, d, now))
      .filter((d) => !['REMOVED', 'FAILED', 'SKIPPED'].includes(d.status)),
    source: svc.source ? { repo: svc.source.repo ?? null, image: svc.source.image ?? null } : null,
    domains: { serviceDomains: [], customDomains: [] },
    cronSchedule: null,
    nextCronRunAt: null,
    startCommand: null,
  };
}

function projectJson(cli: Cli, state: FakeState, envs: Env[]) {
  const now = Date.now();
  const p = state.project;
  return {
    id: p.id,
    name: p.name,
    workspaceId: state.workspace.id,
    deletedAt: null,
    workspace: { name: state.workspace.name },
    buckets: { edges: [] },
    environments: {
      edges: envs.map((e) => ({
        node: {
          id: e.id,
          name: e.name,
          canAccess: true,
          deletedAt: null,
          unmergedChangesCount: 0,
          serviceInstances: {
            edges: state.services.map((s) => ({ node: serviceInstanceJson(cli, state, s, e, now) })),
          },
          volumeInstances: { edges: [] },
        },
      })),
    },
    services: { edges: state.services.map((s) => ({ node: { id: s.id, name: s.name } })) },
  };
}

export const status: CommandHandler = (cli, state, { opts }) => {
  const project = opts.str('project');
  const environment = opts.str('environment');
  const { env, linked } = resolveProjectEnv(cli, state, { project, environment });
  const envs = project !== undefined || environment !== undefined ? [env] : state.environments;
  if (opts.bool('json')) {
    cli.out(JSON.stringify(projectJson(cli, state, envs), null, 2));
    return;
  }
  const svc = linked?.serviceId ? state.services.find((s) => s.id === linked.serviceId) : null;
  cli.out(`Project: ${state.project.name}\nEnvironment: ${env.name}\nService: ${svc ? svc.name : 'None'}`);
};
