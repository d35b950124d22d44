// `railway logs [ID]` (src/commands/logs.rs): fetch mode when stdout is a pipe or a limit is given,
// else stream (follow) until killed; the default deployment is the newest SUCCESS one.
import fs from 'node:fs';
import { requireCredential, resolveServiceContext } from '../context.ts';
import { deploymentStatus, serviceDeployments } from '../deployments.ts';
import { RwError } from '../errors.ts';
import type { Cli } from '../io.ts';
import { compileFilter, formatLog, parseTime, readEntries, type LogEntry } from '../logfile.ts';
import { buildLogFile, deployLogFile } from '../paths.ts';
import type { FakeState } from '../types.ts';
import { GATES, versionAtLeast } from '../version.ts';
import type { Command, CommandHandler } from './types.ts';

const FETCH_LIMIT = 500;
const FOLLOW_POLL_MS = 50;

/** Which deployment and which of its logs (deploy or build) the call shows. */
function pickLog(cli: Cli, state: FakeState, cmd: Command, svcId: string, envId: string): string {
  const now = Date.now();
  const deps = serviceDeployments(state, svcId, envId);
  const newestSuccess = deps.find((d) => deploymentStatus(cli.dir, state, d, now) === 'SUCCESS');
  const defaultDep = cmd.opts.bool('latest') ? deps[0] : (newestSuccess ?? deps[0]);
  if (!defaultDep) throw new RwError('No deployments found');
  const depId = cmd.pos[0] ?? defaultDep.id;
  if (!state.deployments.some((d) => d.id === depId)) throw new RwError('Deployment not found');
  // A FAILED default deployment shows its build logs unless -d is given.
  const defaultFailed = deploymentStatus(cli.dir, state, defaultDep, now) === 'FAILED' && depId === defaultDep.id;
  const showBuild = !cmd.opts.bool('deployment') && (cmd.opts.bool('build') || defaultFailed);
  return showBuild ? buildLogFile(cli.dir, depId) : deployLogFile(cli.dir, depId);
}

/** Follow the file until killed (the real CLI holds a websocket subscription open). */
function follow(file: string, onEntry: (e: LogEntry) => void): Promise<never> {
  let offset = 0;
  try {
    offset = fs.statSync(file).size;
  } catch {
    offset = 0;
  }
  let partial = '';
  return new Promise<never>(() => {
    setInterval(() => {
      let size: number;
      try {
        size = fs.statSync(file).size;
      } catch {
        return;
      }
      if (size <= offset) return;
      const fd = fs.openSync(file, 'r');
      const buf = Buffer.alloc(size - offset);
      fs.readSync(fd, buf, 0, buf.length, offset);
      fs.closeSync(fd);
      offset = size;
      const lines = (partial + buf.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (!line) continue;
        try {
          onEntry(JSON.parse(line) as LogEntry);
        } catch {
          /* partial */
        }
      }
    }, FOLLOW_POLL_MS);
  });
}

export const logs: CommandHandler = async (cli, state, cmd) => {
  requireCredential(cli, state);
  const { opts } = cmd;
  const start = opts.str('since') !== undefined ? parseTime(opts.str('since')!) : undefined;
  const end = opts.str('until') !== undefined ? parseTime(opts.str('until')!) : undefined;
  if (start !== undefined && end !== undefined && start >= end)
    throw new RwError('--since time must be before --until time');
  const hasLimit = opts.num('lines') !== undefined || start !== undefined || end !== undefined;
  // Before v4.17.0 the CLI streamed even when stdout was a pipe.
  const shouldStream = !hasLimit && (cli.tty.stdout || !versionAtLeast(cli.version, GATES.logsFetchWithoutTty));
  const { svc, env } = resolveServiceContext(cli, state, {
    service: opts.str('service'),
    environment: opts.str('environment'),
    project: opts.str('project'),
  });
  if (opts.bool('http') || opts.bool('network') || opts.bool('dns')) {
    if (opts.bool('network') && !opts.bool('json')) cli.out('fake-railway: no network flows');
    return;
  }
  const file = pickLog(cli, state, cmd, svc.id, env.id);
  const filter = compileFilter(opts.str('filter'));
  const inRange = (e: LogEntry) =>
    (start === undefined || Date.parse(e.timestamp) >= start) && (end === undefined || Date.parse(e.timestamp) <= end);
  const limit = opts.num('lines') ?? FETCH_LIMIT;
  const print = (e: LogEntry) => cli.out(formatLog(e, opts.bool('json')));
  const backlog = readEntries(file).filter((e) => inRange(e) && filter(e));
  for (const e of limit > 0 ? backlog.slice(-limit) : []) print(e);
  if (!shouldStream) return;
  await follow(file, (e) => {
    if (filter(e)) print(e);
  });
};
