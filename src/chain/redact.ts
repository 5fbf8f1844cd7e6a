// Secrets never reach a run's log: the values the platform knows (repository credentials, tokens, webhook
// secrets) are replaced wherever they appear, and text shaped like a well-known token is masked too, because a
// test command may print a secret the platform has never seen. A known value is also found encoded, as tools print
// it: in base64 (standard and URL-safe, at any alignment inside a longer base64 text such as a Basic credential),
// URL-encoded, and in hexadecimal.
const tokenPatterns: RegExp[] = [
  /\bdso_(?:pat|sa)_[A-Za-z0-9_-]{16,}/g,
  /\bglpat-[A-Za-z0-9_-]{16,}/g,
  /\bgh[pousr]_[A-Za-z0-9]{20,}/g,
  /\bgithub_pat_[A-Za-z0-9_]{20,}/g,
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/g,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
];
/** user:password@ in URLs. */
const urlCredentials = /(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+:[^/\s@]+@/gi;

export const redactedMark = '[redacted]';

/**
 * The base64 text a secret always produces, wherever it starts inside a longer encoded text: for each of the three
 * alignments, the characters that depend on the secret's bytes only (the edges, which mix in the neighbours' bits,
 * are left out — at most two bytes of the secret stay around the mark).
 */
export function base64Fragments(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const out: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const start = [0, 2, 3][offset]!;
    const end = Math.floor((offset + bytes.length) / 3) * 4;
    const core = encoded.slice(start, end);
    if (core.length >= 8) out.push(core, core.replaceAll('+', '-').replaceAll('/', '_'));
  }
  return out;
}

/** The encoded forms of a known secret that a log may carry instead of the value itself. */
export function encodedForms(secret: string): string[] {
  const hex = Buffer.from(secret, 'utf8').toString('hex');
  const url = encodeURIComponent(secret);
  const lowerUrl = url.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
  return [...base64Fragments(secret), url, lowerUrl, url.replaceAll('%20', '+'), hex, hex.toUpperCase()].filter((form) => form !== secret);
}

export function createRedactor(knownSecrets: readonly string[]): (text: string) => string {
  // Longest first so a secret containing another is replaced whole; very short values would mask ordinary words.
  const values = knownSecrets.filter((s) => s.length >= 6);
  const secrets = [...new Set([...values, ...values.flatMap(encodedForms)])]
    .filter((s) => s.length >= 6)
    .sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(redactedMark);
    out = out.replace(urlCredentials, `$1${redactedMark}@`);
    for (const pattern of tokenPatterns) {
      out = out.replace(pattern, (match, scheme: unknown) => (typeof scheme === 'string' && /^(bearer|basic)$/i.test(scheme) ? `${scheme} ${redactedMark}` : redactedMark));
    }
    return out;
  };
}
