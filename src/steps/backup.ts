// The restore point. It is written in the same step as the first change and only then, so a run
// that changes nothing never replaces it. A restore keeps the original until it has fully put the
// values back: its own undo point is written alongside first and promoted only on success.
import type { Plan, Previous } from '../core/plan.js';
import { type BackupState, clearUndo, saveBackup, saveUndo } from '../edge/backup-store.js';

export type BackupMode = 'record' | 'record-on-success' | 'none';

const previousValue = (p: Previous) =>
  p.kind === 'value' ? { previousValue: p.value } : p.kind === 'sealed' ? { sealed: true } : {};

export class BackupRecorder {
  private state: BackupState | undefined;

  constructor(
    private readonly cwd: string,
    private readonly mode: BackupMode,
  ) {}

  /** Add what `plan` is about to replace (one environment), then write it. */
  async record(plan: Plan, envPrevious: Previous | undefined): Promise<void> {
    if (this.mode === 'none') return;
    // Unchanged services too: restore then says so, instead of forgetting them.
    const services = plan.services.map((s) => ({
      environment: plan.environment ?? null,
      service: s.name,
      name: plan.variable,
      hadValue: s.previous.kind !== 'unset',
      ...previousValue(s.previous),
    }));
    const shared =
      plan.shared && plan.shared.change.kind !== 'keep'
        ? [
            {
              environment: plan.environment ?? null,
              name: plan.variable,
              hadValue: plan.shared.previous.kind !== 'unset',
              ...previousValue(plan.shared.previous),
            },
          ]
        : [];
    const envFile =
      plan.envFile && envPrevious
        ? { path: plan.envFile.path, name: plan.variable, existed: plan.envFile.exists, ...previousValue(envPrevious) }
        : undefined;
    // One run across several environments: one restore point; .env keeps its value from before the run.
    const before = this.state;
    const allShared = [...(before?.shared ?? []), ...shared];
    this.state = {
      version: 2,
      createdAt: before?.createdAt ?? new Date().toISOString(),
      ...(before?.envFile ? { envFile: before.envFile } : envFile ? { envFile } : {}),
      services: [...(before?.services ?? []), ...services],
      ...(allShared.length > 0 ? { shared: allShared } : {}),
    };
    if (this.mode === 'record') await saveBackup(this.cwd, this.state);
    else await saveUndo(this.cwd, this.state);
  }

  /** A restore that put every value back: its undo point becomes the restore point. */
  async commit(): Promise<void> {
    if (this.mode !== 'record-on-success' || !this.state) return;
    await saveBackup(this.cwd, this.state);
    await clearUndo(this.cwd);
  }
}
