// Credentials and targeting: which project, environment and service a command acts on, and the
// errors the CLI gives on the way (src/config.rs, src/client.rs, src/controllers/project.rs
// resolve_service_context; facts sheet railway-cli.md §0, §2, §3).
import path from 'node:path';
import { RwError } from './errors.ts';
import { maybeInject } from './inject.ts';
import type { Cli } from './io.ts';
import type { FakeState, LinkedState, ServiceState } from './types.ts';
import { GATES, versionAtLeast } from './version.ts';

export type AuthMode = 'project-token' | 'api-token' | 'login';
type Env = { id: string; name: string };

/** RAILWAY_TOKEN wins over RAILWAY_API_TOKEN, which wins over the stored login. */
export function authMode(cli: Cli, state: FakeState): AuthMode | null {
  if ('RAILWAY_TOKEN' in cli.env) return 'project-token';
  if ('RAILWAY_API_TOKEN' in cli.env) return 'api-token';
  return state.auth === 'none' ? null : 'login';
}

export function unauthorizedToken(cli: Cli, name: 'RAILWAY_TOKEN' | 'RAILWAY_API_TOKEN'): RwError {
  if (!versionAtLeast(cli.version, GATES.tokenUnauthorizedText))
    return new RwError('Unauthorized. Please login with `railway login`');
  return new RwError(
    `Unauthorized. Please check that your ${name} is valid and has access to the resource you're trying to use.`,
  );
}

export const hintFor = (cli: Cli, hint: string) => (versionAtLeast(cli.version, GATES.errorHints) ? hint : undefined);

const noLinkedProject = (cli: Cli) =>
  new RwError('No linked project found. Run railway link to connect to a project', {
    hint: hintFor(cli, 'Run `railway link` to connect to a project.'),
  });

/** GQLClient::new_authorized: only checks that some credential exists. */
export function requireCredential(cli: Cli, state: FakeState): AuthMode {
  const mode = authMode(cli, state);
  if (!mode) throw new RwError('Unauthorized. Please login with `railway login`');
  return mode;
}

export const projectTokenEnvironment = (state: FakeState) =>
  state.projectTokenEnvironmentId ?? state.environments[0]!.id;

/** The first real API call: rejects bad tokens and dead logins. */
export function checkApiAuth(cli: Cli, state: FakeState, mode: AuthMode): void {
  if (mode === 'project-token') {
    if (cli.env.RAILWAY_TOKEN !== state.projectToken) {
      throw new RwError(
        "Invalid RAILWAY_TOKEN. Please check that it is valid and has access to the resource you're trying to use.",
      );
    }
  } else if (mode === 'api-token') {
    if (state.apiToken != null && cli.env.RAILWAY_API_TOKEN !== state.apiToken)
      throw unauthorizedToken(cli, 'RAILWAY_API_TOKEN');
  } else if (state.auth === 'expired') {
    throw new RwError('Unauthorized. Please run `railway login` again.');
  }
}

/** The directory link that applies to cwd (a link without a path applies everywhere). */
export function linkForCwd(cli: Cli, state: FakeState): LinkedState | null {
  const l = state.linked;
  if (!l) return null;
  if (!l.path) return l;
  return cli.cwd === l.path || cli.cwd.startsWith(l.path + path.sep) ? l : null;
}

export interface LinkedProject {
  projectId: string;
  environmentId: string | null;
  serviceId: string | null;
  fromToken?: boolean;
}

/** Configs::get_linked_project(): the token's project, RAILWAY_*_ID targeting (v4.35+), or the link. */
export function linkedProject(cli: Cli, state: FakeState, mode: AuthMode): LinkedProject {
  if (mode === 'project-token') {
    checkApiAuth(cli, state, mode);
    const local = linkForCwd(cli, state);
    return {
      projectId: state.project.id,
      environmentId: projectTokenEnvironment(state),
      serviceId: local?.serviceId ?? null,
      fromToken: true,
    };
  }
  const pid = cli.env.RAILWAY_PROJECT_ID;
  const eid = cli.env.RAILWAY_ENVIRONMENT_ID;
  if (versionAtLeast(cli.version, GATES.envVarTargeting) && (pid !== undefined || eid !== undefined)) {
    if (pid === undefined) throw new RwError('RAILWAY_ENVIRONMENT_ID cannot be set without RAILWAY_PROJECT_ID.');
    const local = linkForCwd(cli, state);
    const sameLocal = local && local.projectId === pid ? local : null;
    return {
      projectId: pid,
      environmentId: eid ?? sameLocal?.environmentId ?? null,
      serviceId: cli.env.RAILWAY_SERVICE_ID ?? sameLocal?.serviceId ?? null,
    };
  }
  const local = linkForCwd(cli, state);
  if (!local) throw noLinkedProject(cli);
  return { projectId: local.projectId, environmentId: local.environmentId ?? null, serviceId: local.serviceId ?? null };
}

