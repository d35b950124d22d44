// After a run: remember the answers (never a secret) for the next rotation, and offer to git-ignore
// a .env that holds secrets.
import path from 'node:path';
import type { ServiceRole } from '../core/config.js';
import type { SetupOptions } from '../core/options.js';
import { saveProjectConfig } from '../edge/project-config.js';
import type { StepContext } from './context.js';

export async function rememberAnswers(
  options: SetupOptions,
  provider: string,
  redisService: string | undefined,
  services: ServiceRole[],
): Promise<void> {
  if (options.dryRun) return;
  await saveProjectConfig(options.configPath, {
    ...(options.config ?? {}),
    provider,
    ...(redisService ? { redisService } : {}),
    variable: options.variable,
    services,
  });
}

/** A cancel here only skips the offer. */
export async function offerGitignore(ctx: StepContext<unknown>, envPath: string): Promise<void> {
  const { gitIgnoreStatus, addToGitignore } = await import('../edge/git.js');
  if ((await gitIgnoreStatus(envPath)) !== 'not-ignored') return;
  const name = path.basename(envPath);
  ctx.ui.warn(`${name} is not ignored by git: its secrets could be committed.`);
  const add =
    ctx.canPrompt &&
    (await ctx.ui.confirm({ message: `Add ${name} to .gitignore?`, initialValue: true }).catch(() => false));
  if (add) {
    await addToGitignore(path.dirname(envPath), name);
    ctx.ui.success(`Added ${name} to .gitignore`);
  } else {
    ctx.ui.info(`Fix: echo ${name} >> .gitignore`);
  }
}
