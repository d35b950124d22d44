// The command line, declared once: each command's flags and its --help text. Pure and tiny on
// purpose: the entry point imports only this, so `--help` and a usage error cost nothing to load.
// Values are checked later by the command's zod schema (core/options.ts), still before any I/O.

export const COMMAND_NAMES = ['setup', 'check', 'doctor', 'restore'] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

export interface FlagSpec {
  type: 'boolean' | 'string';
  short?: string;
  /** Placeholder shown in help, for string flags. */
  value?: string;
  help: string;
  /** Another spelling that means the same flag (kept for old scripts). */
  alias?: string;
}

export interface CommandSpec {
  usage: string;
  summary: string;
  /** What the positional arguments are, if any. */
  args?: string;
  maxArgs: number;
  flags: Record<string, FlagSpec>;
}

const common: Record<string, FlagSpec> = {
  json: { type: 'boolean', help: 'one JSON object on stdout; human lines go to stderr' },
  debug: { type: 'boolean', help: 'print a masked stack trace with an error' },
  help: { type: 'boolean', short: 'h', help: 'this help' },
};

// Node 20 reads `--env-file` itself, even after the script name, so ours is --dotenv.
const dotenv: FlagSpec = {
  type: 'string',
  value: 'PATH',
  help: '.env file to read/write (default ./.env); --env-file works where Node passes it through',
  alias: 'env-file',
};
const variable: FlagSpec = { type: 'string', value: 'NAME', help: 'variable name (default REDIS_URL)' };
const ca: FlagSpec = {
  type: 'string',
  value: 'FILE',
  help: 'extra CA certificate (PEM); NODE_EXTRA_CA_CERTS works too',
};
const environment: FlagSpec = { type: 'string', value: 'NAME[,NAME]', help: 'Railway environment(s), comma-separated' };
const yes: FlagSpec = { type: 'boolean', short: 'y', help: 'no questions: every answer comes from flags' };

