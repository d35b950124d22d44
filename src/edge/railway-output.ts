// What the railway CLI prints, checked as strictly as what the user types: a shape we do not
// expect (an object where a list belongs, a CLI from another era) is a clear Railway error,
// never a crash deep inside a step. Unknown extra fields are allowed; missing ones are not.
import * as z from 'zod/mini';
import { CliError, EXIT } from '../errors.js';
import { UPGRADE } from './railway-errors.js';

const Deployment = z.object({ id: z.string(), status: z.string(), createdAt: z.string() });

export const StatusOutput = z.object({
  id: z.string(),
  name: z.string(),
  environments: z.optional(
    z.object({ edges: z.array(z.object({ node: z.object({ id: z.string(), name: z.string() }) })) }),
  ),
});

export const ServiceListOutput = z.array(
  z.object({
    id: z.string(),
    name: z.string(),
    source: z.nullish(z.object({ image: z.nullish(z.string()), repo: z.nullish(z.string()) })),
    status: z.nullish(z.string()),
    latestDeployment: z.nullish(Deployment),
  }),
);

/** Sealed variables are listed as null since railwayapp/cli PR #1164 (they were left out before). */
export const VariablesOutput = z.record(z.string(), z.nullable(z.string()));

export const RedeployOutput = z.object({ id: z.string().check(z.minLength(1)) });
export const DeploymentListOutput = z.array(Deployment);

const ConfigVariable = z.object({ value: z.nullish(z.string()), isSealed: z.optional(z.boolean()) });
export const EnvironmentConfigOutput = z.object({
  services: z.optional(z.record(z.string(), z.object({ variables: z.optional(z.record(z.string(), ConfigVariable)) }))),
  sharedVariables: z.optional(z.record(z.string(), ConfigVariable)),
});

export const ApiBody = z.object({ data: z.nullish(z.record(z.string(), z.unknown())) });

export function parseOutput<S extends z.ZodMiniType>(schema: S, text: string, what: string): z.output<S> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CliError(
      `${what} did not print JSON.`,
      EXIT.railway,
      `Update the railway CLI: ${UPGRADE}`,
      'railway-output',
    );
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    // The output may hold secrets (variable values): name the place, never the value.
    const where = parsed.error.issues[0]?.path.join('.') || 'its top level';
    throw new CliError(
      `${what} printed JSON redis-setup does not understand (at ${where}).`,
      EXIT.railway,
      `Update the railway CLI (${UPGRADE}); if it persists, report it with your railway --version.`,
      'railway-output',
    );
  }
  return parsed.data;
}
