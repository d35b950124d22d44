// `railway api '<doc>'` (v5.28+, src/commands/api.rs): raw GraphQL through the CLI's credentials. The body
// goes to stdout whatever happens; stderr gets `Railway API request failed with HTTP <status>` for a non-2xx
// answer, or `Railway API returned N GraphQL error(s)` (exit 0 with --allow-errors) (facts sheet
// railway-cli-since-5.43.md §3c, §7).
import fs from 'node:fs';
import { STATUS_CODES } from 'node:http';
import { recordGraphqlRequest } from '../calls.ts';
import { projectTokenEnvironment, requireCredential, type AuthMode } from '../context.ts';
import { Exit, RwError } from '../errors.ts';
import { takeInjection } from '../inject.ts';
import { readStdin, type Cli } from '../io.ts';
import { parseJson, printJson, sortKeysDeep } from '../json.ts';
import type { FakeState } from '../types.ts';
import type { ApiAuth } from '../graphql/resolvers.ts';
import type { ApiRequest, ApiResponse, OperationSummary } from '../graphql/server.ts';
import type { Command, CommandHandler } from './types.ts';

interface QuerySource {
  document: string;
  fromStdin: boolean;
}

function readStdinDocument(allowEmpty: boolean): string {
  const text = readStdin();
  if (!allowEmpty && !text.trim()) throw new RwError('No GraphQL document found on stdin');
  return text;
}

function readFileOr(path: string, message: string): string {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch {
    throw new RwError(message, { causes: ['No such file or directory (os error 2)'] });
  }
}

/** QUERY, --file PATH|-, or a piped stdin (resolve_query_source). */
function querySource(cli: Cli, cmd: Command): QuerySource {
  const query = cmd.pos[0];
  const file = cmd.opts.str('file');
  if (query !== undefined && file !== undefined)
    throw new RwError('Pass the GraphQL document either as QUERY or --file, not both');
  if (query !== undefined) return { document: query, fromStdin: false };
  if (file === '-') return { document: readStdinDocument(false), fromStdin: true };
  if (file !== undefined)
    return { document: readFileOr(file, `Failed to read GraphQL document from ${file}`), fromStdin: false };
  if (!cli.tty.stdin) return { document: readStdinDocument(false), fromStdin: true };
  throw new RwError(
    'No GraphQL document provided. Pass QUERY, use --file, or pipe a document on stdin. ' +
      'Use `railway api search <term>` to inspect the schema.',
  );
}

function splitKeyValue(item: string): [string, string] {
  const eq = item.indexOf('=');
  if (eq < 0) throw new RwError(`Expected KEY=VALUE, got ${JSON.stringify(item)}`);
  const key = item.slice(0, eq).trim();
  if (!key) throw new RwError('Variable key cannot be empty');
  return [key, item.slice(eq + 1)];
}

/** --variables JSON|@PATH|@-, then --var (JSON when it parses) and --raw-var (always a string). */
function requestVariables(cmd: Command, queryFromStdin: boolean): Record<string, unknown> {
  const raw = cmd.opts.str('variables');
  let variables: unknown = {};
  if (raw !== undefined) {
    let text = raw;
    if (raw === '@-') {
      if (queryFromStdin) throw new RwError('Cannot read both GraphQL document and variables from stdin');
      text = readStdin();
    } else if (raw.startsWith('@')) {
      text = readFileOr(raw.slice(1), `Failed to read variables from ${raw.slice(1)}`);
    }
    const parsed = parseJson(text);
    if (!parsed.ok) throw new RwError('Failed to parse GraphQL variables as JSON', { causes: [parsed.cause] });
    variables = parsed.value;
  }
  if (!variables || typeof variables !== 'object' || Array.isArray(variables))
    throw new RwError('GraphQL variables must be a JSON object');
  const object = variables as Record<string, unknown>;
  for (const [k, v] of cmd.opts.list('var').map(splitKeyValue)) {
    const parsed = parseJson(v);
    object[k] = parsed.ok ? parsed.value : v;
  }
  for (const [k, v] of cmd.opts.list('raw-var').map(splitKeyValue)) object[k] = v;
  return object;
}

