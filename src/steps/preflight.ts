// Is the railway CLI there, new enough, logged in and linked? Which service is Redis? Then read the
// environment as it is stored: every service's variable (references intact, sealed ones marked) and
// the shared variables, in as few API requests as this CLI allows.
import { type RawValue, type RedisFacts, redisFacts, type Usage, classifyValue } from '../core/redis-usage.js';
import { isRedisImage } from '../core/services.js';
import { CliError, EXIT } from '../errors.js';
import {
  compareVersions,
  FEATURES,
  MIN_VERSION,
  type ProjectInfo,
  type RailwayPort,
  type ServiceSummary,
  type Target,
} from '../edge/railway.js';
import { UPGRADE } from '../edge/railway-errors.js';
import type { Ui } from '../ui/prompts.js';

export interface RailwayState {
  railway: RailwayPort;
  version: string;
  project: ProjectInfo;
  environment: string | undefined;
  /** IDs for `railway api` writes; undefined when they cannot be known (no api, or no way to tell). */
  target?: Target;
  services: ServiceSummary[];
  redis: ServiceSummary | undefined;
  /** From the Redis service's rendered variables (password, endpoints). */
  redisFacts?: RedisFacts;
  /** The Redis service's rendered variables (secrets). */
  redisVariables: Record<string, RawValue>;
  /** Each service's stored value of the variable (undefined: not set). */
  values: Map<string, RawValue | undefined>;
  /** All of each service's stored variables: secrets. */
  variablesOf: Map<string, Record<string, RawValue>>;
  shared: Record<string, RawValue>;
  usages: Map<string, Usage>;
}

export async function preflight(
  ui: Ui,
  railway: RailwayPort,
  redisService: string | undefined,
  variable: string,
): Promise<RailwayState> {
  return ui.task(
    'Checking the Railway CLI',
    async (update) => {
      const version = await railway.version();
      if (compareVersions(version, MIN_VERSION) < 0) {
        throw new CliError(
          `Your railway CLI is ${version}; redis-setup needs ${MIN_VERSION} or newer (it lists services).`,
          EXIT.railway,
          `Update it: ${UPGRADE}`,
          'railway-version',
        );
      }
      update(`railway ${version}: checking login and link`);
      const project = await railway.project();
      update(`project ${project.projectName}: listing services`);
      const services = await railway.services();
      if (services.length === 0) {
        throw new CliError(
          `The Railway project ${project.projectName} has no services.`,
          EXIT.railway,
          'Add your bot/worker services and a Redis database (railway add --database redis) first.',
          'railway-empty',
        );
      }
      const redis = findRedis(services, redisService);
      await refuseUnlinkedEnvironment(railway, version, services[0]!.name);
      update(`reading the variables of ${services.length} services`);
      return readVariables({ railway, version, project, services, redis }, variable);
    },
    (s) =>
      `railway ${s.version} · project ` +
      `${s.project.projectName}${s.environment ? ` · ${s.environment}` : ''} · ` +
      `${s.services.length} services${s.redis ? ` · Redis: ${s.redis.name}` : ''}`,
  );
}

export function findRedis(services: ServiceSummary[], wanted: string | undefined): ServiceSummary | undefined {
  if (wanted) {
    const s = services.find((x) => x.name.toLowerCase() === wanted.toLowerCase() || x.id === wanted);
    if (!s) {
      throw new CliError(
        `There is no service named "${wanted}" in this project.`,
        EXIT.railway,
        `Pass --redis-service with one of: ${services.map((x) => x.name).join(', ')}`,
        'railway-service',
      );
    }
    return s;
  }
  const candidates = services.filter((s) => isRedisImage(s.image));
  return candidates.length === 1 ? candidates[0] : undefined;
}

/** Before 4.57.4 `redeploy` has no -e: it would redeploy the linked environment, not the chosen one. */
async function refuseUnlinkedEnvironment(railway: RailwayPort, version: string, anyService: string): Promise<void> {
  const wanted = railway.environment;
  if (!wanted || railway.supports('redeployEnvironment')) return;
  const linked = await railway.linkedEnvironmentName(anyService);
  if (linked === wanted) return;
  throw new CliError(
    `Your railway CLI (${version}) cannot redeploy in ${wanted}: \`redeploy -e\` needs ` +
      `${FEATURES.redeployEnvironment}, and this folder is linked to ` +
      `${linked ?? 'another environment'}.`,
    EXIT.railway,
    `Update it: ${UPGRADE}   (or link ${wanted} first: railway environment ${wanted})`,
    'railway-version',
  );
}

type Basics = Pick<RailwayState, 'railway' | 'version' | 'project' | 'services' | 'redis'>;

/** The environment's ID: named, the only one, or the one the Redis service's variables say. */
function environmentId(b: Basics, redisVariables: Record<string, RawValue>): string | undefined {
  const wanted = b.railway.environment;
  const envs = b.project.environments;
  const named = wanted ? envs.find((e) => e.name === wanted || e.id === wanted) : undefined;
  if (named) return named.id;
  if (!wanted && envs.length === 1) return envs[0]!.id;
  return redisVariables.RAILWAY_ENVIRONMENT_ID ?? undefined;
}

async function readVariables(b: Basics, variable: string): Promise<RailwayState> {
  const { railway } = b;
  const redisVariables = b.redis ? await railway.variables(b.redis.name) : {};
  const envId = environmentId(b, redisVariables);
  const target = envId ? { projectId: b.project.projectId, environmentId: envId } : undefined;
  const raw = await railway.rawVariables(
    target,
    b.services.map((s) => s.id),
  );
  const variablesOf = new Map<string, Record<string, RawValue>>();
  const others = b.services.filter((s) => s !== b.redis);
  for (const s of others) variablesOf.set(s.name, raw.services.get(s.id) ?? {});
  const values = new Map(others.map((s) => [s.name, variablesOf.get(s.name)?.[variable]]));
  const shared = raw.shared;
  const facts = b.redis ? redisFacts(b.redis.name, redisVariables) : undefined;
  const usages = new Map(others.map((s) => [s.name, classifyValue(values.get(s.name), facts, shared)]));
  return {
    ...b,
    environment: railway.environment,
    ...(target && railway.supports('api') ? { target } : {}),
    redisVariables,
    ...(facts ? { redisFacts: facts } : {}),
    values,
    variablesOf,
    shared,
    usages,
  };
}
