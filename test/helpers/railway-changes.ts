// What a run read and changed on Railway, whichever way it went: one `railway` CLI call per change,
// or batched `railway api` documents (whose variables the fake records). Tests assert on this, so
// they hold for both the CLI path and the api path.
import type { Call, FakeRailway } from './fake-railway.ts';

export interface RailwayChange {
  kind: 'set' | 'delete' | 'redeploy' | 'set-shared' | 'delete-shared';
  /** Service name; undefined for the shared variable. */
  service?: string;
  environment?: string;
  /** When the call started (ISO). */
  time: string;
}

const flag = (argv: string[], name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};

function cliChange(c: Call): RailwayChange | undefined {
  const a = c.argv;
  const environment = flag(a, '-e');
  const base = { service: flag(a, '-s'), ...(environment ? { environment } : {}), time: c.time };
  if (a[0] === 'variable' && a[1] === 'set') return { kind: 'set', ...base };
  if (a[0] === 'variable' && a[1] === 'delete') return { kind: 'delete', ...base };
  if (a[0] === 'redeploy') return { kind: 'redeploy', ...base };
  return undefined;
}

/** Every change in `calls` (a slice of fake.calls()), in order. */
export function railwayChanges(fake: FakeRailway, calls: Call[]): RailwayChange[] {
  const ids = fake.ids();
  const serviceName = (id: unknown) => Object.entries(ids.services).find(([, v]) => v === id)?.[0];
  const envName = (id: unknown) => Object.entries(ids.environments).find(([, v]) => v === id)?.[0];
  const deploymentService = new Map(fake.deployments().map((d) => [d.id, d.service]));
  const pids = new Set(calls.filter((c) => c.argv[0] === 'api').map((c) => c.pid));
  const fromApi = fake
    .graphqlRequests()
    .filter((g) => pids.has(g.pid) && g.operationType === 'mutation' && g.status === 200);
  const changes: RailwayChange[] = calls.flatMap((c) => {
    const change = cliChange(c);
    return change ? [change] : [];
  });
  for (const g of fromApi) {
    for (const [field, value] of Object.entries(g.variables)) {
      const doc = g.document;
      const root = new RegExp(`${field}: (\\w+)\\(`).exec(doc)?.[1];
      if (root === 'deploymentRedeploy') {
        changes.push({ kind: 'redeploy', service: deploymentService.get(String(value)), time: g.time });
        continue;
      }
      const input = value as { serviceId?: string; environmentId?: string };
      const environment = envName(input.environmentId);
      const shared = input.serviceId === undefined;
      const kind = root === 'variableDelete' ? (shared ? 'delete-shared' : 'delete') : shared ? 'set-shared' : 'set';
      changes.push({
        kind,
        ...(shared ? {} : { service: serviceName(input.serviceId) }),
        ...(environment ? { environment } : {}),
        time: g.time,
      });
    }
  }
  return changes;
}

/** `set bot`, `redeploy worker`, `set-shared`: easy to compare in one assertion. */
export const describe = (changes: RailwayChange[]) =>
  changes.map((c) => `${c.kind}${c.service ? ` ${c.service}` : ''}`);
