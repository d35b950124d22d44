// CLI versions and every version gate of the fake in one table. "Since" versions come from the
// facts sheets (railway-cli.md "Minimum versions", railway-cli-since-5.43.md) and `git tag --contains`
// on railwayapp/cli at v5.43.1.

export const DEFAULT_VERSION = '5.43.1';

export const GATES = {
  skipDeploys: '4.5.6',
  logsLinesAndFilter: '4.9.0',
  deploymentCommand: '4.10.0',
  /** Non-TTY `logs` fetches and exits instead of streaming; `--latest`. */
  logsFetchWithoutTty: '4.17.0',
  logsSinceUntil: '4.18.0',
  setFromStdin: '4.19.0',
  restart: '4.22.0',
  /** `redeploy --json`, `environment --json`, `environment link`. */
  redeployJson: '4.23.3',
  environmentLink: '4.23.3',
  variableSubcommands: '4.24.0',
  tokenUnauthorizedText: '4.25.3',
  environmentEdit: '4.26.0',
  environmentConfig: '4.27.0',
  envVarTargeting: '4.35.0',
  environmentList: '4.36.0',
  serviceList: '4.41.0',
  redeployFromSource: '4.44.0',
  /** `environment show|info|update|create|add|rm|remove` aliases. */
  environmentAliases: '4.51.0',
  environmentEditProject: '4.57.2',
  /** -e/-p on redeploy and restart, -p on logs and variable. */
  projectEnvironmentFlags: '4.57.4',
  errorHints: '5.3.0',
  api: '5.28.0',
  nonTtySetStdout: '5.34.2',
  /** PR #1164 (merged after v5.43.1, release unknown): sealed variables listed as null / `<sealed>`,
   *  `variable delete` finds them; PR #1163 adds `variable edit`. The fake picks 5.44.0, the first
   *  release after the last source it was checked against (facts sheet railway-cli-since-5.43.md §1.1). */
  sealedListed: '5.44.0',
} as const;

function parts(v: string): number[] {
  return String(v)
    .replace(/^v/, '')
    .split('.')
    .map((x) => Number.parseInt(x, 10) || 0);
}

/** a >= b for dotted versions. */
export function versionAtLeast(a: string, b: string): boolean {
  const x = parts(a);
  const y = parts(b);
  for (let i = 0; i < 3; i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d > 0;
  }
  return true;
}
