// Step 6's last part: a per-service summary a person can act on, and the --json report shape.
import type { ServiceOutcome } from './rollout.js';
import type { SetupSettings } from './context.js';
import type { Ui } from '../ui/prompts.js';

export interface SetupReport {
  ok: boolean;
  code: string;
  exitCode: number;
  environment: string | null;
  provider?: string;
  url?: string | null;
  message: string;
  fix: string;
  env: { path: string; changed: boolean };
  services: ServiceOutcome[];
  partial?: { set: string[]; notSet: string[] };
  rolledBack?: boolean;
  railwayCalls?: number;
}

const ICON: Record<ServiceOutcome['status'], string> = { healthy: '✔', failed: '✖', timeout: '⧗', skipped: '–' };

export function printOutcomes(ui: Ui, outcomes: ServiceOutcome[], settings: Pick<SetupSettings, 'variable'>): void {
  if (outcomes.length === 0) return;
  const rows = outcomes.map((o) => {
    const detail = o.status === 'healthy'
      ? `healthy in ${o.secondsToHealthy} s (deployment ${o.deploymentId})`
      : o.status === 'skipped'
        ? `skipped${o.reason ? `: ${o.reason}` : ''}`
        : `${o.status}${o.reason ? `: ${o.reason}` : ''}`;
    return `${ICON[o.status]} ${o.name.padEnd(12)} ${o.role.padEnd(7)} ${detail}`;
  });
  ui.note(rows.join('\n'), 'Services');
  for (const o of outcomes) {
    if (o.status !== 'failed' && o.status !== 'timeout') continue;
    const lines = [
      ...(o.reason ? [`Reason: ${o.reason}`] : []),
      ...(o.evidence.length ? ['Evidence (from the new deployment\'s logs):', ...o.evidence.map((l) => `  ${l}`)] : []),
      ...(o.status === 'timeout' && o.missing.length ? [`Never appeared: ${o.missing.map((m) => `"${m}"`).join(', ')}`] : []),
      ...(o.diagnosis ? [`Cause: ${o.diagnosis.cause}`, `Fix:   ${o.diagnosis.fix}`] : []),
      ...(o.status === 'timeout' ? [`Fix:   Read the full logs: railway logs ${o.deploymentId ?? ''} -s ${o.name}; if the service is slow to start, raise --timeout. Check that it reads ${settings.variable}.`] : []),
    ];
    ui.error(`${o.name}\n${lines.join('\n')}`);
  }
}
