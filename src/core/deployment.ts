// Railway deployment statuses: which ones mean the deployment will never prove anything. One place
// for the rule, used by the watch (a new deployment that ends this way fails the service) and by
// doctor (a latest deployment that crashed).

/** It ran, or tried to, and failed: build failure or a crash. */
const FAILED = new Set(['FAILED', 'CRASHED']);
/** It will never run: cancelled by a newer deployment, or skipped. */
const WONT_RUN = new Set(['REMOVED', 'SKIPPED']);

const norm = (status: string) => status.trim().toUpperCase();

export function deploymentFailed(status: string | null | undefined): boolean {
  return status != null && FAILED.has(norm(status));
}

/** A watched deployment in one of these states ends the wait as a failure. */
export function deploymentEnded(status: string | null | undefined): boolean {
  return status != null && (FAILED.has(norm(status)) || WONT_RUN.has(norm(status)));
}