export const COMMANDS: Record<CommandName, CommandSpec> = {
  setup: {
    usage: 'npx redis-setup [setup] [flags]',
    summary: 'the wizard: source → live check → services → plan → apply → redeploy → watch → result',
    maxArgs: 0,
    flags: {
      yes,
      provider: { type: 'string', value: 'P', help: 'railway | upstash | url | reference' },
      url: { type: 'string', value: 'URL', help: 'the Redis URL for upstash/url (prefer --url-stdin)' },
      'url-stdin': { type: 'boolean', help: 'read the URL from stdin (keeps it out of shell history and ps)' },
      services: { type: 'string', value: 'a,b', help: 'services to update (default: the ones that use Redis)' },
      roles: { type: 'string', value: 'a=bot,b=worker', help: 'role per service: bot | worker | web | custom' },
      'redis-service': { type: 'string', value: 'NAME', help: 'the Railway Redis service (default: found by image)' },
      scope: {
        type: 'string',
        value: 'S',
        help: 'service: set the variable on each service | shared: one shared variable the services reference',
      },
      environment,
      dotenv,
      var: variable,
      timeout: { type: 'string', value: 'S', help: 'seconds each service has to prove healthy (default 180)' },
      settle: { type: 'string', value: 'S', help: 'seconds with no failure line after the success lines (default 10)' },
      'no-env': { type: 'boolean', help: 'do not write .env' },
      'no-railway': { type: 'boolean', help: 'do not touch Railway' },
      'no-redeploy': { type: 'boolean', help: 'set variables only; do not redeploy or watch' },
      'on-failure': {
        type: 'string',
        value: 'M',
        help: 'rollback | keep (default keep) when a service is not healthy',
      },
      'dry-run': { type: 'boolean', help: 'print the plan, change nothing' },
      ca,
      'upstash-db': { type: 'string', value: 'NAME', help: 'with UPSTASH_EMAIL + UPSTASH_API_KEY: use this database' },
      'upstash-reset-password': { type: 'boolean', help: "rotate: reset that database's password first" },
      'upstash-create': { type: 'string', value: 'NAME', help: 'create a database (free plan: one)' },
      'upstash-region': { type: 'string', value: 'R', help: 'region for --upstash-create' },
      ...common,
    },
  },
  check: {
    usage: 'npx redis-setup check [URL] [flags]',
    summary: 'check one Redis URL live and name the real cause of a failure',
    args: 'URL   the Redis URL (or --url-stdin, or the variable from --dotenv)',
    maxArgs: 1,
    flags: {
      'url-stdin': { type: 'boolean', help: 'read the URL from stdin (keeps it out of shell history and ps)' },
      dotenv,
      var: variable,
      timeout: {
        type: 'string',
        value: 'S',
        help: 'seconds the whole live check may take: connect, AUTH, PINGs, INFO (default 5)',
      },
      ca,
      ...common,
    },
  },
  doctor: {
    usage: 'npx redis-setup doctor [flags]',
    summary: "read-only: .env, every service's variable, stale passwords, failed deployments, errors in logs",
    maxArgs: 0,
    flags: {
      environment,
      dotenv,
      var: variable,
      'redis-service': { type: 'string', value: 'NAME', help: 'the Railway Redis service (default: found by image)' },
      timeout: {
        type: 'string',
        value: 'S',
        help: 'seconds each live check may take: connect, AUTH, PINGs, INFO (default 5)',
      },
      ca,
      'no-railway': { type: 'boolean', help: 'check .env only' },
      ...common,
    },
  },
  restore: {
    usage: 'npx redis-setup restore [flags]',
    summary: 'put back the values the last change replaced, then redeploy and watch',
    maxArgs: 0,
    flags: {
      yes,
      'no-redeploy': { type: 'boolean', help: 'put the values back only; do not redeploy or watch' },
      timeout: { type: 'string', value: 'S', help: 'seconds each service has to prove healthy (default 180)' },
      settle: { type: 'string', value: 'S', help: 'seconds with no failure line after the success lines (default 10)' },
      ...common,
    },
  },
};

export const EXIT_CODES_HELP = `Exit codes
  0 ok · 1 the check failed or doctor found a problem (nothing changed) · 2 usage
  3 Railway CLI, auth or link problem · 4 applied, but a service is not healthy
  130 cancelled (Ctrl-C) · 129/143 stopped by SIGHUP/SIGTERM`;

function flagLine(name: string, spec: FlagSpec): string {
  const short = spec.short ? `-${spec.short}, ` : '';
  const left = `  ${short}--${name}${spec.value ? ` ${spec.value}` : ''}`;
  return `${left.padEnd(32)} ${spec.help}`;
}

export function commandHelp(name: CommandName, version: string): string {
  const spec = COMMANDS[name];
  const lines = [`redis-setup ${name} ${version}: ${spec.summary}`, '', 'Usage', `  ${spec.usage}`];
  if (spec.args) lines.push('', 'Arguments', `  ${spec.args}`);
  lines.push('', 'Flags', ...Object.entries(spec.flags).map(([n, s]) => flagLine(n, s)));
  lines.push('', EXIT_CODES_HELP);
  return lines.join('\n');
}

export function overviewHelp(version: string): string {
  const rows = COMMAND_NAMES.map((n) => `  ${COMMANDS[n].usage.padEnd(40)} ${COMMANDS[n].summary}`);
  return [
    `redis-setup ${version}`,
    'Point your Railway services at a working Redis, and prove it from their logs.',
    '',
    'Usage',
    ...rows,
    '',
    'Every prompt has a flag: see redis-setup <command> --help. --version (-v) prints the version.',
    'Without a terminal (CI), or with --yes or --json, it never prompts: a missing answer exits 2.',
    '',
    EXIT_CODES_HELP,
    '',
    'Docs: https://www.npmjs.com/package/redis-setup',
  ].join('\n');
}
