// What the fake Railway API answers: root resolvers over the fake's state. Errors inside a valid request
// are ApiErrors (HTTP 200 with `errors[]`); their texts are the fake's choice where Railway's are unknown.
import crypto from 'node:crypto';
import { canRedeploy, createDeployment, deploymentMeta, deploymentPhase } from '../deployments.ts';
import { environmentConfig } from '../envconfig.ts';
import { ApiError } from '../errors.ts';
import { compileFilter, readEntries, type LogEntry } from '../logfile.ts';
import { commitPatch, deleteVariable, stagePatch, upsertVariables, type Scope } from '../mutations.ts';
import { deployLogFile, type Host } from '../paths.ts';
import {
  references,
  rawVariables,
  renderServiceVariables,
  renderSharedVariables,
  sealedKeys,
  unrenderedVariables,
} from '../render.ts';
import type { DeploymentState, EnvironmentPatch, FakeState } from '../types.ts';
import { SHARED_SCOPE } from '../types.ts';

/** Who is calling: a project token (scoped to one environment) or a bearer credential. */
export type ApiAuth =
  | { kind: 'project-token'; valid: boolean; environmentId: string }
  | { kind: 'bearer'; valid: boolean };

export interface ApiContext {
  host: Host;
  state: FakeState;
  auth: ApiAuth;
}

type Env = { id: string; name: string };

/** Default page size of deploymentLogs when the caller gives no limit [Inf]. */
const DEFAULT_LOG_LIMIT = 500;

const iso = (ms: number) => new Date(ms).toISOString();
const uuidFrom = (s: string) => {
  const h = crypto.createHash('sha1').update(s).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/** Credential checks of every resolver. "project token not found" and "Not Authorized" are the texts the
 *  CLI itself looks for (src/client.rs parse_graphql_response). */
function authorize(ctx: ApiContext, projectId?: string | null, environmentId?: string | null): void {
  const { auth, state } = ctx;
  if (!auth.valid) throw new ApiError(auth.kind === 'project-token' ? 'Project Token not found' : 'Not Authorized');
  if (projectId != null && projectId !== state.project.id) throw new ApiError('Not Authorized');
  // A project token "can only be used to authenticate requests to that environment" (facts sheet §3).
  if (auth.kind === 'project-token' && environmentId != null && environmentId !== auth.environmentId)
    throw new ApiError('Not Authorized');
}

function environmentById(ctx: ApiContext, id: string): Env {
  const env = ctx.state.environments.find((e) => e.id === id);
  if (!env) throw new ApiError('Environment not found');
  return env;
}

function serviceById(ctx: ApiContext, id: string) {
  const svc = ctx.state.services.find((s) => s.id === id);
  if (!svc) throw new ApiError('Service not found');
  return svc;
}

/** EnvironmentVariables input: a flat map; numbers and booleans become strings [Inf]. */
function variableMap(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new ApiError('Variables must be an object of strings');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
    else throw new ApiError(`Invalid value for variable ${k}`);
  }
  return out;
}

function deploymentView(ctx: ApiContext, dep: DeploymentState) {
  const phase = deploymentPhase(ctx.host.dir, ctx.state, dep);
  return {
    id: dep.id,
    status: phase.status,
    statusUpdatedAt: iso(phase.since),
    createdAt: dep.createdAt,
    updatedAt: iso(phase.since),
    canRedeploy: canRedeploy(phase.status),
    canRollback: false,
    deploymentStopped: ['REMOVED', 'CRASHED', 'FAILED'].includes(phase.status),
    environmentId: dep.envId,
    projectId: ctx.state.project.id,
    serviceId: dep.serviceId,
    meta: deploymentMeta(dep),
    staticUrl: null,
    url: null,
  };
}

/** Railway's log attributes carry JSON-encoded values; the CLI parses them back (src/util/logs.rs) [Inf]. */
function logView(dep: DeploymentState, projectId: string, entry: LogEntry) {
  const { message, timestamp, ...attrs } = entry;
  return {
    message,
    timestamp,
    severity: typeof attrs.level === 'string' ? attrs.level : 'info',
    attributes: Object.entries(attrs).map(([key, value]) => ({ key, value: JSON.stringify(value) })),
    tags: { deploymentId: dep.id, environmentId: dep.envId, projectId, serviceId: dep.serviceId },
  };
}

/** With only a startDate the page runs forward from it (oldest first); otherwise it is the newest
 *  `limit` lines. Dates are inclusive [Inf: incremental polling by startDate, facts §4 item 3]. */
