// Options, once per command: flags → validated values (zod, before any I/O), then merged with
// redis-setup.json and the defaults. Steps receive the result and never read raw flags again.
// Pure: the caller reads files and stdin.
import path from 'node:path';
// zod/mini: the same checks at a fraction of the start-up cost, which `check` pays on every run.
import * as z from 'zod/mini';
import { UsageError } from '../errors.js';
import type { PatternOverrides, ProjectConfig } from './config.js';
import { PROVIDERS, rolesFromFlag, type ServiceRole, VARIABLE_NAME } from './names.js';
import { UPSTASH_REGIONS } from './upstash-regions.js';

/** What node:util parseArgs gives: strings and booleans by flag name. */
export type RawFlags = Record<string, string | boolean | (string | boolean)[] | undefined>;
export type Provider = (typeof PROVIDERS)[number];

// ── Flag value rules (each message names what is wrong; the flag name is added in front) ────

const seconds = (example: number, min = 1) =>
  z
    .pipe(
      z.string().check(z.trim(), z.regex(/^\d+(\.\d+)?$/, `must be a number of seconds, for example ${example}`)),
      z.transform(Number),
    )
    .check(z.refine((n) => n >= min && n <= 3600, `must be between ${min} and 3600 seconds`));

const list = z
  .pipe(
    z.string(),
    z.transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x !== ''),
    ),
  )
  .check(z.refine((xs) => xs.length > 0, 'is empty: give one or more names, comma-separated'));

const variableName = z
  .string()
  .check(z.regex(VARIABLE_NAME, 'must be an environment variable name, such as REDIS_URL'));
const oneOf = <T extends string>(values: readonly [T, ...T[]]) =>
  z.enum(values, { error: `must be one of ${values.join(', ')}` });
const nonEmpty = z.string().check(z.trim(), z.minLength(1, 'cannot be empty'));
const flag = z.optional(z.boolean());
const opt = <S extends z.core.$ZodType>(schema: S) => z.optional(schema);

const roles = z.pipe(
  z.string(),
  z.transform((text, ctx) => {
    const parsed = rolesFromFlag(text);
    if (!parsed.ok) {
      ctx.issues.push({ code: 'custom', message: parsed.message.replace(/^--roles:? ?/, ''), input: text });
      return z.NEVER;
    }
    return parsed.value;
  }),
);

const common = { json: flag, debug: flag, help: flag };

// Built on first use: constructing every command's schema costs start-up time `check` should not pay.
const checkSchema = () =>
  z.strictObject({
    ...common,
    'url-stdin': flag,
    dotenv: opt(nonEmpty),
    var: opt(variableName),
    timeout: opt(seconds(5)),
    ca: opt(nonEmpty),
  });

const setupSchema = () =>
  z.strictObject({
    ...common,
    yes: flag,
    provider: opt(oneOf(PROVIDERS)),
    url: opt(z.string()),
    'url-stdin': flag,
    services: opt(list),
    roles: opt(roles),
    'redis-service': opt(nonEmpty),
    scope: opt(oneOf(['service', 'shared'] as const)),
    environment: opt(list),
    dotenv: opt(nonEmpty),
    var: opt(variableName),
    timeout: opt(seconds(180)),
    settle: opt(seconds(10, 0)),
    'no-env': flag,
    'no-railway': flag,
    'no-redeploy': flag,
    'on-failure': opt(oneOf(['rollback', 'keep'] as const)),
    'dry-run': flag,
    ca: opt(nonEmpty),
    'upstash-db': opt(nonEmpty),
    'upstash-reset-password': flag,
    'upstash-create': opt(z.string().check(z.regex(/^[\w-]{1,64}$/, 'must be 1-64 letters, digits, - or _'))),
    'upstash-region': opt(oneOf(UPSTASH_REGIONS)),
  });

const doctorSchema = () =>
  z.strictObject({
    ...common,
    environment: opt(list),
    dotenv: opt(nonEmpty),
    var: opt(variableName),
    'redis-service': opt(nonEmpty),
    timeout: opt(seconds(5)),
    ca: opt(nonEmpty),
    'no-railway': flag,
  });

const restoreSchema = () =>
  z.strictObject({
    ...common,
    yes: flag,
    'no-redeploy': flag,
    timeout: opt(seconds(180)),
    settle: opt(seconds(10, 0)),
  });

function parseFlags<S extends z.core.$ZodType>(schema: S, raw: RawFlags): z.output<S> {
  const result = z.safeParse(schema, raw);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? '');
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((k) => `--${k} is not a flag of this command`).join('; ');
    return `--${name} ${issue.message}${typeof raw[name] === 'string' ? ` (got "${raw[name]}")` : ''}`;
  });
  throw new UsageError(`${issues.join('; ')}.`, 'See the flags with --help.');
}

