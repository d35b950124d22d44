// .env edits at the byte level. Pure. The text editors (core/envfile.ts) work on decoded text, where
// invalid UTF-8 has become U+FFFD; writing that text back would rewrite bytes the user never asked
// us to touch (a Latin-1 comment, a binary prefix). So the edit is mapped back to lines: every line
// the edit did not change is copied byte for byte from the original file.

const LF = 0x0a;

/** Byte ranges of the lines of a file, split at LF (CR stays inside its line, as in the text). */
function lineRanges(bytes: Uint8Array): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === LF) {
      ranges.push([start, i]);
      start = i + 1;
    }
  }
  ranges.push([start, bytes.length]);
  return ranges;
}

/**
 * The file as text, the way Node reads it with 'utf8' (invalid sequences become U+FFFD, a BOM stays).
 * LF never occurs inside a UTF-8 sequence, so decoding line by line gives the same text as a whole.
 */
export function decodeEnvBytes(bytes: Uint8Array): string {
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  return lineRanges(bytes)
    .map(([s, e]) => decoder.decode(bytes.subarray(s, e)))
    .join('\n');
}

/** Whether the bytes are valid UTF-8 (python-dotenv raises UnicodeDecodeError otherwise). */
export function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * Apply a text edit to the bytes: lines equal before and after (compared as text) keep their
 * original bytes; only the changed lines are written, as UTF-8.
 */
export function applyTextEditToBytes(original: Uint8Array, before: string, after: string): Uint8Array {
  const oldRanges = lineRanges(original);
  const oldLines = before.split('\n');
  const newLines = after.split('\n');
  if (oldLines.length !== oldRanges.length) throw new Error('the text does not come from these bytes');
  let prefix = 0;
  while (prefix < oldLines.length && prefix < newLines.length && oldLines[prefix] === newLines[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < oldLines.length - prefix &&
    suffix < newLines.length - prefix &&
    oldLines[oldLines.length - 1 - suffix] === newLines[newLines.length - 1 - suffix]
  )
    suffix++;
  const encoder = new TextEncoder();
  const pieces: Uint8Array[] = [
    ...oldRanges.slice(0, prefix).map(([s, e]) => original.subarray(s, e)),
    ...newLines.slice(prefix, newLines.length - suffix).map((line) => encoder.encode(line)),
    ...oldRanges.slice(oldRanges.length - suffix).map(([s, e]) => original.subarray(s, e)),
  ];
  return joinLines(pieces);
}

function joinLines(pieces: Uint8Array[]): Uint8Array {
  const total = pieces.reduce((n, p) => n + p.length, 0) + Math.max(0, pieces.length - 1);
  const out = new Uint8Array(total);
  let at = 0;
  pieces.forEach((p, i) => {
    if (i > 0) out[at++] = LF;
    out.set(p, at);
    at += p.length;
  });
  return out;
}
