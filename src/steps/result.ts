// A per-service summary a person can act on: what proved each service healthy, or what is wrong
// and the fix.
import type { ServiceOutcome } from '../core/report.js';
import type { Ui } from '../ui/prompts.js';

const ICON: Record<ServiceOutcome['status'], string> = { healthy: '✔', failed: '✖', timeout: '⧗', skipped: '–' };

function row(o: ServiceOutcome): string {
  const detail =
    o.status === 'healthy'
      ? `healthy in ${o.secondsToHealthy} s (deployment ${o.deploymentId})`
      : o.status === 'skipped'
        ? `skipped${o.reason ? `: ${o.reason}` : ''}`
        : `${o.status}${o.reason ? `: ${o.reason}` : ''}`;
  return `${ICON[o.status]} ${o.name.padEnd(12)} ${o.role.padEnd(7)} ${detail}`;
}

function problem(o: ServiceOutcome, variable: string): string {
  const lines = [
    ...(o.reason ? [`Reason: ${o.reason}`] : []),
    ...(o.evidence.length
      ? ['Evidence ' + "(from the new deployment's logs):", ...o.evidence.map((l) => `  ${l}`)]
      : []),
    ...(o.status === 'timeout' && o.missing.length
      ? [`Never appeared: ${o.missing.map((m) => `"${m}"`).join(', ')}`]
      : []),
    ...(o.diagnosis ? [`Cause: ${o.diagnosis.cause}`, `Fix:   ${o.diagnosis.fix}`] : []),
    ...(o.status === 'timeout' && o.railwayError
      ? ['Fix:   Wait as long as Railway asked, then check the services: npx redis-setup doctor']
      : []),
    ...(o.status === 'timeout' && !o.railwayError
      ? [
          `Fix:   Read the full logs: railway logs ${o.deploymentId ?? ''} -s ${o.name}; if the ` +
            `service is slow to start, raise --timeout. Check that it reads ${variable}.`,
        ]
      : []),
  ];
  return `${o.name}\n${lines.join('\n')}`;
}

export function printOutcomes(ui: Ui, outcomes: readonly ServiceOutcome[], variable: string): void {
  if (outcomes.length === 0) return;
  ui.note(outcomes.map(row).join('\n'), 'Services');
  for (const o of outcomes) if (o.status === 'failed' || o.status === 'timeout') ui.error(problem(o, variable));
}
