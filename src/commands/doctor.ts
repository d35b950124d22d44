// `redis-setup doctor`: read-only. Checks .env live, then every Railway service that should use
// Redis: stale passwords, private/public hosts, failed deployments and Redis errors in the logs.
// It changes nothing; each problem comes with the one command that fixes it.
import path from 'node:path';
import { type CheckReport, publicReport } from '../core/check-report.js';
import { resolveRolePatterns, type PatternTemplates, type ServiceRole } from '../core/config.js';
import { judgeService, type DoctorRow, type RedisFacts } from '../core/doctor.js';
import { parseLogLine } from '../core/health.js';
import { type DoctorOptions, doctorFlags, doctorOptions, type RawFlags } from '../core/options.js';
import { Secrets } from '../core/secrets.js';
import { guessRole, isRedisImage } from '../core/services.js';
import { passwordOf } from '../core/url.js';
import { readEnvValue } from '../edge/dotenv-read.js';
import { loadRolePatterns } from '../edge/package-files.js';
import { loadProjectConfig } from '../edge/project-config.js';
import { Railway } from '../edge/railway.js';
import { CliError, EXIT } from '../errors.js';
import { asCliError, printJson } from '../ui/output.js';
import { createUi, type Ui } from '../ui/prompts.js';
import { checkUrl } from '../steps/check-url.js';

interface EnvironmentReport { environment: string | null; redisService: string | null; services: DoctorRow[]; error?: { code: string; message: string; fix: string } }

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
  const envCheck = local === undefined ? undefined : await ui.task(`Checking ${variable} from ${path.relative(cwd, envFile) || envFile}`,
    () => checkUrl(local, { timeoutMs: options.timeoutMs, ...(options.caFile ? { caFile: options.caFile } : {}) }),
    (r) => `${r.url}: ${r.code}`);

  const patterns = loadRolePatterns(options.patterns);
  const reports: EnvironmentReport[] = [];
  let railwayCalls = 0;
  if (options.useRailway) {
    for (const environment of options.environments) {
      const railway = new Railway({ cwd, ...(environment ? { environment } : {}), secrets });
      try {
        reports.push(await doctorEnvironment(railway, environment, options, patterns, secrets));
      } catch (e) {
        const err = asCliError(e);
        reports.push({ environment: environment ?? null, redisService: null, services: [], error: { code: err.code, message: err.message, fix: err.fix ?? '' } });
      }
      railwayCalls += railway.calls.length;
    }
  }

  const envOk = local === undefined ? false : envCheck?.ok ?? false;
  const ok = envOk && reports.every((r) => !r.error && r.services.every((s) => s.severity !== 'fail'));
  if (options.json) {
    printJson({
      ok,
      env: { path: envFile, variable, present: local !== undefined, check: envCheck ? publicReport(envCheck) : null },
      environments: reports.map((r) => ({ ...r, services: r.services.map((s) => ({ ...s, evidence: s.evidence.map(mask) })) })),
      railwayCalls,
    }, mask);
  } else {
    printDoctor(ui, { envFile, variable, local: local !== undefined, envCheck, reports });
    ui.outro(ok ? 'Everything looks healthy.' : 'Problems found: run the Fix commands above.');
  }
  return ok ? EXIT.ok : EXIT.checkFailed;
}

async function doctorEnvironment(
  railway: Railway, environment: string | undefined, options: DoctorOptions, patterns: PatternTemplates, secrets: Secrets,
): Promise<EnvironmentReport> {
  const { variable, redisService: redisName } = options;
  const remembered: readonly ServiceRole[] | undefined = options.remembered;
  const mask = (t: string) => secrets.mask(t);
  await railway.version();
  const services = await railway.services();
  const isRedis = (s: { image: string | null }) => isRedisImage(s.image);
  const redis = redisName
    ? services.find((s) => s.name.toLowerCase() === redisName.toLowerCase())
    : services.filter(isRedis).length === 1 ? services.find(isRedis) : undefined;
  let redisFacts: RedisFacts | undefined;
  if (redis) {
    const vars = await railway.variables(redis.name);
    const password = vars.REDIS_PASSWORD ?? vars.REDISPASSWORD ?? (vars.REDIS_URL ? passwordOf(vars.REDIS_URL) : undefined);
    secrets.add(password);
    redisFacts = { name: redis.name, password, privateUrl: vars.REDIS_URL, publicUrl: vars.REDIS_PUBLIC_URL };
  }
  const envFlag = environment ? ` --environment ${environment}` : '';
  const rows = await Promise.all(services.filter((s) => s !== redis && !isRedis(s)).map(async (s) => {
    const vars = await railway.variables(s.name);
    const value = vars[variable];
    secrets.addUrl(value);
    const role = remembered?.find((r) => r.name.toLowerCase() === s.name.toLowerCase())?.role ?? guessRole(s.name);
    const rolePatterns = resolveRolePatterns(patterns, role);
    let logMessages: string[] = [];
    if (s.latestDeployment) {
      const out = await railway.logs(s.name, s.latestDeployment.id, { lines: 200 }).catch(() => '');
      logMessages = out.split('\n').flatMap((l) => { const p = parseLogLine(l); return p ? [mask(p.message)] : []; });
    }
    return judgeService({
      service: s.name, role, value, otherVariables: vars, deploymentStatus: s.latestDeployment?.status ?? s.status,
      logMessages, patterns: rolePatterns.ok ? rolePatterns.value : { success: [], failure: patterns.bot.failure },
    }, redisFacts, {
      variable,
      fixCommand: (service, provider) => `npx redis-setup setup --yes --provider ${provider} --services ${service}${envFlag}`,
    });
  }));
  return { environment: environment ?? null, redisService: redis?.name ?? null, services: rows };
}

const ICON = { ok: '✔', warn: '!', fail: '✖' } as const;

function printDoctor(ui: Ui, r: { envFile: string; variable: string; local: boolean; envCheck: CheckReport | undefined; reports: EnvironmentReport[] }) {
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
    for (const s of env.services) {
      const top = s.findings[0]!;
      table.push(`${ICON[s.severity]} ${s.service.padEnd(13)} ${top.verdict.padEnd(17)} ${s.provider ?? '-'}${s.deploymentStatus ? ` · ${s.deploymentStatus}` : ''}${env.environment ? ` · ${env.environment}` : ''}`);
      // One block per service: every finding, then each distinct fix once (they often coincide).
      const bad = s.findings.filter((x) => x.severity !== 'ok');
      if (bad.length === 0) continue;
      const lines = bad.map((f) => `  • ${f.detail}${f.verdict === 'errors-in-logs' ? `\n${s.evidence.map((l) => `      > ${l}`).join('\n')}` : ''}`);
      const fixes = [...new Set(bad.map((f) => f.fix).filter(Boolean))].map((f) => `  Fix: ${f}`);
      problems.push([`${s.service}${env.environment ? ` (${env.environment})` : ''}`, ...lines, ...fixes].join('\n'));
    }
  }
  ui.note(table.join('\n'), 'Verdict');
  for (const p of problems) ui.warn(p);
  if (r.reports.some((env) => env.services.some((s) => s.provider === 'railway-private'))) {
    ui.info('*.railway.internal is IPv6-only in environments created before 2025-10-16: Node clients need family: 0 there (the default since ioredis 5.8.2).');
  }
}
