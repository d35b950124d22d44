// The command table: which subcommands and flags each CLI version knows (railwayapp/cli src/commands/*.rs).
import type { CommandSpec, FlagSpec } from './clap.ts';
import { GATES } from './version.ts';

const service: FlagSpec = { long: 'service', short: 's', values: ['SERVICE'] };
const environment: FlagSpec = { long: 'environment', short: 'e', values: ['ENVIRONMENT'] };
const project: FlagSpec = { long: 'project', short: 'p', values: ['PROJECT_ID'], since: GATES.projectEnvironmentFlags };
const json: FlagSpec = { long: 'json' };
const yes: FlagSpec = { long: 'yes', short: 'y' };
const since = (flag: FlagSpec, version: string | undefined): FlagSpec => ({ ...flag, since: version });

/** Legacy `--set K=V` is parsed by clap, so a bad pair is a usage error (exit 2). */
const checkSetPair = (value: string) => (value.indexOf('=') <= 0 ? `Invalid variable format: ${value}` : undefined);

const redeploy: CommandSpec = {
  flags: [
    service,
    since(environment, GATES.projectEnvironmentFlags),
    project,
    yes,
    since(json, GATES.redeployJson),
    { long: 'from-source', since: GATES.redeployFromSource },
  ],
};
const restart: CommandSpec = {
  since: GATES.restart,
  flags: (redeploy.flags ?? []).filter((x) => x.long !== 'from-source'),
};
const logs: CommandSpec = {
  flags: [
    service,
    environment,
    project,
    { long: 'deployment', short: 'd', group: 'log_type' },
    { long: 'build', short: 'b', group: 'log_type' },
    { long: 'http', group: 'log_type' },
    { long: 'network', group: 'log_type' },
    { long: 'dns', group: 'log_type' },
    json,
    { long: 'lines', short: 'n', aliases: ['tail'], values: ['LINES'], number: true, since: GATES.logsLinesAndFilter },
    { long: 'filter', short: 'f', values: ['FILTER'], since: GATES.logsLinesAndFilter },
    { long: 'latest', since: GATES.logsFetchWithoutTty },
    { long: 'since', short: 'S', values: ['TIME'], since: GATES.logsSinceUntil },
    { long: 'until', short: 'U', values: ['TIME'], since: GATES.logsSinceUntil },
  ],
  positionals: [{ name: 'DEPLOYMENT_ID' }],
};
const variableScope = [service, environment, project];

const variable: CommandSpec = {
  aliases: ['variables', 'vars', 'var'],
  flags: [
    ...variableScope,
    { long: 'kv', short: 'k' },
    { long: 'set', values: ['SET'], multiple: true, check: checkSetPair },
    { long: 'set-from-stdin', values: ['KEY'], since: GATES.setFromStdin },
    json,
    { long: 'skip-deploys', since: GATES.skipDeploys },
  ],
  subcommands: {
    list: {
      aliases: ['ls'],
      since: GATES.variableSubcommands,
      flags: [...variableScope, { long: 'kv', short: 'k' }, json],
    },
    set: {
      since: GATES.variableSubcommands,
      flags: [...variableScope, { long: 'stdin' }, { long: 'skip-deploys' }, json],
      positionals: [{ name: 'VARIABLES', multiple: true, required: true }],
    },
    delete: {
      aliases: ['rm', 'remove'],
      since: GATES.variableSubcommands,
      flags: [...variableScope, json],
      positionals: [{ name: 'KEY', required: true }],
    },
    // PR #1163: opens $EDITOR, not usable non-interactively.
    edit: { since: GATES.sealedListed, notFaked: true },
  },
};

const serviceConfig: FlagSpec[] = [
  { long: 'service-config', short: 's', values: ['SERVICE', 'PATH', 'VALUE'], multiple: true },
  { long: 'service-variable', short: 'v', values: ['SERVICE', 'KEY=VALUE'], multiple: true },
];