// ── Resolved options per command ─────────────────────────────────────────────────────────────

interface Common {
  cwd: string;
  json: boolean;
  debug: boolean;
}

export interface CheckOptions extends Common {
  /** The URL argument (a secret). */
  url?: string;
  urlStdin: boolean;
  envFile: string;
  variable: string;
  timeoutMs: number;
  caFile?: string;
}

export interface UpstashOptions {
  db?: string;
  create?: string;
  region?: string;
  resetPassword: boolean;
}

export interface SetupOptions extends Common {
  yes: boolean;
  dryRun: boolean;
  provider?: Provider;
  /** Where the URL comes from when given up front: a flag value (a secret) or stdin. */
  url?: { from: 'flag'; value: string } | { from: 'stdin' };
  services?: readonly string[];
  /** Roles from --roles first, then the remembered ones. */
  roles: readonly ServiceRole[];
  redisService?: string;
  /** Per-service variables, or one shared variable the services reference; undefined: decide from the project. */
  scope?: 'service' | 'shared';
  /** undefined = the linked environment. */
  environments: readonly (string | undefined)[];
  envFile: string;
  variable: string;
  timeoutMs: number;
  settleMs: number;
  writeEnv: boolean;
  useRailway: boolean;
  redeploy: boolean;
  /** Undefined: ask when a person can answer, else keep. */
  onFailure?: 'rollback' | 'keep';
  caFile?: string;
  upstash: UpstashOptions;
  /** Services remembered in redis-setup.json (the default selection). */
  remembered?: readonly ServiceRole[];
  patterns?: PatternOverrides;
  config?: ProjectConfig;
  configPath: string;
}

export interface DoctorOptions extends Common {
  environments: readonly (string | undefined)[];
  envFile: string;
  variable: string;
  redisService?: string;
  timeoutMs: number;
  caFile?: string;
  useRailway: boolean;
  remembered?: readonly ServiceRole[];
  patterns?: PatternOverrides;
}

export interface RestoreOptions extends Common {
  yes: boolean;
  redeploy: boolean;
  timeoutMs: number;
  settleMs: number;
  patterns?: PatternOverrides;
  remembered?: readonly ServiceRole[];
}

export const CONFIG_FILE = 'redis-setup.json';
const DEFAULTS = { checkTimeoutS: 5, watchTimeoutS: 180, settleS: 10, variable: 'REDIS_URL', envFile: '.env' } as const;

const base = (f: { json?: boolean | undefined; debug?: boolean | undefined }, cwd: string): Common => ({
  cwd,
  json: f.json === true,
  debug: f.debug === true,
});

/** Validates the flags only: call it before any I/O, so a bad flag exits 2 at once. */
export function checkFlags(raw: RawFlags) {
  return parseFlags(checkSchema(), raw);
}
export function setupFlags(raw: RawFlags) {
  return parseFlags(setupSchema(), raw);
}
export function doctorFlags(raw: RawFlags) {
  return parseFlags(doctorSchema(), raw);
}
export function restoreFlags(raw: RawFlags) {
  return parseFlags(restoreSchema(), raw);
}
type CheckFlags = z.output<ReturnType<typeof checkSchema>>;
type SetupFlags = z.output<ReturnType<typeof setupSchema>>;
type DoctorFlags = z.output<ReturnType<typeof doctorSchema>>;
type RestoreFlags = z.output<ReturnType<typeof restoreSchema>>;

export function checkOptions(f: CheckFlags, url: string | undefined, cwd: string): CheckOptions {
  if (url !== undefined && f['url-stdin'])
    throw new UsageError('Give the URL as an argument or with --url-stdin, not both.');
  return Object.freeze({
    ...base(f, cwd),
    ...(url !== undefined ? { url } : {}),
    urlStdin: f['url-stdin'] === true,
    envFile: path.resolve(cwd, f.dotenv ?? DEFAULTS.envFile),
    variable: f.var ?? DEFAULTS.variable,
    timeoutMs: (f.timeout ?? DEFAULTS.checkTimeoutS) * 1000,
    ...(f.ca ? { caFile: path.resolve(cwd, f.ca) } : {}),
  });
}