function selectLogs(
  entries: LogEntry[],
  args: { startDate?: string | null; endDate?: string | null; limit?: number | null; filter?: string | null },
) {
  const start = args.startDate ? Date.parse(args.startDate) : undefined;
  const end = args.endDate ? Date.parse(args.endDate) : undefined;
  if (Number.isNaN(start) || Number.isNaN(end)) throw new ApiError('Invalid DateTime');
  const filter = compileFilter(args.filter);
  const limit = args.limit ?? DEFAULT_LOG_LIMIT;
  const inRange = entries.filter((e) => {
    const t = Date.parse(e.timestamp);
    return (start === undefined || t >= start) && (end === undefined || t <= end) && filter(e);
  });
  if (limit <= 0) return [];
  return start !== undefined && end === undefined ? inRange.slice(0, limit) : inRange.slice(-limit);
}

function variableNodes(ctx: ApiContext, env: Env) {
  const scopes = [...ctx.state.services.map((s) => s.id), SHARED_SCOPE];
  return scopes.flatMap((scope) => {
    const sealed = sealedKeys(ctx.state, env.id, scope);
    const svc = ctx.state.services.find((s) => s.id === scope);
    return Object.entries(rawVariables(ctx.state, env.id, scope)).map(([name, value]) => ({
      id: uuidFrom(`${env.id}/${scope}/${name}`),
      name,
      environmentId: env.id,
      isSealed: sealed.has(name),
      serviceId: svc?.id ?? null,
      service: svc ? { id: svc.id, name: svc.name } : null,
      // Format undocumented (facts sheet railway-cli-since-5.43.md §3d): the fake gives each reference's
      // inner text, e.g. "Redis.REDIS_URL" or "shared.REDIS_URL" [Inf].
      references: references(value),
      createdAt: iso(0),
      updatedAt: iso(0),
    }));
  });
}

function environmentView(ctx: ApiContext, env: Env) {
  return {
    id: env.id,
    name: env.name,
    projectId: ctx.state.project.id,
    canAccess: true,
    isEphemeral: false,
    deletedAt: null,
    createdAt: iso(0),
    updatedAt: iso(0),
    unmergedChangesCount: ctx.state.stagedChanges[env.id] ? 1 : 0,
    config: (args: { decryptVariables?: boolean | null }) =>
      environmentConfig(ctx.state, env.id, args.decryptVariables === true),
    variables: (args: { first?: number | null }) => {
      const nodes = variableNodes(ctx, env).slice(0, args.first ?? undefined);
      return {
        edges: nodes.map((node) => ({ cursor: node.id, node })),
        pageInfo: {
          hasNextPage: false,
          hasPreviousPage: false,
          startCursor: nodes[0]?.id ?? null,
          endCursor: nodes.at(-1)?.id ?? null,
        },
      };
    },
  };
}

type VariableArgs = {
  projectId: string;
  environmentId: string;
  serviceId?: string | null;
  unrendered?: boolean | null;
};

function readVariables(ctx: ApiContext, args: VariableArgs) {
  authorize(ctx, args.projectId, args.environmentId);
  const env = environmentById(ctx, args.environmentId);
  if (args.serviceId == null)
    return args.unrendered
      ? unrenderedVariables(ctx.state, env.id, SHARED_SCOPE)
      : renderSharedVariables(ctx.state, env, 'null');
  const svc = serviceById(ctx, args.serviceId);
  return args.unrendered
    ? unrenderedVariables(ctx.state, env.id, svc.id)
    : renderServiceVariables(ctx.state, svc, env, 'null');
}

function scopeOf(
  ctx: ApiContext,
  input: { projectId: string; environmentId: string; serviceId?: string | null },
): Scope {
  authorize(ctx, input.projectId, input.environmentId);
  const env = environmentById(ctx, input.environmentId);
  return { envId: env.id, serviceId: input.serviceId == null ? null : serviceById(ctx, input.serviceId).id };
}

type UpsertInput = {
  projectId: string;
  environmentId: string;
  serviceId?: string | null;
  name: string;
  value: string;
  skipDeploys?: boolean | null;
};
type CollectionInput = {
  projectId: string;
  environmentId: string;
  serviceId?: string | null;
  variables: unknown;
  replace?: boolean | null;
  skipDeploys?: boolean | null;
};
type DeleteInput = { projectId: string; environmentId: string; serviceId?: string | null; name: string };

