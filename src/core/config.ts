// redis-setup.json: the project's committed, secrets-free settings, and the role pattern templates.
// Pure: callers read the files; this module validates text and values and explains what is wrong.
// zod/mini, as everywhere: one small shared copy keeps `check` fast to start.
import * as z from 'zod/mini';
import type { Pattern, RolePatterns } from './health.js';
import { checkRegexSafety, MAX_PATTERN_LENGTH } from './safe-regex.js';

import { type Parsed, PROVIDERS, type Role, ROLES, VARIABLE_NAME } from './names.js';

export { type Parsed, PROVIDERS, type Role, ROLES, rolesFromFlag, type ServiceRole, VARIABLE_NAME } from './names.js';

export const CONFIG_FILE_NAME = 'redis-setup.json';
const oneOf = (values: readonly string[]) => `expected one of ${values.join(', ')}`;

// ── Secrets guard ────────────────────────────────────────────────────────────────────────────

const SECRET_KEY = /pass(word)?|passwd|pwd|secret|token|api[-_]?key|credential|auth|ur[li]|dsn/i;
const COMMITTED =
  `${CONFIG_FILE_NAME} is committed to git, so secrets must not go there; keep ` +
  `them in .env or in Railway variables`;

const SCHEME_CHAR = /[a-z0-9+.-]/i;
const LETTER = /[a-z]/i;
const AUTHORITY_END = /[\s/@]/;

/**
 * Whether the text holds `scheme://user:password@`, in one linear pass (the regex form of this
 * backtracked: a 300 KB string took minutes). For each `://`: the scheme characters before it
 * include a letter, and the part after it up to the first space, `/` or `@` ends at `@` and has a
 * `:`.
 */
export function hasCredentialsInUrl(text: string): boolean {
  for (let at = text.indexOf('://'); at >= 0; at = text.indexOf('://', at + 3)) {
    let start = at;
    while (start > 0 && SCHEME_CHAR.test(text[start - 1] as string)) start--;
    if (!LETTER.test(text.slice(start, at))) continue;
    let end = at + 3;
    while (end < text.length && !AUTHORITY_END.test(text[end] as string)) end++;
    if (text[end] === '@' && text.slice(at + 3, end).includes(':')) return true;
  }
  return false;
}

/** Adds an issue for every key named like a secret and every URL with user:password@ in it. */
function rejectSecrets(
  value: unknown,
  ctx: { addIssue(issue: { code: 'custom'; path: (string | number)[]; message: string }): void },
  path: (string | number)[] = [],
): void {
  if (typeof value === 'string') {
    if (hasCredentialsInUrl(value)) {
      ctx.addIssue({ code: 'custom', path, message: `looks like a URL with a password (${COMMITTED})` });
    }
  } else if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) rejectSecrets(item, ctx, [...path, i]);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (key !== '$schema' && SECRET_KEY.test(key)) {
        ctx.addIssue({
          code: 'custom',
          path: [...path, key],
          message: `a key named like a secret is not allowed (${COMMITTED})`,
        });
      } else {
        rejectSecrets(item, ctx, [...path, key]);
      }
    }
  }
}

// ── Schemas ──────────────────────────────────────────────────────────────────────────────────

function isValidRegex(source: string, flags = ''): boolean {
  try {
    new RegExp(source, flags);
    return true;
  } catch {
    return false;
  }
}

/** More patterns than this in one list is not a log check any more (each runs on every line). */
export const MAX_PATTERNS_PER_LIST = 32;
const tooLong = `a pattern is at most ${MAX_PATTERN_LENGTH} characters`;
const shortLabel = (regex: string) => `/${regex.length > 60 ? `${regex.slice(0, 60)}…` : regex}/`;

export const RegexPatternSchema = z
  .strictObject({
    regex: z.string().check(z.minLength(1, 'a regex cannot be empty'), z.maxLength(MAX_PATTERN_LENGTH, tooLong)),
    flags: z.optional(z.string().check(z.regex(/^[imsu]*$/, 'flags may only contain i, m, s, u'))),
    times: z.optional(z.int().check(z.gte(1, 'times is at least 1'), z.lte(20, 'times is at most 20'))),
  })
  .check(
    z.superRefine((p, ctx) => {
      if (!isValidRegex(p.regex, p.flags)) {
        ctx.addIssue({ code: 'custom', message: 'not a valid JavaScript regular expression', path: ['regex'] });
        return;
      }
      const safety = checkRegexSafety(p.regex);
      if (!safety.ok) {
        ctx.addIssue({
          code: 'custom',
          message: `${shortLabel(p.regex)} is refused: ${safety.reason}`,
          path: ['regex'],
        });
      }
    }),
  );

export const PatternSchema: z.ZodMiniType<Pattern> = z.union([
  z
    .string()
    .check(
      z.minLength(1, 'a pattern cannot be empty (it would match every line)'),
      z.maxLength(MAX_PATTERN_LENGTH, tooLong),
    ),
  RegexPatternSchema,
]);

