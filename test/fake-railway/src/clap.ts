// A clap-like argv parser: the flags and subcommands a given CLI version knows, clap's error texts
// (stderr, exit 2) and help text (stdout, exit 0). The command table is in spec.ts.
import { ClapError } from './errors.ts';
import { versionAtLeast } from './version.ts';

export interface FlagSpec {
  long: string;
  short?: string;
  /** Other long names (`--tail` for `--lines`). */
  aliases?: string[];
  /** Value names; none for a switch. Several for clap's number_of_values (e.g. SERVICE PATH VALUE). */
  values?: string[];
  number?: boolean;
  multiple?: boolean;
  since?: string;
  /** Flags of one group exclude each other. */
  group?: string;
  default?: number;
  /** clap-level value check, e.g. legacy `--set K=V`: returns the error detail. */
  check?: (value: string) => string | undefined;
}

export interface PositionalSpec {
  name: string;
  required?: boolean;
  multiple?: boolean;
}

export interface CommandSpec {
  since?: string;
  aliases?: (string | { name: string; since: string })[];
  flags?: FlagSpec[];
  positionals?: PositionalSpec[];
  subcommands?: Record<string, CommandSpec>;
  /** `railway deployment` alone: clap prints the help on stderr, exit 2. */
  requiresSubcommand?: boolean;
  /** Exists in the real CLI, but this fake does not play it. */
  notFaked?: boolean;
}

type OptionValue = string | number | boolean | string[];

/** Parsed flag values by long name. */
export class Options {
  constructor(private readonly values: ReadonlyMap<string, OptionValue>) {}

  str(name: string): string | undefined {
    const v = this.values.get(name);
    return typeof v === 'string' ? v : undefined;
  }

  bool(name: string): boolean {
    return this.values.get(name) === true;
  }

  num(name: string): number | undefined {
    const v = this.values.get(name);
    return typeof v === 'number' ? v : undefined;
  }

  list(name: string): string[] {
    const v = this.values.get(name);
    return Array.isArray(v) ? v : [];
  }

  has(name: string): boolean {
    return this.values.has(name);
  }
}

export type Parsed =
  | { kind: 'command'; path: string[]; opts: Options; pos: string[] }
  | { kind: 'version' }
  | { kind: 'help'; path: string[]; spec: CommandSpec; bare: boolean }
  | { kind: 'notFaked'; path: string[] };

const visible = (since: string | undefined, version: string) => !since || versionAtLeast(version, since);

function aliasNames(spec: CommandSpec, version: string): string[] {
  return (spec.aliases ?? []).flatMap((a) => (typeof a === 'string' ? [a] : visible(a.since, version) ? [a.name] : []));
}

export function visibleSubcommands(spec: CommandSpec, version: string): [string, CommandSpec][] {
  return Object.entries(spec.subcommands ?? {}).filter(([, s]) => visible(s.since, version));
}

function findSubcommand(spec: CommandSpec, name: string, version: string): [string, CommandSpec] | undefined {
  return visibleSubcommands(spec, version).find(([k, s]) => k === name || aliasNames(s, version).includes(name));
}

export const flagDisplay = (fl: FlagSpec) => [`--${fl.long}`, ...(fl.values ?? []).map((v) => `<${v}>`)].join(' ');

export function usageLine(path: string[], spec: CommandSpec, version: string, commandRequired = false): string {
  const subs = visibleSubcommands(spec, version);
  const pos = (spec.positionals ?? []).map(
    (p) => (p.required ? `<${p.name}>` : `[${p.name}]`) + (p.multiple ? '...' : ''),
  );
  const parts = ['railway', ...path];
  if ((spec.flags ?? []).length) parts.push('[OPTIONS]');
  if (subs.length && (spec.requiresSubcommand || commandRequired)) parts.push('<COMMAND>');
  else if (subs.length && !pos.length) parts.push('[COMMAND]');
  parts.push(...pos);
  return `Usage: ${parts.join(' ')}`;
}

