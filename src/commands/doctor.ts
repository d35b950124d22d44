// `redis-setup doctor`: read-only. Checks .env live, then every Railway service that should use
// Redis: stale passwords, private/public hosts, failed deployments and Redis errors in the logs.
// It changes nothing; each problem comes with the one command that fixes it.
import path from 'node:path';
import { type CheckReport, publicReport } from '../core/check-report.js';
import { resolveRolePatterns, type PatternTemplates } from '../core/config.js';
import { type DoctorFinding, type DoctorRow, judgeService, judgeSplit } from '../core/doctor.js';
import { splitServers, type Usage, usesRedis } from '../core/redis-usage.js';
import { parseLogLine } from '../core/health.js';
import { type DoctorOptions, doctorFlags, doctorOptions, type RawFlags } from '../core/options.js';
import { Secrets } from '../core/secrets.js';
import { guessRole, isRedisImage } from '../core/services.js';
import { readEnvValue } from '../edge/dotenv-read.js';
import { loadRolePatterns } from '../edge/package-files.js';
import { loadProjectConfig } from '../edge/project-config.js';
import { Railway } from '../edge/railway.js';
import { EXIT } from '../errors.js';
import { asCliError, printJson } from '../ui/output.js';
import { createUi, type Ui } from '../ui/prompts.js';
import { checkUrl } from '../steps/check-url.js';
import { preflight } from '../steps/preflight.js';

interface EnvironmentReport {
  environment: string | null;
  redisService: string | null;
  services: DoctorRow[];
  /** The Redis users point at more than one server. */
  split?: DoctorFinding;
  error?: { code: string; message: string; fix: string };
}

export async function run(raw: RawFlags): Promise<number> {
  const flags = doctorFlags(raw);
  const cwd = process.cwd();
  const options = doctorOptions(flags, await loadProjectConfig(cwd), cwd);
  const secrets = new Secrets();
  const mask = (t: string) => secrets.mask(t);
  const ui = createUi({ json: options.json, secrets });
  ui.intro('redis-setup doctor (read-only)');
  const { variable, envFile } = options;

  const local = await readEnvValue(envFile, variable);
  secrets.addUrl(local);
  const envCheck =
    local === undefined
      ? undefined
      : await ui.task(
          `Checking ${variable} from ${path.relative(cwd, envFile) || envFile}`,
          () =>
            checkUrl(local, { timeoutMs: options.timeoutMs, ...(options.caFile ? { caFile: options.caFile } : {}) }),
          (r) => `${r.url}: ${r.code}`,
        );

  const patterns = loadRolePatterns(options.patterns);
  const reports: EnvironmentReport[] = [];
  let railwayCalls = 0;
  if (options.useRailway) {
    for (const environment of options.environments) {
      const railway = new Railway({ cwd, ...(environment ? { environment } : {}), secrets });
      try {
        reports.push(await doctorEnvironment(railway, environment, options, patterns, secrets, ui));
      } catch (e) {
        const err = asCliError(e);
        reports.push({
          environment: environment ?? null,
          redisService: null,
          services: [],
          error: { code: err.code, message: err.message, fix: err.fix ?? '' },
        });
      }
      railwayCalls += railway.calls.length;
    }
  }

  const envOk = local === undefined ? false : (envCheck?.ok ?? false);
  const ok = envOk && reports.every((r) => !r.error && !r.split && r.services.every((s) => s.severity !== 'fail'));
  if (options.json) {
    printJson(
      {
        ok,
        env: { path: envFile, variable, present: local !== undefined, check: envCheck ? publicReport(envCheck) : null },
        environments: reports.map((r) => ({
          ...r,
          services: r.services.map((s) => ({ ...s, evidence: s.evidence.map(mask) })),
        })),
        railwayCalls,
      },
      mask,
    );
  } else {
    printDoctor(ui, { envFile, variable, local: local !== undefined, envCheck, reports });
    ui.outro(ok ? 'Everything looks healthy.' : 'Problems found: run the Fix commands above.');
  }
  return ok ? EXIT.ok : EXIT.checkFailed;
}

