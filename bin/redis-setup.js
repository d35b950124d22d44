#!/usr/bin/env node
// Thin shim: fail fast on an old Node, warm the compile cache where Node has one, then load one bundle.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 12)) {
  process.stderr.write(`redis-setup needs Node.js 20.12 or newer (found ${process.versions.node}).\nFix: install a current Node.js LTS, then run npx redis-setup again.\n`);
  process.exit(2);
}
try {
  const { enableCompileCache } = await import('node:module');
  if (typeof enableCompileCache === 'function') enableCompileCache();
} catch {}
await import('../dist/cli.js');