export function helpText(path: string[], spec: CommandSpec, version: string): string {
  const lines = [
    path.length ? `railway ${path.join(' ')}` : 'Interact with Railway via CLI',
    '',
    usageLine(path, spec, version),
  ];
  const subs = visibleSubcommands(spec, version);
  if (subs.length) lines.push('', 'Commands:', ...subs.map(([k]) => `  ${k}`));
  lines.push('', 'Options:');
  for (const fl of (spec.flags ?? []).filter((f) => visible(f.since, version))) {
    lines.push(`  ${fl.short ? `-${fl.short}, ` : '    '}${flagDisplay(fl)}`);
  }
  lines.push('  -h, --help     Print help');
  if (!path.length) lines.push('  -V, --version  Print version');
  return lines.join('\n');
}

const looksLikeFlag = (a: string) => a.startsWith('-') && a.length > 1 && !/^-\d/.test(a);

/** One parse of argv against the command table, for one CLI version. */
class Parser {
  private i = 0;
  private readonly path: string[] = [];
  private spec: CommandSpec;
  private values = new Map<string, OptionValue>();
  private readonly pos: string[] = [];

  constructor(
    private readonly args: string[],
    private readonly version: string,
    private readonly root: CommandSpec,
  ) {
    this.spec = root;
  }

  private clap(msg: string, withUsage = true, commandRequired = false): ClapError {
    const usage = withUsage ? `\n\n${usageLine(this.path, this.spec, this.version, commandRequired)}` : '';
    return new ClapError(`error: ${msg}${usage}\n\nFor more information, try '--help'.`);
  }

  parse(): Parsed {
    const top = this.parseTopLevel();
    if (top) return top;
    for (;;) {
      this.enterSubcommand(this.args[this.i]!);
      if (this.spec.notFaked) return { kind: 'notFaked', path: [...this.path] };
      const stop = this.parseLevel();
      if (stop === 'help') return { kind: 'help', path: [...this.path], spec: this.spec, bare: false };
      if (stop !== 'subcommand') break;
    }
    return this.finish();
  }

  /** Before the first subcommand only --help/--version are allowed. */
  private parseTopLevel(): Parsed | undefined {
    const a = this.args[0];
    if (a === undefined) return { kind: 'help', path: [], spec: this.root, bare: true };
    if (a === '--version' || a === '-V') return { kind: 'version' };
    if (a === '--help' || a === '-h') return { kind: 'help', path: [], spec: this.root, bare: false };
    if (a.startsWith('-')) {
      throw this.clap(
        `unexpected argument '${a}' found\n\n  tip: to pass '${a}' as a value, use '-- ${a}'`,
        true,
        true,
      );
    }
    return undefined;
  }

  private enterSubcommand(name: string): void {
    const entry = findSubcommand(this.spec, name, this.version);
    if (!entry) throw this.clap(`unrecognized subcommand '${name}'`, true, true);
    this.path.push(entry[0]);
    this.spec = entry[1];
    this.values = new Map();
    this.i++;
  }

  /** Flags and positionals of the current level, until a subcommand name or the end. */
  private parseLevel(): 'end' | 'subcommand' | 'help' {
    for (; this.i < this.args.length; this.i++) {
      const a = this.args[this.i]!;
      if (a === '--') {
        this.pos.push(...this.args.slice(this.i + 1));
        this.i = this.args.length;
        return 'end';
      }
      if (a === '--help' || a === '-h') return 'help';
      if (a.startsWith('--')) {
        this.longFlag(a);
        continue;
      }
      if (looksLikeFlag(a)) {
        this.shortFlags(a);
        continue;
      }
      if (this.pos.length === 0 && findSubcommand(this.spec, a, this.version)) return 'subcommand';
      this.positional(a);
    }
    return 'end';
  }

  private flags(): FlagSpec[] {
    return (this.spec.flags ?? []).filter((fl) => visible(fl.since, this.version));
  }

  private longFlag(a: string): void {
    const [name = '', inline] = a.slice(2).split(/=(.*)/s);
    const fl = this.flags().find((x) => x.long === name || (x.aliases ?? []).includes(name));
    if (!fl)
      throw this.clap(
        `unexpected argument '--${name}' found\n\n  tip: to pass '--${name}' as a value, use '-- --${name}'`,
      );
    this.take(fl, inline);
  }

