// Rules about Railway services: which one is the Redis database, and a first guess of what each
// of the others runs (the role decides which log lines prove it healthy). Pure.
import type { Role } from './config.js';

/** The CLI's own detection: a service whose image is redis or valkey. */
export function isRedisImage(image: string | null | undefined): boolean {
  return /redis|valkey/i.test(image ?? '');
}

/** A first guess from the name; the user confirms or changes it. */
export function guessRole(name: string): Role {
  const n = name.toLowerCase();
  if (/worker|dramatiq|queue|celery|consumer|job/.test(n)) return 'worker';
  if (/bot|telegram/.test(n)) return 'bot';
  if (/web|api|site|app|front|http|server/.test(n)) return 'web';
  return 'custom';
}

export const ROLE_HINTS: Record<Role, string> = {
  bot: 'waits for "Redis connected successfully"',
  worker: 'Dramatiq: broker set + ready, then no consumer errors',
  web: 'waits for "Redis connected successfully"',
  custom: 'your patterns from redis-setup.json',
};