export function matchEnvironment(state: FakeState, name: string): Env {
  const env = state.environments.find(
    (e) => e.name === name || e.id === name || e.name.toLowerCase() === name.toLowerCase(),
  );
  if (!env)
    throw new RwError(`Environment "${name}" not found.\nRun \`railway environment\` to connect to an environment.`);
  return env;
}

function checkLinkedProject(cli: Cli, state: FakeState, linked: LinkedProject): void {
  if (linked.projectId !== state.project.id) {
    throw new RwError('Project not found. Run `railway link` to connect to a project.', {
      hint: hintFor(cli, 'Run `railway link` to connect to a project.'),
    });
  }
  if (state.project.deletedAt) throw new RwError('Project is deleted. Run `railway link` to connect to a project.');
  if (
    linked.environmentId &&
    !state.environments.some((e) => e.id === linked.environmentId || e.name === linked.environmentId)
  ) {
    throw new RwError('Environment is deleted. Run `railway environment` to connect to an environment.');
  }
}

function checkProjectArg(state: FakeState, project: string): void {
  const p = state.project;
  if (project.toLowerCase() !== p.id.toLowerCase() && project.toLowerCase() !== p.name.toLowerCase())
    throw new RwError(`Project "${project}" not found`);
}

export interface ProjectEnv {
  mode: AuthMode;
  linked: LinkedProject | null;
  env: Env;
}

/** resolve_service_context() minus the service, shared by every project-scoped command. */
export function resolveProjectEnv(
  cli: Cli,
  state: FakeState,
  opts: { project?: string | undefined; environment?: string | undefined },
): ProjectEnv {
  const mode = requireCredential(cli, state);
  maybeInject(cli, state, { service: null });
  if (opts.project !== undefined && opts.environment === undefined)
    throw new RwError('--environment is required when using --project');
  const linked = opts.project === undefined ? linkedProject(cli, state, mode) : null;
  checkApiAuth(cli, state, mode);
  if (linked) checkLinkedProject(cli, state, linked);
  else checkProjectArg(state, opts.project!);
  const envRef = opts.environment ?? linked?.environmentId;
  if (!envRef) {
    throw new RwError(
      'No environment specified. Set RAILWAY_ENVIRONMENT_ID, use --environment, ' +
        'or run `railway environment` to link one.',
    );
  }
  const env = matchEnvironment(state, envRef);
  if (mode === 'project-token' && env.id !== projectTokenEnvironment(state))
    throw unauthorizedToken(cli, 'RAILWAY_TOKEN');
  return { mode, linked, env };
}

export function findService(state: FakeState, nameOrId: string): ServiceState | undefined {
  return state.services.find((s) => s.name.toLowerCase() === nameOrId.toLowerCase() || s.id === nameOrId);
}

/** --service, else the linked service, else the only service. */
export function resolveServiceContext(
  cli: Cli,
  state: FakeState,
  opts: { project?: string | undefined; environment?: string | undefined; service?: string | undefined },
): ProjectEnv & { svc: ServiceState } {
  const ctx = resolveProjectEnv(cli, state, opts);
  if (!state.services.length) throw new RwError('Project has no services.');
  let svc: ServiceState | undefined;
  if (opts.service !== undefined) {
    svc = findService(state, opts.service);
    if (!svc) throw new RwError(`Service '${opts.service}' not found`);
  } else if (ctx.linked?.serviceId) {
    svc = state.services.find((s) => s.id === ctx.linked!.serviceId);
    if (!svc) throw new RwError("The service specified doesn't exist in the current environment");
  } else if (state.services.length === 1) {
    svc = state.services[0]!;
  } else {
    throw new RwError('No service linked\nRun `railway service` to link a service', {
      hint: hintFor(cli, 'Run `railway service` to link a service.'),
    });
  }
  maybeInject(cli, state, { service: svc });
  return { ...ctx, svc };
}
