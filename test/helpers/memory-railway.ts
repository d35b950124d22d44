// An in-memory RailwayPort for unit tests of steps and the engine: services with variables,
// deployments created by redeploy, every call recorded. No process is spawned.
import type { Deployment, ProjectInfo, RailwayCall, RailwayPort, ServiceSummary } from '../../src/edge/railway.ts';
import { CliError, EXIT } from '../../src/errors.ts';

export interface MemoryService {
  name: string;
  image?: string | null;
  variables?: Record<string, string>;
}

export interface MemoryRailway extends RailwayPort {
  vars: Map<string, Record<string, string>>;
  /** Make the next call of `method` (optionally for one service) fail with this error. */
  failNext(method: string, service: string | undefined, error: CliError): void;
  deploymentsOf(service: string): Deployment[];
}

export function createMemoryRailway(
  services: MemoryService[],
  opts: { environment?: string; version?: string; api?: boolean } = {},
): MemoryRailway {
  const calls: RailwayCall[] = [];
  const vars = new Map(services.map((s) => [s.name, { ...(s.variables ?? {}) }]));
  const deployments = new Map<string, Deployment[]>(
    services.map((s) => [s.name, [{ id: `${s.name}-0`, status: 'SUCCESS', createdAt: new Date(0).toISOString() }]]),
  );
  const failures: { method: string; service?: string; error: CliError }[] = [];
  let seq = 0;
  const record = (method: string, service?: string) => {
    calls.push({ argv: [method, ...(service ? ['-s', service] : [])], ms: 0, ok: true });
    const i = failures.findIndex((f) => f.method === method && (f.service === undefined || f.service === service));
    if (i >= 0) throw failures.splice(i, 1)[0]!.error;
  };
  const known = (service: string) => {
    const v = vars.get(service);
    if (!v) throw new CliError(`Railway: Service '${service}' not found`, EXIT.railway, undefined, 'railway-service');
    return v;
  };
  const summary = (s: MemoryService): ServiceSummary => {
    const latest = deployments.get(s.name)!.at(-1)!;
    return {
      id: `id-${s.name}`,
      name: s.name,
      image: s.image ?? null,
      status: latest.status,
      latestDeployment: latest,
    };
  };
  return {
    environment: opts.environment,
    calls,
    vars,
    failNext: (method, service, error) => failures.push({ method, ...(service ? { service } : {}), error }),
    deploymentsOf: (service) => deployments.get(service) ?? [],
    async version() {
      record('version');
      return opts.version ?? '5.43.1';
    },
    // The CLI-only path unless a test asks for the api one.
    supports: (feature) => feature !== 'api' || opts.api === true,
    async rawVariables() {
      record('environment config');
      return { services: new Map(services.map((s) => [`id-${s.name}`, { ...known(s.name) }])), shared: {} };
    },
    async writeVariables(_target, writes) {
      record('api');
      for (const w of writes) {
        const name = services.find((s) => `id-${s.name}` === w.serviceId)?.name;
        if (!name) continue;
        if (w.value === null) delete known(name)[w.name];
        else known(name)[w.name] = w.value;
      }
    },
    async linkedEnvironmentName() {
      record('variable list');
      return opts.environment ?? 'production';
    },
    async redeployMany(list) {
      record('api');
      return new Map(
        list.map((d) => {
          const id = `${d.service}-${++seq}`;
          deployments.get(d.service)!.push({ id, status: 'DEPLOYING', createdAt: new Date().toISOString() });
          return [d.service, id];
        }),
      );
    },
    async deploymentStatuses(ids) {
      record('api');
      return new Map(ids.map((id) => [id, 'SUCCESS']));
    },
    async project(): Promise<ProjectInfo> {
      record('status');
      return {
        projectId: 'p1',
        projectName: 'telegram-bot',
        environments: [{ id: 'e1', name: opts.environment ?? 'production' }],
      };
    },
    async services() {
      record('service list');
      return services.map(summary);
    },
    async variables(service) {
      record('variable list', service);
      return { ...known(service) };
    },
    async setVariable(service, key, value) {
      record('variable set', service);
      known(service)[key] = value;
    },
    async deleteVariable(service, key) {
      record('variable delete', service);
      delete known(service)[key];
      deployments
        .get(service)!
        .push({ id: `${service}-${++seq}`, status: 'DEPLOYING', createdAt: new Date().toISOString() });
    },
    async redeploy(service) {
      record('redeploy', service);
      const d = { id: `${service}-${++seq}`, status: 'DEPLOYING', createdAt: new Date().toISOString() };
      deployments.get(service)!.push(d);
      return d.id;
    },
    async deployments(service, limit = 5) {
      record('deployment list', service);
      return [...(deployments.get(service) ?? [])].reverse().slice(0, limit);
    },
    async logs(service) {
      record('logs', service);
      return '';
    },
    streamLogs: () => undefined,
  };
}
