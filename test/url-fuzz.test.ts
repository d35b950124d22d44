// Masking fuzz: a seeded corpus of URL-ish texts, each holding a known password (the shapes of
// issue 11, mutated). In-process, the whole corpus goes through maskText, maskUrl and analyzeUrl;
// the BUILT binary runs `check --json` and plain `check` on a spread subset. The password must
// never
// appear, raw or percent-encoded. Hosts are 127.0.0.1 on a closed port, so every run ends fast.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { maskText } from '../src/core/mask.ts';
import { analyzeUrl, encodeStrict, maskUrl } from '../src/core/url.ts';
import { assertNoSecret, runCli } from './helpers/cli.ts';
import { freePort } from './helpers/redis.ts';
import { urlCorpus, type CorpusItem } from './helpers/url-corpus.ts';

const SEED = 20261128;
const SIZE = 600;
const BINARY_RUNS = 40;
let corpus: CorpusItem[];

before(async () => {
  corpus = urlCorpus({ seed: SEED, size: SIZE, host: '127.0.0.1', port: await freePort() });
});

const forms = (secret: string) => [...new Set([secret, encodeURIComponent(secret), encodeStrict(secret)])];

function assertHidden(out: string, secret: string, what: string, index: number): void {
  for (const form of forms(secret)) {
    // The failure names the corpus index and shows the output with the secret cut out.
    assert.ok(
      !out.includes(form),
      `${what} leaked the password for corpus[${index}] (seed ${SEED}): ${out.split(form).join('<SECRET>')}`,
    );
  }
}

/**
 * What analyzeUrl lets callers print: issue and warning texts (the url/normalized/readings fields
 * hold the
 * secret by design).
 */
function printable(text: string): string {
  const a = analyzeUrl(text);
  return a.ok
    ? JSON.stringify(a.warnings)
    : JSON.stringify({ code: a.issue.code, message: a.issue.message, fix: a.issue.fix });
}

test(`maskText, maskUrl and analyzeUrl hide the password in all ${SIZE} corpus texts`, () => {
  const shapes = new Set<string>();
  corpus.forEach(({ text, secret }, i) => {
    assertHidden(maskText(text), secret, 'maskText', i);
    assertHidden(maskText(`failed: ${text} (retrying)`), secret, 'maskText in a sentence', i);
    assertHidden(maskUrl(text), secret, 'maskUrl', i);
    assertHidden(printable(text), secret, 'analyzeUrl', i);
    const a = analyzeUrl(text);
    shapes.add(a.ok ? 'ok' : a.issue.code);
  });
  // The corpus reaches every verdict that can print text, not only parse failures.
  for (const code of ['ok', 'invalid-url', 'ambiguous-url', 'unsupported-param', 'rest-url'])
    assert.ok(shapes.has(code), `no ${code} in the corpus`);
});

test(`the built binary never prints the password (check --json and plain, ${BINARY_RUNS} texts each)`, async () => {
  const step = Math.floor(SIZE / BINARY_RUNS);
  const picked = Array.from({ length: BINARY_RUNS }, (_, k) => corpus[k * step]!);
  const runs = picked.flatMap((item) =>
    [
      ['check', '--json', '--timeout', '1', item.text],
      ['check', '--timeout', '1', item.text],
    ].map((args) => ({ args, item })),
  );
  // A few at a time: each run is a fresh Node process.
  for (let i = 0; i < runs.length; i += 4) {
    await Promise.all(
      runs.slice(i, i + 4).map(async ({ args, item }) => {
        const r = await runCli(args, { timeoutMs: 15_000 });
        assert.ok(r.code === 1 || r.code === 2, `exit ${r.code} for corpus text ${picked.indexOf(item)}`);
        assertNoSecret(r, item.secret);
        for (const form of forms(item.secret))
          assert.ok(!`${r.stdout}${r.stderr}`.includes(form), 'password leaked percent-encoded');
      }),
    );
  }
});
