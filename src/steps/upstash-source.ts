// The Upstash path without a browser: with UPSTASH_EMAIL and UPSTASH_API_KEY, pick a database,
// create one, or reset a database's password as the first step of a rotation. Creating and
// resetting change things, so they wait until after the plan is confirmed (`pending`).
import type { SetupOptions } from '../core/options.js';
import type { ProviderAction } from '../core/plan.js';
import { suggestRegion, UPSTASH_REGIONS } from '../core/upstash-regions.js';
import { CliError, EXIT } from '../errors.js';
import { createUpstashClient, databaseRedisUrl, type UpstashClient, type UpstashDatabase } from '../edge/upstash.js';
import { missingFlag, type StepContext } from './context.js';

export type UpstashChoice =
  | { kind: 'url'; url: string; database: UpstashDatabase }
  | { kind: 'action'; action: ProviderAction }
  | { kind: 'paste' };

type UpstashCredentials = { email: string; apiKey: string; baseUrl?: string };

export function upstashCredentials(env: NodeJS.ProcessEnv = process.env): UpstashCredentials | undefined {
  const email = env.UPSTASH_EMAIL?.trim();
  const apiKey = env.UPSTASH_API_KEY?.trim();
  if (!email || !apiKey) return undefined;
  return { email, apiKey, ...(env.UPSTASH_API_BASE_URL ? { baseUrl: env.UPSTASH_API_BASE_URL } : {}) };
}

function findDb(list: UpstashDatabase[], wanted: string): UpstashDatabase {
  const db = list.find((d) => d.database_id === wanted || d.database_name.toLowerCase() === wanted.toLowerCase());
  if (!db) {
    throw new CliError(
      `There is no Upstash database named "${wanted}".`,
      EXIT.checkFailed,
      `Pass --upstash-db with one of: ` +
        `${list.map((d) => d.database_name).join(', ') || '(none: create one with --upstash-create NAME)'}`,
      'upstash-not-found',
    );
  }
  return db;
}

/**
 * The database the current URL points at (for a rotation), by exact host and port: a reset of the
 * wrong one
 * cannot be undone.
 */
export function databaseForUrl(list: UpstashDatabase[], url: string | undefined): UpstashDatabase | undefined {
  if (!url) return undefined;
  let target: URL;
  try {
    target = new URL(url.trim());
  } catch {
    return undefined;
  }
  const host = target.hostname.toLowerCase();
  const port = Number(target.port || 6379);
  const hostOf = (endpoint: string) => (endpoint.includes('.') ? endpoint : `${endpoint}.upstash.io`).toLowerCase();
  const matches = list.filter((d) => hostOf(d.endpoint) === host && d.port === port);
  return matches.length === 1 ? matches[0] : undefined;
}

export async function chooseUpstash(
  ctx: StepContext<SetupOptions>,
  currentUrl: string | undefined,
  railwayRegion?: string,
): Promise<UpstashChoice> {
  const opts = ctx.options.upstash;
  const creds =
    upstashCredentials() ?? (await askCredentials(ctx, Boolean(opts.db || opts.create || opts.resetPassword)));
  if (creds === 'paste') return { kind: 'paste' };
  const client = createUpstashClient(creds);
  if (opts.create) return createAction(client, opts.create, opts.region ?? suggestRegion(railwayRegion));

  const list = await ctx.ui.task(
    'Listing your Upstash databases',
    () => client.listDatabases(),
    (l) => `${l.length} database${l.length === 1 ? '' : 's'}`,
  );
  const given = opts.db ? findDb(list, opts.db) : opts.resetPassword ? databaseForUrl(list, currentUrl) : undefined;
  const chosen = given ? { db: given, reset: opts.resetPassword } : await askDatabase(ctx, client, list, railwayRegion);
  if ('kind' in chosen) return chosen;
  const { db, reset } = chosen;
  if (reset) {
    return {
      kind: 'action',
      action: {
        irreversible: true,
        describe: `Upstash: reset the password of ${db.database_name} (the old password stops working at once)`,
        obtain: async () => databaseRedisUrl(await client.resetPassword(db.database_id)),
      },
    };
  }
  const full = db.password ? db : await client.getDatabase(db.database_id);
  return { kind: 'url', url: databaseRedisUrl(full), database: full };
}

