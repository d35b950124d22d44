// Secret masking. Pure: no I/O. Everything printed, logged or put in --json passes through here.

/** Show only a short hint of a secret: first 2 and last 2 characters of long ones (enough to tell two apart), nothing of short ones. */
export function maskSecret(secret: string): string {
  if (secret.length === 0) return '';
  if (secret.length < 16) return '****';
  return `${secret.slice(0, 2)}****${secret.slice(-2)}`;
}

// user:password@ inside any scheme://… URL (redis, rediss, https, postgres…).
const CREDENTIALS_IN_URL = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:@/]*):([^\s@]*)@/gi;

/**
 * Mask every credential we can recognise in free text: `scheme://user:pass@` URLs, and any
 * literal secrets passed in (for example a password we know, also in its percent-encoded form).
 */
export function maskText(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(CREDENTIALS_IN_URL, (_m, scheme: string, user: string, pass: string) =>
    // Already masked text stays as it is, so masking twice changes nothing.
    pass === '' || pass.includes('****') ? `${scheme}${user}:${pass}@` : `${scheme}${user}:${maskSecret(safeDecode(pass))}@`,
  );
  const variants = new Set<string>();
  for (const s of secrets) {
    if (s.length < 4) continue; // too short to mask without mangling ordinary text
    variants.add(s);
    variants.add(encodeURIComponent(s));
  }
  // Longest first so an encoded form is not half-replaced by its raw substring.
  for (const s of [...variants].sort((a, b) => b.length - a.length)) {
    out = out.split(s).join(maskSecret(s));
  }
  return out;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
