// Browser sessions: a random cookie value; the database keeps only its sha256 (sessions.id). A session that ends —
// signed out, or found expired when its cookie comes back — writes an audit event like the sign-in did, in the same
// transaction as its deletion, so the journal says when each person's session began and ended.
import { randomBytes } from 'node:crypto';
import { and, eq, lte } from 'drizzle-orm';
import { recordAudit } from '../../audit/record.ts';
import type { CookieSerializeOptions } from '@fastify/cookie';
import { sessions } from '../../db/schema.ts';
import type { Config } from '../../config.ts';
import type { Services } from '../../system/services.ts';
import { hashToken } from './tokens.ts';

/** `origin`: where the browser reached the console (see browserOrigin); Secure only when that is https. */
export function sessionCookieOptions(
  config: Config,
  maxAgeSeconds?: number,
  origin = config.publicUrl,
): CookieSerializeOptions {
  return {
    httpOnly: true,
    sameSite: 'lax',
    secure: origin.startsWith('https://'),
    path: '/',
    ...(maxAgeSeconds !== undefined ? { maxAge: maxAgeSeconds } : {}),
  };
}

export async function createSession(
  services: Services,
  userId: string,
): Promise<{ cookieValue: string; maxAgeSeconds: number }> {
  const cookieValue = randomBytes(32).toString('base64url');
  const maxAgeSeconds = services.config.sessionTtlHours * 3600;
  await services.db.insert(sessions).values({
    id: hashToken(cookieValue),
    userId,
    expiresAt: new Date(services.now().getTime() + maxAgeSeconds * 1000),
  });
  return { cookieValue, maxAgeSeconds };
}

/**
 * Ends the session of a cookie (sign-out): `session.delete`, or `session.expire` when it had already expired. A
 * cookie of no session (already signed out elsewhere, forged) ends nothing and records nothing.
 */
export async function endSession(services: Services, cookieValue: string, requestId: string): Promise<'signed-out' | 'expired' | null> {
  return services.db.transaction(async (tx) => {
    const [ended] = await tx
      .delete(sessions)
      .where(eq(sessions.id, hashToken(cookieValue)))
      .returning({ userId: sessions.userId, expiresAt: sessions.expiresAt });
    if (!ended) return null;
    const outcome = ended.expiresAt.getTime() <= services.now().getTime() ? 'expired' : 'signed-out';
    await recordAudit(tx as unknown as Services['db'], { kind: 'user', userId: ended.userId, adminRoles: [] }, requestId, { action: outcome === 'expired' ? 'session.expire' : 'session.delete', targetType: 'user', targetId: ended.userId, after: { expiresAt: ended.expiresAt.toISOString() } });
    return outcome;
  });
}

/**
 * The cookie's session has expired: the person is signed out by the expiry, recorded once (`session.expire`) the
 * first time the browser comes back with it; the deletion is conditional, so parallel requests record it once.
 */
export async function endExpiredSession(services: Services, cookieValue: string, requestId: string): Promise<boolean> {
  return services.db.transaction(async (tx) => {
    const [ended] = await tx
      .delete(sessions)
      .where(and(eq(sessions.id, hashToken(cookieValue)), lte(sessions.expiresAt, services.now())))
      .returning({ userId: sessions.userId, expiresAt: sessions.expiresAt });
    if (!ended) return false;
    await recordAudit(tx as unknown as Services['db'], { kind: 'user', userId: ended.userId, adminRoles: [] }, requestId, { action: 'session.expire', targetType: 'user', targetId: ended.userId, after: { expiresAt: ended.expiresAt.toISOString() } });
    return true;
  });
}
