// `railway variable list|set|delete` and the legacy `railway variables [--set K=V] [--set-from-stdin K]`
// (src/commands/variable.rs; sealed handling from PR #1164, facts sheet railway-cli-since-5.43.md §1.1).
import { resolveServiceContext } from '../context.ts';
import { RwError } from '../errors.ts';
import { readStdin, type Cli } from '../io.ts';
import { deleteVariable, upsertVariables } from '../mutations.ts';
import { renderServiceVariables } from '../render.ts';
import { mutate } from '../state.ts';
import type { FakeState } from '../types.ts';
import { GATES, versionAtLeast } from '../version.ts';
import type { Command, CommandHandler } from './types.ts';

type ScopeOpts = { service?: string | undefined; environment?: string | undefined; project?: string | undefined };
const scopeOpts = (cmd: Command): ScopeOpts => ({
  service: cmd.opts.str('service'),
  environment: cmd.opts.str('environment'),
  project: cmd.opts.str('project'),
});

/** Since PR #1164 sealed variables are listed (null / `<sealed>`); before, the CLI dropped them. */
const listsSealed = (cli: Cli) => versionAtLeast(cli.version, GATES.sealedListed);

function readStdinValue(cli: Cli): string {
  if (cli.tty.stdin) {
    throw new RwError(
      'No input provided via stdin. Use --stdin with piped input, e.g.:\n' +
        '  echo "value" | railway variable set KEY --stdin',
    );
  }
  const value = readStdin().replace(/\n+$/, '').replace(/\r+$/, '');
  if (value === '') throw new RwError('Empty value provided via stdin');
  return value;
}

/** KEY=VALUE split on the first '='; `K=` is the empty string. */
function parseVariable(s: string): [string, string] {
  const eq = s.indexOf('=');
  if (eq <= 0) throw new RwError(`Invalid variable format: ${s}`);
  return [s.slice(0, eq), s.slice(eq + 1)];
}

function setVariables(cli: Cli, state: FakeState, pairs: [string, string][], cmd: Command, legacy: boolean): void {
  const { svc, env } = resolveServiceContext(cli, state, scopeOpts(cmd));
  const keys = pairs.map(([k]) => k);
  // One variableCollectionUpsert per invocation; it deploys unless --skip-deploys.
  mutate(cli.dir, (s) =>
    upsertVariables(cli, s, { envId: env.id, serviceId: svc.id }, Object.fromEntries(pairs), {
      skipDeploys: cmd.opts.bool('skip-deploys'),
    }),
  );
  if (cmd.opts.bool('json') && !legacy) {
    cli.out(JSON.stringify({ keys, set: true }));
    return;
  }
  cli.spinnerDone(`Set variables ${keys.join(', ')}`);
  if (!cli.tty.stderr && versionAtLeast(cli.version, GATES.nonTtySetStdout))
    cli.out(`Set variables ${keys.join(', ')}`);
}

function listVariables(cli: Cli, state: FakeState, cmd: Command): void {
  const { svc, env } = resolveServiceContext(cli, state, scopeOpts(cmd));
  const vars = renderServiceVariables(state, svc, env, listsSealed(cli) ? 'null' : 'omit');
  if (cmd.opts.bool('kv')) {
    for (const [k, v] of Object.entries(vars))
      cli.out(v === null ? `# ${k} is sealed; its value cannot be read` : `${k}=${v}`);
    return;
  }
  if (cmd.opts.bool('json')) {
    cli.out(JSON.stringify(vars, null, 2));
    return;
  }
  if (!Object.keys(vars).length) {
    cli.err('No variables found');
    return;
  }
  const width = Math.max(...Object.keys(vars).map((k) => k.length));
  cli.out(`║ Variables for ${svc.name}`);
  for (const [k, v] of Object.entries(vars)) cli.out(`║ ${k.padEnd(width)} │ ${v ?? '<sealed>'}`);
}

function deleteOne(cli: Cli, state: FakeState, cmd: Command): void {
  const { svc, env } = resolveServiceContext(cli, state, scopeOpts(cmd));
  const key = cmd.pos[0]!;
  // The existence check uses the list, which drops sealed variables before PR #1164.
  const listed = renderServiceVariables(state, svc, env, listsSealed(cli) ? 'null' : 'omit');
  if (!(key in listed)) throw new RwError(`Variable '${key}' not found`);
  mutate(cli.dir, (s) => deleteVariable(cli, s, { envId: env.id, serviceId: svc.id }, key));
  // serde_json::json! without preserve_order sorts keys.
  if (cmd.opts.bool('json')) cli.out(JSON.stringify({ deleted: true, key }));
  else cli.spinnerDone(`Deleted variable ${key}`);
}

function setFromArgs(cli: Cli, state: FakeState, cmd: Command): void {
  let pairs: [string, string][];
  if (cmd.opts.bool('stdin')) {
    if (cmd.pos.length !== 1) throw new RwError('--stdin requires exactly one KEY argument');
    if (cmd.pos[0]!.includes('='))
      throw new RwError('Cannot use --stdin with KEY=VALUE format. Use: railway variable set KEY --stdin');
    pairs = [[cmd.pos[0]!, readStdinValue(cli)]];
  } else {
    pairs = cmd.pos.map(parseVariable);
  }
  setVariables(cli, state, pairs, cmd, false);
}

export const variableCommandName = (cmd: Command): string => {
  const sub = cmd.path[1];
  if (sub) return `variable ${sub}`;
  return cmd.opts.str('set-from-stdin') !== undefined || cmd.opts.list('set').length ? 'variable set' : 'variable list';
};

export const variable: CommandHandler = (cli, state, cmd) => {
  const sub = cmd.path[1];
  if (sub === 'list') return listVariables(cli, state, cmd);
  if (sub === 'set') return setFromArgs(cli, state, cmd);
  if (sub === 'delete') return deleteOne(cli, state, cmd);
  const fromStdin = cmd.opts.str('set-from-stdin');
  if (fromStdin !== undefined) return setVariables(cli, state, [[fromStdin, readStdinValue(cli)]], cmd, true);
  if (cmd.opts.list('set').length) return setVariables(cli, state, cmd.opts.list('set').map(parseVariable), cmd, true);
  return listVariables(cli, state, cmd);
};