/** `environment [NAME]` (legacy link) with subcommands; a non-subcommand word is the NAME positional,
 *  so on a CLI without `config` the word `config` is an environment name (v4.26.0 src/commands/environment). */
const environmentCommand: CommandSpec = {
  positionals: [{ name: 'ENVIRONMENT' }],
  flags: [since(json, GATES.environmentLink)],
  subcommands: {
    link: { since: GATES.environmentLink, positionals: [{ name: 'ENVIRONMENT' }], flags: [json] },
    new: {
      aliases: [
        { name: 'create', since: GATES.environmentAliases },
        { name: 'add', since: GATES.environmentAliases },
      ],
      notFaked: true,
    },
    delete: {
      aliases: [
        { name: 'rm', since: GATES.environmentAliases },
        { name: 'remove', since: GATES.environmentAliases },
      ],
      notFaked: true,
    },
    edit: {
      since: GATES.environmentEdit,
      aliases: [{ name: 'update', since: GATES.environmentAliases }],
      flags: [
        { long: 'project', short: 'p', values: ['PROJECT'], since: GATES.environmentEditProject },
        environment,
        ...serviceConfig,
        { long: 'message', short: 'm', values: ['MESSAGE'] },
        { long: 'stage' },
        json,
      ],
    },
    config: {
      since: GATES.environmentConfig,
      aliases: [
        { name: 'show', since: GATES.environmentAliases },
        { name: 'info', since: GATES.environmentAliases },
      ],
      flags: [environment, json],
    },
    list: { since: GATES.environmentList, aliases: ['ls'], notFaked: true },
  },
};

const api: CommandSpec = {
  since: GATES.api,
  positionals: [{ name: 'QUERY' }],
  flags: [
    { long: 'file', short: 'f', values: ['PATH'] },
    { long: 'variables', values: ['JSON|@PATH'] },
    { long: 'var', values: ['KEY=VALUE'], multiple: true },
    { long: 'raw-var', values: ['KEY=VALUE'], multiple: true },
    { long: 'operation-name', values: ['NAME'] },
    { long: 'compact' },
    { long: 'allow-errors' },
  ],
  subcommands: { schema: { notFaked: true }, search: { notFaked: true }, describe: { notFaked: true } },
};

/** Real commands this fake does not play: they parse, then fail with a clear fake-only message. */
const NOT_FAKED = [
  'login',
  'logout',
  'init',
  'up',
  'run',
  'shell',
  'add',
  'connect',
  'domain',
  'volume',
  'open',
  'docs',
  'ssh',
  'scale',
  'delete',
  'down',
  'list',
  'unlink',
  'bucket',
  'dev',
  'functions',
  'metrics',
];

export const COMMANDS: CommandSpec = {
  subcommands: {
    whoami: { flags: [json] },
    status: { flags: [since(project, undefined), environment, json] },
    link: {
      flags: [
        since(project, undefined),
        environment,
        service,
        { long: 'workspace', short: 'w', values: ['WORKSPACE'] },
        { long: 'team', short: 't', values: ['TEAM'] },
        json,
      ],
    },
    service: {
      positionals: [{ name: 'SERVICE' }],
      subcommands: {
        link: { positionals: [{ name: 'SERVICE' }] },
        list: { flags: [environment, project, json], since: GATES.serviceList },
        status: { flags: [service, environment, project, json, { long: 'all', short: 'a' }] },
        logs,
        redeploy,
        restart,
      },
    },
    variable,
    redeploy,
    restart,
    deployment: {
      since: GATES.deploymentCommand,
      requiresSubcommand: true,
      subcommands: {
        list: {
          aliases: ['ls'],
          flags: [service, environment, project, { long: 'limit', values: ['LIMIT'], number: true, default: 20 }, json],
        },
        redeploy,
      },
    },
    logs,
    environment: environmentCommand,
    api,
    ...Object.fromEntries(NOT_FAKED.map((name) => [name, { notFaked: true }])),
  },
};
