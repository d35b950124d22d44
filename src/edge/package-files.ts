// Files shipped in the package (templates/). Found by walking up from this module, which works
// from src/ under tsx and from the bundle in dist/ alike.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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
