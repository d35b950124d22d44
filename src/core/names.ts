// Names the command line and redis-setup.json share: roles, providers, variable names, and the
// --roles flag. Pure, and free of zod, so the entry points that only need these stay light.

export const ROLES = ['bot', 'worker', 'web', 'custom'] as const;
export type Role = (typeof ROLES)[number];
export const PROVIDERS = ['railway', 'upstash', 'url', 'reference'] as const;
export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface ServiceRole {
  name: string;
  role: Role;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const oneOf = (values: readonly string[]) => `expected one of ${values.join(', ')}`;

/** `--roles "bot=bot,queue=worker"` → [{name, role}]. */
export function rolesFromFlag(flag: string): Parsed<ServiceRole[]> {
  const services: ServiceRole[] = [];
  const seen = new Set<string>();
  const entries = flag
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (entries.length === 0)
    return { ok: false, message: `--roles is empty: expected NAME=ROLE pairs such as "bot=bot,worker=worker"` };
  for (const entry of entries) {
    const eq = entry.lastIndexOf('=');
    const name = eq < 0 ? entry : entry.slice(0, eq).trim();
    const role = eq < 0 ? '' : entry.slice(eq + 1).trim();
    if (eq < 0 || name === '' || role === '') {
      return { ok: false, message: `--roles "${entry}": expected NAME=ROLE, with ROLE one of ${ROLES.join(', ')}` };
    }
    if (!(ROLES as readonly string[]).includes(role)) {
      return { ok: false, message: `--roles "${entry}": unknown role "${role}", ${oneOf(ROLES)}` };
    }
    if (seen.has(name.toLowerCase())) return { ok: false, message: `--roles: service "${name}" is listed twice` };
    seen.add(name.toLowerCase());
    services.push({ name, role: role as Role });
  }
  return { ok: true, value: services };
}
