// API request accounting (issue 8 item 7): how many GraphQL requests one `railway` invocation sends,
// which is what Railway's rate limit counts (100 requests/hour on Free, 1000 on Hobby: facts sheet
// railway-cli.md §0 "Rate limits"; "each CLI call costs 3–5").
//
// Static model, charged when the call starts (a call that fails half-way is charged in full):
// - 0 for --version/--help, clap usage errors and a missing credential (the CLI stops before any request).
// - Commands that resolve a project/service (resolve_service_context in src/controllers/project.rs, v5.43.1)
//   send get_project and ensure_project_and_environment_exist first: CONTEXT = 2.
// - Under RAILWAY_TOKEN, get_linked_project first asks the API which project/environment the token
//   belongs to (the projectToken query, src/config.rs): +1. `api` sends its document as is: no lookup.
// - Then the command's own requests, counted from its source:
//     variable list = variablesForServiceDeployment (1)            → 3   (facts: 3–4)
//     variable set  = variableCollectionUpsert (1)                  → 3
//     variable delete = existence list + variableDelete (2)         → 4
//     redeploy/restart = environment instances + the mutation (2)  → 4   (facts: ≈3; source: 4)
//     deployment list = deployments (1)                             → 3
//     logs = deployments (default pick) + deploymentLogs or the subscription setup (2) → 4, 5 with a token
//       (facts railway-cli-since-5.43.md §2 #10: "about 4–5"); a streaming call is charged once: the
//       messages of its open subscription are not requests.
//     service list = get_project, fetch_region_locations, get_environment_instances → 3 (facts: "at least 3")
//     status --json = get_project + ensure_… + one environment-instances query per listed environment
//     environment config --json = get_project + environment.config → 2 (+1 region query without --json)
//     environment edit = get_project + environment instances + commit or stage → 3 (2 when nothing to apply
//       is not known up front, so 3 is charged)
//     whoami = me → 1; link / service link / environment link = 2; api = 1 per document.
import type { Options } from './clap.ts';

const CONTEXT = 2;
const TOKEN_LOOKUP = 1;

/** Requests after the shared context lookups, by command name. */
const OWN_REQUESTS: Record<string, number> = {
  'variable list': 1,
  'variable set': 1,
  'variable delete': 2,
  redeploy: 2,
  restart: 2,
  'deployment list': 1,
  logs: 2,
  'service list': 1,
  'service status': 1,
  'service link': 0,
  'environment link': 0,
  'environment config': 0,
  'environment edit': 1,
  link: 0,
};

export interface CostInput {
  command: string;
  opts: Options;
  hasCredential: boolean;
  projectToken: boolean;
  environmentCount: number;
}

export function apiRequestCost(input: CostInput): number {
  if (!input.hasCredential || !input.command) return 0;
  const lookup = input.projectToken ? TOKEN_LOOKUP : 0;
  switch (input.command) {
    case 'api':
      return 1;
    case 'whoami':
      return 1;
    case 'status': {
      const scoped = input.opts.has('environment') || input.opts.has('project');
      return lookup + 2 + (input.opts.bool('json') ? (scoped ? 1 : input.environmentCount) : 3);
    }
    case 'environment config':
      return lookup + CONTEXT + (input.opts.bool('json') ? 0 : 1);
    default:
      return lookup + CONTEXT + (OWN_REQUESTS[input.command] ?? 0);
  }
}
