// One ESM bundle with code splitting: the entry holds only argv parsing and help, so `--help` stays
// as fast as plain node; each command and heavy dependency loads lazily in its own chunk.
import { build } from 'esbuild';
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

// Built beside dist/ and swapped in, so a run that starts during a rebuild never finds it half there.
const fresh = `dist.build-${process.pid}`;
rmSync(fresh, { recursive: true, force: true });
await build({
  entryPoints: { cli: 'src/cli.ts' },
  outdir: fresh,
  bundle: true,
  define: { __VERSION__: JSON.stringify(pkg.version) },
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  chunkNames: 'chunks/[name]-[hash]',
  // Native addon: must stay a real package import.
  external: ['@lydell/node-pty'],
  // ioredis and dotenv are CommonJS and call require() for Node built-ins.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
});

const old = `dist.old-${process.pid}`;
if (existsSync('dist')) renameSync('dist', old);
renameSync(fresh, 'dist');
rmSync(old, { recursive: true, force: true });