/** Flags win over redis-setup.json, which wins over the defaults. */
export function setupOptions(f: SetupFlags, config: ProjectConfig | undefined, cwd: string): SetupOptions {
  if (f.url !== undefined && f['url-stdin']) throw new UsageError('Give the URL with --url or --url-stdin, not both.');
  const upstashAsked = f['upstash-db'] ?? f['upstash-create'] ?? f['upstash-reset-password'];
  if ((upstashAsked || f['upstash-region']) && f.provider !== undefined && f.provider !== 'upstash') {
    throw new UsageError(`The --upstash-* flags need --provider upstash (got --provider ${f.provider}).`);
  }
  if ((f.url !== undefined || f['url-stdin']) && (f.provider === 'railway' || f.provider === 'reference')) {
    throw new UsageError(
      `--provider ${f.provider} takes its value from the Redis service, so a URL given with --url or --url-stdin ` +
        'would be ignored.',
      'Drop the URL, or use --provider url (or upstash) to set that URL.',
    );
  }
  const provider = f.provider ?? (upstashAsked ? 'upstash' : config?.provider);
  const url = f['url-stdin']
    ? ({ from: 'stdin' } as const)
    : f.url !== undefined
      ? ({ from: 'flag', value: f.url } as const)
      : undefined;
  return Object.freeze({
    ...base(f, cwd),
    yes: f.yes === true,
    dryRun: f['dry-run'] === true,
    ...(provider ? { provider } : {}),
    ...(url ? { url } : {}),
    ...(f.services ? { services: f.services } : {}),
    roles: mergeRoles(f.roles, config?.services),
    ...optionalString('redisService', f['redis-service'] ?? config?.redisService),
    ...(f.scope ? { scope: f.scope } : {}),
    environments: f.environment ?? [config?.environment],
    envFile: path.resolve(cwd, f.dotenv ?? DEFAULTS.envFile),
    variable: f.var ?? config?.variable ?? DEFAULTS.variable,
    timeoutMs: (f.timeout ?? config?.timeoutSeconds ?? DEFAULTS.watchTimeoutS) * 1000,
    settleMs: (f.settle ?? config?.settleSeconds ?? DEFAULTS.settleS) * 1000,
    writeEnv: f['no-env'] !== true,
    useRailway: f['no-railway'] !== true,
    redeploy: f['no-redeploy'] !== true,
    ...(f['on-failure'] ? { onFailure: f['on-failure'] } : {}),
    ...(f.ca ? { caFile: path.resolve(cwd, f.ca) } : {}),
    upstash: {
      ...optionalString('db', f['upstash-db']),
      ...optionalString('create', f['upstash-create']),
      ...optionalString('region', f['upstash-region']),
      resetPassword: f['upstash-reset-password'] === true,
    },
    ...(config?.services ? { remembered: config.services } : {}),
    ...(config?.patterns ? { patterns: config.patterns } : {}),
    ...(config ? { config } : {}),
    configPath: path.join(cwd, CONFIG_FILE),
  });
}

export function doctorOptions(f: DoctorFlags, config: ProjectConfig | undefined, cwd: string): DoctorOptions {
  return Object.freeze({
    ...base(f, cwd),
    environments: f.environment ?? [config?.environment],
    envFile: path.resolve(cwd, f.dotenv ?? DEFAULTS.envFile),
    variable: f.var ?? config?.variable ?? DEFAULTS.variable,
    ...optionalString('redisService', f['redis-service'] ?? config?.redisService),
    timeoutMs: (f.timeout ?? DEFAULTS.checkTimeoutS) * 1000,
    ...(f.ca ? { caFile: path.resolve(cwd, f.ca) } : {}),
    useRailway: f['no-railway'] !== true,
    ...(config?.services ? { remembered: config.services } : {}),
    ...(config?.patterns ? { patterns: config.patterns } : {}),
  });
}

export function restoreOptions(f: RestoreFlags, config: ProjectConfig | undefined, cwd: string): RestoreOptions {
  return Object.freeze({
    ...base(f, cwd),
    yes: f.yes === true,
    redeploy: f['no-redeploy'] !== true,
    timeoutMs: (f.timeout ?? config?.timeoutSeconds ?? DEFAULTS.watchTimeoutS) * 1000,
    settleMs: (f.settle ?? config?.settleSeconds ?? DEFAULTS.settleS) * 1000,
    ...(config?.patterns ? { patterns: config.patterns } : {}),
    ...(config?.services ? { remembered: config.services } : {}),
  });
}

/** --roles first; remembered roles fill in the services the flag does not name. */
function mergeRoles(given: ServiceRole[] | undefined, remembered: ServiceRole[] | undefined): ServiceRole[] {
  const named = new Set((given ?? []).map((r) => r.name.toLowerCase()));
  return [...(given ?? []), ...(remembered ?? []).filter((r) => !named.has(r.name.toLowerCase()))];
}

function optionalString<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}