export const rootValue = {
  variables: (args: VariableArgs, ctx: ApiContext) => readVariables(ctx, args),
  variablesForServiceDeployment: (args: VariableArgs & { serviceId: string }, ctx: ApiContext) =>
    readVariables(ctx, { ...args, unrendered: false }),
  deployment: (args: { id: string }, ctx: ApiContext) => {
    const dep = ctx.state.deployments.find((d) => d.id === args.id);
    if (!dep) throw new ApiError('Deployment not found');
    authorize(ctx, null, dep.envId);
    return deploymentView(ctx, dep);
  },
  deploymentLogs: (
    args: {
      deploymentId: string;
      startDate?: string | null;
      endDate?: string | null;
      limit?: number | null;
      filter?: string | null;
    },
    ctx: ApiContext,
  ) => {
    const dep = ctx.state.deployments.find((d) => d.id === args.deploymentId);
    if (!dep) throw new ApiError('Deployment not found');
    authorize(ctx, null, dep.envId);
    return selectLogs(readEntries(deployLogFile(ctx.host.dir, dep.id)), args).map((e) =>
      logView(dep, ctx.state.project.id, e),
    );
  },
  environment: (args: { id: string; projectId?: string | null }, ctx: ApiContext) => {
    authorize(ctx, args.projectId, args.id);
    return environmentView(ctx, environmentById(ctx, args.id));
  },
  projectToken: (_args: unknown, ctx: ApiContext) => {
    if (ctx.auth.kind !== 'project-token') throw new ApiError('Not Authorized');
    authorize(ctx);
    const env = environmentById(ctx, ctx.auth.environmentId);
    return {
      id: uuidFrom(`token:${env.id}`),
      name: 'fake-token',
      displayToken: 'fake-…',
      createdAt: iso(0),
      projectId: ctx.state.project.id,
      environmentId: env.id,
      environment: environmentView(ctx, env),
    };
  },
  variableUpsert: ({ input }: { input: UpsertInput }, ctx: ApiContext) => {
    upsertVariables(
      ctx.host,
      ctx.state,
      scopeOf(ctx, input),
      { [input.name]: input.value },
      { skipDeploys: input.skipDeploys === true },
    );
    return true;
  },
  variableCollectionUpsert: ({ input }: { input: CollectionInput }, ctx: ApiContext) => {
    upsertVariables(ctx.host, ctx.state, scopeOf(ctx, input), variableMap(input.variables), {
      replace: input.replace === true,
      skipDeploys: input.skipDeploys === true,
    });
    return true;
  },
  // The mutation `railway redeploy` sends (DeploymentRedeploy.graphql): a new deployment of the same image
  // with the service's current variables. Refused, as the CLI refuses, while the deployment is in progress [Inf].
  deploymentRedeploy: (args: { id: string }, ctx: ApiContext) => {
    const dep = ctx.state.deployments.find((d) => d.id === args.id);
    if (!dep) throw new ApiError('Deployment not found');
    authorize(ctx, null, dep.envId);
    if (!canRedeploy(deploymentPhase(ctx.host.dir, ctx.state, dep).status)) {
      throw new ApiError('This deployment cannot be redeployed');
    }
    const svc = ctx.state.services.find((x) => x.id === dep.serviceId);
    if (!svc) throw new ApiError('Service not found');
    const fresh = createDeployment(ctx.host, ctx.state, svc, environmentById(ctx, dep.envId), 'redeploy');
    return deploymentView(ctx, fresh);
  },
  variableDelete: ({ input }: { input: DeleteInput }, ctx: ApiContext) => {
    deleteVariable(ctx.host, ctx.state, scopeOf(ctx, input), input.name);
    return true;
  },
  environmentPatchCommit: (
    args: { environmentId: string; patch?: EnvironmentPatch | null; commitMessage?: string | null },
    ctx: ApiContext,
  ) => {
    authorize(ctx, null, args.environmentId);
    commitPatch(ctx.host, ctx.state, environmentById(ctx, args.environmentId).id, args.patch ?? {});
    return crypto.randomUUID();
  },
  environmentStageChanges: (args: { environmentId: string; input: EnvironmentPatch }, ctx: ApiContext) => {
    authorize(ctx, null, args.environmentId);
    stagePatch(ctx.state, environmentById(ctx, args.environmentId).id, args.input);
    return {
      id: crypto.randomUUID(),
      environmentId: args.environmentId,
      message: null,
      patch: args.input,
      createdAt: iso(Date.now()),
    };
  },
};
