// The one-time code of `dso login` (RFC 8252, native apps, with PKCE — RFC 7636): the browser hands the CLI a code
// on its loopback address, never the token, so nothing secret lands in browser history or logs. The code is sealed
// by the platform (it cannot be forged or read), expires within a minute, names the user and the CLI's code
// challenge, and carries the random part of the token to mint: exchanging it twice would mint the same token twice,
// which the unique token hash refuses — so a code is good once, and only with the CLI's code verifier.
import { createHash, randomBytes } from 'node:crypto';
import { secretsEqual } from './tokens.ts';

export const cliCodeLifetimeMs = 60_000;
/** base64url of a SHA-256 digest (S256 challenge). */
export const codeChallengePattern = /^[A-Za-z0-9_-]{43}$/;
/** RFC 7636: 43 to 128 characters of [A-Za-z0-9-._~]. */
export const codeVerifierPattern = /^[A-Za-z0-9._~-]{43,128}$/;

interface CodePayload {
  u: string;
  c: string;
  e: number;
  t: string;
}

export function s256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

export function issueCliCode(
  box: { seal(text: string): string },
  userId: string,
  codeChallenge: string,
  now: number,
): string {
  const payload: CodePayload = {
    u: userId,
    c: codeChallenge,
    e: now + cliCodeLifetimeMs,
    t: randomBytes(32).toString('base64url'),
  };
  return box.seal(JSON.stringify(payload));
}

export type CodeRedemption = { ok: true; userId: string; token: string } | { ok: false; reason: 'invalid' | 'expired' | 'verifier-mismatch' };

export function redeemCliCode(
  box: { open(sealed: string): string },
  code: string,
  verifier: string,
  now: number,
): CodeRedemption {
  let payload: CodePayload;
  try {
    payload = JSON.parse(box.open(code)) as CodePayload;
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (
    typeof payload.u !== 'string' ||
    typeof payload.c !== 'string' ||
    typeof payload.t !== 'string' ||
    typeof payload.e !== 'number'
  )
    return { ok: false, reason: 'invalid' };
  if (now > payload.e) return { ok: false, reason: 'expired' };
  if (!secretsEqual(s256(verifier), payload.c)) return { ok: false, reason: 'verifier-mismatch' };
  return { ok: true, userId: payload.u, token: `dso_pat_${payload.t}` };
}
