// Derogations: a team member requests one (requirement, scope, justification, compensating measures, end date
// bounded by DSO_DEROGATION_MAX_DAYS); a security officer approves or rejects it with a comment — never their own
// request; it can be revoked early. Every step is audited in the transaction of the change; conformity is
// recomputed right after a decision or a revocation. Whether a derogation is in force is decided by the one
// pure evaluator (domain/derogation.ts), at the exact instant it ends.
import { currentCatalogue } from '../../catalogue/catalogue.ts';
import { and, desc, eq, gt, lte, sql, type SQL } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { requirementIds } from '../../catalogue/catalogue.ts';
import type { Db } from '../../db/client.ts';
import { derogations, environments, projects, repositories } from '../../db/schema.ts';
import { derogationDecisionRefusal, parseInstant, validateDerogationRequest, type DerogationFieldError } from '../../domain/derogation.ts';
import { requestLanguage } from '../../homologation/language.ts';
import { recomputeProjectConformity } from '../../homologation/recompute.ts';
import { inAuditedTransaction } from '../../audit/record.ts';
import { requireAuthenticated, type AuthenticatedActor } from '../auth/resolve-actor.ts';
import { authorizeProjectChange, authorizeProjectRead, requireUsagePolicyAccepted, visibleProjectsCondition } from '../authorize.ts';
import { decodeCursor, toPage } from '../pagination.ts';
import { bilingual, Problem } from '../../errors.ts';
import { projectParams } from '../schemas/conformity.ts';
import { derogationPeople } from '../../homologation/facts.ts';
import { derogation, derogationCreate, derogationDecision, derogationListQuery, derogationPage, derogationParams, derogationRevoke, presentDerogation } from '../schemas/derogations.ts';
import type { App } from '../server.ts';
import type { Services } from '../../system/services.ts';

const tags = ['homologation'];
const DAY_MS = 86_400_000;

type Row = typeof derogations.$inferSelect;

/** People and service accounts act under their own id; the bootstrap token is nobody and cannot take part. */
function actingUserId(actor: AuthenticatedActor): string {
  if (actor.kind === 'user' || actor.kind === 'service-account') return actor.userId;
  throw new Problem('forbidden', bilingual('Les dérogations sont demandées et décidées par des personnes identifiées ou des comptes de service, pas avec le jeton d’amorçage.', 'Derogations are requested and decided by identified people or service accounts, not with the bootstrap token.'));
}

const isSecurityOfficer = (actor: AuthenticatedActor) => actor.kind === 'user' && actor.adminRoles.includes('security-officer');

function fieldProblem(errors: DerogationFieldError[]): Problem {
  return new Problem('validation', bilingual(errors.map((e) => e.text.fr).join(' '), errors.map((e) => e.text.en).join(' ')), errors.map((e) => ({ field: e.field, message: e.text })), { codes: errors.map((e) => ({ field: e.field, code: e.code })) });
}

/** Filter by the status a user sees (an approved derogation past its end is "expired"). */
function effectiveStatusCondition(status: string | undefined, now: Date): SQL | undefined {
  switch (status) {
    case undefined:
      return undefined;
    case 'in-force':
      return and(eq(derogations.status, 'approved'), gt(derogations.expiresAt, now));
    case 'expired':
      return and(eq(derogations.status, 'approved'), lte(derogations.expiresAt, now));
    default:
      return eq(derogations.status, status as Row['status']);
  }
}

