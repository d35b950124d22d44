// Every child process group we start (railway calls, log streams under `script`). They run in
// their own groups so a Ctrl-C in the terminal never cuts a call in half; in exchange, we stop them
// ourselves: on a stop request, and on exit whatever the cause.
const groups = new Set<number>();

export function trackGroup(pid: number | undefined): void {
  if (pid) groups.add(pid);
}

export function untrackGroup(pid: number | undefined): void {
  if (pid) groups.delete(pid);
}

/** SIGTERM to each group (script and the CLI under it, or the CLI and its npm shim). */
export function stopAllGroups(): void {
  for (const pid of groups) {
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  groups.clear();
}

process.on('exit', stopAllGroups);
