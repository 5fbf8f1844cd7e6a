// Who is calling: resolved once per request and exposed as `request.actor`.
// Order: `Authorization: Bearer` (DSO_ADMIN_TOKEN, then access tokens), else the session cookie, else anonymous.
// A bearer token that is unknown, revoked or expired is a 401 (never silently anonymous).
import { and, eq, gt, sql } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../domain/actor.ts';
import { sessionCookieName } from '../../domain/actor.ts';
import type { AdminRole } from '../../domain/permissions.ts';
import { adminRoles as knownAdminRoles } from '../../domain/permissions.ts';
import { accessTokens, sessions, users } from '../../db/schema.ts';
import { bilingual, Problem } from '../../errors.ts';
import type { App } from '../server.ts';
import type { Services } from '../../system/services.ts';
import { endExpiredSession } from './sessions.ts';
import { hashToken, maxTokenLength, secretsEqual } from './tokens.ts';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
  }
}

export type AuthenticatedActor = Exclude<Actor, { kind: 'anonymous' }>;

/** For routes that need someone: throws the 401 problem for anonymous requests. */
export function requireAuthenticated(request: FastifyRequest): AuthenticatedActor {
  if (request.actor.kind === 'anonymous') throw new Problem('unauthenticated', bilingual('Connectez-vous, ou envoyez un jeton d’API (Authorization: Bearer …).', 'Log in, or send an API token (Authorization: Bearer …).'));
  return request.actor;
}

export function effectiveAdminRoles(user: { adminRoles: string[]; groupAdminRoles: string[] }): AdminRole[] {
  const all = new Set([...user.adminRoles, ...user.groupAdminRoles]);
  return knownAdminRoles.filter((r) => all.has(r));
}

const lastUsedWriteIntervalMs = 60_000;

/** When this process last recorded each token's use: under a burst of requests with one token (a CI script, a
 * benchmark), only the first writes `last_used_at`, instead of every request seeing the old value and writing. */
const lastUsedWrites = new Map<string, number>();
const lastUsedWritesMax = 10_000;

function recordTokenUse(services: Services, tokenId: string, lastUsedAt: Date | null, now: Date): void {
  const previous = Math.max(lastUsedAt?.getTime() ?? 0, lastUsedWrites.get(tokenId) ?? 0);
  if (now.getTime() - previous <= lastUsedWriteIntervalMs) return;
  if (lastUsedWrites.size >= lastUsedWritesMax) lastUsedWrites.clear();
  lastUsedWrites.set(tokenId, now.getTime());
  // Best effort: usage tracking must not slow down nor fail the request.
  services.db.update(accessTokens).set({ lastUsedAt: now }).where(eq(accessTokens.id, tokenId)).catch(() => {});
}

/** The token lookup runs on every API call: prepared once per database (parsed and planned once by PostgreSQL). */
const tokenLookups = new WeakMap<Services['db'], ReturnType<typeof prepareTokenLookup>>();

function prepareTokenLookup(db: Services['db']) {
  return db
    .select({ token: accessTokens, user: users })
    .from(accessTokens)
    .innerJoin(users, eq(users.id, accessTokens.userId))
    .where(eq(accessTokens.tokenHash, sql.placeholder('hash')))
    .limit(1)
    .prepare('dso_token_lookup');
}

function tokenLookup(db: Services['db']) {
  let prepared = tokenLookups.get(db);
  if (!prepared) tokenLookups.set(db, (prepared = prepareTokenLookup(db)));
  return prepared;
}

export async function resolveActor(
  services: Services,
  authorization: string | undefined,
  sessionCookie: string | undefined,
): Promise<Actor> {
  const now = services.now();
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match || !match[1] || match[1].length > maxTokenLength)
      throw new Problem(
        'unauthenticated',
        bilingual(
          'L’en-tête Authorization doit être « Bearer <jeton> ».',
          'The Authorization header must be "Bearer <token>".',
        ),
      );
    const token = match[1];
    if (services.config.adminToken && secretsEqual(token, services.config.adminToken))
      return { kind: 'bootstrap-admin' };
    const rows = await tokenLookup(services.db).execute({ hash: hashToken(token) });
    const row = rows[0];
    if (!row || row.token.revokedAt || row.token.expiresAt.getTime() <= now.getTime()) {
      throw new Problem(
        'unauthenticated',
        bilingual('Ce jeton est invalide, révoqué ou expiré.', 'This token is invalid, revoked or expired.'),
      );
    }
    if (row.user.disabled)
      throw new Problem(
        'unauthenticated',
        bilingual('Le compte auquel appartient ce jeton est désactivé.', 'The account owning this token is disabled.'),
      );
    recordTokenUse(services, row.token.id, row.token.lastUsedAt, now);
    if (row.user.kind === 'service-account' || row.token.projectId) {
      const projectId = row.token.projectId ?? row.user.projectId;
      const role = row.token.role ?? row.user.projectRole;
      if (!projectId || !role)
        throw new Problem(
          'unauthenticated',
          bilingual(
            'Ce jeton de compte de service n’est rattaché à aucun projet.',
            'This service-account token has no project scope.',
          ),
        );
      return { kind: 'service-account', userId: row.user.id, projectId, role, tokenId: row.token.id };
    }
    return { kind: 'user', userId: row.user.id, adminRoles: effectiveAdminRoles(row.user), tokenId: row.token.id };
  }
  if (sessionCookie && sessionCookie.length <= maxTokenLength) {
    const sessionId = hashToken(sessionCookie);
    const rows = await services.db
      .select({ user: users })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(and(eq(sessions.id, sessionId), gt(sessions.expiresAt, now)))
      .limit(1);
    const row = rows[0];
    // An expired or unknown cookie is simply "not logged in": the browser is sent to the login page.
    if (row && !row.user.disabled)
      return { kind: 'user', userId: row.user.id, adminRoles: effectiveAdminRoles(row.user), sessionId };
  }
  return { kind: 'anonymous' };
}

export function registerActorResolution(app: App, services: Services): void {
  app.decorateRequest('actor', null as never);
  app.addHook('onRequest', async (request) => {
    request.actor = { kind: 'anonymous' };
    const path = request.url;
    // Static files, the docs and the embedded identity provider never need an actor.
    if (path.startsWith('/oidc/') || path === '/healthz' || path === '/readyz' || path === '/metrics') return;
    const sessionCookie = request.cookies?.[sessionCookieName];
    request.actor = await resolveActor(services, request.headers.authorization, sessionCookie);
    // A session cookie that signs in nobody may be an expired session: its end is audited the first time it
    // comes back (a sign-out by expiry), and the row goes away.
    if (request.actor.kind === 'anonymous' && sessionCookie && sessionCookie.length <= maxTokenLength && !request.headers.authorization) {
      await endExpiredSession(services, sessionCookie, request.id);
    }
  });
}