async function doctorEnvironment(
  railway: Railway,
  environment: string | undefined,
  options: DoctorOptions,
  patterns: PatternTemplates,
  secrets: Secrets,
  ui: Ui,
): Promise<EnvironmentReport> {
  const { variable } = options;
  const state = await preflight(ui, railway, options.redisService, variable);
  for (const v of Object.values(state.redisVariables)) secrets.addUrl(v);
  secrets.add(state.redisFacts?.password);
  const facts = state.redis
    ? {
        name: state.redis.name,
        password: state.redisFacts?.password,
        privateUrl: state.redisVariables.REDIS_URL ?? undefined,
        publicUrl: state.redisVariables.REDIS_PUBLIC_URL ?? undefined,
      }
    : undefined;
  const envFlag = environment ? ` --environment ${environment}` : '';
  const fixCommand = (service: string, provider: string) =>
    `npx redis-setup setup --yes --provider ${provider} --services ${service}${envFlag}`;
  const others = state.services.filter((s) => s !== state.redis && !isRedisImage(s.image));
  const rows = await Promise.all(
    others.map(async (s) => {
      const usage = state.usages.get(s.name) ?? { kind: 'unset' as const };
      for (const v of Object.values(state.variablesOf.get(s.name) ?? {})) secrets.addUrl(v);
      const role =
        options.remembered?.find((r) => r.name.toLowerCase() === s.name.toLowerCase())?.role ?? guessRole(s.name);
      const rolePatterns = resolveRolePatterns(patterns, role);
      const rolePatternsOrFailures = rolePatterns.ok
        ? rolePatterns.value
        : { success: [], failure: patterns.bot.failure };
      const logMessages = s.latestDeployment ? await recentLogs(railway, s.name, s.latestDeployment.id, secrets) : [];
      const mentionsRedis = logMessages.some((m) => /\bredis\b|dramatiq/i.test(m));
      return judgeService(
        {
          service: s.name,
          role,
          usesRedis: usesRedis(usage) || mentionsRedis,
          sealed: usage.kind === 'sealed',
          value: valueAsRendered(usage, state.redisVariables),
          otherVariables: state.variablesOf.get(s.name) ?? {},
          deploymentStatus: s.latestDeployment?.status ?? s.status,
          logMessages,
          patterns: rolePatternsOrFailures,
        },
        facts,
        { variable, fixCommand },
      );
    }),
  );
  const split = judgeSplit(
    splitServers(state.usages, state.redisFacts),
    (services) => `npx redis-setup setup --yes --provider reference --services ${services.join(',')}${envFlag}`,
  );
  return {
    environment: environment ?? null,
    redisService: state.redis?.name ?? null,
    services: rows,
    ...(split ? { split } : {}),
  };
}

async function recentLogs(
  railway: Railway,
  service: string,
  deploymentId: string,
  secrets: Secrets,
): Promise<string[]> {
  const out = await railway.logs(service, deploymentId, { lines: 200 }).catch(() => '');
  return out.split('\n').flatMap((l) => {
    const p = parseLogLine(l);
    return p ? [secrets.mask(p.message)] : [];
  });
}

/** The value as the service gets it: a reference to the Redis service renders to that service's own. */
function valueAsRendered(u: Usage, redisVariables: Record<string, string | null>): string | undefined {
  if (u.kind === 'shared') return valueAsRendered(u.target, redisVariables);
  if (u.kind === 'literal' || u.kind === 'other') return u.raw;
  if (u.kind === 'reference') return u.toRedis ? (redisVariables[u.variable] ?? undefined) : undefined;
  return undefined;
}

const ICON = { ok: '✔', warn: '!', fail: '✖' } as const;

function printDoctor(
  ui: Ui,
  r: {
    envFile: string;
    variable: string;
    local: boolean;
    envCheck: CheckReport | undefined;
    reports: EnvironmentReport[];
  },
) {
  const table: string[] = [];
  const problems: string[] = [];
  if (!r.local) {
    table.push(`${ICON.fail} .env          ${r.variable} not set in ${r.envFile}`);
    problems.push(`.env: ${r.variable} is missing.\n  Fix: npx redis-setup`);
  } else if (r.envCheck) {
    table.push(`${r.envCheck.ok ? ICON.ok : ICON.fail} .env          ${r.envCheck.code}  ${r.envCheck.url}`);
    if (!r.envCheck.ok) problems.push(`.env: ${r.envCheck.message}\n  Fix: ${r.envCheck.fix}`);
  }
  for (const env of r.reports) {
    if (env.error) {
      table.push(`${ICON.fail} Railway${env.environment ? ` (${env.environment})` : ''}: ${env.error.message}`);
      problems.push(`Railway: ${env.error.message}\n  Fix: ${env.error.fix}`);
      continue;
    }
    if (env.split) {
      table.push(`${ICON.fail} split         ${env.split.verdict.padEnd(17)} ${env.environment ?? ''}`);
      problems.push(
        `Redis users${env.environment ? ` (${env.environment})` : ''}\n  • ${env.split.detail}\n  ` +
          `Fix: ${env.split.fix}`,
      );
    }
    for (const s of env.services) {
      const top = s.findings[0]!;
      const where = [s.provider ?? '-', s.deploymentStatus, env.environment].filter(Boolean).join(' · ');
      table.push(`${ICON[s.severity]} ${s.service.padEnd(13)} ${top.verdict.padEnd(17)} ${where}`);
      // One block per service: every finding, then each distinct fix once (they often coincide).
      const bad = s.findings.filter((x) => x.severity !== 'ok');
      if (bad.length === 0) continue;
      const lines = bad.map(
        (f) =>
          `  • ` +
          `${f.detail}${f.verdict === 'errors-in-logs' ? `\n${s.evidence.map((l) => `      > ${l}`).join('\n')}` : ''}`,
      );
      const fixes = [...new Set(bad.map((f) => f.fix).filter(Boolean))].map((f) => `  Fix: ${f}`);
      problems.push([`${s.service}${env.environment ? ` (${env.environment})` : ''}`, ...lines, ...fixes].join('\n'));
    }
  }
  ui.note(table.join('\n'), 'Verdict');
  for (const p of problems) ui.warn(p);
  if (r.reports.some((env) => env.services.some((s) => s.provider === 'railway-private'))) {
    ui.info(
      '*.railway.internal is IPv6-only in environments created before 2025-10-16: Node clients ' +
        'need family: 0 there (the default since ioredis 5.8.2).',
    );
  }
}