const PatternListSchema = z
  .array(PatternSchema)
  .check(z.maxLength(MAX_PATTERNS_PER_LIST, `at most ${MAX_PATTERNS_PER_LIST} patterns per list`));

const RolePatternsOverrideSchema = z
  .strictObject({
    success: z.optional(PatternListSchema),
    failure: z.optional(PatternListSchema),
  })
  .check(
    z.superRefine((role, ctx) => {
      for (const [i, p] of (role.success ?? []).entries()) {
        if (typeof p === 'object' && p.times !== undefined) {
          const message = 'times counts repeats of a failure line; a success line proves health the first time';
          ctx.addIssue({ code: 'custom', path: ['success', i, 'times'], message });
        }
      }
    }),
  );
export type RolePatternsOverride = z.infer<typeof RolePatternsOverrideSchema>;

const PatternOverridesSchema = z.strictObject({
  bot: z.optional(RolePatternsOverrideSchema),
  worker: z.optional(RolePatternsOverrideSchema),
  web: z.optional(RolePatternsOverrideSchema),
  custom: z.optional(RolePatternsOverrideSchema),
});
export type PatternOverrides = z.infer<typeof PatternOverridesSchema>;

export const RoleSchema = z.enum(ROLES, { error: oneOf(ROLES) });
const NameSchema = z.string().check(z.trim(), z.minLength(1, 'cannot be empty'));

export const ServiceSchema = z.strictObject({ name: NameSchema, role: RoleSchema });

const VariableSchema = z
  .string()
  .check(
    z.regex(VARIABLE_NAME, 'must be an environment variable name (letters, digits, _; not starting with a digit)'),
  );

const ProjectConfigShape = z
  .strictObject({
    $schema: z.optional(z.string()),
    provider: z.optional(z.enum(PROVIDERS, { error: oneOf(PROVIDERS) })),
    redisService: z.optional(NameSchema),
    variable: z._default(VariableSchema, 'REDIS_URL'),
    environment: z.optional(NameSchema),
    services: z.optional(z.array(ServiceSchema)),
    patterns: z.optional(PatternOverridesSchema),
    settleSeconds: z.optional(z.number().check(z.gte(0), z.lte(3600))),
    timeoutSeconds: z.optional(z.number().check(z.gte(1), z.lte(3600))),
  })
  .check(
    z.superRefine((config, ctx) => {
      const names = new Set<string>();
      for (const [i, service] of (config.services ?? []).entries()) {
        const key = service.name.toLowerCase(); // Railway matches service names case-insensitively
        if (names.has(key))
          ctx.addIssue({ code: 'custom', path: ['services', i, 'name'], message: `"${service.name}" is listed twice` });
        names.add(key);
        if (service.role === 'custom' && !config.patterns?.custom?.success?.length) {
          ctx.addIssue({ code: 'custom', path: ['services', i, 'role'], message: customNeedsPatterns });
        }
      }
    }),
  );

const customNeedsPatterns =
  'role custom needs patterns.custom.success: the log lines that prove the service works with Redis';

/** The whole file: secrets are refused before anything else is checked. */
export const ProjectConfigSchema = z.pipe(
  z.unknown().check(z.superRefine((value, ctx) => rejectSecrets(value, ctx))),
  ProjectConfigShape,
);
export type ProjectConfig = z.output<typeof ProjectConfigShape>;

/** templates/patterns.json: a failure list shared by all roles, and success lists per role. */
const RoleTemplateSchema = z.strictObject({ success: PatternListSchema, failure: z.optional(PatternListSchema) });
export const PatternTemplatesSchema = z.strictObject({
  $comment: z.optional(z.string()),
  failure: PatternListSchema,
  roles: z.strictObject({
    bot: RoleTemplateSchema,
    worker: RoleTemplateSchema,
    web: RoleTemplateSchema,
    custom: RoleTemplateSchema,
  }),
});

export type PatternTemplates = Record<Role, RolePatterns>;

// ── Parsing with readable messages ───────────────────────────────────────────────────────────

/** Parse and validate the text of redis-setup.json. The message names each bad path; never a stack. */
export function parseProjectConfig(
  jsonText: string,
): { ok: true; config: ProjectConfig } | { ok: false; message: string } {
  const json = parseJson(jsonText);
  if (!json.ok) return json;
  const result = ProjectConfigSchema.safeParse(json.value, { reportInput: true });
  if (result.success) return { ok: true, config: result.data };
  return { ok: false, message: `${CONFIG_FILE_NAME}: ${formatIssues(result.error.issues)}` };
}

