// `redis-setup restore`: undo the last change. The saved previous values go back into .env and
// into each Railway service (through stdin); then redeploy and watch, as setup does. The values
// being replaced are saved first, so a restore can itself be undone by running restore again.
import type { Flags } from '../cli.js';
import { resolveRolePatterns } from '../core/config.js';
import { maskText } from '../core/mask.js';
import { readVar } from '../core/envfile.js';
import { CliError, EXIT, CancelledError } from '../errors.js';
import { backupPath, loadBackup, saveBackup, type BackupState } from '../edge/backup-store.js';
import { loadRolePatterns } from '../edge/package-files.js';
import { Railway } from '../edge/railway.js';
import { createUi, isInteractive } from '../ui/prompts.js';
import { loadProjectConfig } from '../steps/context.js';
import { restoreBackup } from '../steps/restore-values.js';
import { rollout, type ServiceOutcome } from '../steps/rollout.js';
import { printOutcomes } from '../steps/result.js';
import { showValue } from '../steps/plan.js';
import { guessRole } from '../steps/services.js';
import { secondsFlag } from '../run.js';
import { passwordOf } from '../core/url.js';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export async function restoreCommand(flags: Flags, args: string[]): Promise<number> {
  if (args.length > 0) throw new CliError(`restore takes no arguments (got "${args[0]}").`, EXIT.usage, undefined, 'usage');
  const cwd = process.cwd();
  const json = Boolean(flags.json);
  const ui = createUi({ json });
  const canPrompt = !flags.yes && !json && isInteractive();
  const backup = await loadBackup(cwd);
  if (!backup) {
    throw new CliError(`Nothing to restore: no saved change in ${backupPath(cwd)}.`, EXIT.checkFailed,
      'redis-setup saves the previous values there each time setup applies a change; run restore from the same folder.', 'nothing-to-restore');
  }
  const secrets: string[] = [...backup.services.map((s) => s.previousValue), backup.envFile?.previousValue].flatMap((v) => (v ? [passwordOf(v) ?? ''] : [])).filter(Boolean);
  const mask = (t: string) => maskText(t, secrets);

  ui.intro('redis-setup restore');
  // Refuse before reading anything: this run cannot be confirmed.
  if (!flags.yes && !canPrompt) throw new CliError('Restoring needs a confirmation, and this run cannot ask for it.', EXIT.usage, 'Pass --yes.', 'usage');

  const environments = [...new Set(backup.services.map((s) => s.environment ?? undefined))];
  const config = await loadProjectConfig(path.join(cwd, 'redis-setup.json'));
  const outcomes: ServiceOutcome[] = [];
  // Read what is there now (read-only): it is saved before anything changes, so running restore
  // again undoes this restore. A service that already renders the saved value is left alone: the
  // CLI only reads rendered values, so writing it would turn a reference into a literal URL.
  const undo: BackupState = { version: 1, createdAt: new Date().toISOString(), services: [] };
  const toRestore: BackupState['services'] = [];
  const alreadyThere: string[] = [];
  const railways = new Map<string | undefined, Railway>();
  for (const environment of environments.length ? environments : [undefined]) {
    const railway = new Railway({ cwd, ...(environment ? { environment } : {}), secrets: () => secrets });
    railways.set(environment, railway);
    if (backup.services.some((s) => (s.environment ?? undefined) === environment)) await railway.version();
    for (const s of backup.services.filter((x) => (x.environment ?? undefined) === environment)) {
      const current = (await railway.variables(s.service))[s.name];
      if (current === s.previousValue) {
        alreadyThere.push(s.service);
        continue;
      }
      const pw = current ? passwordOf(current) : undefined;
      if (pw) secrets.push(pw);
      toRestore.push(s);
      undo.services.push({ environment: s.environment, service: s.service, name: s.name, hadValue: current !== undefined, ...(current !== undefined ? { previousValue: current } : {}) });
    }
  }
  if (backup.envFile) {
    const text = await readFile(backup.envFile.path, 'utf8').catch(() => undefined);
    const current = text === undefined ? undefined : readVar(text, backup.envFile.name)?.value;
    const pw = current ? passwordOf(current) : undefined;
    if (pw) secrets.push(pw);
    undo.envFile = { path: backup.envFile.path, name: backup.envFile.name, existed: text !== undefined, ...(current !== undefined ? { previousValue: current } : {}) };
  }

  const lines = [
    ...(backup.envFile ? [`.env       ${backup.envFile.path}: ${backup.envFile.name} ← ${showValue(backup.envFile.previousValue)}`] : []),
    ...backup.services.map((s) => `  ${s.service.padEnd(12)} ${s.name} ← ${alreadyThere.includes(s.service) ? 'already this value (left alone)' : s.hadValue ? showValue(s.previousValue) : '(delete: it was not set)'}`),
  ];
  ui.note(lines.join('\n'), `Restore the values saved ${backup.createdAt}`);
  if (!flags.yes) {
    if (!(await ui.confirm({ message: 'Put these values back and redeploy?', initialValue: true }))) throw new CancelledError('Cancelled. Nothing was changed.');
  }
  await saveBackup(cwd, undo);

  const patterns = loadRolePatterns(config?.patterns);
  for (const [environment, railway] of railways) {
    const mine = { ...backup, services: toRestore.filter((s) => (s.environment ?? undefined) === environment) };
    const isFirst = environment === [...railways.keys()][0];
    await restoreBackup(ui, mine, railway, { redeploy: false, restoreEnv: isFirst });
    if (flags['no-redeploy'] || mine.services.length === 0) continue;
    const targets = mine.services.flatMap((s) => {
      const role = config?.services?.find((c) => c.name.toLowerCase() === s.service.toLowerCase())?.role ?? guessRole(s.service);
      const p = patterns ? resolveRolePatterns(patterns, role) : undefined;
      // A deleted variable already triggered its own deployment: watch that one.
      return p?.ok ? [{ service: s.service, role, patterns: p.value, ...(s.previousValue === undefined ? { watchLatest: true } : {}) }] : [];
    });
    const redeployed = targets.filter((t) => !t.watchLatest).map((t) => t.service);
    const selfDeployed = targets.filter((t) => t.watchLatest).map((t) => t.service);
    ui.step(`${redeployed.length ? `Redeploying ${redeployed.join(', ')}` : 'Nothing to redeploy'}${selfDeployed.length ? ` (${selfDeployed.join(', ')} deploying after the delete)` : ''}; watching the new deployments…`);
    outcomes.push(...(await rollout({
      railway, targets, variable: mine.services[0]?.name ?? 'REDIS_URL',
      settleMs: secondsFlag('settle', flags.settle, config?.settleSeconds ?? 10, true) * 1000,
      timeoutMs: secondsFlag('timeout', flags.timeout, config?.timeoutSeconds ?? 180) * 1000,
      mask,
      onProgress: (service, state) => ui.info(`${service}: ${state.status}${state.lastRelevantLine ? ` · ${state.lastRelevantLine}` : ''}`),
    })));
  }
  // Counted after the rollout too: a Railway object's calls keep growing while it watches.
  const calls = [...railways.values()].reduce((n, r) => n + r.calls.length, 0);
  printOutcomes(ui, outcomes, { variable: backup.services[0]?.name ?? 'REDIS_URL' });
  const unhealthy = outcomes.filter((o) => o.status === 'failed' || o.status === 'timeout');
  const ok = unhealthy.length === 0;
  if (ok) ui.outro('Restored.');
  else ui.warn('Restored, but not every service is healthy with the previous value (it may be the value that was broken). Run npx redis-setup restore again to return to the newer values.');
  if (json) {
    process.stdout.write(`${JSON.stringify({ ok, code: ok ? 'ok' : 'unhealthy', env: { path: backup.envFile?.path ?? null, changed: Boolean(backup.envFile) }, services: outcomes, railwayCalls: calls }, null, 2)}\n`);
  }
  return ok ? EXIT.ok : EXIT.unhealthy;
}
