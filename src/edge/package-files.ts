// Files shipped in the package (templates/). Found by walking up from this module, which works
// from src/ under tsx and from the bundle in dist/ alike.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mergePatterns, templatesFromJson, type PatternOverrides, type PatternTemplates } from '../core/config.js';
import { CliError, EXIT } from '../errors.js';

let root: string | undefined;

export function packageRoot(): string {
  if (root) return root;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, 'templates')) && existsSync(path.join(dir, 'package.json'))) return (root = dir);
    const up = path.dirname(dir);
    if (up === dir) throw new Error('redis-setup: cannot find its templates/ folder; reinstall the package.');
    dir = up;
  }
}

export function templatePath(name: string): string {
  return path.join(packageRoot(), 'templates', name);
}

export function readTemplate(name: string): string {
  return readFileSync(templatePath(name), 'utf8');
}

/** templates/patterns.json with the project's overrides from redis-setup.json applied. */
export function loadRolePatterns(overrides: PatternOverrides | undefined): PatternTemplates {
  const parsed = templatesFromJson(JSON.parse(readTemplate('patterns.json')));
  if (!parsed.ok)
    throw new CliError(
      `templates/patterns.json is invalid: ${parsed.message}`,
      EXIT.usage,
      'Reinstall redis-setup.',
      'internal',
    );
  return mergePatterns(parsed.value, overrides);
}
