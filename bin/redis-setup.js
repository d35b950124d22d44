#!/usr/bin/env node
// Thin shim: fail fast on an old Node, warm the compile cache where Node has one, then load one
// bundle. Kept in plain JavaScript so it runs before anything is built.
import { existsSync } from 'node:fs';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 12)) {
  process.stderr.write(
    `redis-setup needs Node.js 20.12 or newer (found ${process.versions.node}).\n` +
      'Fix: install a current Node.js LTS, then run npx redis-setup again.\n',
  );
  process.exit(2);
}
const bundle = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(bundle)) {
  // From a clone before a build: one line that says what to run, not a module-resolution stack.
  process.stderr.write('redis-setup is not built yet: run `npm ci` (it builds) or `npm run build` in its folder.\n');
  process.exit(2);
}
try {
  const { enableCompileCache } = await import('node:module');
  if (typeof enableCompileCache === 'function') enableCompileCache();
} catch {}
await import(bundle.href);
