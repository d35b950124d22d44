// How the CLI fails. A runtime error prints anyhow's `{err:?}` (message, then "Caused by:" lines, then a
// v5.3+ hint) on stderr and exits 1; a clap usage error exits 2 (facts sheet railway-cli.md §0, §2).

/** A command error (render_error in the CLI): stderr text, exit 1 unless told otherwise. */
export class RwError extends Error {
  readonly hint: string | undefined;
  readonly causes: string[];
  readonly exit: number;

  constructor(message: string, opts: { hint?: string | undefined; causes?: string[]; exit?: number } = {}) {
    super(message);
    this.hint = opts.hint;
    this.causes = opts.causes ?? [];
    this.exit = opts.exit ?? 1;
  }

  /** anyhow's Debug format plus the hint line. */
  render(): string {
    let text = this.message;
    if (this.causes.length === 1) text += `\n\nCaused by:\n    ${this.causes[0]}`;
    else if (this.causes.length > 1)
      text += `\n\nCaused by:\n${this.causes.map((c, i) => `    ${i}: ${c}`).join('\n')}`;
    return this.hint ? `${text}\n  → ${this.hint}` : text;
  }
}

/** clap's usage errors: the full text is the message, exit 2. */
export class ClapError extends Error {}

/** Leave now with this code (output already written). */
export class Exit extends Error {
  readonly code: number;
  constructor(code: number) {
    super(`exit ${code}`);
    this.code = code;
  }
}

/** An error the Railway API reports inside a valid GraphQL request (HTTP 200, `errors[]`). */
export class ApiError extends Error {}
