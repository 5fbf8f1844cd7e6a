// API tokens: random, shown once, stored as sha256. The prefix (kept in clear) lets users recognise a token in lists.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export type TokenKind = 'pat' | 'sa';

export interface GeneratedToken {
  /** The secret, to show once to its owner; never stored nor logged. */
  token: string;
  /** sha256 hex of the token: what access_tokens.token_hash keeps. */
  hash: string;
  /** First characters, e.g. `dso_pat_AbC1`: safe to display. */
  prefix: string;
}

export function generateToken(kind: TokenKind): GeneratedToken {
  const token = `dso_${kind}_${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashToken(token), prefix: token.slice(0, kind.length + 9) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Constant-time equality of two secrets of any length (compares their digests). */
export function secretsEqual(a: string, b: string): boolean {
  const da = createHash('sha256').update(a, 'utf8').digest();
  const db = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(da, db);
}

/** Bound on what we accept as a token before touching the database (untrusted input). */
export const maxTokenLength = 512;
