// Put saved previous values back: each service's variable (through stdin, or deleted when it had
// none), a redeploy so the services run with it, then the .env line. Used by setup's rollback and
// by `redis-setup restore`.
import { readFile, unlink } from 'node:fs/promises';
import { readVar, renderTemplate } from '../core/envfile.js';
import { removeEnvVar, updateEnvFile } from '../edge/envstore.js';
import type { BackupState } from '../edge/backup-store.js';
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
  /** removed: the variable's line went; deleted: the whole file, which the change had created. */
  env: 'restored' | 'removed' | 'deleted' | 'untouched';
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
      ui.success(s.previousValue !== undefined ? `${s.service}: previous ${s.name} put back` : `${s.service}: ${s.name} deleted (it was not set before)`);
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
    const { path, name, previousValue, existed } = backup.envFile;
    if (previousValue !== undefined) {
      await updateEnvFile({ path, name, value: previousValue, templatePath: templatePath('env.template') });
      result.env = 'restored';
      ui.success(`${path}: previous ${name} put back`);
    } else if (!existed && (await untouchedSinceCreated(path, name))) {
      await unlink(path);
      result.env = 'deleted';
      ui.success(`${path}: deleted (it did not exist before)`);
    } else {
      await removeEnvVar(path, name);
      result.env = 'removed';
      ui.success(`${path}: ${name} removed (it was not set before)`);
    }
  }
  return result;
}

/** The file is exactly what setup wrote when it created it: deleting it loses nothing of the user's. */
async function untouchedSinceCreated(file: string, name: string): Promise<boolean> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  const value = text === undefined ? undefined : readVar(text, name)?.value;
  if (text === undefined || value === undefined) return false;
  const template = await readFile(templatePath('env.template'), 'utf8').catch(() => '');
  return renderTemplate(template, name, value) === text;
}
