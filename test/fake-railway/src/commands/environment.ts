// `railway environment [NAME]` / `environment link` (legacy link), `environment config` (v4.27+) and
// `environment edit` (v4.26+) (src/commands/environment/{link,config,edit}.rs at v5.43.1).
import {
  checkApiAuth,
  hintFor,
  linkedProject,
  projectTokenEnvironment,
  requireCredential,
  unauthorizedToken,
  type AuthMode,
} from '../context.ts';
import { environmentConfig } from '../envconfig.ts';
import { ApiError, RwError } from '../errors.ts';
import { maybeInject } from '../inject.ts';
import { readStdin, type Cli } from '../io.ts';
import { asCliConfigStruct, parseJson } from '../json.ts';
import { commitPatch, stagePatch } from '../mutations.ts';
import { mutate } from '../state.ts';
import type { EnvironmentPatch, FakeState } from '../types.ts';
import type { Command, CommandHandler } from './types.ts';

type Env = { id: string; name: string };

interface EnvTarget {
  mode: AuthMode;
  env: Env;
}

/** Configs + get_project: the project comes from the link/token (or -p on edit), then the API checks auth. */
function projectTarget(cli: Cli, state: FakeState, project: string | undefined) {
  const mode = requireCredential(cli, state);
  maybeInject(cli, state, { service: null });
  const linked = project === undefined ? linkedProject(cli, state, mode) : null;
  checkApiAuth(cli, state, mode);
  const projectRef = project ?? linked!.projectId;
  if (projectRef !== state.project.id && projectRef.toLowerCase() !== state.project.name.toLowerCase()) {
    throw new RwError('Project not found. Run `railway link` to connect to a project.', {
      hint: hintFor(cli, 'Run `railway link` to connect to a project.'),
    });
  }
  return { mode, linked };
}

/** resolve_environment: -e by name or id (case-insensitive), else the linked environment. */
function resolveEnvironment(cli: Cli, state: FakeState, cmd: Command, allowProjectFlag: boolean): EnvTarget {
  const { mode, linked } = projectTarget(cli, state, allowProjectFlag ? cmd.opts.str('project') : undefined);
  const wanted = cmd.opts.str('environment');
  let env: Env | undefined;
  if (wanted !== undefined) {
    env = state.environments.find(
      (e) => e.name.toLowerCase() === wanted.toLowerCase() || e.id.toLowerCase() === wanted.toLowerCase(),
    );
    if (!env)
      throw new RwError(
        `Environment "${wanted}" not found.\nRun \`railway environment\` to connect to an environment.`,
      );
  } else {
    if (!linked) throw new RwError('No environment specified. Use --environment or run `railway link` to link one.');
    env = state.environments.find((e) => e.id === linked.environmentId);
    if (!env)
      throw new RwError(
        'No environment specified. Set RAILWAY_ENVIRONMENT_ID, use --environment, ' +
          'or run `railway environment` to link one.',
      );
  }
  // A project token only reaches its own environment: the next query is refused.
  if (mode === 'project-token' && env.id !== projectTokenEnvironment(state))
    throw unauthorizedToken(cli, 'RAILWAY_TOKEN');
  return { mode, env };
}

export const environmentConfigCommand: CommandHandler = (cli, state, cmd) => {
  const json = cmd.opts.bool('json');
  const { env } = resolveEnvironment(cli, state, cmd, false);
  if (!json) cli.fakeSelect('Environment', env.name);
  const config = environmentConfig(state, env.id, true);
  if (json) {
    cli.out(JSON.stringify(asCliConfigStruct(config), null, 2));
    return;
  }
  cli.out('\nServices');
  for (const svc of state.services) {
    cli.out(`\n${svc.name}`);
    if (svc.source?.image) cli.out(`  image: ${svc.source.image}`);
    const count = Object.keys(config.services[svc.id]?.variables ?? {}).length;
    if (count) cli.out(`  variables: ${count}`);
  }
  const shared = Object.keys(config.sharedVariables).length;
  if (shared) cli.out(`\nShared Variables: ${shared}`);
};

/** The stdin JSON patch: parsed as EnvironmentConfig, service keys checked against IDs and names. */
function readStdinPatch(cli: Cli, state: FakeState): EnvironmentPatch {
  const input = readStdin().trim();
  if (!input) return {};
  const parsed = parseJson(input);
  if (!parsed.ok || !parsed.value || typeof parsed.value !== 'object' || Array.isArray(parsed.value)) {
    const cause = parsed.ok ? 'invalid type: expected struct EnvironmentConfig at line 1 column 1' : parsed.cause;
    throw new RwError('Failed to parse stdin as JSON. Expected EnvironmentConfig format.', { causes: [cause] });
  }
  const patch = parsed.value as EnvironmentPatch;
  for (const key of Object.keys(patch.services ?? {})) {
    const known = state.services.some((s) => s.id === key || s.name.toLowerCase() === key.toLowerCase());
    if (!known) {
      throw new RwError(
        `Service '${key}' not found in environment. ` +
          `Available services: ${state.services.map((s) => s.name).join(', ')}`,
      );
    }
  }
  cli.fakeSelect('Input', 'stdin (JSON)');
  return patch;
}

