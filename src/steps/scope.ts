// One variable per service, or the runbook's Shared Variables step: one shared value that every
// service references as ${{shared.NAME}}. A project that already uses the shared variable keeps
// using it by default; the question comes only then.
import type { SetupOptions } from '../core/options.js';
import type { StepContext } from './context.js';
import type { RailwayState } from './preflight.js';
import type { ChosenSource } from './source.js';

export type Scope = 'service' | 'shared';

export function usesShared(state: RailwayState, variable: string): boolean {
  if (state.shared[variable] !== undefined) return true;
  return [...state.usages.values()].some((u) => u.kind === 'shared' && u.key === variable);
}

export async function chooseScope(
  ctx: StepContext<SetupOptions>,
  state: RailwayState,
  source: ChosenSource,
): Promise<Scope> {
  const { options, ui } = ctx;
  if (options.scope) return options.scope;
  if (!usesShared(state, options.variable)) return 'service';
  if (!ctx.canPrompt || (source.railwayValue === undefined && !source.providerAction)) return 'shared';
  return ui.select({
    message: `This project already has a shared ${options.variable}. Where should the new value go?`,
    options: [
      {
        value: 'shared' as const,
        label: `The shared ${options.variable}`,
        hint: `services keep \${{shared.${options.variable}}}: one value to rotate`,
      },
      {
        value: 'service' as const,
        label: "Each service's own variable",
        hint: 'replaces their reference with the value',
      },
    ],
    initialValue: 'shared' as const,
  });
}