function apiAuth(cli: Cli, state: FakeState, mode: AuthMode): ApiAuth {
  if (mode === 'project-token') {
    return {
      kind: 'project-token',
      valid: cli.env.RAILWAY_TOKEN === state.projectToken,
      environmentId: projectTokenEnvironment(state),
    };
  }
  if (mode === 'api-token')
    return { kind: 'bearer', valid: state.apiToken == null || cli.env.RAILWAY_API_TOKEN === state.apiToken };
  return { kind: 'bearer', valid: state.auth !== 'expired' };
}

/** An injected answer (rate limit, canned body, raw failure) or the fake API's own. */
async function answer(
  cli: Cli,
  state: FakeState,
  mode: AuthMode,
  req: ApiRequest,
  summary: OperationSummary,
): Promise<ApiResponse> {
  const hit = takeInjection(cli, state, { service: null, rootFields: summary.rootFields });
  if (hit?.rateLimitSeconds !== undefined) {
    // Body text of Railway's 429 is unknown [Inf]; the CLI's own line is what matters (HTTP 429 Too Many Requests).
    return {
      status: 429,
      body: { errors: [{ message: `Rate limit exceeded. Retry after ${hit.rateLimitSeconds} seconds` }] },
    };
  }
  if (hit?.apiResponse) return { status: hit.apiResponse.status ?? 200, body: hit.apiResponse.body };
  if (hit && (hit.exit !== undefined || hit.stderr !== undefined || hit.stdout !== undefined)) {
    if (hit.stdout) cli.write(hit.stdout.endsWith('\n') ? hit.stdout : `${hit.stdout}\n`);
    if (hit.stderr) process.stderr.write(hit.stderr.endsWith('\n') ? hit.stderr : `${hit.stderr}\n`);
    throw new Exit(hit.exit ?? 1);
  }
  const { serveGraphql } = await import('../graphql/server.ts');
  return serveGraphql(cli, apiAuth(cli, state, mode), req);
}

/** print_response_body: JSON re-printed (sorted keys), anything else verbatim. */
function printBody(cli: Cli, body: unknown, compact: boolean): unknown {
  const value = typeof body === 'string' ? parseJson(body) : { ok: true as const, value: body };
  if (!value.ok) {
    cli.write(String(body));
    return undefined;
  }
  cli.out(printJson(sortKeysDeep(value.value), compact));
  return value.value;
}

/** The `errors` array of a response body, if it has one (graphql_error_count). */
function errorsOf(value: unknown): unknown[] {
  const errors = (value as { errors?: unknown } | null | undefined)?.errors;
  return Array.isArray(errors) ? errors : [];
}

const errorMessage = (e: unknown) => String((e as { message?: unknown } | null)?.message);

export const api: CommandHandler = async (cli, state, cmd) => {
  const source = querySource(cli, cmd);
  const variables = requestVariables(cmd, source.fromStdin);
  const mode = requireCredential(cli, state);
  const operationName = cmd.opts.str('operation-name');
  const { summarize } = await import('../graphql/server.ts');
  const summary = summarize(source.document, operationName);
  const req: ApiRequest = { query: source.document, variables, operationName };
  const response = await answer(cli, state, mode, req, summary);
  const body = printBody(cli, response.body, cmd.opts.bool('compact'));
  recordGraphqlRequest(cli.dir, {
    time: new Date().toISOString(),
    pid: process.pid,
    document: source.document,
    operationName: operationName ?? null,
    operationType: summary.type,
    rootFields: summary.rootFields,
    variables,
    status: response.status,
    errors: errorsOf(body).map(errorMessage),
  });
  if (response.status < 200 || response.status > 299) {
    throw new RwError(
      `Railway API request failed with HTTP ${response.status} ${STATUS_CODES[response.status] ?? ''}`.trimEnd(),
    );
  }
  const count = errorsOf(body).length;
  if (count > 0 && !cmd.opts.bool('allow-errors')) throw new RwError(`Railway API returned ${count} GraphQL error(s)`);
};
