// What the live watch shows per service: its phase, the time it has taken against the timeout,
// and the last relevant log line. Pure: state in, lines out.
import type { HealthStatus } from './health.js';

export type WatchPhase =
  | 'redeploying'
  | 'building'
  | 'deploying'
  | 'waiting for lines'
  | 'settling'
  | 'healthy'
  | 'failed'
  | 'timeout';

export interface WatchRow {
  service: string;
  deploymentId?: string;
  /** Railway's status of the new deployment, when it was read. */
  deploymentStatus?: string;
  health?: HealthStatus;
  /** The last relevant log line, already masked. */
  lastLine?: string;
  startedAtMs: number;
  /** When the service reached a final phase. */
  endedAtMs?: number;
}

const FINAL: ReadonlySet<WatchPhase> = new Set(['healthy', 'failed', 'timeout']);
export const isFinalPhase = (p: WatchPhase) => FINAL.has(p);

export function phaseOf(row: WatchRow): WatchPhase {
  const h = row.health;
  if (h === 'healthy' || h === 'failed' || h === 'timeout' || h === 'settling') return h;
  if (!row.deploymentId) return 'redeploying';
  const s = row.deploymentStatus?.toUpperCase();
  // Lines from the new deployment mean it is running, whatever the last status poll said.
  if (row.lastLine === undefined && (s === 'QUEUED' || s === 'WAITING' || s === 'INITIALIZING' || s === 'BUILDING'))
    return 'building';
  if (row.lastLine === undefined && s === 'DEPLOYING') return 'deploying';
  return 'waiting for lines';
}

const ICON: Record<WatchPhase, string> = {
  redeploying: '◌',
  building: '◌',
  deploying: '◌',
  'waiting for lines': '◐',
  settling: '◑',
  healthy: '✔',
  failed: '✖',
  timeout: '⧗',
};

function clip(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

/** One line per service: `✔ bot  healthy  11 s / 180 s  › Redis connected successfully`. */
export function renderWatch(rows: readonly WatchRow[], nowMs: number, timeoutMs: number, width = 100): string[] {
  const nameWidth = Math.max(...rows.map((r) => r.service.length), 4);
  return rows.map((row) => {
    const phase = phaseOf(row);
    const seconds = Math.floor(((row.endedAtMs ?? nowMs) - row.startedAtMs) / 1000);
    const clock = `${seconds} s / ${Math.round(timeoutMs / 1000)} s`;
    const head = `${ICON[phase]} ${row.service.padEnd(nameWidth)}  ${phase.padEnd(17)} ${clock.padStart(13)}`;
    const tail = row.lastLine ? `  › ${row.lastLine}` : '';
    return clip(`${head}${tail}`, width);
  });
}

/** Off a terminal: one plain line when a service's phase changes. */
export function phaseLine(row: WatchRow, nowMs: number): string {
  const seconds = Math.floor(((row.endedAtMs ?? nowMs) - row.startedAtMs) / 1000);
  return `${row.service}: ${phaseOf(row)} (${seconds} s)${row.lastLine ? ` · ${row.lastLine}` : ''}`;
}
