// `railway service list|status` (src/commands/service.rs, src/commands/output/service_summary.rs).
import { resolveProjectEnv } from '../context.ts';
import { deploymentStatus, serviceDeployments } from '../deployments.ts';
import { RwError } from '../errors.ts';
import type { Cli } from '../io.ts';
import type { DeploymentStatus, FakeState, ServiceState } from '../types.ts';
import type { CommandHandler } from './types.ts';

type Env = { id: string; name: string };

/** `status` is the serving deployment's; `latestDeployment` is the newest. */
function serviceSummary(
  cli: Cli,
  state: FakeState,
  svc: ServiceState,
  env: Env,
  linkedServiceId: string | null | undefined,
  now: number,
) {
  const deps = serviceDeployments(state, svc.id, env.id).map((d) => ({
    d,
    status: deploymentStatus(cli.dir, state, d, now),
  }));
  const latest = deps[0];
  const stable = deps.find((x) => (['SUCCESS', 'CRASHED', 'SLEEPING'] as DeploymentStatus[]).includes(x.status));
  const snap = stable ?? latest ?? null;
  const isRedis = /redis|valkey/i.test(svc.source?.image ?? '');
  return {
    id: svc.id,
    name: svc.name,
    isLinked: linkedServiceId === svc.id,
    source:
      svc.source && (svc.source.repo || svc.source.image)
        ? { repo: svc.source.repo ?? null, image: svc.source.image ?? null }
        : null,
    status: snap?.status ?? null,
    deploymentStopped: false,
    deploymentId: snap?.d.id ?? null,
    latestDeployment: latest
      ? { id: latest.d.id, status: latest.status, createdAt: latest.d.createdAt, deploymentStopped: false }
      : null,
    url: null,
    volumes: isRedis
      ? [
          {
            name: `${svc.name.toLowerCase()}-volume`,
            mountPath: '/data',
            currentSizeMb: 12.5,
            sizeMb: 5000,
            state: 'READY',
          },
        ]
      : [],
    regions: [],
    replicas: snap
      ? {
          configured: 1,
          running: snap.status === 'SUCCESS' ? 1 : 0,
          crashed: snap.status === 'CRASHED' ? 1 : 0,
          exited: 0,
          total: 1,
        }
      : null,
    volumeMigrating: false,
  };
}

export const serviceList: CommandHandler = (cli, state, { opts }) => {
  const { env, linked } = resolveProjectEnv(cli, state, {
    project: opts.str('project'),
    environment: opts.str('environment'),
  });
  const now = Date.now();
  const rows = [...state.services]
    .sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()))
    .map((svc) => serviceSummary(cli, state, svc, env, linked?.serviceId, now));
  if (opts.bool('json')) {
    cli.out(JSON.stringify(rows, null, 2));
    return;
  }
  if (!rows.length) {
    cli.out(`No services found in environment '${env.name}'`);
    return;
  }
  cli.out(`\nServices in ${env.name}\n`);
  for (const r of rows) {
    cli.out(r.isLinked ? `${r.name} (linked)` : r.name);
    cli.out(`  status:       ${r.status ?? 'no deployment'}`);
    if (r.source?.repo) cli.out(`  repo:         ${r.source.repo}`);
    if (r.source?.image) cli.out(`  image:        ${r.source.image}`);
  }
};

export const serviceStatus: CommandHandler = (cli, state, { opts }) => {
  const { env, linked } = resolveProjectEnv(cli, state, {
    project: opts.str('project'),
    environment: opts.str('environment'),
  });
  const now = Date.now();
  const rows = state.services.map((svc) => {
    const latest = serviceDeployments(state, svc.id, env.id)[0];
    return {
      id: svc.id,
      name: svc.name,
      deploymentId: latest?.id ?? null,
      status: latest ? deploymentStatus(cli.dir, state, latest, now) : null,
      stopped: false,
    };
  });
  if (opts.bool('all')) {
    cli.err('Warning: `railway service status --all` is deprecated. Please use `railway service list` instead.');
    if (opts.bool('json')) cli.out(JSON.stringify(rows, null, 2));
    else
      for (const r of rows)
        cli.out(`${r.name.padEnd(20)} | ${(r.deploymentId ?? 'N/A').padEnd(14)} | ${r.status ?? 'NO DEPLOYMENT'}`);
    return;
  }
  const wanted = opts.str('service');
  let row: (typeof rows)[number] | undefined;
  if (wanted !== undefined) {
    row = rows.find((r) => r.id === wanted || r.name === wanted);
    if (!row) throw new RwError(`Service "${wanted}" not found.`);
  } else {
    if (!linked?.serviceId) throw new RwError('No service linked. Use --service flag or --all to see all services');
    row = rows.find((r) => r.id === linked.serviceId);
    if (!row) throw new RwError('Linked service not found in this environment');
  }
  if (opts.bool('json')) cli.out(JSON.stringify(row, null, 2));
  else
    cli.out(
      `Service: ${row.name}\nDeployment: ${row.deploymentId ?? 'No deployment'}\n` +
        `Status: ${row.status ?? 'NO DEPLOYMENT'}`,
    );
};
