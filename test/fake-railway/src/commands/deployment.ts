// `railway deployment list` (src/commands/deployment.rs).
import { resolveServiceContext } from '../context.ts';
import { deploymentMeta, deploymentStatus, serviceDeployments } from '../deployments.ts';
import type { CommandHandler } from './types.ts';

export const deploymentList: CommandHandler = (cli, state, { opts }) => {
  let limit = opts.num('limit') ?? 20;
  if (limit > 1000) {
    cli.err('Warning: limit cannot exceed 1000, using 1000 instead');
    limit = 1000;
  }
  if (limit < 1) {
    cli.err('Warning: limit must be at least 1, using 1 instead');
    limit = 1;
  }
  const { svc, env } = resolveServiceContext(cli, state, {
    service: opts.str('service'),
    environment: opts.str('environment'),
    project: opts.str('project'),
  });
  const now = Date.now();
  const deps = serviceDeployments(state, svc.id, env.id)
    .slice(0, limit)
    .map((d) => ({
      id: d.id,
      status: deploymentStatus(cli.dir, state, d, now),
      createdAt: d.createdAt,
      meta: deploymentMeta(d),
    }));
  if (opts.bool('json')) {
    cli.out(JSON.stringify(deps, null, 2));
    return;
  }
  if (!deps.length) {
    cli.out('No deployments found');
    return;
  }
  cli.out('Recent Deployments');
  for (const d of deps) cli.out(`  ${d.id} | ${d.status} | ${d.createdAt}`);
};
