// Variable rendering: ${{KEY}}, ${{Service.KEY}} and ${{shared.KEY}} resolved the way Railway does at
// deploy time, plus the Railway-provided RAILWAY_* variables and sealed values.
import type { FakeState, ServiceState } from './types.ts';
import { SHARED_SCOPE } from './types.ts';

type Env = { id: string; name: string };

/** What a reader gets for a sealed value: deployments see it, the API says null, old CLIs drop it. */
export type SealedMode = 'reveal' | 'null' | 'omit';

const REFERENCE = /\$\{\{\s*([^}]+?)\s*\}\}/g;

/** The inner texts of every `${{…}}` in a value, e.g. ['Redis.REDIS_URL']. */
export function references(value: string): string[] {
  return [...value.matchAll(REFERENCE)].map((m) => m[1]!);
}

/** Raw stored values of one scope (a service id, or SHARED_SCOPE). */
export function rawVariables(state: FakeState, envId: string, scope: string): Record<string, string> {
  if (scope === SHARED_SCOPE) return state.sharedVariables[envId] ?? {};
  return state.variables[envId]?.[scope] ?? {};
}

export function sealedKeys(state: FakeState, envId: string, scope: string): Set<string> {
  return new Set(state.sealed[envId]?.[scope] ?? []);
}

export function providedVariables(state: FakeState, svc: ServiceState, env: Env): Record<string, string> {
  const vars: Record<string, string> = {
    RAILWAY_ENVIRONMENT: env.name,
    RAILWAY_ENVIRONMENT_ID: env.id,
    RAILWAY_ENVIRONMENT_NAME: env.name,
    RAILWAY_PRIVATE_DOMAIN: `${svc.name.toLowerCase()}.railway.internal`,
    RAILWAY_PROJECT_ID: state.project.id,
    RAILWAY_PROJECT_NAME: state.project.name,
    RAILWAY_SERVICE_ID: svc.id,
    RAILWAY_SERVICE_NAME: svc.name,
  };
  if (svc.tcpProxy) {
    vars.RAILWAY_TCP_PROXY_DOMAIN = svc.tcpProxy.domain;
    vars.RAILWAY_TCP_PROXY_PORT = String(svc.tcpProxy.port);
    vars.RAILWAY_TCP_APPLICATION_PORT = String(svc.tcpProxy.applicationPort ?? 6379);
  }
  return vars;
}

/** Resolves values of one environment, memoised, with a guard against reference cycles. */
class Renderer {
  private readonly memo = new Map<string, string | undefined>();
  private readonly active = new Set<string>();

  constructor(
    private readonly state: FakeState,
    private readonly env: Env,
  ) {}

  /** A rendered value of a scope; undefined when the key does not exist there. */
  lookup(scope: string, key: string): string | undefined {
    const id = `${scope}\0${key}`;
    if (this.memo.has(id)) return this.memo.get(id);
    if (this.active.has(id)) return '';
    const raw = rawVariables(this.state, this.env.id, scope)[key];
    let value: string | undefined;
    if (raw === undefined) {
      value = scope === SHARED_SCOPE ? undefined : this.provided(scope)[key];
    } else {
      this.active.add(id);
      value = this.substitute(scope, raw);
      this.active.delete(id);
    }
    this.memo.set(id, value);
    return value;
  }

  /** A reference to a missing service or key renders empty (facts sheet railway-cli.md §2 [Inf]). */
  substitute(scope: string, raw: string): string {
    return raw.replace(REFERENCE, (_all, ref: string) => {
      const dot = ref.indexOf('.');
      if (dot < 0) return this.lookup(scope, ref) ?? '';
      const namespace = ref.slice(0, dot);
      const key = ref.slice(dot + 1);
      if (namespace === 'shared') return this.lookup(SHARED_SCOPE, key) ?? '';
      // Namespaces are exact, case-sensitive service names (facts sheet railway-cli-since-5.43.md §3d).
      const other = this.state.services.find((s) => s.name === namespace);
      return other ? (this.lookup(other.id, key) ?? '') : '';
    });
  }

  provided(serviceId: string): Record<string, string> {
    const svc = this.state.services.find((s) => s.id === serviceId);
    return svc ? providedVariables(this.state, svc, this.env) : {};
  }
}

function sortedEntries<T>(map: Record<string, T>): Record<string, T> {
  return Object.fromEntries(
    Object.keys(map)
      .sort()
      .map((k) => [k, map[k]!]),
  );
}

/** Applies the sealed mode to a rendered map of one scope. References to a sealed value render it:
 *  only the sealed variable itself is hidden [Inf]. */
function withSealed(
  rendered: Record<string, string>,
  sealed: Set<string>,
  mode: SealedMode,
): Record<string, string | null> {
  const result: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(rendered)) {
    if (!sealed.has(k) || mode === 'reveal') result[k] = v;
    else if (mode === 'null') result[k] = null;
  }
  return sortedEntries(result);
}

/** Rendered variables of a service (variablesForServiceDeployment): its own keys plus RAILWAY_*. */
export function renderServiceVariables(
  state: FakeState,
  svc: ServiceState,
  env: Env,
  mode: SealedMode,
): Record<string, string | null> {
  const renderer = new Renderer(state, env);
  const rendered: Record<string, string> = { ...renderer.provided(svc.id) };
  for (const key of Object.keys(rawVariables(state, env.id, svc.id)))
    rendered[key] = renderer.lookup(svc.id, key) ?? '';
  return withSealed(rendered, sealedKeys(state, env.id, svc.id), mode);
}

/** Rendered shared variables of an environment. */
export function renderSharedVariables(state: FakeState, env: Env, mode: SealedMode): Record<string, string | null> {
  const renderer = new Renderer(state, env);
  const rendered: Record<string, string> = {};
  for (const key of Object.keys(rawVariables(state, env.id, SHARED_SCOPE)))
    rendered[key] = renderer.lookup(SHARED_SCOPE, key) ?? '';
  return withSealed(rendered, sealedKeys(state, env.id, SHARED_SCOPE), mode);
}

/** Raw stored values (`variables(unrendered: true)`): references intact, no RAILWAY_*, sealed null. */
export function unrenderedVariables(state: FakeState, envId: string, scope: string): Record<string, string | null> {
  return withSealed({ ...rawVariables(state, envId, scope) }, sealedKeys(state, envId, scope), 'null');
}

/** The real values a deployment's processes receive (sealed ones included). */
export function deploymentVariables(state: FakeState, svc: ServiceState, env: Env): Record<string, string> {
  return renderServiceVariables(state, svc, env, 'reveal') as Record<string, string>;
}
