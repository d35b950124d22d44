// The railway CLI's failure texts, turned into our typed errors with the exact fix.
// `railway api` is different: its message is in the JSON body on stdout, and stderr only says
// "Railway API returned N GraphQL error(s)" or "… failed with HTTP <status>" (facts §3c).
import { CliError, EXIT } from '../errors.js';

export const UPGRADE = 'npm i -g @railway/cli@latest   (or: brew upgrade railway)';

function firstLine(s: string): string {
  return s.split('\n')[0]?.trim() ?? '';
}

function authError(text: string): CliError {
  const token = /RAILWAY_API_TOKEN/.test(text)
    ? 'RAILWAY_API_TOKEN'
    : /RAILWAY_TOKEN/.test(text)
      ? 'RAILWAY_TOKEN'
      : undefined;
  const fix = token
    ? `Check that ${token} is a valid token for this project and environment (Project Settings → Tokens).`
    : 'Run: railway login   (in CI, set RAILWAY_TOKEN to a project token, or RAILWAY_API_TOKEN)';
  return new CliError(`The Railway CLI is not logged in: ${firstLine(text)}`, EXIT.railway, fix, 'railway-auth');
}

/**
 * The line that says how long to wait: the CLI's `Try again in N seconds`, or, for `railway api`, whose
 * stderr only says `HTTP 429`, a line of the response body such as `Retry after N seconds`.
 */
function waitLine(s: string): string | undefined {
  return s
    .split('\n')
    .find((l) => /try again in|retry after/i.test(l))
    ?.trim();
}

const RULES: { test: RegExp; make: (text: string, what: string) => CliError }[] = [
  { test: /Unauthorized|Invalid RAILWAY_(API_)?TOKEN|Not signed in|no longer valid|login/i, make: authError },
  {
    test: /You do not have access|Not Authorized/i,
    make: (t) =>
      new CliError(
        `Railway says this login has no access here: ${firstLine(t)}`,
        EXIT.railway,
        'Log in with an account that is a member of the project (railway login), or use a token for this environment.',
        'railway-auth',
      ),
  },
  {
    test: /No linked project|Project not found|Project is deleted/i,
    make: () =>
      new CliError(
        'This folder is not linked to a Railway project.',
        EXIT.railway,
        'Run: railway link   (then run redis-setup again from the same folder)',
        'railway-link',
      ),
  },
  {
    test: /No environment specified|Environment .*not found/i,
    make: (t) =>
      new CliError(
        `Railway environment problem: ${firstLine(t)}`,
        EXIT.railway,
        'Pass --environment NAME (see railway environment list), or run: railway environment',
        'railway-environment',
      ),
  },
  {
    test: /Service ['"].*['"] not found|service specified doesn't exist|Service not found/i,
    make: (t) =>
      new CliError(
        `Railway: ${firstLine(t)}`,
        EXIT.railway,
        'Check the service name (redis-setup lists them), or pass --services with names from: railway service list',
        'railway-service',
      ),
  },
  {
    test: /ratelimited|HTTP 429/i,
    make: (t) =>
      new CliError(
        `Railway rate-limited the CLI: ${waitLine(t) ?? firstLine(t)}`,
        EXIT.railway,
        'Wait as long as it says, then run again. The Free plan allows about 100 API requests an hour.',
        'railway-ratelimit',
      ),
  },
];

/** Turn the CLI's failure text into our typed error with the exact fix. */
export function railwayError(text: string, argv: string[], exitCode: number | undefined): CliError {
  const clean = text
    .trim()
    .split('\n')
    .filter((l) => !/^\s*$/.test(l))
    .join('\n');
  const what = `railway ${argv
    .filter((a) => !a.startsWith('-'))
    .slice(0, 2)
    .join(' ')}`;
  for (const rule of RULES) if (rule.test.test(clean)) return rule.make(clean, what);
  if (exitCode === 2 || /unrecognized subcommand|unexpected argument|Found argument/i.test(clean)) {
    return new CliError(
      `Your railway CLI does not understand "${what}": it is too old.`,
      EXIT.railway,
      `Update it: ${UPGRADE}`,
      'railway-version',
    );
  }
  if (exitCode === 127 || /could not find the CLI binary/i.test(clean)) {
    return new CliError(
      'The railway CLI is installed, but its binary is missing (its install step did not run).',
      EXIT.railway,
      `Reinstall it: ${UPGRADE}`,
      'railway-missing',
    );
  }
  const detail = firstLine(clean) || `exit code ${exitCode ?? 'unknown'}`;
  return new CliError(
    `${what} failed: ${detail}`,
    EXIT.railway,
    'Run the same railway command yourself to see the full error.',
    'railway-error',
  );
}

/** The messages of a GraphQL error body on stdout, for `railway api`. */
export function apiMessages(stdout: string): string[] {
  try {
    const body = JSON.parse(stdout) as { errors?: { message?: unknown }[] };
    return (body.errors ?? []).map((e) => (typeof e.message === 'string' ? e.message : '')).filter(Boolean);
  } catch {
    return [];
  }
}

/** `railway api` failed: the HTTP line from stderr and the messages from the body decide what it was. */
export function apiError(stderr: string, stdout: string, argv: string[], exitCode: number | undefined): CliError {
  const messages = apiMessages(stdout);
  const http = /HTTP (\d{3})/.exec(stderr)?.[1];
  if (http === '400') {
    return new CliError(
      `Railway's API refused a request redis-setup sent (HTTP 400): ${messages[0] ?? firstLine(stderr)}`,
      EXIT.railway,
      `This railway CLI or API version does not support it. Update the CLI (${UPGRADE}); if it persists, report it.`,
      'railway-api',
    );
  }
  return railwayError([stderr, ...messages].join('\n'), argv, exitCode);
}