/** No UPSTASH_EMAIL / UPSTASH_API_KEY: ask for them, or settle for pasting the URL. */
async function askCredentials(
  ctx: StepContext<SetupOptions>,
  wantsApi: boolean,
): Promise<UpstashCredentials | 'paste'> {
  const { ui } = ctx;
  if (wantsApi && !ctx.canPrompt)
    throw missingFlag('Upstash API credentials', 'UPSTASH_EMAIL and UPSTASH_API_KEY in the environment');
  if (!ctx.canPrompt) return 'paste';
  const how = wantsApi
    ? 'api'
    : await ui.select({
        message: 'How do you want to get the Upstash URL?',
        options: [
          {
            value: 'paste',
            label: 'Paste the rediss:// URL',
            hint: 'from the database page in the Upstash console',
          },
          {
            value: 'api',
            label: 'Use the Upstash API',
            hint: 'list, create, or reset the password; needs an API key',
          },
        ],
      });
  if (how === 'paste') return 'paste';
  const email = await ui.text({
    message: 'Upstash account email',
    validate: (v) => (v?.includes('@') ? undefined : 'Enter the email of your Upstash account'),
  });
  const apiKey = await ui.password({
    message: 'Upstash API key (Console → Account → Management API; input is hidden)',
    validate: (v) => (v ? undefined : 'Paste the API key'),
  });
  return {
    email: email.trim(),
    apiKey: apiKey.trim(),
    ...(process.env.UPSTASH_API_BASE_URL ? { baseUrl: process.env.UPSTASH_API_BASE_URL } : {}),
  };
}

/** No --upstash-db: pick one (or create one), and ask whether to rotate its password. */
async function askDatabase(
  ctx: StepContext<SetupOptions>,
  client: UpstashClient,
  list: UpstashDatabase[],
  railwayRegion: string | undefined,
): Promise<{ db: UpstashDatabase; reset: boolean } | UpstashChoice> {
  const { ui } = ctx;
  const opts = ctx.options.upstash;
  if (!ctx.canPrompt) {
    if (list.length === 0)
      throw missingFlag(
        'An Upstash database (the account has none)',
        '--upstash-create NAME [--upstash-region REGION]',
      );
    throw missingFlag(
      'Which Upstash database to use',
      `--upstash-db NAME (one of: ${list.map((d) => d.database_name).join(', ')})`,
    );
  }
  const picked = await ui.select({
    message: 'Which Upstash database?',
    options: [
      ...list.map((d) => ({
        value: d.database_id,
        label: d.database_name,
        hint: `${d.primary_region ?? d.region ?? ''} ${d.type ?? ''}`.trim(),
      })),
      { value: '__create__', label: 'Create a new database' },
    ],
  });
  if (picked === '__create__') {
    const name = await ui.text({
      message: 'Name for the new database',
      initialValue: 'redis-setup',
      validate: (v) => (v && /^[\w-]{1,64}$/.test(v) ? undefined : 'Letters, digits, - and _ only'),
    });
    const region =
      opts.region ??
      (await ui.select({
        message: 'Region (nearest to your Railway services)',
        options: UPSTASH_REGIONS.map((r) => ({ value: r, label: r })),
        initialValue: suggestRegion(railwayRegion),
      }));
    return createAction(client, name, region);
  }
  const db = list.find((d) => d.database_id === picked)!;
  const reset =
    opts.resetPassword ||
    (await ui.confirm({
      message: `Reset the password of ${db.database_name} first (a credential rotation)?`,
      initialValue: false,
    }));
  return { db, reset };
}

function createAction(client: UpstashClient, name: string, region: string): UpstashChoice {
  return {
    kind: 'action',
    action: {
      irreversible: false,
      describe: `Upstash: create the database ${name} in ${region}`,
      obtain: async () => databaseRedisUrl(await client.createDatabase({ name, region })),
    },
  };
}
