// Step 4: which services get the URL, and what role each plays (it decides the log patterns).
import { ROLES, type Role, type ServiceRole } from '../core/config.js';
import { CliError, EXIT, UsageError } from '../errors.js';
import type { ServiceSummary } from '../edge/railway.js';
import type { SetupContext } from './context.js';
import { missingFlag } from './context.js';

/** A first guess from the name; the user confirms or changes it. */
export function guessRole(name: string): Role {
  const n = name.toLowerCase();
  if (/worker|dramatiq|queue|celery|consumer|job/.test(n)) return 'worker';
  if (/bot|telegram/.test(n)) return 'bot';
  if (/web|api|site|app|front|http|server/.test(n)) return 'web';
  return 'custom';
}

export async function chooseServices(ctx: SetupContext, all: ServiceSummary[], redisName: string | undefined): Promise<ServiceRole[]> {
  const { settings, ui } = ctx;
  const candidates = all.filter((s) => s.name !== redisName);
  const byName = new Map(candidates.map((s) => [s.name.toLowerCase(), s.name]));
  const resolve = (name: string) => {
    const real = byName.get(name.toLowerCase());
    if (!real) {
      throw new CliError(`There is no service named "${name}" in this project${name === redisName ? ' (it is the Redis service)' : ''}.`, EXIT.railway,
        `Available services: ${candidates.map((s) => s.name).join(', ') || 'none'}`, 'railway-service');
    }
    return real;
  };

  const remembered = settings.config?.services?.map((s) => s.name).filter((n) => byName.has(n.toLowerCase()));
  let names: string[];
  if (settings.services) {
    names = settings.services.map(resolve);
  } else if (ctx.canPrompt) {
    const initial = remembered?.length ? remembered.map(resolve) : candidates.map((s) => s.name);
    names = await ui.multiselect({
      message: 'Which services should use this Redis?',
      options: candidates.map((s) => ({ value: s.name, label: s.name, ...(s.image ? { hint: s.image } : {}) })),
      initialValues: initial,
      required: true,
    });
  } else {
    names = remembered?.length ? remembered.map(resolve) : candidates.map((s) => s.name);
  }
  if (names.length === 0) throw new UsageError('No services to update.', 'Pass --services a,b');

  const known = new Map(settings.roles.map((r) => [r.name.toLowerCase(), r.role]));
  const result: ServiceRole[] = [];
  for (const name of names) {
    let role = known.get(name.toLowerCase());
    if (!role && ctx.canPrompt) {
      role = await ui.select({
        message: `What does ${name} run? (decides which log lines prove it healthy)`,
        options: ROLES.map((r) => ({ value: r, label: r, hint: ROLE_HINTS[r] })),
        initialValue: guessRole(name),
      });
    }
    if (!role) {
      // No one to ask: a name that says what it is will do; anything else needs --roles.
      role = guessRole(name);
      if (role === 'custom' && !settings.config?.patterns?.custom?.success?.length) {
        throw missingFlag(`The role of ${name}`, `--roles ${name}=bot|worker|web`);
      }
    }
    result.push({ name, role });
  }
  return result;
}

const ROLE_HINTS: Record<Role, string> = {
  bot: 'waits for "Redis connected successfully"',
  worker: 'Dramatiq: broker set + ready, then no consumer errors',
  web: 'waits for "Redis connected successfully"',
  custom: 'your patterns from redis-setup.json',
};
