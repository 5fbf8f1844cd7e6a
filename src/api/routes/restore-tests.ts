// Restore tests (EX8): the team, or the job that rehearses its restores, records each exercise here; the
// conformity of EX8 is read from the latest one (satisfied only by a recent success, window in the catalogue).
// Recording takes the right to give evidence (`attestations.create`: owner, devops, security, and the project's
// service accounts acting as devops); reading takes `conformity.read`. Audited; conformity recomputed right after.
import { and, desc, eq } from 'drizzle-orm';
import { currentCatalogue } from '../../catalogue/catalogue.ts';
import { environments, restoreTests, users } from '../../db/schema.ts';
import { recomputeProjectConformity } from '../../homologation/recompute.ts';
import { inAuditedTransaction } from '../../audit/record.ts';
import type { AuthenticatedActor } from '../auth/resolve-actor.ts';
import { authorizeProjectChange, authorizeProjectRead } from '../authorize.ts';
import { bilingual, Problem } from '../../errors.ts';
import { projectParams } from '../schemas/conformity.ts';
import { presentRestoreTest, restoreTest, restoreTestCreate, restoreTestList } from '../schemas/restore-tests.ts';
import type { App } from '../server.ts';
import type { Services } from '../../system/services.ts';

const tags = ['homologation'];
/** Clocks differ a little between the team's job and the platform. */
const clockSkewMs = 5 * 60_000;

export default async function restoreTestRoutes(app: App, services: Services): Promise<void> {
  app.get(
    '/projects/:projectId/restore-tests',
    { schema: { tags, summary: 'Restore tests recorded for a project, newest first (EX8)', params: projectParams, response: { 200: restoreTestList } } },
    async (request) => {
      const { projectId } = request.params;
      await authorizeProjectRead(services, request, projectId, 'conformity.read');
      const rows = await services.db
        .select({ test: restoreTests, name: users.displayName })
        .from(restoreTests)
        .leftJoin(users, eq(users.id, restoreTests.recordedBy))
        .where(eq(restoreTests.projectId, projectId))
        .orderBy(desc(restoreTests.performedAt), desc(restoreTests.recordedAt), desc(restoreTests.id))
        .limit(200);
      return { items: rows.map((r) => presentRestoreTest(r.test, r.name)) };
    },
  );

  app.post(
    '/projects/:projectId/restore-tests',
    { schema: { tags, summary: 'Record a restore test: date, environment, outcome, duration, report (EX8)', params: projectParams, body: restoreTestCreate, response: { 201: restoreTest } } },
    async (request, reply) => {
      const { projectId } = request.params;
      await authorizeProjectChange(services, request, projectId, 'attestations.create');
      const actor = request.actor as AuthenticatedActor;
      const recordedBy = actor.kind === 'user' || actor.kind === 'service-account' ? actor.userId : undefined;
      if (!recordedBy) throw new Problem('forbidden', bilingual('Les tests de restauration sont enregistrés par des personnes identifiées ou des comptes de service, pas avec le jeton d’amorçage.', 'Restore tests are recorded by identified people or service accounts, not with the bootstrap token.'));
      const body = request.body;
      const now = services.now();
      const performedAt = new Date(body.performedAt);
      if (performedAt.getTime() > now.getTime() + clockSkewMs) throw new Problem('validation', bilingual('Le test de restauration ne peut pas être dans le futur.', 'The restore test cannot be in the future.'), [{ field: 'performedAt', message: bilingual('dans le futur', 'in the future') }]);
      if (body.environmentId !== undefined) {
        const [env] = await services.db
          .select({ id: environments.id })
          .from(environments)
          .where(and(eq(environments.id, body.environmentId), eq(environments.projectId, projectId)))
          .limit(1);
        if (!env) throw new Problem('notFound', bilingual('Cet environnement n’existe pas dans ce projet.', 'No such environment in this project.'), [{ field: 'environmentId', message: bilingual('environnement inconnu dans ce projet', 'unknown environment in this project') }]);
      }
      const notes = body.notes?.trim();
      const created = await inAuditedTransaction(services.db, request.actor, request.id, async (tx, audit) => {
        const [row] = await tx
          .insert(restoreTests)
          .values({
            projectId,
            environmentId: body.environmentId ?? null,
            performedAt,
            outcome: body.outcome,
            durationSeconds: body.durationSeconds ?? null,
            evidenceUrl: body.evidenceUrl ?? null,
            notes: notes ? notes : null,
            recordedBy,
            recordedAt: now,
          })
          .returning();
        if (!row) throw new Error('insert returned nothing');
        await audit({ action: 'restore-test.record', targetType: 'restore-test', targetId: row.id, projectId, after: presentRestoreTest(row, null) });
        return row;
      });
      try {
        await recomputeProjectConformity(services.db, projectId, now, currentCatalogue, services.config.conformity);
      } catch (error) {
        // The record stands; the next read or sweep re-evaluates the project.
        services.logger.warn({ err: error, projectId }, 'conformity recompute failed');
      }
      const [who] = await services.db
        .select({ name: users.displayName })
        .from(users)
        .where(eq(users.id, recordedBy))
        .limit(1);
      return reply.code(201).send(presentRestoreTest(created, who?.name ?? null));
    },
  );
}
