// JSON the way the Rust CLI reads and prints it (serde_json).

/** serde_json without `preserve_order` (railwayapp/cli Cargo.lock v5.43.1): every Value map prints
 *  with sorted keys, so `railway api` re-prints the API body sorted. */
export function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(obj)
        .sort()
        .map((k) => [k, sortKeysDeep(obj[k])]),
    );
  }
  return value;
}

/** serde's `to_string_pretty` (2 spaces) or `to_string`. */
export const printJson = (value: unknown, compact: boolean) =>
  compact ? JSON.stringify(value) : JSON.stringify(value, null, 2);

function lineColumn(text: string, position: number): string {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - (before.lastIndexOf('\n') + 1);
  return `line ${line} column ${column}`;
}

export type JsonParse = { ok: true; value: unknown } | { ok: false; cause: string };

/** JSON.parse with a serde_json-like cause line for errors (approximate: serde's exact wording and
 *  column are only reproduced for empty input and for errors V8 reports with a position). */
export function parseJson(text: string): JsonParse {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    if (text.trim() === '')
      return { ok: false, cause: `EOF while parsing a value at ${lineColumn(text, text.length)}` };
    const at = /position (\d+)/.exec(String((e as Error).message));
    const position = at ? Number(at[1]) + 1 : 1;
    return { ok: false, cause: `expected value at ${lineColumn(text, Math.min(position, text.length))}` };
  }
}

/** BTreeMap fields of the CLI's EnvironmentConfig structs marked skip_serializing_if = "BTreeMap::is_empty". */
const SKIPPED_WHEN_EMPTY = new Set([
  'services',
  'sharedVariables',
  'volumes',
  'buckets',
  'variables',
  'volumeMounts',
  'serviceDomains',
  'customDomains',
  'tcpProxies',
]);

/** `#[skip_serializing_none]` plus the empty-map skips: what the CLI's own structs drop when they
 *  print a config it read (src/controllers/config/environment.rs, v5.43.1). */
export function asCliConfigStruct(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asCliConfigStruct);
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === null || v === undefined) continue;
    const cleaned = asCliConfigStruct(v);
    const emptyMap = cleaned && typeof cleaned === 'object' && !Array.isArray(cleaned) && !Object.keys(cleaned).length;
    if (emptyMap && SKIPPED_WHEN_EMPTY.has(k)) continue;
    out[k] = cleaned;
  }
  return out;
}
