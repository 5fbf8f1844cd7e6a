// Not-applicable declarations: a requirement (whole, or for one environment or repository) that does not apply to a
// project, with a justification the evaluator shows as its reason. Who may declare or withdraw one: a security
// officer (platform role), or the project's owner (project role `owner`). No project permission names this right
// (domain/permissions.ts), and `attestations.create` is too broad (devops and security hold it): declaring a
// requirement out of scope removes it from the score, so it stays with the people accountable for the homologation.
// Every change is audited in its transaction; the project's conformity is recomputed right after.
import { currentCatalogue } from '../../catalogue/catalogue.ts';
import { and, asc, eq } from 'drizzle-orm';
import { requirementIds } from '../../catalogue/catalogue.ts';
import { environments, notApplicableDeclarations, repositories } from '../../db/schema.ts';
import { recomputeProjectConformity } from '../../homologation/recompute.ts';
import { inAuditedTransaction } from '../../audit/record.ts';
import { type AuthenticatedActor } from '../auth/resolve-actor.ts';
import { authorizeProjectRead, requireUsagePolicyAccepted, refuseLockedOrArchived } from '../authorize.ts';
import { bilingual, Problem, type FieldError } from '../../errors.ts';
import { projectParams } from '../schemas/conformity.ts';
import { notApplicableCreate, notApplicableDeclaration, notApplicableList, notApplicableParams, presentNotApplicable } from '../schemas/not-applicable.ts';
import type { FastifyRequest } from 'fastify';
import type { App } from '../server.ts';
import type { Services } from '../../system/services.ts';

const tags = ['homologation'];

export default async function notApplicableRoutes(app: App, services: Services): Promise<void> {
  /** Read access (404 otherwise), then the declarer rule, the usage policy, lock and archive. Returns the declarer's
   * id. */
  async function authorizeDeclarer(request: FastifyRequest, projectId: string): Promise<string> {
    const access = await authorizeProjectRead(services, request, projectId, 'conformity.read');
    const actor = request.actor as AuthenticatedActor;
    const isSecurityOfficer = actor.kind === 'user' && actor.adminRoles.includes('security-officer');
    const isOwner = actor.kind === 'user' && access.role === 'owner';
    if (!isSecurityOfficer && !isOwner) {
      throw new Problem('forbidden', bilingual('Seuls un responsable de la sécurité ou le propriétaire du projet déclarent une exigence non applicable.', 'Only a security officer or the project owner declares a requirement not applicable.'), undefined, { reason: 'not-declarer' });
    }
    await requireUsagePolicyAccepted(services.db, actor);
    refuseLockedOrArchived(access.project);
    return (actor as { userId: string }).userId;
  }

  /** A failed recompute must not undo the committed change; the next read or sweep catches up. */
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

  app.get(
    '/projects/:projectId/not-applicable',
    { schema: { tags, summary: "A project's not-applicable declarations, by requirement", params: projectParams, response: { 200: notApplicableList } } },
    async (request) => {
      const { projectId } = request.params;
      await authorizeProjectRead(services, request, projectId, 'conformity.read');
      const rows = await services.db
        .select()
        .from(notApplicableDeclarations)
        .where(eq(notApplicableDeclarations.projectId, projectId))
        .orderBy(
          asc(notApplicableDeclarations.requirement),
          asc(notApplicableDeclarations.declaredAt),
          asc(notApplicableDeclarations.id),
        )
        .limit(1000);
      return { items: rows.map(presentNotApplicable) };
    },
  );

  app.post(
    '/projects/:projectId/not-applicable',
    { schema: { tags, summary: 'Declare a requirement not applicable, with a justification (security officer or project owner)', params: projectParams, body: notApplicableCreate, response: { 201: notApplicableDeclaration } } },
    async (request, reply) => {
      const { projectId } = request.params;
      const declaredBy = await authorizeDeclarer(request, projectId);
      const body = request.body;
      const justification = body.justification.trim();
      const errors: FieldError[] = [];
      if (!requirementIds().has(body.requirement)) errors.push({ field: 'requirement', message: bilingual('Cette exigence n’est pas dans le référentiel en vigueur.', 'This requirement is not in the current catalogue.') });
      if (justification.length === 0) errors.push({ field: 'justification', message: bilingual('Dites pourquoi l’exigence ne s’applique pas.', 'Say why the requirement does not apply.') });
      if (errors.length > 0) throw new Problem('validation', bilingual(errors.map((e) => e.message.fr).join(' '), errors.map((e) => e.message.en).join(' ')), errors);
      if (body.environmentId !== undefined) {
        const [env] = await services.db
          .select({ id: environments.id })
          .from(environments)
          .where(and(eq(environments.id, body.environmentId), eq(environments.projectId, projectId)))
          .limit(1);
        if (!env) throw new Problem('notFound', bilingual('Cet environnement n’existe pas dans ce projet.', 'No such environment in this project.'), [{ field: 'environmentId', message: bilingual('environnement inconnu dans ce projet', 'unknown environment in this project') }]);
      }
      if (body.repositoryId !== undefined) {
        const [repo] = await services.db
          .select({ id: repositories.id })
          .from(repositories)
          .where(and(eq(repositories.id, body.repositoryId), eq(repositories.projectId, projectId)))
          .limit(1);
        if (!repo) throw new Problem('notFound', bilingual('Ce dépôt n’existe pas dans ce projet.', 'No such repository in this project.'), [{ field: 'repositoryId', message: bilingual('dépôt inconnu dans ce projet', 'unknown repository in this project') }]);
      }
      const created = await inAuditedTransaction(services.db, request.actor, request.id, async (tx, audit) => {
        const [row] = await tx
          .insert(notApplicableDeclarations)
          .values({
            projectId,
            requirement: body.requirement,
            justification,
            environmentId: body.environmentId ?? null,
            repositoryId: body.repositoryId ?? null,
            declaredBy,
            declaredAt: services.now(),
          })
          .returning();
        if (!row) throw new Error('insert returned nothing');
        await audit({ action: 'not-applicable.declare', targetType: 'not-applicable-declaration', targetId: row.id, projectId, after: presentNotApplicable(row) });
        return row;
      });
      await recompute(projectId);
      return reply.code(201).send(presentNotApplicable(created));
    },
  );

  app.delete(
    '/projects/:projectId/not-applicable/:declarationId',
    { schema: { tags, summary: 'Withdraw a not-applicable declaration: the requirement is assessed again (security officer or project owner)', params: notApplicableParams } },
    async (request, reply) => {
      const { projectId, declarationId } = request.params;
      await authorizeDeclarer(request, projectId);
      await inAuditedTransaction(services.db, request.actor, request.id, async (tx, audit) => {
        const [row] = await tx
          .delete(notApplicableDeclarations)
          .where(
            and(eq(notApplicableDeclarations.id, declarationId), eq(notApplicableDeclarations.projectId, projectId)),
          )
          .returning();
        if (!row) throw new Problem('notFound', bilingual('Cette déclaration de non-applicabilité n’existe pas dans ce projet.', 'No such not-applicable declaration in this project.'));
        await audit({ action: 'not-applicable.withdraw', targetType: 'not-applicable-declaration', targetId: row.id, projectId, before: presentNotApplicable(row) });
      });
      await recompute(projectId);
      return reply.code(204).send();
    },
  );
}
