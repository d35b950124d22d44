// Which services get the URL, and what role each plays (it decides the log lines that prove it
// healthy). Flags answer first, then remembered answers, then a question when someone can answer.
import { ROLES, type Role, type ServiceRole } from '../core/config.js';
import type { SetupOptions } from '../core/options.js';
import { guessRole, ROLE_HINTS } from '../core/services.js';
import { CliError, EXIT, UsageError } from '../errors.js';
import type { ServiceSummary } from '../edge/railway.js';
import { missingFlag, type StepContext } from './context.js';

type Ctx = StepContext<SetupOptions>;

export async function chooseServices(ctx: Ctx, all: ServiceSummary[], redisName: string | undefined): Promise<ServiceRole[]> {
  const names = await chooseNames(ctx, all.filter((s) => s.name !== redisName), redisName);
  if (names.length === 0) throw new UsageError('No services to update.', 'Pass --services a,b');
  const roles: ServiceRole[] = [];
  for (const name of names) roles.push({ name, role: await chooseRole(ctx, name) });
  return roles;
}

async function chooseNames(ctx: Ctx, candidates: ServiceSummary[], redisName: string | undefined): Promise<string[]> {
  const { options, ui } = ctx;
  const byName = new Map(candidates.map((s) => [s.name.toLowerCase(), s.name]));
  const resolve = (name: string) => {
    const real = byName.get(name.toLowerCase());
    if (!real) {
      throw new CliError(`There is no service named "${name}" in this project${name === redisName ? ' (it is the Redis service)' : ''}.`, EXIT.railway,
        `Available services: ${candidates.map((s) => s.name).join(', ') || 'none'}`, 'railway-service');
    }
    return real;
  };
  if (options.services) return options.services.map(resolve);
  const remembered = options.remembered?.map((s) => s.name).filter((n) => byName.has(n.toLowerCase())).map(resolve);
  const initial = remembered?.length ? remembered : candidates.map((s) => s.name);
  if (!ctx.canPrompt) return initial;
  return ui.multiselect({
    message: 'Which services should use this Redis?',
    options: candidates.map((s) => ({ value: s.name, label: s.name, ...(s.image ? { hint: s.image } : {}) })),
    initialValues: initial,
    required: true,
  });
}

async function chooseRole(ctx: Ctx, name: string): Promise<Role> {
  const known = ctx.options.roles.find((r) => r.name.toLowerCase() === name.toLowerCase())?.role;
  if (known) return known;
  if (ctx.canPrompt) {
    return ctx.ui.select({
      message: `What does ${name} run? (decides which log lines prove it healthy)`,
      options: ROLES.map((r) => ({ value: r, label: r, hint: ROLE_HINTS[r] })),
      initialValue: guessRole(name),
    });
  }
  // No one to ask: a name that says what it is will do; anything else needs --roles.
  const role = guessRole(name);
  if (role === 'custom' && !ctx.options.patterns?.custom?.success?.length) {
    throw missingFlag(`The role of ${name}`, `--roles ${name}=bot|worker|web`);
  }
  return role;
}