/** --service-config SERVICE PATH VALUE (only variables.KEY[.value] paths are modelled). */
function patchFromFlags(cli: Cli, state: FakeState, cmd: Command): EnvironmentPatch {
  const flat = [...cmd.opts.list('service-config')];
  const legacy = cmd.opts.list('service-variable');
  for (let i = 0; i + 1 < legacy.length; i += 2) {
    const [key, ...rest] = legacy[i + 1]!.split('=');
    if (rest.length) flat.push(legacy[i]!, `variables.${key}.value`, rest.join('='));
  }
  const patch: EnvironmentPatch = { services: {} };
  for (let i = 0; i + 2 < flat.length; i += 3) {
    const [service, path, value] = [flat[i]!, flat[i + 1]!, flat[i + 2]!];
    const svc = state.services.find(
      (s) => s.id.toLowerCase() === service.toLowerCase() || s.name.toLowerCase() === service.toLowerCase(),
    );
    if (!svc) throw new RwError(`Service '${service}' not found`);
    const m = /^variables\.([^.]+)(\.value)?$/.exec(path.replace(/^\.+|\.+$/g, ''));
    if (!m)
      throw new RwError(`fake railway: --service-config path '${path}' is not modelled (only variables.KEY.value)`);
    const entry = (patch.services![svc.id] ??= { variables: {} });
    entry.variables![m[1]!] = { value };
  }
  if (flat.length) cli.fakeSelect('Configuring', 'variables');
  return patch;
}

const isEmptyPatch = (p: EnvironmentPatch) =>
  !Object.keys(p.services ?? {}).length && !Object.keys(p.sharedVariables ?? {}).length;

/** Piped stdin wins over --service-config; a terminal without either would prompt. */
function editInput(cli: Cli, state: FakeState, cmd: Command): EnvironmentPatch {
  if (!cli.tty.stdin) return readStdinPatch(cli, state);
  if (cmd.opts.list('service-config').length || cmd.opts.list('service-variable').length)
    return patchFromFlags(cli, state, cmd);
  if (cli.tty.stdout)
    throw new RwError('fake-railway: interactive environment edit is not supported; pipe JSON on stdin');
  return {};
}

function stage(cli: Cli, env: Env, patch: EnvironmentPatch, json: boolean): void {
  cli.fakeSelect('Apply changes now?', 'No');
  mutate(cli.dir, (s) => stagePatch(s, env.id, patch));
  if (json)
    cli.out(JSON.stringify({ committed: false, environmentId: env.id, environmentName: env.name, staged: true }));
  else cli.out(`Changes staged for ${env.name} (use 'railway environment edit' to commit)`);
}

function commit(cli: Cli, env: Env, patch: EnvironmentPatch, message: string | undefined, json: boolean): void {
  if (message !== undefined) cli.fakeSelect('Apply changes now?', 'Yes');
  if (message !== undefined) cli.fakeSelect('Commit message', message);
  try {
    mutate(cli.dir, (s) => commitPatch(cli, s, env.id, patch));
  } catch (e) {
    if (e instanceof ApiError) throw new RwError(e.message);
    throw e;
  }
  if (json)
    cli.out(
      JSON.stringify({
        committed: true,
        environmentId: env.id,
        environmentName: env.name,
        message: message ?? null,
        staged: true,
      }),
    );
  else cli.out(`Configuration committed for ${env.name}${message !== undefined ? ` (${message})` : ''}`);
}

/** One commit (deploys every affected service) or, with --stage, staged only. JSON keys print sorted. */
export const environmentEdit: CommandHandler = (cli, state, cmd) => {
  const json = cmd.opts.bool('json');
  const { env } = resolveEnvironment(cli, state, cmd, true);
  cli.fakeSelect('Environment', env.name);
  const patch = editInput(cli, state, cmd);
  if (isEmptyPatch(patch)) {
    if (json) cli.out(JSON.stringify({ committed: false, message: 'No changes to apply', staged: false }));
    else if (cli.tty.stdin && cli.tty.stdout) cli.out('No changes to apply');
    return;
  }
  if (cmd.opts.bool('stage')) stage(cli, env, patch, json);
  else commit(cli, env, patch, cmd.opts.str('message'), json);
};

/** `railway environment [NAME]` and `environment link [NAME]`: link another environment. */
export const environmentLink: CommandHandler = (cli, state, cmd) => {
  const mode = requireCredential(cli, state);
  maybeInject(cli, state, { service: null });
  const linked = linkedProject(cli, state, mode);
  checkApiAuth(cli, state, mode);
  if (state.project.deletedAt) throw new RwError('Project is deleted. Run `railway link` to connect to a project.');
  const name = cmd.pos[0];
  let env: Env | undefined;
  if (name === undefined) {
    if (!cli.tty.stdout) throw new RwError('Environment must be specified when not running in a terminal');
    if (state.environments.length !== 1)
      throw new RwError('fake-railway: interactive environment selection is not supported; pass a name');
    env = state.environments[0]!;
  } else {
    env = state.environments.find((e) => e.id === name || e.name.toLowerCase() === name.toLowerCase());
    if (!env) throw new RwError('Environment not found');
  }
  if (!linked.fromToken)
    mutate(cli.dir, (s) => {
      s.linked = { ...(s.linked ?? { projectId: s.project.id, serviceId: null }), environmentId: env.id };
    });
  if (cmd.opts.bool('json')) cli.out(JSON.stringify({ environment: { id: env.id, name: env.name } }));
  else cli.out(`Activated environment ${env.name}`);
};
