// One registry of the secrets a run has seen (passwords of every URL it read or wrote). Every edge
// that prints or passes on text masks with it: the UI, the railway adapter, the log watcher.
import { maskText } from './mask.js';
import { isReference, passwordOf } from './url.js';

export class Secrets {
  private readonly values = new Set<string>();

  /** A raw secret, such as a password or a token. */
  add(secret: string | undefined | null): void {
    if (secret) this.values.add(secret);
  }

  /** The password inside a URL (a reference holds none). */
  addUrl(url: string | undefined | null): void {
    if (!url || isReference(url)) return;
    this.add(passwordOf(url));
  }

  mask(text: string): string {
    return maskText(text, [...this.values]);
  }

  /** For tests and the adapter's own checks. */
  all(): readonly string[] {
    return [...this.values];
  }
}
