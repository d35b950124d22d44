// calls.jsonl: every `railway` invocation as the fake saw it (argv, terminals, stdin, environment).
import fs from 'node:fs';
import { callsFile, graphqlFile } from './paths.ts';
import { stdinIsPipeOrFile, type Cli } from './io.ts';
import type { Call, GraphqlRequestRecord } from './types.ts';

export function recordCall(cli: Cli, apiRequests: number): void {
  const pick = (k: string) => (k in cli.env ? cli.env[k] : undefined);
  const rec: Call = {
    argv: cli.argv,
    cwd: cli.cwd,
    stdinIsTTY: cli.tty.stdin,
    stdoutIsTTY: cli.tty.stdout,
    stderrIsTTY: cli.tty.stderr,
    hadStdin: stdinIsPipeOrFile(),
    env: {
      RAILWAY_TOKEN: 'RAILWAY_TOKEN' in cli.env,
      RAILWAY_API_TOKEN: 'RAILWAY_API_TOKEN' in cli.env,
      RAILWAY_NO_AUTO_UPDATE: pick('RAILWAY_NO_AUTO_UPDATE'),
      DO_NOT_TRACK: pick('DO_NOT_TRACK'),
      CI: pick('CI'),
      NO_COLOR: pick('NO_COLOR'),
      RAILWAY_PROJECT_ID: pick('RAILWAY_PROJECT_ID'),
      RAILWAY_ENVIRONMENT_ID: pick('RAILWAY_ENVIRONMENT_ID'),
      RAILWAY_SERVICE_ID: pick('RAILWAY_SERVICE_ID'),
    },
    apiRequests,
    pid: process.pid,
    time: new Date().toISOString(),
  };
  fs.appendFileSync(callsFile(cli.dir), `${JSON.stringify(rec)}\n`);
}

export function recordGraphqlRequest(dir: string, rec: GraphqlRequestRecord): void {
  fs.appendFileSync(graphqlFile(dir), `${JSON.stringify(rec)}\n`);
}
