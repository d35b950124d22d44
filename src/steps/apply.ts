// Step 6: apply the confirmed plan. The previous values are saved first, so every change can be
// undone; then .env, then each service's variable (through stdin, without deploying). If a set
// fails partway, the result says exactly which services already have the new value.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ServiceRole } from '../core/config.js';
import { readVar } from '../core/envfile.js';
import { CancelledError, CliError, EXIT } from '../errors.js';
import { updateEnvFile } from '../edge/envstore.js';
import { saveBackup, type BackupState } from '../edge/backup-store.js';
import { templatePath } from '../edge/package-files.js';
import type { Railway } from '../edge/railway.js';
import type { SetupContext, SetupSettings, SourceProvider } from './context.js';
import type { SetupPlan } from './plan.js';

export interface EnvChange { path: string; created: boolean; changed: boolean }

export type ApplyResult =
  | { ok: true; env: EnvChange | undefined; servicesSet: string[]; restoreHint: string; backup: BackupState }
  | { ok: false; failure: CliError; env: EnvChange | undefined; servicesSet: string[]; summary: string; restoreHint: string; backup: BackupState };

export const RESTORE_HINT = 'npx redis-setup restore';

async function readEnvText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CliError(`Cannot read ${file}: ${(e as NodeJS.ErrnoException).code}.`, EXIT.checkFailed, 'Check the file permissions, or pass another --env-file.', 'env-file');
  }
}

export async function applyPlan(ctx: SetupContext, plan: SetupPlan, railway: Railway | undefined): Promise<ApplyResult> {
  const { settings, ui } = ctx;
  const envText = plan.envFile.write ? await readEnvText(plan.envFile.path) : undefined;
  const backup: BackupState = {
    version: 1,
    createdAt: new Date().toISOString(),
    ...(plan.envFile.write
      ? { envFile: { path: plan.envFile.path, name: plan.variable, existed: envText !== undefined, ...optional('previousValue', envText === undefined ? undefined : readVar(envText, plan.variable)?.value) } }
      : {}),
    services: plan.services.map((s) => ({
      environment: plan.environment ?? null,
      service: s.name,
      name: plan.variable,
      hadValue: s.previous !== undefined,
      ...optional('previousValue', s.previous),
    })),
  };
  // A second environment in the same run adds to the backup; .env keeps its value from before the run.
  const merged: BackupState = ctx.runBackup
    ? { ...ctx.runBackup, ...(ctx.runBackup.envFile ? {} : backup.envFile ? { envFile: backup.envFile } : {}), services: [...ctx.runBackup.services, ...backup.services] }
    : backup;
  ctx.runBackup = merged;
  await saveBackup(settings.cwd, merged);

  // Ctrl-C from here on must not cut a change in half: finish the current call, then stop.
  let interrupted = false;
  const onSigint = () => { interrupted = true; };
  process.on('SIGINT', onSigint);
  const servicesSet: string[] = [];
  let env: EnvChange | undefined;
  try {
    if (plan.envFile.write && plan.source.localUrl) {
      const r = await updateEnvFile({ path: plan.envFile.path, name: plan.variable, value: plan.source.localUrl, templatePath: templatePath('env.template') });
      env = { path: r.path, created: r.created, changed: r.changed };
      ui.success(`${r.created ? 'Created' : r.changed ? 'Updated' : 'Kept'} ${plan.variable} in ${path.relative(settings.cwd, r.path) || r.path}${r.modeTightened ? ' (file mode tightened to 0600)' : ''}`);
    }
    if (railway && plan.source.railwayValue) {
      for (const s of plan.services) {
        if (interrupted) throw new CancelledError('Interrupted.');
        if (s.unchanged) continue;
        await railway.setVariable(s.name, plan.variable, plan.source.railwayValue);
        servicesSet.push(s.name);
        ui.success(`${s.name}: ${plan.variable} set (not deployed yet)`);
      }
    }
    if (interrupted) throw new CancelledError('Interrupted.');
    return { ok: true, env, servicesSet, restoreHint: RESTORE_HINT, backup };
  } catch (e) {
    const failure = e instanceof CliError ? e : new CliError('Applying the change failed unexpectedly.', EXIT.railway, undefined, 'apply-failed');
    const notSet = plan.services.filter((s) => !s.unchanged && !servicesSet.includes(s.name)).map((s) => s.name);
    const summary = [
      `Has the new ${plan.variable}: ${servicesSet.length ? servicesSet.join(', ') : 'no service'}${env?.changed ? ' and .env' : ''}.`,
      `Still has the old value: ${notSet.length ? notSet.join(', ') : 'no service'}.`,
      'No service was redeployed, so every running service still uses its old value.',
    ].join('\n');
    return { ok: false, failure, env, servicesSet, summary, restoreHint: RESTORE_HINT, backup };
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/** Put back what applyPlan replaced: services first (then redeploy them), then .env. */
export async function rollbackChange(ctx: SetupContext, plan: SetupPlan, applied: ApplyResult, railway: Railway | undefined): Promise<void> {
  const { restoreBackup } = await import('./restore-values.js');
  await restoreBackup(ctx.ui, applied.backup, railway, { onlyServices: applied.servicesSet, redeploy: true, restoreEnv: applied.env?.changed ?? false });
}

/** After the run: offer to git-ignore .env. A cancel here only skips the offer. */
export async function warnIfNotIgnored(ctx: SetupContext, envPath: string): Promise<void> {
  const { gitIgnoreStatus, addToGitignore } = await import('../edge/git.js');
  const status = await gitIgnoreStatus(envPath);
  if (status !== 'not-ignored') return;
  const name = path.basename(envPath);
  ctx.ui.warn(`${name} is not ignored by git: its secrets could be committed.`);
  const add = ctx.canPrompt && (await ctx.ui.confirm({ message: `Add ${name} to .gitignore?`, initialValue: true }).catch(() => false));
  if (add) {
    await addToGitignore(path.dirname(envPath), name);
    ctx.ui.success(`Added ${name} to .gitignore`);
  } else {
    ctx.ui.info(`Fix: echo ${name} >> .gitignore`);
  }
}

/** Remember the answers (never a secret) so the next rotation is one confirmation. */
export async function saveProjectConfig(settings: SetupSettings, provider: SourceProvider, redisService: string | undefined, services: ServiceRole[]): Promise<void> {
  if (settings.dryRun) return;
  const previous = settings.config ?? {};
  const next = {
    ...previous,
    provider,
    ...(redisService ? { redisService } : {}),
    variable: settings.variable,
    services,
  };
  try {
    await writeFile(settings.configPath, `${JSON.stringify(next, null, 2)}\n`);
  } catch {
    // Remembering is a convenience; failing to write it changes nothing that matters.
  }
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
