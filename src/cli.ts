// Entry point. Kept tiny on purpose: argv parsing and help only, so `--help` starts as fast as
// plain node. Each command (and every heavy dependency) is imported only when it runs.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { maskText } from './core/mask.js';

declare const __VERSION__: string | undefined;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev';

const HELP = `redis-setup ${VERSION}
Point your Railway services at a working Redis, and prove it from their logs.

Usage
  npx redis-setup [setup] [flags]     interactive wizard (default); all flags below make it scriptable
  npx redis-setup check [URL] [flags] check a Redis URL live and say exactly what is wrong
  npx redis-setup doctor [flags]      find what is broken, read-only
  npx redis-setup restore [flags]     put back the values the last change replaced

check
  URL                  the Redis URL (or --url-stdin, or ${'${VAR}'} from --env-file)
  --url-stdin          read the URL from stdin (keeps it out of shell history and ps)
  --env-file PATH      .env file to read/write (default ./.env)
  --var NAME           variable name (default REDIS_URL)
  --timeout SECONDS    bound for each network step (default 5 for check)
  --ca FILE            extra CA certificate (PEM) for TLS servers; NODE_EXTRA_CA_CERTS works too
  --json               one JSON object on stdout

setup
  -y, --yes            no questions: every answer comes from flags (needed without a terminal)
  --provider P         railway | upstash | url | reference
  --url URL            the Redis URL for upstash/url (prefer --url-stdin)
  --url-stdin          read the URL from stdin
  --services a,b       services to update (default: all but the Redis service)
  --roles a=bot,b=worker   role per service: bot | worker | web | custom
  --redis-service NAME the Railway Redis service (default: detected by image)
  --environment NAME   Railway environment(s), comma-separated
  --env-file PATH      .env file (default ./.env)     --var NAME   variable (default REDIS_URL)
  --timeout S          seconds to wait for each service to prove healthy (default 180)
  --settle S           seconds without a failure line after the success lines (default 10)
  --no-env             do not write .env          --no-railway   do not touch Railway
  --no-redeploy        set variables only, do not redeploy or watch
  --on-failure M       rollback | keep (default keep) when a service is not healthy
  --dry-run            print the plan, change nothing
  --upstash-db NAME    with UPSTASH_EMAIL + UPSTASH_API_KEY: use this Upstash database
  --upstash-reset-password   rotate: reset that database's password first (after the confirmation)
  --upstash-create NAME [--upstash-region R]   create a database (free plan: one)
  --json               one JSON report on stdout

Exit codes
  0 ok · 1 URL check failed (nothing changed) · 2 usage · 3 Railway CLI, auth or link problem
  4 applied, but a service is not healthy · 130 cancelled

Docs: https://www.npmjs.com/package/redis-setup`;

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  json: { type: 'boolean' },
  yes: { type: 'boolean', short: 'y' },
  debug: { type: 'boolean' },
  'url-stdin': { type: 'boolean' },
  url: { type: 'string' },
  'env-file': { type: 'string' },
  var: { type: 'string' },
  timeout: { type: 'string' },
  settle: { type: 'string' },
  ca: { type: 'string' },
  provider: { type: 'string' },
  services: { type: 'string' },
  roles: { type: 'string' },
  'redis-service': { type: 'string' },
  environment: { type: 'string' },
  'on-failure': { type: 'string' },
  'dry-run': { type: 'boolean' },
  'upstash-db': { type: 'string' },
  'upstash-create': { type: 'string' },
  'upstash-region': { type: 'string' },
  'upstash-reset-password': { type: 'boolean' },
  env: { type: 'boolean' },
  'no-env': { type: 'boolean' },
  railway: { type: 'boolean' },
  'no-railway': { type: 'boolean' },
  redeploy: { type: 'boolean' },
  'no-redeploy': { type: 'boolean' },
} satisfies ParseArgsConfig['options'];

export type Flags = ReturnType<typeof parseFlags>['values'];

function parseFlags(argv: string[]) {
  return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
}

const COMMANDS = ['setup', 'check', 'doctor', 'restore'] as const;
type Command = (typeof COMMANDS)[number];

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseFlags>;
  try {
    parsed = parseFlags(argv);
  } catch (e) {
    // parseArgs errors are already one clear line ("Unknown option '--x'…").
    process.stderr.write(`redis-setup: ${(e as Error).message}\nRun redis-setup --help for the flags.\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.version) {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (values.help || positionals[0] === 'help') {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const first = positionals[0];
  const command: Command = first === undefined ? 'setup' : (COMMANDS as readonly string[]).includes(first) ? (first as Command) : 'unknown' as never;
  if ((command as string) === 'unknown') {
    process.stderr.write(`redis-setup: unknown command "${first}". Commands: ${COMMANDS.join(', ')}.\nRun redis-setup --help.\n`);
    return 2;
  }
  const { run } = await import('./run.js');
  return run(command, values, positionals.slice(1));
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    // Last resort: run.ts turns every expected failure into a message. This is a bug in redis-setup.
    process.stderr.write(`redis-setup: internal error: ${maskText(e instanceof Error ? e.message : String(e))}\n`);
    process.exitCode = 1;
  },
);
