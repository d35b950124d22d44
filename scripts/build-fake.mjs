// Bundles the fake `railway` CLI the tests put first on PATH (test/fake-railway/src → dist/). Each fake
// call is a process start, so it runs as one plain ESM file, never through tsx; graphql (used by
// `railway api` only) loads lazily from its own chunk.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

const root = new URL('../test/fake-railway/', import.meta.url);
const outdir = new URL('dist/', root);

rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: {
    railway: new URL('src/main.ts', root).pathname,
    supervisor: new URL('src/supervisor.ts', root).pathname,
  },
  outdir: outdir.pathname,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  // graphql ships ESM under "module": lets esbuild drop the parts the fake API never uses.
  mainFields: ['module', 'main'],
  target: 'node20',
  minify: true,
  legalComments: 'none',
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
});
