// Before the first question: each Redis user's state now, judged from what was read (its stored
// variable, the Redis service's current password, its latest deployment). Pure.
import { deploymentFailed } from './deployment.js';
import { describeUsage, isStale, type Usage } from './redis-usage.js';

export type StateNow =
  | 'healthy'
  | 'stale password'
  | 'unreachable'
  | 'not set'
  | 'sealed'
  | 'deployment failed'
  | 'another server';

export interface ServiceNow {
  service: string;
  state: StateNow;
  detail: string;
}

export function stateNow(service: string, u: Usage, deploymentStatus: string | null, logLine?: string): ServiceNow {
  const at = (state: StateNow, detail: string): ServiceNow => ({ service, state, detail });
  if (u.kind === 'sealed') return at('sealed', 'its value cannot be read: only its logs can tell');
  if (u.kind === 'unset') return at('not set', logLine ? `but its logs mention Redis: ${logLine}` : 'no variable');
  if (deploymentFailed(deploymentStatus))
    return at('deployment failed', `its latest deployment is ${deploymentStatus}`);
  if (isStale(u)) return at('stale password', describeUsage(u));
  const literal = u.kind === 'shared' ? u.target : u;
  if (literal.kind === 'literal' && !literal.onRedisService) {
    // A private host that is not this project's Redis service resolves nowhere.
    if (literal.endpoint?.includes('.railway.internal')) return at('unreachable', describeUsage(u));
    return at('another server', describeUsage(u));
  }
  if (literal.kind === 'unset') return at('not set', describeUsage(u));
  return at('healthy', describeUsage(u));
}

export function renderStates(rows: readonly ServiceNow[]): string {
  const width = Math.max(...rows.map((r) => r.service.length), 4);
  const mark = (s: StateNow) => (s === 'healthy' ? '✔' : s === 'sealed' ? '?' : '✖');
  return rows.map((r) => `${mark(r.state)} ${r.service.padEnd(width)}  ${r.state.padEnd(17)} ${r.detail}`).join('\n');
}
