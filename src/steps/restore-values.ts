// Put saved previous values back: each service's variable (through stdin, or deleted when it had
// none), a redeploy so the services run with it, then the .env line. Used by setup's rollback and
// by `redis-setup restore`.
import { removeEnvVar, updateEnvFile, type BackupState } from '../edge/envstore.js';
import { templatePath } from '../edge/package-files.js';
import type { Railway } from '../edge/railway.js';
import type { Ui } from '../ui/prompts.js';

export interface RestoreOptions {
  /** Limit to these services (a partial change); default: every saved service. */
  onlyServices?: string[];
  redeploy: boolean;
  restoreEnv: boolean;
}

export interface RestoreResult {
  services: { name: string; restored: 'value' | 'deleted'; deploymentId?: string }[];
  env: 'restored' | 'removed' | 'untouched';
}

export async function restoreBackup(ui: Ui, backup: BackupState, railway: Railway | undefined, opts: RestoreOptions): Promise<RestoreResult> {
  const result: RestoreResult = { services: [], env: 'untouched' };
  const targets = backup.services.filter((s) => !opts.onlyServices || opts.onlyServices.includes(s.service));
  if (railway) {
    for (const s of targets) {
      if (s.previousValue !== undefined) {
        await railway.setVariable(s.service, s.name, s.previousValue);
        result.services.push({ name: s.service, restored: 'value' });
      } else {
        await railway.deleteVariable(s.service, s.name);
        result.services.push({ name: s.service, restored: 'deleted' });
      }
      ui.success(`${s.service}: previous ${s.name} put back`);
    }
    if (opts.redeploy) {
      // `variable delete` deploys by itself; a redeploy on top of it would be refused.
      await Promise.all(result.services.filter((s) => s.restored === 'value').map(async (s) => {
        s.deploymentId = await railway.redeploy(s.name);
        ui.info(`${s.name}: redeploying (${s.deploymentId})`);
      }));
    }
  }
  if (opts.restoreEnv && backup.envFile) {
    const { path, name, previousValue } = backup.envFile;
    if (previousValue !== undefined) {
      await updateEnvFile({ path, name, value: previousValue, templatePath: templatePath('env.template') });
      result.env = 'restored';
    } else {
      await removeEnvVar(path, name);
      result.env = 'removed';
    }
    ui.success(`${path}: previous ${name} put back`);
  }
  return result;
}
