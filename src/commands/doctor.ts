// `redis-setup doctor`: read-only. Checks .env live, then every Railway service that should use
// Redis: stale passwords, private/public hosts, failed deployments and Redis errors in the logs.
// It changes nothing; each problem comes with the one command that fixes it.
import path from 'node:path';
import type { Flags } from '../cli.js';
import { resolveRolePatterns, type PatternTemplates } from '../core/config.js';
import { judgeService, type DoctorRow, type RedisFacts } from '../core/doctor.js';
import { parseLogLine } from '../core/health.js';
import { maskText } from '../core/mask.js';
import { CliError, EXIT } from '../errors.js';
import { readEnvValue } from '../edge/dotenv-read.js';
import { loadRolePatterns } from '../edge/package-files.js';
import { Railway } from '../edge/railway.js';
import { createUi } from '../ui/prompts.js';
import { loadProjectConfig } from '../steps/context.js';
import { isRedisService } from '../steps/preflight.js';
import { guessRole } from '../steps/services.js';
import { checkUrl, DEFAULT_TIMEOUT_SECONDS, publicReport, type CheckReport } from './check.js';
import { passwordOf } from '../core/url.js';
import { secondsFlag } from '../run.js';

interface EnvironmentReport { environment: string | null; redisService: string | null; services: DoctorRow[]; error?: { code: string; message: string; fix: string } }

export async function doctorCommand(flags: Flags, args: string[]): Promise<number> {
  if (args.length > 0) throw new CliError(`doctor takes no arguments (got "${args[0]}").`, EXIT.usage, undefined, 'usage');
  const cwd = process.cwd();
  const json = Boolean(flags.json);
  const ui = createUi({ json });
  const config = await loadProjectConfig(path.join(cwd, 'redis-setup.json'));
  const variable = flags.var ?? config?.variable ?? 'REDIS_URL';
  const envFile = path.resolve(cwd, flags['env-file'] ?? '.env');
  const secrets: string[] = [];
  const mask = (t: string) => maskText(t, secrets);
  ui.intro('redis-setup doctor (read-only)');

  // .env
  const local = await readEnvValue(envFile, variable);
  let envCheck: CheckReport | undefined;
  if (local !== undefined) {
    const pw = passwordOf(local);
    if (pw) secrets.push(pw);
    envCheck = await ui.task(`Checking ${variable} from ${path.relative(cwd, envFile) || envFile}`,
      () => checkUrl(local, { timeoutMs: secondsFlag('timeout', flags.timeout, DEFAULT_TIMEOUT_SECONDS) * 1000, ...(flags.ca ? { caFile: flags.ca } : {}) }),
      (r) => `${r.url}: ${r.code}`);
  }

  const patterns = loadRolePatterns(config?.patterns);

  const environments = flags.environment?.split(',').map((e) => e.trim()).filter(Boolean) ?? (config?.environment ? [config.environment] : [undefined]);
  const reports: EnvironmentReport[] = [];
  let railwayCalls = 0;
  if (!flags['no-railway']) {
    for (const environment of environments.length ? environments : [undefined]) {
      const railway = new Railway({ cwd, ...(environment ? { environment } : {}), secrets: () => secrets });
      try {
        reports.push(await doctorEnvironment(railway, environment, variable, config?.services, patterns, secrets, mask, flags['redis-service'] ?? config?.redisService));
      } catch (e) {
        const err = e instanceof CliError ? e : new CliError(mask(String(e)), EXIT.railway);
        reports.push({ environment: environment ?? null, redisService: null, services: [], error: { code: err.code, message: err.message, fix: err.fix ?? '' } });
      }
      railwayCalls += railway.calls.length;
    }
  }

  const envOk = local === undefined ? false : envCheck?.ok ?? false;
  const ok = envOk && reports.every((r) => !r.error && r.services.every((s) => s.severity !== 'fail'));
  if (json) {
    const body = {
      ok,
      env: { path: envFile, variable, present: local !== undefined, check: envCheck ? publicReport(envCheck) : null },
      environments: reports.map((r) => ({ ...r, services: r.services.map((s) => ({ ...s, evidence: s.evidence.map(mask) })) })),
      railwayCalls,
    };
    process.stdout.write(`${mask(JSON.stringify(body, null, 2))}\n`);
  } else {
    printDoctor(ui, { envFile, variable, local: local !== undefined, envCheck, reports, mask });
    if (ok) ui.outro('Everything looks healthy.');
    else ui.outro('Problems found: run the Fix commands above.');
  }
  return ok ? EXIT.ok : EXIT.checkFailed;
}

async function doctorEnvironment(
  railway: Railway, environment: string | undefined, variable: string,
  remembered: { name: string; role: 'bot' | 'worker' | 'web' | 'custom' }[] | undefined,
  patterns: PatternTemplates, secrets: string[], mask: (t: string) => string, redisName: string | undefined,
): Promise<EnvironmentReport> {
  await railway.version();
  const services = await railway.services();
  const redis = redisName
    ? services.find((s) => s.name.toLowerCase() === redisName.toLowerCase())
    : services.filter(isRedisService).length === 1 ? services.find(isRedisService) : undefined;
  let redisFacts: RedisFacts | undefined;
  if (redis) {
    const vars = await railway.variables(redis.name);
    const password = vars.REDIS_PASSWORD ?? vars.REDISPASSWORD ?? (vars.REDIS_URL ? passwordOf(vars.REDIS_URL) : undefined);
    if (password) secrets.push(password);
    redisFacts = { name: redis.name, password, privateUrl: vars.REDIS_URL, publicUrl: vars.REDIS_PUBLIC_URL };
  }
  const envFlag = environment ? ` --environment ${environment}` : '';
  const rows = await Promise.all(services.filter((s) => s !== redis && !isRedisService(s)).map(async (s) => {
    const vars = await railway.variables(s.name);
    const value = vars[variable];
    const pw = value ? passwordOf(value) : undefined;
    if (pw) secrets.push(pw);
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

function printDoctor(ui: ReturnType<typeof createUi>, r: { envFile: string; variable: string; local: boolean; envCheck: CheckReport | undefined; reports: EnvironmentReport[]; mask: (t: string) => string }) {
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
  for (const p of problems) ui.warn(r.mask(p));
  if (r.reports.some((env) => env.services.some((s) => s.provider === 'railway-private'))) {
    ui.info('*.railway.internal is IPv6-only in environments created before 2025-10-16: Node clients need family: 0 there (the default since ioredis 5.8.2).');
  }
}
