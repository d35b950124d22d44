// `railway redeploy` and `railway restart` (src/commands/redeploy.rs, restart.rs; facts sheet railway-cli.md §1).
import { resolveServiceContext } from '../context.ts';
import {
  canRedeploy,
  createDeployment,
  deploymentStatus,
  killRun,
  serviceDeployments,
  startRun,
} from '../deployments.ts';
import { RwError } from '../errors.ts';
import { sleep, type Cli } from '../io.ts';
import { promptConfirm } from '../prompt.ts';
import { mutate, readState } from '../state.ts';
import type { DeploymentState, FakeState, ServiceState } from '../types.ts';
import type { Command, CommandHandler } from './types.ts';

const RESTART_WAIT_MS = 120_000;

const scopeOpts = (cmd: Command) => ({
  service: cmd.opts.str('service'),
  environment: cmd.opts.str('environment'),
  project: cmd.opts.str('project'),
});

/** Non-TTY runs need --yes; a TTY asks. False when the user said no. */
async function confirmed(cli: Cli, cmd: Command, question: string): Promise<boolean> {
  if (cmd.opts.bool('yes')) return true;
  if (!cli.tty.stdout)
    throw new RwError('Cannot prompt for confirmation in non-interactive mode. Use --yes to skip confirmation.');
  return promptConfirm(cli, question);
}

function latestRedeployable(cli: Cli, dep: DeploymentState | undefined, svc: ServiceState, state: FakeState): void {
  if (!dep) throw new RwError('No deployment found for service');
  if (!canRedeploy(deploymentStatus(cli.dir, state, dep))) {
    throw new RwError(
      `The latest deployment for service ${svc.name} cannot be redeployed. ` +
        "This may be because it's currently building, deploying, or was removed.",
    );
  }
}

export const redeploy: CommandHandler = async (cli, state, cmd) => {
  const { svc, env } = resolveServiceContext(cli, state, scopeOpts(cmd));
  const fromSource = cmd.opts.bool('from-source');
  if (!fromSource) latestRedeployable(cli, serviceDeployments(state, svc.id, env.id)[0], svc, state);
  const question = fromSource
    ? `Pull the latest source (commit or image) and deploy service ${svc.name} in environment ${env.name}?`
    : `Redeploy the latest deployment from service ${svc.name} in environment ${env.name}?`;
  if (!(await confirmed(cli, cmd, question))) return;
  // deploymentRedeploy: same image, the service's current variables.
  const dep = mutate(cli.dir, (s) =>
    createDeployment(cli, s, s.services.find((x) => x.id === svc.id)!, env, 'redeploy'),
  );
  if (cmd.opts.bool('json')) {
    cli.out(JSON.stringify(fromSource ? { success: true } : { id: dep.id }));
    return;
  }
  cli.spinnerDone(
    fromSource
      ? `Triggered a deploy from the latest source for service ${svc.name}`
      : `The latest deployment from service ${svc.name} has been redeployed`,
  );
};

/** Without --json, restart follows the deployment until it is healthy or failed. */
async function waitForRestart(cli: Cli, svc: ServiceState, depId: string): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < RESTART_WAIT_MS) {
    await sleep(100);
    const fresh = readState(cli.dir);
    const status = deploymentStatus(cli.dir, fresh, fresh.deployments.find((d) => d.id === depId)!);
    if (status === 'SUCCESS') {
      cli.spinnerDone(`The latest deployment from service ${svc.name} has been restarted and is healthy`);
      return;
    }
    if (status === 'FAILED') {
      cli.spinnerDone(`Deployment from service ${svc.name} failed`);
      throw new RwError('Deployment failed');
    }
    if (status === 'CRASHED') {
      cli.spinnerDone(`Deployment from service ${svc.name} crashed`);
      throw new RwError('Deployment crashed');
    }
  }
  cli.spinnerDone(`The latest deployment from service ${svc.name} has been restarted`);
}

export const restart: CommandHandler = async (cli, state, cmd) => {
  const { svc, env } = resolveServiceContext(cli, state, scopeOpts(cmd));
  const latest = serviceDeployments(state, svc.id, env.id)[0];
  if (!latest) throw new RwError('No deployment found for service');
  if (
    !(await confirmed(cli, cmd, `Restart the latest deployment from service ${svc.name} in environment ${env.name}?`))
  )
    return;
  // deploymentRestart: same deployment, same image, the OLD variable snapshot.
  mutate(cli.dir, (s) => {
    const dep = s.deployments.find((d) => d.id === latest.id)!;
    killRun(dep.runs[dep.runs.length - 1]);
    startRun(cli, s, dep, { skipBuild: true });
  });
  if (cmd.opts.bool('json')) {
    cli.out(JSON.stringify({ id: latest.id }));
    return;
  }
  await waitForRestart(cli, svc, latest.id);
};
