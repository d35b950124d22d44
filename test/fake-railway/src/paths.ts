// Where things live: the state folder ($FAKE_RAILWAY_DIR) and the fake's own folder (test/fake-railway).
import path from 'node:path';
import type { DeploymentState, RunState } from './types.ts';

/** The two folders every side effect needs: state (per test) and the fake itself (apps, dist). */
export interface Host {
  /** $FAKE_RAILWAY_DIR: state.json, calls.jsonl, graphql.jsonl, logs/, runs/. */
  dir: string;
  /** test/fake-railway: apps/ and dist/supervisor.mjs. */
  root: string;
}

export const stateFile = (dir: string) => path.join(dir, 'state.json');
export const lockFile = (dir: string) => path.join(dir, 'state.lock');
export const callsFile = (dir: string) => path.join(dir, 'calls.jsonl');
export const graphqlFile = (dir: string) => path.join(dir, 'graphql.jsonl');
export const deployLogFile = (dir: string, depId: string) => path.join(dir, 'logs', `${depId}.ndjson`);
export const buildLogFile = (dir: string, depId: string) => path.join(dir, 'logs', `${depId}.build.ndjson`);

/** spec: what the supervisor runs; start/ready/exit: what happened to the app process. */
export type RunFileKind = 'spec' | 'start' | 'ready' | 'exit';
export const runFile = (dir: string, dep: Pick<DeploymentState, 'id'>, run: Pick<RunState, 'n'>, kind: RunFileKind) =>
  path.join(dir, 'runs', `${dep.id}.${run.n}.${kind}.json`);

export const supervisorScript = (root: string) => path.join(root, 'dist', 'supervisor.mjs');
export const appsDir = (root: string) => path.join(root, 'apps');
