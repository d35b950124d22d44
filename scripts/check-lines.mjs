// No line over 120 characters in the code we write (the formatter wraps code; long strings and
// comments it cannot wrap are caught here).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const MAX = 120;
const ROOTS = ['src', 'test', 'scripts', 'bench', 'bin'];
const SKIP = new Set(['node_modules', 'dist']);
const EXT = /\.(ts|mjs|js)$/;

function* files(dir) {
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) yield* files(full);
    else if (EXT.test(name)) yield full;
  }
}

const long = [];
for (const root of ROOTS) {
  for (const file of files(root)) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if ([...line].length > MAX) long.push(`${file}:${i + 1}: ${[...line].length} characters`);
      });
  }
}
if (long.length > 0) {
  process.stderr.write(`Lines over ${MAX} characters:\n${long.join('\n')}\n`);
  process.exit(1);
}