/** Validate templates/patterns.json (already parsed) and give each role its full lists. */
export function templatesFromJson(value: unknown): Parsed<PatternTemplates> {
  const result = PatternTemplatesSchema.safeParse(value, { reportInput: true });
  if (!result.success) return { ok: false, message: `templates/patterns.json: ${formatIssues(result.error.issues)}` };
  const { failure, roles } = result.data;
  const templates = {} as PatternTemplates;
  for (const role of ROLES)
    templates[role] = { success: roles[role].success, failure: [...failure, ...(roles[role].failure ?? [])] };
  return { ok: true, value: templates };
}

/** redis-setup.json is a few lines of settings; its size and nesting are capped before parsing. */
export const MAX_CONFIG_CHARS = 64 * 1024;
export const MAX_CONFIG_DEPTH = 16;

function parseJson(text: string): Parsed<unknown> {
  if (text.length > MAX_CONFIG_CHARS) {
    const size = `${Math.ceil(text.length / 1024)} KiB`;
    const why = `it holds a few settings, so at most ${MAX_CONFIG_CHARS / 1024} KiB is read`;
    return { ok: false, message: `${CONFIG_FILE_NAME} is ${size}; ${why}` };
  }
  if (jsonDepth(text) > MAX_CONFIG_DEPTH) {
    const depth = `more than ${MAX_CONFIG_DEPTH} levels deep; its settings need 5`;
    return { ok: false, message: `${CONFIG_FILE_NAME} nests objects or arrays ${depth}` };
  }
  try {
    return { ok: true, value: JSON.parse(text.replace(/^\uFEFF/, '')) };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, message: `${CONFIG_FILE_NAME} is not valid JSON: ${detail}` };
  }
}

/** The deepest nesting of [ and { outside strings, in one pass (before JSON.parse and zod recurse). */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
    } else if (c === '[' || c === '{') {
      deepest = Math.max(deepest, ++depth);
    } else if (c === ']' || c === '}') {
      depth--;
    }
  }
  return deepest;
}

/** `services[1].role` style. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

const MAX_ISSUES = 5;

export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  const lines = issues.flatMap((issue) => describeIssue(issue, []));
  const shown = [...new Set(lines)].slice(0, MAX_ISSUES);
  const more = lines.length - shown.length;
  return shown.join('; ') + (more > 0 ? ` (and ${more} more)` : '');
}

function describeIssue(issue: z.core.$ZodIssue, prefix: readonly PropertyKey[]): string[] {
  const path = [...prefix, ...issue.path];
  const at = (message: string) => (path.length > 0 ? `${formatPath(path)}: ${message}` : message);
  switch (issue.code) {
    case 'invalid_union': {
      // Report the branch that had the right basic type (a string, or an object), not every branch.
      const relevant = issue.errors.find(
        (branch) => !branch.some((i) => i.code === 'invalid_type' && i.path.length === 0),
      );
      if (relevant) return relevant.flatMap((i) => describeIssue(i, path));
      return [at('expected a text, or an object like { "regex": "..." }')];
    }
    case 'invalid_type':
      return [at(`expected ${article(issue.expected)}, got ${typeOf(issue.input)}`)];
    case 'unrecognized_keys':
      return issue.keys.map((key) => `${formatPath([...path, key])}: unknown key`);
    // zod/mini loads no locale: its own messages are all "Invalid input"; ours are kept as given.
    case 'invalid_value':
      return [at(isDefault(issue.message) ? oneOf(issue.values.map(String)) : issue.message)];
    case 'too_small':
      return [at(isDefault(issue.message) ? `must be at least ${String(issue.minimum)}` : issue.message)];
    case 'too_big':
      return [at(isDefault(issue.message) ? `must be at most ${String(issue.maximum)}` : issue.message)];
    default:
      return [at(issue.message)];
  }
}

const isDefault = (message: string) => message === 'Invalid input' || /^(Invalid|Too small|Too big)/.test(message);

function article(type: string): string {
  return type === 'array' || type === 'object' ? `an ${type}` : `a ${type}`;
}

function typeOf(input: unknown): string {
  if (input === undefined) return 'nothing';
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'an array';
  return typeof input;
}

// ── Patterns per role ────────────────────────────────────────────────────────────────────────

/** A list given for a role replaces that role's template list; lists not given keep the template. */
export function mergePatterns(templates: PatternTemplates, overrides: PatternOverrides = {}): PatternTemplates {
  const merged = {} as PatternTemplates;
  for (const role of ROLES) {
    const override = overrides[role];
    merged[role] = {
      success: [...(override?.success ?? templates[role].success)],
      failure: [...(override?.failure ?? templates[role].failure)],
    };
  }
  return merged;
}

/** The patterns to watch a service with; refuses a role with nothing that proves health. */
export function resolveRolePatterns(merged: PatternTemplates, role: Role): Parsed<RolePatterns> {
  const patterns = merged[role];
  if (patterns.success.length === 0) {
    const what = role === 'custom' ? customNeedsPatterns : `role ${role} has no success patterns`;
    return { ok: false, message: `${what} (set patterns.${role}.success in ${CONFIG_FILE_NAME})` };
  }
  return { ok: true, value: patterns };
}
