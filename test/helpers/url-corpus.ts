// A seeded corpus of URL-ish texts that each hold a known password: the shapes people paste by
// mistake (issue 11), mutated a few hundred ways. Used by the masking fuzz test and the oracle test.

/** mulberry32: small, seeded, good enough to spread mutations. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PW = '\u0000PW\u0000'; // placeholder, replaced after mutation so mutations never split the password

/** The shapes of issue 11, plus well-formed URLs. HOST and PORT are filled per corpus. */
export const SHAPES = [
  `redis://default:${PW}@HOST:PORT`,
  `rediss://default:${PW}@HOST:PORT/0`,
  `redis://:${PW}@HOST:PORT/2`,
  `redis://${PW}@HOST:PORT`,
  `redis:/default:${PW}@HOST:1`,
  `redis:default:${PW}@HOST`,
  `//default:${PW}@HOST`,
  `default:${PW}@HOST`,
  `${PW}@HOST:1`,
  `redis://default:${PW}`,
  `redis://HOST:1?password=${PW}`,
  `redis://HOST:1#${PW}`,
  `redis://HOST:PORT/0?client_name=me&password=${PW}`,
  `REDIS_URL=redis://default:${PW}@HOST:PORT`,
  `"redis://default:${PW}@HOST:PORT"`,
  `rediss://user:${PW}@HOST:PORT?ssl_cert_reqs=none`,
];

const NOISE = [
  '@',
  ':',
  '/',
  '#',
  '?',
  '%',
  '+',
  ' ',
  '[',
  ']',
  '&',
  '=',
  ';',
  '"',
  "'",
  '\\',
  'é',
  '\t',
  '//',
  '::',
  '@@',
  '%zz',
  '%40',
  'x',
];

function mutate(template: string, rnd: () => number): string {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  let t = template;
  const ops = 1 + Math.floor(rnd() * 3);
  for (let i = 0; i < ops; i++) {
    const safe = [...Array(t.length + 1).keys()].filter((p) => !insidePlaceholder(t, p));
    const at = pick(safe);
    const r = rnd();
    if (r < 0.55) t = t.slice(0, at) + pick(NOISE) + t.slice(at);
    else if (r < 0.8 && at < t.length && !insidePlaceholder(t, at + 1) && t[at] !== '\u0000')
      t = t.slice(0, at) + t.slice(at + 1);
    else if (r < 0.9) t = t.replace(/^redis/i, pick(['REDIS', 'rediss', 'Redis', 'http', '']));
    else t = `${t}${pick(['?x=1', '#frag', '/3', '?db=1&db=2', '?family=0', `#${PW}`])}`;
  }
  return t;
}

function insidePlaceholder(t: string, p: number): boolean {
  const start = t.indexOf(PW);
  return start !== -1 && p > start && p < start + PW.length;
}

export interface CorpusItem {
  text: string;
  secret: string;
}

/** Passwords that are long enough to show a hint when masked, some with characters that must be encoded. */
export const FUZZ_PASSWORDS = [
  'Zq7-Secret-Pw-Value-91',
  'p@ss:w/rd#?%&+ =é-Long-Secret',
  'it\'s"`${X}=[x];&|<>^{}-Secret-42',
];

export function urlCorpus(opts: { seed: number; size: number; host: string; port: number }): CorpusItem[] {
  const rnd = prng(opts.seed);
  const out: CorpusItem[] = [];
  for (let i = 0; i < opts.size; i++) {
    const shape = SHAPES[i % SHAPES.length]!;
    const template = i < SHAPES.length ? shape : mutate(shape, rnd);
    const secret = FUZZ_PASSWORDS[Math.floor(rnd() * FUZZ_PASSWORDS.length)]!;
    const form = rnd() < 0.5 ? secret : encodeURIComponent(secret);
    const text = template.replaceAll('HOST', opts.host).replaceAll('PORT', String(opts.port)).split(PW).join(form);
    out.push({ text, secret });
  }
  return out;
}