  /** -y, clustered -yd, and values attached as -sbot or -s=bot. */
  private shortFlags(a: string): void {
    for (let j = 1; j < a.length; j++) {
      const ch = a[j]!;
      const fl = this.flags().find((x) => x.short === ch);
      if (!fl)
        throw this.clap(`unexpected argument '-${ch}' found\n\n  tip: to pass '-${ch}' as a value, use '-- -${ch}'`);
      if (fl.values) {
        let rest = a.slice(j + 1);
        if (rest.startsWith('=')) rest = rest.slice(1);
        this.take(fl, rest === '' ? undefined : rest);
        return;
      }
      this.take(fl, undefined);
    }
  }

  private positional(a: string): void {
    const slots = this.spec.positionals ?? [];
    const slot = slots[Math.min(this.pos.length, slots.length - 1)];
    if (!slot || (this.pos.length >= slots.length && !slot.multiple)) {
      if (!slots.length && visibleSubcommands(this.spec, this.version).length) {
        throw this.clap(`unrecognized subcommand '${a}'`, true, true);
      }
      throw this.clap(`unexpected argument '${a}' found`);
    }
    this.pos.push(a);
  }

  private take(fl: FlagSpec, inline: string | undefined): void {
    this.checkConflicts(fl);
    if (!fl.values) {
      if (inline !== undefined)
        throw this.clap(`unexpected value '${inline}' for '${flagDisplay(fl)}' found; no more were expected`);
      this.values.set(fl.long, true);
      return;
    }
    const taken = this.takeValues(fl, inline);
    for (const value of taken) this.store(fl, value);
  }

  private checkConflicts(fl: FlagSpec): void {
    if (this.values.has(fl.long) && !fl.multiple) {
      throw this.clap(`the argument '${flagDisplay(fl)}' cannot be used multiple times`);
    }
    const other =
      fl.group && this.flags().find((x) => x.group === fl.group && x.long !== fl.long && this.values.has(x.long));
    if (other) throw this.clap(`the argument '${flagDisplay(fl)}' cannot be used with '${flagDisplay(other)}'`);
  }

  /** The flag's value(s): inline, or the next argv element(s). */
  private takeValues(fl: FlagSpec, inline: string | undefined): string[] {
    const want = fl.values?.length ?? 1;
    const taken = inline === undefined ? [] : [inline];
    while (taken.length < want) {
      const next = this.args[this.i + 1];
      if (next === undefined || looksLikeFlag(next)) break;
      taken.push(next);
      this.i++;
    }
    if (taken.length === 0)
      throw this.clap(`a value is required for '${flagDisplay(fl)}' but none was supplied`, false);
    if (taken.length < want) {
      throw this.clap(
        `${want} values required by '${flagDisplay(fl)}'; ` +
          `only ${taken.length} ${taken.length === 1 ? 'was' : 'were'} provided`,
      );
    }
    return taken;
  }

  private store(fl: FlagSpec, raw: string): void {
    let value: string | number = raw;
    if (fl.number) {
      if (!/^-?\d+$/.test(raw))
        throw this.clap(`invalid value '${raw}' for '${flagDisplay(fl)}': invalid digit found in string`, false);
      value = Number(raw);
    }
    const problem = fl.check?.(raw);
    if (problem) throw this.clap(`invalid value '${raw}' for '${flagDisplay(fl)}': ${problem}`, false);
    if (fl.multiple) {
      const list = this.values.get(fl.long);
      this.values.set(fl.long, [...(Array.isArray(list) ? list : []), String(value)]);
    } else {
      this.values.set(fl.long, value);
    }
  }

  private finish(): Parsed {
    const missing = (this.spec.positionals ?? []).filter((p, idx) => p.required && this.pos.length <= idx);
    if (missing.length) {
      const names = missing.map((p) => `  <${p.name}>${p.multiple ? '...' : ''}`).join('\n');
      throw this.clap(`the following required arguments were not provided:\n${names}`);
    }
    if (this.spec.requiresSubcommand) throw new ClapError(helpText(this.path, this.spec, this.version));
    for (const fl of this.spec.flags ?? []) {
      if (fl.default !== undefined && !this.values.has(fl.long)) this.values.set(fl.long, fl.default);
    }
    return { kind: 'command', path: [...this.path], opts: new Options(this.values), pos: [...this.pos] };
  }
}

/** Parse argv like clap would for this CLI version (throws ClapError for usage errors). */
export function parseArgs(args: string[], version: string, root: CommandSpec): Parsed {
  return new Parser(args, version, root).parse();
}
