// Flags → settings for setup, checked before anything runs. Every prompt has a flag; a
// non-interactive run with an answer missing stops here (exit 2) naming that flag.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Flags } from '../cli.js';
import { CONFIG_FILE_NAME, PROVIDERS, parseProjectConfig, rolesFromFlag, type ProjectConfig, type ServiceRole } from '../core/config.js';
import { UsageError } from '../errors.js';
import { readAllStdin, secondsFlag } from '../run.js';
import type { Ui } from '../ui/prompts.js';
import type { UpstashSettings } from './upstash-source.js';

export type SourceProvider = (typeof PROVIDERS)[number];

export interface SetupSettings {
  cwd: string;
  yes: boolean;
  json: boolean;
  dryRun: boolean;
  provider?: SourceProvider;
  /** The URL given by flag or stdin. A secret: never print it. */
  url?: string;
  services?: string[];
  roles: ServiceRole[];
  redisService?: string;
  environments: (string | undefined)[];
  envFile: string;
  variable: string;
  timeoutMs: number;
  settleMs: number;
  writeEnv: boolean;
  useRailway: boolean;
  redeploy: boolean;
  onFailure: 'rollback' | 'keep';
  caFile?: string;
  upstash: UpstashSettings;
  config: ProjectConfig | undefined;
  configPath: string;
}

export interface SetupContext {
  settings: SetupSettings;
  ui: Ui;
  /** May we ask? False with --yes, --json or without a terminal. */
  canPrompt: boolean;
  /** Everything this run replaced so far, across environments: one restore undoes the whole run. */
  runBackup?: import('../edge/backup-store.js').BackupState;
}

/** A missing answer in a run that cannot ask: say which flag gives it. */
export function missingFlag(what: string, flag: string): UsageError {
  return new UsageError(`${what} is needed, and this run cannot ask for it (no terminal, --yes or --json).`, `Pass ${flag}.`);
}

export async function loadProjectConfig(configPath: string): Promise<ProjectConfig | undefined> {
  let text: string;
  try {
    text = await readFile(configPath, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UsageError(`Cannot read ${configPath}.`);
  }
  const parsed = parseProjectConfig(text);
  if (!parsed.ok) throw new UsageError(`${CONFIG_FILE_NAME} is invalid: ${parsed.message}`, `Fix or delete ${configPath}.`);
  return parsed.config;
}

const list = (s: string | undefined) => s?.split(',').map((x) => x.trim()).filter((x) => x !== '');

export async function settingsFromFlags(flags: Flags, cwd = process.cwd()): Promise<SetupSettings> {
  const configPath = path.join(cwd, CONFIG_FILE_NAME);
  const config = await loadProjectConfig(configPath);

  const upstashFlags = flags['upstash-db'] ?? flags['upstash-create'] ?? flags['upstash-reset-password'];
  const provider = flags.provider ?? (upstashFlags ? 'upstash' : config?.provider);
  if (provider !== undefined && !(PROVIDERS as readonly string[]).includes(provider)) {
    throw new UsageError(`--provider must be one of ${PROVIDERS.join(', ')}, not "${provider}".`);
  }
  if (flags.url !== undefined && flags['url-stdin']) throw new UsageError('Give the URL with --url or --url-stdin, not both.');
  let url = flags.url;
  if (flags['url-stdin']) {
    url = await readAllStdin();
    if (url.trim() === '') throw new UsageError('--url-stdin was given, but stdin was empty.', 'Pipe the URL in: printf %s "$URL" | npx redis-setup --url-stdin …');
  }
  const onFailure = flags['on-failure'] ?? 'keep';
  if (onFailure !== 'rollback' && onFailure !== 'keep') throw new UsageError(`--on-failure must be rollback or keep, not "${onFailure}".`);

  let roles: ServiceRole[] = config?.services ?? [];
  if (flags.roles !== undefined) {
    const parsed = rolesFromFlag(flags.roles);
    if (!parsed.ok) throw new UsageError(parsed.message);
    // Flags win over remembered roles, service by service.
    const given = new Map(parsed.value.map((r) => [r.name.toLowerCase(), r]));
    roles = [...parsed.value, ...roles.filter((r) => !given.has(r.name.toLowerCase()))];
  }
  const variable = flags.var ?? config?.variable ?? 'REDIS_URL';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(variable)) throw new UsageError(`--var must be an environment variable name, not "${variable}".`);
  const environments = list(flags.environment) ?? (config?.environment ? [config.environment] : [undefined]);

  return {
    cwd,
    yes: Boolean(flags.yes),
    json: Boolean(flags.json),
    dryRun: Boolean(flags['dry-run']),
    ...(provider ? { provider: provider as SourceProvider } : {}),
    ...(url !== undefined ? { url } : {}),
    ...(list(flags.services) ? { services: list(flags.services)! } : {}),
    roles,
    ...(flags['redis-service'] ?? config?.redisService ? { redisService: (flags['redis-service'] ?? config?.redisService)! } : {}),
    environments: environments.length > 0 ? environments : [undefined],
    envFile: path.resolve(cwd, flags['env-file'] ?? '.env'),
    variable,
    timeoutMs: secondsFlag('timeout', flags.timeout, config?.timeoutSeconds ?? 180) * 1000,
    settleMs: secondsFlag('settle', flags.settle, config?.settleSeconds ?? 10, true) * 1000,
    writeEnv: !flags['no-env'],
    useRailway: !flags['no-railway'],
    redeploy: !flags['no-redeploy'],
    onFailure,
    ...(flags.ca ? { caFile: flags.ca } : {}),
    upstash: {
      ...(flags['upstash-db'] ? { db: flags['upstash-db'] } : {}),
      ...(flags['upstash-create'] ? { create: flags['upstash-create'] } : {}),
      ...(flags['upstash-region'] ? { region: flags['upstash-region'] } : {}),
      resetPassword: Boolean(flags['upstash-reset-password']),
    },
    config,
    configPath,
  };
}
