// /api/v1/me: who am I, my personal access tokens, and the usage policy I must accept.
import { and, asc, desc, eq, gt, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { accessTokens, usagePolicies, usagePolicyAcceptances, users } from '../../db/schema.ts';
import { actorBoundByUsagePolicy } from '../../domain/usage-policy.ts';
import { inAuditedTransaction } from '../../audit/record.ts';
import { requireAuthenticated } from '../auth/resolve-actor.ts';
import { generateToken } from '../auth/tokens.ts';
import { requirePerson } from '../authorize.ts';
import { decodeCursor, pageQueryShape, toPage } from '../pagination.ts';
import { bilingual, Problem } from '../../errors.ts';
import { idParams, isoRequired } from '../schemas/common.ts';
import { currentUsagePolicy, me, usagePolicyAccept, usagePolicyAcceptance } from '../schemas/me.ts';
import { createdAccessToken, maxTokenLifetimeDays, presentToken, tokenCreate, tokenList } from '../schemas/tokens.ts';
import type { App } from '../server.ts';
import type { Services } from '../../system/services.ts';

const tags = ['me'];
const dayMs = 86_400_000;

export default async function meRoutes(app: App, services: Services): Promise<void> {
  async function policyStatus(userId: string | undefined) {
    const [policy] = await services.db.select().from(usagePolicies).orderBy(desc(usagePolicies.version)).limit(1);
    let acceptedAt: Date | undefined;
    if (policy && userId) {
      const [acceptance] = await services.db
        .select({ at: usagePolicyAcceptances.acceptedAt })
        .from(usagePolicyAcceptances)
        .where(and(eq(usagePolicyAcceptances.policyId, policy.id), eq(usagePolicyAcceptances.userId, userId)))
        .limit(1);
      acceptedAt = acceptance?.at;
    }
    return { policy, acceptedAt };
  }

  app.get('/me', { schema: { tags, summary: 'The caller: identity, admin roles, usage-policy status', response: { 200: me } } }, async (request) => {
    const actor = requireAuthenticated(request);
    if (actor.kind === 'bootstrap-admin') {
      return { kind: actor.kind, id: null, email: null, displayName: 'DSO_ADMIN_TOKEN', adminRoles: ['platform-admin'], projectId: null, role: null, usagePolicy: { currentVersion: null, accepted: false, required: false } };
    }
    const [user] = await services.db.select().from(users).where(eq(users.id, actor.userId)).limit(1);
    if (!user) throw new Problem('unauthenticated', bilingual('Ce compte n’existe plus.', 'This account no longer exists.'));
    const { policy, acceptedAt } = await policyStatus(user.id);
    const bound = actorBoundByUsagePolicy(actor);
    return {
      kind: actor.kind,
      id: user.id,
      email: user.email,
      displayName: user.displayName,
      adminRoles: actor.kind === 'user' ? actor.adminRoles : [],
      projectId: actor.kind === 'service-account' ? actor.projectId : null,
      role: actor.kind === 'service-account' ? actor.role : null,
      usagePolicy: { currentVersion: policy?.version ?? null, accepted: acceptedAt !== undefined, required: bound && policy !== undefined && acceptedAt === undefined },
    };
  });

  app.get('/me/tokens', { schema: { tags, summary: 'My personal access tokens (never the secret)', querystring: z.strictObject({ ...pageQueryShape }), response: { 200: tokenList } } }, async (request) => {
    const actor = requirePerson(request);
    const { limit, cursor } = request.query;
    const after = decodeCursor(cursor, 1);
    const rows = await services.db
      .select()
      .from(accessTokens)
      .where(and(eq(accessTokens.userId, actor.userId), isNull(accessTokens.projectId), after ? gt(accessTokens.id, String(after[0])) : undefined))
      .orderBy(asc(accessTokens.id))
      .limit(limit + 1);
    return toPage(rows, limit, (t) => [t.id], presentToken);
  });

  app.post('/me/tokens', { schema: { tags, summary: 'Create a personal access token (shown once)', body: tokenCreate, response: { 201: createdAccessToken } } }, async (request, reply) => {
    const actor = requirePerson(request);
    const expiresAt = new Date(request.body.expiresAt);
    const now = services.now();
    if (expiresAt.getTime() <= now.getTime() || expiresAt.getTime() > now.getTime() + maxTokenLifetimeDays * dayMs) {
      throw new Problem('validation', bilingual(`expiresAt doit être dans le futur et à ${maxTokenLifetimeDays} jours au plus.`, `expiresAt must be in the future and within ${maxTokenLifetimeDays} days.`), [{ field: 'expiresAt', message: bilingual('hors limites', 'out of range') }]);
    }
    const generated = generateToken('pat');
    const row = await inAuditedTransaction(services.db, actor, request.id, async (tx, audit) => {
      const [token] = await tx.insert(accessTokens).values({ userId: actor.userId, name: request.body.name, tokenHash: generated.hash, prefix: generated.prefix, expiresAt }).returning();
      if (!token) throw new Error('insert returned nothing');
      await audit({ action: 'token.create', targetType: 'access-token', targetId: token.id, after: presentToken(token) });
      return token;
    });
    return reply.code(201).send({ ...presentToken(row), token: generated.token });
  });

  app.delete('/me/tokens/:id', { schema: { tags, summary: 'Revoke one of my tokens', params: idParams, response: { 204: z.null() } } }, async (request, reply) => {
    const actor = requirePerson(request);
    await inAuditedTransaction(services.db, actor, request.id, async (tx, audit) => {
      const [before] = await tx.select().from(accessTokens).where(and(eq(accessTokens.id, request.params.id), eq(accessTokens.userId, actor.userId), isNull(accessTokens.projectId))).limit(1);
      if (!before) throw new Problem('notFound', bilingual('Ce jeton ne figure pas parmi les vôtres.', 'No such token among yours.'));
      if (before.revokedAt) return;
      const [after] = await tx.update(accessTokens).set({ revokedAt: services.now() }).where(eq(accessTokens.id, before.id)).returning();
      await audit({ action: 'token.revoke', targetType: 'access-token', targetId: before.id, before: presentToken(before), after: after ? presentToken(after) : null });
    });
    return reply.code(204).send(null);
  });

  app.get('/me/usage-policy', { schema: { tags, summary: 'The usage policy in force and whether I accepted it', response: { 200: currentUsagePolicy } } }, async (request) => {
    const actor = requireAuthenticated(request);
    const { policy, acceptedAt } = await policyStatus(actor.kind === 'bootstrap-admin' ? undefined : actor.userId);
    return {
      policy: policy
        ? { id: policy.id, version: policy.version, title: { fr: policy.titleFr, en: policy.titleEn }, content: { fr: policy.contentFr, en: policy.contentEn }, publishedAt: isoRequired(policy.publishedAt) }
        : null,
      accepted: acceptedAt !== undefined,
      acceptedAt: acceptedAt ? isoRequired(acceptedAt) : null,
      required: actorBoundByUsagePolicy(actor) && policy !== undefined && acceptedAt === undefined,
    };
  });

  app.post('/me/usage-policy', { schema: { tags, summary: 'Accept the usage policy in force (give its version)', body: usagePolicyAccept, response: { 200: usagePolicyAcceptance } } }, async (request) => {
    const actor = requirePerson(request);
    const { policy } = await policyStatus(undefined);
    if (!policy) throw new Problem('unprocessable', bilingual('Aucune version des conditions d’utilisation n’a encore été publiée.', 'No usage policy has been published yet.'));
    if (policy.version !== request.body.version) {
      // Accepting a text one has not seen would be meaningless: the client must show the current one.
      throw new Problem('conflict', bilingual(`Les conditions d’utilisation en vigueur sont la version ${policy.version} : lisez-la et acceptez cette version.`, `The usage policy in force is version ${policy.version}; read it and accept that version.`), [{ field: 'version', message: bilingual(`la version en vigueur est ${policy.version}`, `current is ${policy.version}`) }], { usagePolicyVersion: policy.version });
    }
    const acceptedAt = services.now();
    await inAuditedTransaction(services.db, actor, request.id, async (tx, audit) => {
      const inserted = await tx.insert(usagePolicyAcceptances).values({ userId: actor.userId, policyId: policy.id, acceptedAt }).onConflictDoNothing().returning();
      if (inserted.length > 0) await audit({ action: 'usage-policy.accept', targetType: 'usage-policy', targetId: policy.id, after: { version: policy.version } });
    });
    return { accepted: true, acceptedAt: isoRequired(acceptedAt), required: false };
  });
}
