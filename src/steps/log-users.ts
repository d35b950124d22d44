// A service with no Redis variable may still use Redis: its logs say so ("Failed to connect to
// Redis", "Redis caching disabled"). Read-only and bounded: the last 100 lines of each such
// service's latest deployment, fetched in parallel.
import { compilePatterns, matchLine, parseLogLine, type RolePatterns } from '../core/health.js';
import { usesRedis } from '../core/redis-usage.js';
import type { Secrets } from '../core/secrets.js';
import type { RailwayState } from './preflight.js';

const LINES = 100;
const MENTIONS_REDIS = /\bredis\b|dramatiq/i;

/** Service name → the first log line that shows it uses Redis (masked). */
export async function findLogUsers(
  state: RailwayState,
  patterns: RolePatterns,
  secrets: Secrets,
): Promise<Map<string, string>> {
  const silent = state.services.filter(
    (s) => s !== state.redis && s.latestDeployment && !usesRedis(state.usages.get(s.name) ?? { kind: 'unset' }),
  );
  const found = await Promise.all(
    silent.map(async (s) => {
      const out = await state.railway.logs(s.name, s.latestDeployment!.id, { lines: LINES }).catch(() => '');
      const compiled = compilePatterns(patterns);
      for (const raw of out.split('\n')) {
        const line = parseLogLine(raw);
        const m = line && matchLine(line.message, compiled);
        if (
          line &&
          m &&
          (MENTIONS_REDIS.test(line.message) || m.failure || m.counted.length > 0 || m.success.length > 0)
        ) {
          return [s.name, secrets.mask(line.message).slice(0, 120)] as const;
        }
      }
      return undefined;
    }),
  );
  return new Map(found.filter((x): x is readonly [string, string] => x !== undefined));
}
