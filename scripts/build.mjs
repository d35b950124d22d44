// One ESM bundle with code splitting: the entry holds only argv parsing and help, so `--help` stays
// as fast as plain node; each command and heavy dependency loads lazily in its own chunk.
import { build } from 'esbuild';
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';

// What `check` loads before its first byte reaches Redis is mostly ioredis. These parts of it never
// run here, so the bundle carries a small stand-in instead (measured by `npm run bench`):
// - Cluster and Sentinel: redis-setup talks to one standalone server;
// - `debug`: with DEBUG=ioredis:* it would print every command, AUTH and its password included;
// - `assert` in redis-errors: a whole Node module for two checks in a parser error we never raise.
const STAND_INS = [
  {
    importer: /ioredis[\\/]built/,
    path: /^\.\/(cluster|connectors\/SentinelConnector|SentinelConnector)$/,
    contents:
      'class Unused { constructor() { throw new Error("redis-setup bundles ioredis without ' +
      'Cluster and Sentinel"); } }\nmodule.exports = { __esModule: true, default: Unused };',
  },
  {
    importer: /ioredis[\\/]built/,
    path: /^debug$/,
    contents:
      'const off = () => Object.assign(() => {}, { enabled: false, log() {}, extend: off, ' +
      'destroy() {} });\nmodule.exports = Object.assign(off, { default: off, enable() {}, ' +
      'disable() {}, enabled: () => false });',
  },
  {
    importer: /redis-errors[\\/]lib/,
    path: /^assert$/,
    contents:
      'function assert(ok) { if (!ok) throw new Error("assertion failed"); }\nassert.strictEqual ' +
      '= (a, b) => assert(a === b);\nmodule.exports = assert;',
  },
];

const standIns = {
  name: 'stand-ins',
  setup(b) {
    STAND_INS.forEach((standIn, i) => {
      b.onResolve({ filter: standIn.path }, (args) =>
        standIn.importer.test(args.importer) ? { path: String(i), namespace: 'stand-in' } : undefined,
      );
    });
    b.onLoad({ filter: /.*/, namespace: 'stand-in' }, (args) => ({
      contents: STAND_INS[Number(args.path)].contents,
      loader: 'js',
    }));
  },
};

// `check` is the command people run most and time: it ships as one file (ioredis inside), so its
// start-up reads and links one module instead of a dozen shared chunks.
const SOLO = { './commands/check.js': './check.js' };
const soloCommands = {
  name: 'solo-commands',
  setup(b) {
    b.onResolve({ filter: /^\.\/commands\// }, (args) =>
      SOLO[args.path] && /src[\\/]cli\.ts$/.test(args.importer) ? { path: SOLO[args.path], external: true } : undefined,
    );
  },
};

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

// Built beside dist/ and swapped in, so a run that starts during a rebuild never finds it half
// there.
const fresh = `dist.build-${process.pid}`;
rmSync(fresh, { recursive: true, force: true });
const common = {
  bundle: true,
  define: { __VERSION__: JSON.stringify(pkg.version) },
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  // Native addon: must stay a real package import.
  external: ['@lydell/node-pty'],
  // ioredis and dotenv are CommonJS and call require() for Node built-ins.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = " + '__cr(import.meta.url);' },
  logLevel: 'warning',
};
await Promise.all([
  build({
    ...common,
    entryPoints: { cli: 'src/cli.ts' },
    outdir: fresh,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    plugins: [standIns, soloCommands],
  }),
  build({ ...common, entryPoints: { check: 'src/commands/check.ts' }, outdir: fresh, plugins: [standIns] }),
]);

const old = `dist.old-${process.pid}`;
if (existsSync('dist')) renameSync('dist', old);
renameSync(fresh, 'dist');
rmSync(old, { recursive: true, force: true });
