// Browser sessions: a random cookie value; the database keeps only its sha256 (sessions.id).
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { CookieSerializeOptions } from '@fastify/cookie';
import { sessions } from '../../db/schema.ts';
import type { Config } from '../../config.ts';
import type { Services } from '../../system/services.ts';
import { hashToken } from './tokens.ts';

/** `origin`: where the browser reached the console (see browserOrigin); Secure only when that is https. */
export function sessionCookieOptions(config: Config, maxAgeSeconds?: number, origin = config.publicUrl): CookieSerializeOptions {
  return {
    httpOnly: true,
    sameSite: 'lax',
    secure: origin.startsWith('https://'),
    path: '/',
    ...(maxAgeSeconds !== undefined ? { maxAge: maxAgeSeconds } : {}),
  };
}

export async function createSession(services: Services, userId: string): Promise<{ cookieValue: string; maxAgeSeconds: number }> {
  const cookieValue = randomBytes(32).toString('base64url');
  const maxAgeSeconds = services.config.sessionTtlHours * 3600;
  await services.db.insert(sessions).values({
    id: hashToken(cookieValue),
    userId,
    expiresAt: new Date(services.now().getTime() + maxAgeSeconds * 1000),
  });
  return { cookieValue, maxAgeSeconds };
}

export async function deleteSession(services: Services, cookieValue: string): Promise<void> {
  await services.db.delete(sessions).where(eq(sessions.id, hashToken(cookieValue)));
}
