// Secrets never reach a run's log: the values the platform knows (repository credentials, tokens, webhook
// secrets) are replaced wherever they appear, and text shaped like a well-known token is masked too, because a
// test command may print a secret the platform has never seen.
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

export function createRedactor(knownSecrets: readonly string[]): (text: string) => string {
  // Longest first so a secret containing another is replaced whole; very short values would mask ordinary words.
  const secrets = [...new Set(knownSecrets.filter((s) => s.length >= 6))].sort((a, b) => b.length - a.length);
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
