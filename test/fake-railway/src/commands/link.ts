// `railway link` and `railway service [link] NAME` (src/commands/link.rs, service.rs).
import { checkApiAuth, requireCredential, resolveProjectEnv, unauthorizedToken } from '../context.ts';
import { RwError } from '../errors.ts';
import { maybeInject } from '../inject.ts';
import type { Cli } from '../io.ts';
import { mutate } from '../state.ts';
import type { FakeState, ServiceState } from '../types.ts';
import type { CommandHandler } from './types.ts';

const listNames = (names: string[]) =>
  names.slice(0, 5).join(', ') + (names.length > 5 ? `, +${names.length - 5} more` : '');

function checkWorkspace(state: FakeState, wsArg: string | undefined): void {
  const ws = state.workspace;
  if (wsArg !== undefined && wsArg.toLowerCase() !== ws.name.toLowerCase() && wsArg !== ws.id)
    throw new RwError(`Workspace "${wsArg}" not found.`);
}

function pickProject(cli: Cli, state: FakeState, project: string | undefined): void {
  const p = state.project;
  if (project === undefined) {
    if (!cli.tty.stdout) throw new RwError(`--project required in non-interactive mode.\nAvailable: ${p.name}`);
    throw new RwError('fake-railway: interactive project selection is not supported; pass --project');
  }
  if (project.toLowerCase() !== p.id.toLowerCase() && project.toLowerCase() !== p.name.toLowerCase()) {
    throw new RwError(`Project "${project}" not found in workspace "${state.workspace.name}".\nAvailable: ${p.name}`);
  }
  cli.err(`> Select a project: ${p.name}`);
}

function pickEnvironment(cli: Cli, state: FakeState, environment: string | undefined) {
  const names = listNames(state.environments.map((e) => e.name));
  let env: FakeState['environments'][number] | undefined;
  if (environment !== undefined) {
    const want = environment.toLowerCase();
    env = state.environments.find((e) => e.name.toLowerCase() === want || e.id.toLowerCase() === want);
    if (!env) throw new RwError(`Environment "${environment}" not found.\nAvailable: ${names}`);
  } else if (state.environments.length === 1) {
    env = state.environments[0]!;
  } else if (!cli.tty.stdout) {
    throw new RwError(`--environment required in non-interactive mode.\nAvailable: ${names}`);
  } else {
    throw new RwError('fake-railway: interactive environment selection is not supported; pass --environment');
  }
  cli.err(`> Select an environment: ${env.name}`);
  return env;
}

function pickService(cli: Cli, state: FakeState, service: string | undefined): ServiceState | null {
  const names = listNames(state.services.map((s) => s.name));
  if (service !== undefined) {
    const want = service.toLowerCase();
    const svc = state.services.find((s) => s.name.toLowerCase() === want || s.id.toLowerCase() === want);
    if (!svc) throw new RwError(`Service "${service}" not found.\nAvailable: ${names}`);
    cli.err(`> Select a service: ${svc.name}`);
    return svc;
  }
  if (state.services.length === 1) {
    const svc = state.services[0]!;
    cli.err(`No service specified — auto-selecting "${svc.name}"`);
    return svc;
  }
  if (state.services.length > 1)
    cli.err(`Multiple services available — use --service <name> to link one.\nAvailable: ${names}`);
  return null;
}

export const link: CommandHandler = (cli, state, { opts }) => {
  const mode = requireCredential(cli, state);
  maybeInject(cli, state, { service: null });
  checkApiAuth(cli, state, mode);
  if (mode === 'project-token') throw unauthorizedToken(cli, 'RAILWAY_TOKEN');
  if (opts.str('team') && opts.str('workspace')) {
    cli.err('Warning: Both --team and --workspace provided. Using --workspace. The --team flag is deprecated.');
  }
  checkWorkspace(state, opts.str('workspace') ?? opts.str('team'));
  pickProject(cli, state, opts.str('project'));
  const env = pickEnvironment(cli, state, opts.str('environment'));
  const svc = pickService(cli, state, opts.str('service'));
  const p = state.project;
  mutate(cli.dir, (s) => {
    s.linked = { projectId: p.id, environmentId: env.id, serviceId: svc?.id ?? null, path: cli.cwd };
  });
  if (opts.bool('json')) {
    cli.out(
      JSON.stringify(
        {
          projectId: p.id,
          projectName: p.name,
          environmentId: env.id,
          environmentName: env.name,
          ...(svc ? { serviceId: svc.id, serviceName: svc.name } : {}),
        },
        null,
        2,
      ),
    );
  } else {
    cli.out(`\nProject ${p.name} linked successfully! 🎉`);
  }
};

export const serviceLink: CommandHandler = (cli, state, { pos }) => {
  resolveProjectEnv(cli, state, {});
  const name = pos[0];
  if (name === undefined) {
    if (!cli.tty.stdout)
      throw new RwError('Service name required in non-interactive mode. Usage: railway service <name>');
    throw new RwError('fake-railway: interactive service selection is not supported; pass a name');
  }
  const svc = state.services.find((s) => s.name.toLowerCase() === name.toLowerCase() || s.id === name);
  if (!svc) throw new RwError(`Service "${name}" not found.`);
  mutate(cli.dir, (s) => {
    s.linked = { ...(s.linked ?? { projectId: s.project.id, environmentId: null }), serviceId: svc.id };
  });
  cli.out(`Linked service ${svc.name}`);
};
