// `railway whoami [--json]`: uses the `me` query, so project tokens and workspace tokens fail.
import { checkApiAuth, requireCredential, unauthorizedToken } from '../context.ts';
import { maybeInject } from '../inject.ts';
import type { CommandHandler } from './types.ts';

export const whoami: CommandHandler = (cli, state, { opts }) => {
  const mode = requireCredential(cli, state);
  maybeInject(cli, state, { service: null });
  if (mode === 'project-token') {
    if (cli.env.RAILWAY_TOKEN !== state.projectToken) checkApiAuth(cli, state, mode);
    throw unauthorizedToken(cli, 'RAILWAY_TOKEN');
  }
  checkApiAuth(cli, state, mode);
  if (mode === 'api-token' && state.apiTokenScope === 'workspace') throw unauthorizedToken(cli, 'RAILWAY_API_TOKEN');
  const { user, workspace } = state;
  if (opts.bool('json')) {
    cli.out(
      JSON.stringify(
        { name: user.name ?? null, email: user.email, workspaces: [{ id: workspace.id, name: workspace.name }] },
        null,
        2,
      ),
    );
  } else {
    cli.out(user.name ? `Logged in as ${user.name} (${user.email}) 👋` : `Logged in as ${user.email} 👋`);
  }
};
