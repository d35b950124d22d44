// environment.config: the stored (raw) configuration of an environment as the API returns it
// (src/controllers/config/environment.rs; facts sheet railway-cli-since-5.43.md §3a option 2).
import { rawVariables, sealedKeys } from './render.ts';
import type { FakeState, ServiceState } from './types.ts';
import { SHARED_SCOPE } from './types.ts';

type VariableEntry = { value: string | null; isSealed?: true };

/** Raw values, references intact. Sealed values come back null with isSealed; without
 *  decryptVariables every value is null ("the non-decrypted config masks EVERY variable value as null",
 *  src/commands/postgres/mod.rs). */
function variableEntries(
  state: FakeState,
  envId: string,
  scope: string,
  decrypt: boolean,
): Record<string, VariableEntry> {
  const sealed = sealedKeys(state, envId, scope);
  const raw = rawVariables(state, envId, scope);
  return Object.fromEntries(
    Object.keys(raw)
      .sort()
      .map((k) => [k, sealed.has(k) ? { value: null, isSealed: true as const } : { value: decrypt ? raw[k]! : null }]),
  );
}

function source(svc: ServiceState) {
  if (svc.source?.image) return { image: svc.source.image };
  if (svc.source?.repo) return { repo: svc.source.repo, branch: 'main' };
  return null;
}

export function environmentConfig(state: FakeState, envId: string, decrypt: boolean) {
  const services = Object.fromEntries(
    [...state.services]
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((svc) => [
        svc.id,
        {
          source: source(svc),
          variables: variableEntries(state, envId, svc.id, decrypt),
        },
      ]),
  );
  return { services, sharedVariables: variableEntries(state, envId, SHARED_SCOPE, decrypt) };
}
