// Who uses Redis, read from each service's stored (raw) variable value: a reference to the Redis
// service, a reference to a shared variable (followed one hop), a literal URL (which server, and is
// its password the current one), sealed, or not set. One model for setup, doctor, restore and the
// plan. Pure.
import { readWithRedisPy } from './url-readers.js';

export type RawValue = string | null;

/** What we know of the project's Redis service, from its rendered variables. */
export interface RedisFacts {
  name: string;
  /** Current password (secret). */
  password?: string;
  /** host:port of its private URL (REDIS_URL) and of its public one (REDIS_PUBLIC_URL), lower case. */
  endpoints: string[];
}

export type Usage =
  | { kind: 'unset' }
  | { kind: 'sealed' }
  | { kind: 'reference'; raw: string; service: string; variable: string; toRedis: boolean }
  | { kind: 'shared'; raw: string; key: string; target: Usage }
  | { kind: 'literal'; raw: string; endpoint?: string; onRedisService: boolean; passwordCurrent?: boolean }
  | { kind: 'other'; raw: string };

const REFERENCE = /\$\{\{\s*([^.}\s]+)\.([^}\s]+)\s*\}\}/;

function literal(raw: string, redis: RedisFacts | undefined): Usage {
  const read = readWithRedisPy(raw.trim());
  if (!read.ok) return { kind: 'literal', raw, onRedisService: false };
  const { host, port, password } = read.reading;
  const endpoint = `${host.toLowerCase()}:${port}`;
  const onRedisService = redis?.endpoints.includes(endpoint) === true;
  return {
    kind: 'literal',
    raw,
    endpoint,
    onRedisService,
    ...(onRedisService && redis?.password !== undefined ? { passwordCurrent: password === redis.password } : {}),
  };
}

/** The kind of one stored value. `shared` holds the environment's shared variables, to follow one hop. */
export function classifyValue(
  raw: RawValue | undefined,
  redis: RedisFacts | undefined,
  shared: Record<string, RawValue> = {},
  depth = 0,
): Usage {
  if (raw === undefined || raw === '') return { kind: 'unset' };
  if (raw === null) return { kind: 'sealed' };
  const ref = REFERENCE.exec(raw);
  if (ref) {
    const [, namespace, variable] = ref as unknown as [string, string, string];
    if (namespace === 'shared') {
      // One hop only: a shared variable that references another shared one is not followed further.
      const target = depth === 0 ? classifyValue(shared[variable], redis, shared, 1) : { kind: 'unset' as const };
      return { kind: 'shared', raw, key: variable, target };
    }
    const toRedis = (redis !== undefined && namespace === redis.name) || /REDIS/i.test(variable);
    return { kind: 'reference', raw, service: namespace, variable, toRedis };
  }
  if (/^\s*rediss?:\/\//i.test(raw)) return literal(raw, redis);
  return { kind: 'other', raw };
}

export function usesRedis(u: Usage): boolean {
  switch (u.kind) {
    case 'reference':
      return u.toRedis;
    case 'shared':
      return usesRedis(u.target);
    case 'literal':
    case 'sealed':
      return true;
    default:
      return false;
  }
}

/** Which Redis server a service talks to, to tell a split; undefined when it cannot be known (sealed). */
export function serverOf(u: Usage, redis: RedisFacts | undefined): string | undefined {
  switch (u.kind) {
    case 'reference':
      return u.toRedis ? `the ${u.service} service` : undefined;
    case 'shared':
      return serverOf(u.target, redis);
    case 'literal':
      if (u.onRedisService && redis) return `the ${redis.name} service`;
      return u.endpoint;
    default:
      return undefined;
  }
}

/** The password in use is not the Redis service's current one. */
export function isStale(u: Usage): boolean {
  if (u.kind === 'shared') return isStale(u.target);
  return u.kind === 'literal' && u.passwordCurrent === false;
}

/** In words, without the secret: what the variable holds. */
export function describeUsage(u: Usage): string {
  switch (u.kind) {
    case 'unset':
      return 'not set';
    case 'sealed':
      return 'sealed (its value cannot be read)';
    case 'reference':
      return `references ${u.raw.trim()}`;
    case 'shared':
      return `references the shared ${u.key}, which ${describeUsage(u.target)}`;
    case 'literal':
      return u.onRedisService
        ? `a literal URL of the Redis service${u.passwordCurrent === false ? ' with an old password' : ''}`
        : `a literal URL of ${u.endpoint ?? 'a server that cannot be read'}`;
    case 'other':
      return 'set, but not to a Redis URL';
  }
}

/** Services that use Redis, grouped by server: more than one group is a split queue. */
export function splitServers(usages: ReadonlyMap<string, Usage>, redis: RedisFacts | undefined): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const [service, u] of usages) {
    if (!usesRedis(u)) continue;
    const server = serverOf(u, redis);
    if (server === undefined) continue;
    groups.set(server, [...(groups.get(server) ?? []), service]);
  }
  return groups;
}

/** Facts about the Redis service from its rendered variables. */
export function redisFacts(name: string, rendered: Record<string, RawValue>): RedisFacts {
  const endpoints: string[] = [];
  let password = rendered.REDIS_PASSWORD ?? rendered.REDISPASSWORD ?? undefined;
  for (const key of ['REDIS_URL', 'REDIS_PUBLIC_URL', 'REDIS_PRIVATE_URL']) {
    const value = rendered[key];
    if (!value) continue;
    const read = readWithRedisPy(value);
    if (!read.ok) continue;
    endpoints.push(`${read.reading.host.toLowerCase()}:${read.reading.port}`);
    password ??= read.reading.password || undefined;
  }
  return { name, ...(password ? { password } : {}), endpoints };
}
