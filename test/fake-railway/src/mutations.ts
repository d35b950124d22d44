// The API's write side: upserts, deletes, replace and environment patches on raw variables, and the
// deployments they trigger (facts sheet railway-cli.md §2 "Does variables --set deploy?", schema
// descriptions of skipDeploys/replace in railway-cli-since-5.43.md §3b).
import { createDeployment } from './deployments.ts';
import { ApiError } from './errors.ts';
import type { Host } from './paths.ts';
import { references } from './render.ts';
import type { EnvironmentPatch, FakeState, PatchVariable, ServiceState } from './types.ts';
import { SHARED_SCOPE } from './types.ts';

/** One variable scope: a service's variables, or (serviceId null) the environment's shared ones. */
export interface Scope {
  envId: string;
  serviceId: string | null;
}

const scopeKey = (scope: Scope) => scope.serviceId ?? SHARED_SCOPE;

function store(state: FakeState, scope: Scope): Record<string, string> {
  if (scope.serviceId === null) return (state.sharedVariables[scope.envId] ??= {});
  const env = (state.variables[scope.envId] ??= {});
  return (env[scope.serviceId] ??= {});
}

export function setSealed(state: FakeState, scope: Scope, key: string, sealed: boolean): void {
  const env = (state.sealed[scope.envId] ??= {});
  const keys = new Set(env[scopeKey(scope)] ?? []);
  if (sealed) keys.add(key);
  else keys.delete(key);
  env[scopeKey(scope)] = [...keys].sort();
}

/** Services a change of these keys deploys: the service itself, or every service whose raw variables
 *  reference one of the shared keys as ${{shared.KEY}} (facts sheet railway-cli-since-5.43.md §3b [Inf]). */
export function affectedServices(state: FakeState, scope: Scope, keys: Iterable<string>): ServiceState[] {
  if (scope.serviceId !== null) return state.services.filter((s) => s.id === scope.serviceId);
  const wanted = new Set([...keys].map((k) => `shared.${k}`));
  return state.services.filter((svc) =>
    Object.values(state.variables[scope.envId]?.[svc.id] ?? {}).some((value) =>
      references(value).some((ref) => wanted.has(ref)),
    ),
  );
}

function deploy(host: Host, state: FakeState, envId: string, services: Iterable<ServiceState>): void {
  const env = state.environments.find((e) => e.id === envId)!;
  const seen = new Set<string>();
  for (const svc of services) {
    if (seen.has(svc.id)) continue;
    seen.add(svc.id);
    createDeployment(host, state, svc, env, 'variableChange');
  }
}

/** variableUpsert / variableCollectionUpsert. `replace` first deletes every other variable of the scope. */
export function upsertVariables(
  host: Host,
  state: FakeState,
  scope: Scope,
  vars: Record<string, string>,
  opts: { replace?: boolean; skipDeploys?: boolean } = {},
): void {
  const bag = store(state, scope);
  const changed = new Set(Object.keys(vars));
  if (opts.replace) {
    for (const key of Object.keys(bag)) {
      if (key in vars) continue;
      delete bag[key];
      setSealed(state, scope, key, false);
      changed.add(key);
    }
  }
  Object.assign(bag, vars);
  if (!opts.skipDeploys) deploy(host, state, scope.envId, affectedServices(state, scope, changed));
}

/** variableDelete has no skipDeploys: a delete always deploys (railway-cli-since-5.43.md §2 #7).
 *  Deleting a missing key succeeds without effect [Inf: the CLI checks existence first]. */
export function deleteVariable(host: Host, state: FakeState, scope: Scope, key: string): boolean {
  const bag = store(state, scope);
  if (!(key in bag)) return false;
  const affected = affectedServices(state, scope, [key]);
  delete bag[key];
  setSealed(state, scope, key, false);
  deploy(host, state, scope.envId, affected);
  return true;
}

/** Applies one variable entry of a patch: null deletes, a string value sets, isSealed:true seals. */
function applyPatchVariable(state: FakeState, scope: Scope, key: string, entry: PatchVariable | null): boolean {
  const bag = store(state, scope);
  if (entry === null) {
    const existed = key in bag;
    delete bag[key];
    setSealed(state, scope, key, false);
    return existed;
  }
  if (typeof entry.value === 'string') bag[key] = entry.value;
  if (entry.isSealed === true) setSealed(state, scope, key, true);
  return typeof entry.value === 'string' || entry.isSealed === true;
}

/** A patch's service key: an ID, or a name when the fake resolves names (state.patchServiceNameKeys). */
function patchService(state: FakeState, key: string): ServiceState {
  const byId = state.services.find((s) => s.id === key);
  if (byId) return byId;
  const byName = state.services.find((s) => s.name.toLowerCase() === key.toLowerCase());
  if (byName && state.patchServiceNameKeys === 'resolve') return byName;
  throw new ApiError(`Service ${key} not found`);
}

/** environmentPatchCommit: applies the variable parts of an EnvironmentConfig patch in one commit and
 *  deploys every affected service once (railway-cli-since-5.43.md §3b: no skipDeploys on commit). */
export function commitPatch(host: Host, state: FakeState, envId: string, patch: EnvironmentPatch): void {
  // Resolve every service key first: a bad key fails the commit before anything changes.
  const services = Object.entries(patch.services ?? {}).map(([key, service]) => ({
    svc: patchService(state, key),
    service,
  }));
  const affected: ServiceState[] = [];
  for (const { svc, service } of services) {
    const scope = { envId, serviceId: svc.id };
    const changed = Object.entries(service?.variables ?? {}).filter(([k, v]) => applyPatchVariable(state, scope, k, v));
    if (changed.length) affected.push(svc);
  }
  const shared = { envId, serviceId: null };
  const sharedChanged = Object.entries(patch.sharedVariables ?? {})
    .filter(([k, v]) => applyPatchVariable(state, shared, k, v))
    .map(([k]) => k);
  affected.push(...affectedServices(state, shared, sharedChanged));
  deploy(host, state, envId, affected);
}

/** environmentStageChanges(merge: true): remembered, nothing applied or deployed. */
export function stagePatch(state: FakeState, envId: string, patch: EnvironmentPatch): void {
  const staged = (state.stagedChanges[envId] ??= {});
  for (const [key, service] of Object.entries(patch.services ?? {})) {
    const into = ((staged.services ??= {})[key] ??= {});
    into.variables = { ...(into.variables ?? {}), ...(service?.variables ?? {}) };
  }
  if (patch.sharedVariables) staged.sharedVariables = { ...(staged.sharedVariables ?? {}), ...patch.sharedVariables };
}
