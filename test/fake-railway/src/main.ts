// Entry of the fake `railway` CLI (bundled to dist/railway.mjs): parse argv like this CLI version would,
// record the call, run the command against the state in $FAKE_RAILWAY_DIR, exit like the real CLI.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { recordCall } from './calls.ts';
import { helpText, parseArgs, type Parsed } from './clap.ts';
import { api } from './commands/api.ts';
import { deploymentList } from './commands/deployment.ts';
import { environmentConfigCommand, environmentEdit, environmentLink } from './commands/environment.ts';
import { link, serviceLink } from './commands/link.ts';
import { logs } from './commands/logs.ts';
import { redeploy, restart } from './commands/redeploy.ts';
import { serviceList, serviceStatus } from './commands/service.ts';
import { status } from './commands/status.ts';
import type { Command, CommandHandler } from './commands/types.ts';
import { variable, variableCommandName } from './commands/variable.ts';
import { whoami } from './commands/whoami.ts';
import { authMode } from './context.ts';
import { apiRequestCost } from './cost.ts';
import { reapRemoved } from './deployments.ts';
import { ApiError, ClapError, Exit, RwError } from './errors.ts';
import { deployNow, deploymentInfos } from './internal.ts';
import { createCli, type Cli } from './io.ts';
import { stateFile, type Host } from './paths.ts';
import { COMMANDS } from './spec.ts';
import { readState, withDefaults } from './state.ts';
import { DEFAULT_VERSION } from './version.ts';

/** test/fake-railway: this file is dist/railway.mjs. */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Route {
  name: string;
  handler: CommandHandler;
}

const SERVICE_ROUTES: Record<string, Route> = {
  list: { name: 'service list', handler: serviceList },
  status: { name: 'service status', handler: serviceStatus },
  logs: { name: 'logs', handler: logs },
  redeploy: { name: 'redeploy', handler: redeploy },
  restart: { name: 'restart', handler: restart },
};
const ENVIRONMENT_ROUTES: Record<string, Route> = {
  config: { name: 'environment config', handler: environmentConfigCommand },
  edit: { name: 'environment edit', handler: environmentEdit },
};

/** Which handler runs a parsed command, and the name injections and the cost model know it by. */
function routeFor(cmd: Command): Route | undefined {
  const [top, sub] = cmd.path;
  switch (top) {
    case 'whoami':
      return { name: 'whoami', handler: whoami };
    case 'status':
      return { name: 'status', handler: status };
    case 'link':
      return { name: 'link', handler: link };
    case 'variable':
      return { name: variableCommandName(cmd), handler: variable };
    case 'redeploy':
      return { name: 'redeploy', handler: redeploy };
    case 'restart':
      return { name: 'restart', handler: restart };
    case 'logs':
      return { name: 'logs', handler: logs };
    case 'api':
      return { name: 'api', handler: api };
    case 'deployment':
      return sub === 'list'
        ? { name: 'deployment list', handler: deploymentList }
        : { name: 'redeploy', handler: redeploy };
    case 'service':
      return SERVICE_ROUTES[sub ?? ''] ?? { name: 'service link', handler: serviceLink };
    case 'environment':
      return ENVIRONMENT_ROUTES[sub ?? ''] ?? { name: 'environment link', handler: environmentLink };
    default:
      return undefined;
  }
}

function internal(host: Host, argv: string[]): number {
  if (argv[0] === '__deploy') process.stdout.write(`${deployNow(host, argv[1] ?? '', argv[2]).id}\n`);
  else process.stdout.write(`${JSON.stringify(deploymentInfos(host.dir))}\n`);
  return 0;
}

function parse(cli: Cli): Parsed | number {
  try {
    return parseArgs(cli.argv, cli.version, COMMANDS);
  } catch (e) {
    if (!(e instanceof ClapError)) throw e;
    recordCall(cli, 0);
    cli.err(e.message);
    return 2;
  }
}

function chargeAndRecord(cli: Cli, parsed: Parsed, route: Route | undefined): void {
  const state = readState(cli.dir);
  const mode = authMode(cli, withDefaults(state));
  const cost =
    parsed.kind === 'command' && route
      ? apiRequestCost({
          command: route.name,
          opts: parsed.opts,
          hasCredential: mode !== null,
          projectToken: mode === 'project-token',
          environmentCount: state.environments.length,
        })
      : 0;
  recordCall(cli, cost);
}

async function runCommand(cli: Cli, route: Route, cmd: Command): Promise<number> {
  reapRemoved(cli.dir, withDefaults(readState(cli.dir)));
  try {
    await route.handler(cli, withDefaults(readState(cli.dir)), cmd);
    return 0;
  } catch (e) {
    if (e instanceof Exit) return e.code;
    if (e instanceof RwError) {
      cli.err(e.render());
      return e.exit;
    }
    if (e instanceof ApiError) {
      cli.err(e.message);
      return 1;
    }
    throw e;
  }
}

async function main(): Promise<number> {
  const dir = process.env.FAKE_RAILWAY_DIR;
  if (!dir || !fs.existsSync(stateFile(dir))) {
    process.stderr.write('fake railway: FAKE_RAILWAY_DIR is not set or has no state.json\n');
    return 1;
  }
  const host: Host = { dir, root: ROOT };
  const argv = process.argv.slice(2);
  if (argv[0] === '__deploy' || argv[0] === '__status') return internal(host, argv);
  const cli = createCli(host, argv, readState(dir).cliVersion ?? DEFAULT_VERSION);
  const parsed = parse(cli);
  if (typeof parsed === 'number') return parsed;
  const route = parsed.kind === 'command' ? routeFor(parsed) : undefined;
  cli.command = route?.name ?? '';
  chargeAndRecord(cli, parsed, route);
  if (parsed.kind === 'version') {
    cli.out(`railway ${cli.version}`);
    return 0;
  }
  if (parsed.kind === 'help') {
    // `railway` alone: clap prints the help on stderr and exits 2.
    if (parsed.bare) {
      cli.err(helpText([], COMMANDS, cli.version));
      return 2;
    }
    cli.out(helpText(parsed.path, parsed.spec, cli.version));
    return 0;
  }
  if (parsed.kind === 'notFaked') {
    cli.err(`fake railway: '${parsed.path.join(' ')}' is not implemented by this fake`);
    return 1;
  }
  if (!route) {
    cli.err(`fake railway: unhandled command ${parsed.path.join(' ')}`);
    return 1;
  }
  return runCommand(cli, route, parsed);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`fake railway internal error: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(70);
  },
);