export default async function derogationRoutes(app: App, services: Services): Promise<void> {
  /** The derogation and its project's slug (every answer carries it), once the caller may read the project. */
  async function readable(request: FastifyRequest, derogationId: string): Promise<{ row: Row; slug: string }> {
    requireAuthenticated(request);
    const [row] = await services.db.select().from(derogations).where(eq(derogations.id, derogationId)).limit(1);
    if (!row) throw new Problem('notFound', bilingual('Dérogation introuvable, ou vous n’y avez pas accès.', 'No such derogation, or you cannot see it.'));
    const access = await authorizeProjectRead(services, request, row.projectId, 'conformity.read', 'derogation');
    return { row, slug: access.project.slug };
  }

  /** Recompute after a change; a failure here must not undo the (committed) change, the next read catches up. */
  async function recompute(projectId: string): Promise<void> {
    try {
      await recomputeProjectConformity(
        services.db,
        projectId,
        services.now(),
        currentCatalogue,
        services.config.conformity,
      );
    } catch (error) {
      services.logger.warn({ err: error, projectId }, 'conformity recompute failed');
    }
  }

  async function list(
    request: FastifyRequest,
    scope: SQL | undefined,
    query: {
      limit: number;
      cursor?: string | undefined;
      status?: string | undefined;
      requirement?: string | undefined;
    },
  ) {
    const now = services.now();
    const after = decodeCursor(query.cursor, 2);
    // The project's slug comes with each row in the same query (one join, not one look-up per derogation).
    const rows = await services.db
      .select({ row: derogations, slug: projects.slug })
      .from(derogations)
      .innerJoin(projects, eq(projects.id, derogations.projectId))
      .where(
        and(
          scope,
          effectiveStatusCondition(query.status, now),
          query.requirement ? eq(derogations.requirement, query.requirement) : undefined,
          after
            ? sql`(${derogations.requestedAt}, ${derogations.id}) < (${String(after[0])}::timestamptz, ${String(after[1])}::uuid)`
            : undefined,
        ),
      )
      .orderBy(desc(derogations.requestedAt), desc(derogations.id))
      .limit(query.limit + 1);
    void request;
    const people = await derogationPeople(
      services.db,
      rows.map((r) => r.row),
    );
    return toPage(
      rows,
      query.limit,
      (r) => [r.row.requestedAt.toISOString(), r.row.id],
      (r) => presentDerogation(r.row, now, r.slug, people),
    );
  }

  /** The scope's environment and repository must be the project's own. */
  async function scopeErrors(
    db: Db,
    projectId: string,
    scope: { environmentId?: string | undefined; repositoryId?: string | undefined } | undefined,
  ): Promise<DerogationFieldError[]> {
    const errors: DerogationFieldError[] = [];
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
    if (scope?.environmentId !== undefined) {
      const found =
        uuid.test(scope.environmentId) &&
        (
          await db
            .select({ id: environments.id })
            .from(environments)
            .where(and(eq(environments.id, scope.environmentId), eq(environments.projectId, projectId)))
            .limit(1)
        ).length > 0;
      if (!found)
        errors.push({
          field: 'scope/environmentId',
          code: 'invalid',
          message: 'No such environment in this project.',
          text: bilingual('Cet environnement n’existe pas dans ce projet.', 'No such environment in this project.'),
        });
    }
    if (scope?.repositoryId !== undefined) {
      const found =
        uuid.test(scope.repositoryId) &&
        (
          await db
            .select({ id: repositories.id })
            .from(repositories)
            .where(and(eq(repositories.id, scope.repositoryId), eq(repositories.projectId, projectId)))
            .limit(1)
        ).length > 0;
      if (!found)
        errors.push({
          field: 'scope/repositoryId',
          code: 'invalid',
          message: 'No such repository in this project.',
          text: bilingual('Ce dépôt n’existe pas dans ce projet.', 'No such repository in this project.'),
        });
    }
    return errors;
  }

  app.post(
    '/projects/:projectId/derogations',
    { schema: { tags, summary: 'Request a derogation (decided later by a security officer)', params: projectParams, body: derogationCreate, response: { 201: derogation } } },
    async (request, reply) => {
      const { projectId } = request.params;
      const { project } = await authorizeProjectChange(services, request, projectId, 'derogations.request');
      const requestedBy = actingUserId(request.actor as AuthenticatedActor);
      const body = request.body;
      const now = services.now();
      const lang = requestLanguage(request);
      const errors = validateDerogationRequest(
        body,
        { now, maxDurationDays: services.config.derogationMaxDays, knownRequirements: requirementIds() },
        lang,
      );
      errors.push(...(await scopeErrors(services.db, projectId, body.scope)));
      if (errors.length > 0) throw fieldProblem(errors);
      const scope = Object.fromEntries(Object.entries(body.scope ?? {}).filter(([, v]) => v !== undefined)) as Row['scope'];
      const created = await inAuditedTransaction(services.db, request.actor, request.id, async (tx, audit) => {
        const [row] = await tx
          .insert(derogations)
          .values({
            projectId,
            requirement: body.requirement!,
            scope,
            status: 'requested',
            justification: body.justification!,
            compensatingMeasures: body.compensatingMeasures ?? null,
            expiresAt: new Date(parseInstant(body.expiresAt!)!),
            requestedBy,
            requestedAt: now,
          })
          .returning();
        if (!row) throw new Error('insert returned nothing');
        await audit({ action: 'derogation.request', targetType: 'derogation', targetId: row.id, projectId, after: presentDerogation(row, now, project.slug) });
        return row;
      });
      return reply
        .code(201)
        .send(presentDerogation(created, now, project.slug, await derogationPeople(services.db, [created])));
    },
  );

  app.get(
    '/projects/:projectId/derogations',
    { schema: { tags, summary: "A project's derogations, newest first (?status=requested|in-force|expired|rejected|revoked, ?requirement=)", params: projectParams, querystring: derogationListQuery, response: { 200: derogationPage } } },
    async (request) => {
      const { projectId } = request.params;
      await authorizeProjectRead(services, request, projectId, 'conformity.read');
      return list(request, eq(derogations.projectId, projectId), request.query);
    },
  );

  app.get(
    '/derogations',
    { schema: { tags, summary: 'Derogations of every project you can read (security officers: ?status=requested is the queue to decide)', querystring: derogationListQuery, response: { 200: derogationPage } } },
    async (request) => {
      const actor = requireAuthenticated(request);
      return list(request, visibleProjectsCondition(actor, derogations.projectId, 'conformity.read'), request.query);
    },
  );

  app.get('/derogations/:derogationId', { schema: { tags, summary: 'One derogation', params: derogationParams, response: { 200: derogation } } }, async (request) => {
    const { row, slug } = await readable(request, request.params.derogationId);
    return presentDerogation(row, services.now(), slug, await derogationPeople(services.db, [row]));
  });

  app.post(
    '/derogations/:derogationId/decision',
    { schema: { tags, summary: 'Approve or reject a requested derogation (security officers, never on their own request)', params: derogationParams, body: derogationDecision, response: { 200: derogation } } },
    async (request) => {
      const { row: before, slug } = await readable(request, request.params.derogationId);
      const actor = request.actor as AuthenticatedActor;
      const body = request.body;
      const outcome = body.decision === 'approve' ? 'approved' : 'rejected';
      const refusal = derogationDecisionRefusal(
        { status: before.status, requestedBy: before.requestedBy },
        { userId: actor.kind === 'user' || actor.kind === 'service-account' ? actor.userId : '', isSecurityOfficer: isSecurityOfficer(actor) },
        { outcome, ...(body.comment !== undefined ? { comment: body.comment } : {}) },
      );
      switch (refusal) {
        case 'not-security-officer':
          throw new Problem('forbidden', bilingual('Seul un responsable de la sécurité décide des dérogations.', 'Only a security officer decides on derogations.'), undefined, { reason: refusal });
        case 'own-request':
          throw new Problem('forbidden', bilingual('Vous avez demandé cette dérogation vous-même : un autre responsable de la sécurité doit en décider.', 'You requested this derogation yourself: another security officer must decide on it.'), undefined, { reason: refusal });
        case 'not-pending':
          throw new Problem('conflict', bilingual(`Cette dérogation est déjà dans l’état « ${before.status} » : seule une dérogation demandée peut être décidée.`, `This derogation was already ${before.status}; only a requested derogation can be decided.`), undefined, { reason: refusal, status: before.status });
        case 'comment-required':
          throw new Problem('validation', bilingual('Un refus demande un commentaire qui explique pourquoi à l’équipe.', 'A rejection needs a comment telling the team why.'), [{ field: 'comment', message: bilingual('obligatoire pour un refus', 'required when rejecting') }]);
      }
      await requireUsagePolicyAccepted(services.db, actor);
      const now = services.now();
      let expiresAt = before.expiresAt;
      if (body.expiresAt !== undefined && outcome === 'approved') {
        const ms = parseInstant(body.expiresAt);
        if (ms === undefined) throw new Problem('validation', bilingual('Utilisez un horodatage ISO 8601 avec fuseau.', 'Use an ISO 8601 instant with its offset.'), [{ field: 'expiresAt', message: bilingual('horodatage ISO 8601 avec fuseau attendu', 'ISO 8601 instant with offset expected') }]);
        if (ms <= now.getTime()) throw new Problem('validation', bilingual('La fin de la dérogation doit être dans le futur.', 'The end of the derogation must be in the future.'), [{ field: 'expiresAt', message: bilingual('dans le passé', 'in the past') }]);
        if (ms > now.getTime() + services.config.derogationMaxDays * DAY_MS) {
          throw new Problem('validation', bilingual(`La fin dépasse la durée maximale autorisée (${services.config.derogationMaxDays} jours).`, `The end is beyond the maximum allowed duration (${services.config.derogationMaxDays} days).`), [{ field: 'expiresAt', message: bilingual('au-delà du maximum', 'beyond the maximum') }]);
        }
        expiresAt = new Date(ms);
      }
      const decided = await inAuditedTransaction(services.db, actor, request.id, async (tx, audit) => {
        // Compare-and-set on the status: two officers deciding at once, only the first one wins.
        const [row] = await tx
          .update(derogations)
          .set({
            status: outcome,
            decidedBy: actingUserId(actor),
            decidedAt: now,
            decisionComment: body.comment ?? null,
            expiresAt,
          })
          .where(and(eq(derogations.id, before.id), eq(derogations.status, 'requested')))
          .returning();
        if (!row) throw new Problem('conflict', bilingual('Cette dérogation a été décidée entre-temps.', 'This derogation was decided meanwhile.'), undefined, { reason: 'not-pending' });
        await audit({ action: `derogation.${outcome === 'approved' ? 'approve' : 'reject'}`, targetType: 'derogation', targetId: row.id, projectId: row.projectId, before: presentDerogation(before, now, slug), after: presentDerogation(row, now, slug) });
        return row;
      });
      await recompute(decided.projectId);
      return presentDerogation(decided, now, slug, await derogationPeople(services.db, [decided]));
    },
  );

  app.post(
    '/derogations/:derogationId/revoke',
    { schema: { tags, summary: 'End a derogation early (security officers); what it covered is reopened at once', params: derogationParams, body: derogationRevoke, response: { 200: derogation } } },
    async (request) => {
      const { row: before, slug } = await readable(request, request.params.derogationId);
      const actor = request.actor as AuthenticatedActor;
      if (!isSecurityOfficer(actor)) throw new Problem('forbidden', bilingual('Seul un responsable de la sécurité révoque une dérogation.', 'Only a security officer revokes a derogation.'), undefined, { reason: 'not-security-officer' });
      await requireUsagePolicyAccepted(services.db, actor);
      const now = services.now();
      if (before.status !== 'approved' && before.status !== 'requested') {
        throw new Problem('conflict', bilingual(`Cette dérogation est dans l’état « ${before.status} » : il n’y a rien à révoquer.`, `This derogation is ${before.status}; there is nothing to revoke.`), undefined, { status: before.status });
      }
      const revoked = await inAuditedTransaction(services.db, actor, request.id, async (tx, audit) => {
        const [row] = await tx
          .update(derogations)
          .set({ status: 'revoked', revokedBy: actingUserId(actor), revokedAt: now, revocationComment: request.body.comment ?? null })
          .where(and(eq(derogations.id, before.id), eq(derogations.status, before.status)))
          .returning();
        if (!row) throw new Problem('conflict', bilingual('Cette dérogation a changé entre-temps : relisez-la.', 'This derogation changed meanwhile; read it again.'));
        await audit({ action: 'derogation.revoke', targetType: 'derogation', targetId: row.id, projectId: row.projectId, before: presentDerogation(before, now, slug), after: presentDerogation(row, now, slug) });
        return row;
      });
      await recompute(revoked.projectId);
      return presentDerogation(revoked, now, slug, await derogationPeople(services.db, [revoked]));
    },
  );
}
