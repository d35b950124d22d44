// Is the railway CLI there, new enough, logged in and linked? Which service is Redis?
// Each problem gets its own message and fix (exit 3).
import { isRedisImage } from '../core/services.js';
import { CliError, EXIT } from '../errors.js';
import { compareVersions, MIN_VERSION, RECOMMENDED_VERSION, type ProjectInfo, type RailwayPort, type ServiceSummary } from '../edge/railway.js';
import type { Ui } from '../ui/prompts.js';

export interface RailwayState {
  railway: RailwayPort;
  version: string;
  project: ProjectInfo;
  environment: string | undefined;
  services: ServiceSummary[];
  redis: ServiceSummary | undefined;
}

export async function preflight(ui: Ui, railway: RailwayPort, redisService: string | undefined): Promise<RailwayState> {
  return ui.task('Checking the Railway CLI', async (update) => {
    const version = await railway.version();
    if (compareVersions(version, MIN_VERSION) < 0) {
      throw new CliError(`Your railway CLI is ${version}; redis-setup needs ${MIN_VERSION} or newer.`, EXIT.railway,
        `Update it: npm i -g @railway/cli@latest   (or: brew upgrade railway). ${RECOMMENDED_VERSION}+ is best.`, 'railway-version');
    }
    update(`railway ${version}: checking login and link`);
    const project = await railway.project();
    update(`project ${project.projectName}: listing services`);
    const services = await railway.services();
    if (services.length === 0) {
      throw new CliError(`The Railway project ${project.projectName} has no services.`, EXIT.railway,
        'Add your bot/worker services and a Redis database (railway add --database redis) first.', 'railway-empty');
    }
    const redis = findRedis(services, redisService);
    return { railway, version, project, environment: railway.environment, services, redis };
  }, (s) => `railway ${s.version} · project ${s.project.projectName}${s.environment ? ` · ${s.environment}` : ''} · ${s.services.length} services${s.redis ? ` · Redis: ${s.redis.name}` : ''}`);
}

export function findRedis(services: ServiceSummary[], wanted: string | undefined): ServiceSummary | undefined {
  if (wanted) {
    const s = services.find((x) => x.name.toLowerCase() === wanted.toLowerCase() || x.id === wanted);
    if (!s) {
      throw new CliError(`There is no service named "${wanted}" in this project.`, EXIT.railway,
        `Pass --redis-service with one of: ${services.map((x) => x.name).join(', ')}`, 'railway-service');
    }
    return s;
  }
  const candidates = services.filter((s) => isRedisImage(s.image));
  return candidates.length === 1 ? candidates[0] : undefined;
}
