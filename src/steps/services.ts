// Which services get the URL, and what role each plays (it decides the log lines that prove it
// healthy). The default is the services that use Redis: by their variable, or by Redis lines in
// their logs; the others are listed unselected, each with the reason. Flags answer first.
import { ROLES, type Role, type ServiceRole } from '../core/config.js';
import type { SetupOptions } from '../core/options.js';
import { describeUsage, usesRedis } from '../core/redis-usage.js';
import { guessRole, ROLE_HINTS } from '../core/services.js';
import { CliError, EXIT, UsageError } from '../errors.js';
import { missingFlag, type StepContext } from './context.js';
import type { RailwayState } from './preflight.js';

type Ctx = StepContext<SetupOptions>;

/** Why each service is (or is not) a Redis user, for the question's hints. */
export function redisUsers(
  state: RailwayState,
  logUsers: ReadonlyMap<string, string>,
  variable: string,
): Map<string, string | undefined> {
  const users = new Map<string, string | undefined>();
  for (const s of state.services) {
    if (s === state.redis) continue;
    const usage = state.usages.get(s.name) ?? { kind: 'unset' as const };
    const line = logUsers.get(s.name);
    if (usesRedis(usage)) users.set(s.name, undefined);
    else if (line) users.set(s.name, undefined);
    else
      users.set(
        s.name,
        usage.kind === 'unset'
          ? `no ${variable}, no Redis lines in its logs`
          : `${variable} is ${describeUsage(usage)}`,
      );
  }
  return users;
}

export async function chooseServices(
  ctx: Ctx,
  state: RailwayState,
  logUsers: ReadonlyMap<string, string>,
): Promise<ServiceRole[]> {
  const names = await chooseNames(ctx, state, logUsers);
  if (names.length === 0) {
    throw new UsageError(
      'No service uses Redis yet, so there is nothing to update by default.',
      'Pass --services a,b (the services that should use Redis).',
    );
  }
  const roles: ServiceRole[] = [];
  for (const name of names) roles.push({ name, role: await chooseRole(ctx, name) });
  return roles;
}

async function chooseNames(ctx: Ctx, state: RailwayState, logUsers: ReadonlyMap<string, string>): Promise<string[]> {
  const { options, ui } = ctx;
  const redisName = state.redis?.name;
  const candidates = state.services.filter((s) => s !== state.redis);
  const byName = new Map(candidates.map((s) => [s.name.toLowerCase(), s.name]));
  const resolve = (name: string) => {
    const real = byName.get(name.toLowerCase());
    if (!real) {
      throw new CliError(
        `There is no service named "${name}" in this project${name === redisName ? ' (it is the Redis service)' : ''}.`,
        EXIT.railway,
        `Available services: ${candidates.map((s) => s.name).join(', ') || 'none'}`,
        'railway-service',
      );
    }
    return real;
  };
  if (options.services) return options.services.map(resolve);
  const reasons = redisUsers(state, logUsers, options.variable);
  const remembered = options.remembered
    ?.map((s) => s.name)
    .filter((n) => byName.has(n.toLowerCase()))
    .map(resolve);
  const initial = remembered?.length
    ? remembered
    : candidates.map((s) => s.name).filter((n) => reasons.get(n) === undefined);
  if (!ctx.canPrompt) return initial;
  return ui.multiselect({
    message: 'Which services should use this Redis?',
    options: candidates.map((s) => {
      const reason = reasons.get(s.name);
      const usage = state.usages.get(s.name);
      // clack shows a hint only on the focused line: the reason a service is left out is in its label.
      if (reason) return { value: s.name, label: `${s.name} (${reason})` };
      const hint = usage && usage.kind !== 'unset' ? describeUsage(usage) : `logs: ${logUsers.get(s.name) ?? ''}`;
      return { value: s.name, label: s.name, hint };
    }),
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
