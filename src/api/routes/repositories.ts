// /api/v1/repositories: the team's repositories the platform mirrors. Credentials are sealed with the secret box
// on arrival and never leave again: responses say `hasCredentials`, audit events say "[redacted]".
import { and, asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { repositories } from '../../db/schema.ts';
import { inAuditedTransaction } from '../../audit/record.ts';
import { requireAuthenticated } from '../auth/resolve-actor.ts';
import { authorizeProjectChange, authorizeProjectRead, visibleProjectsCondition } from '../authorize.ts';
import { conflictAs } from '../conflict.ts';
import { decodeCursor, toPage } from '../pagination.ts';
import { bilingual, Problem } from '../../errors.ts';
import { currentRepositoryUrlPolicy } from '../../chain/url-allow-list.ts';
import { requireAllowedUrl } from '../outbound-url.ts';
import { idParams } from '../schemas/common.ts';
import { presentRepository, repository, repositoryCreate, repositoryCredentials, repositoryListQuery, repositoryPage, repositoryUpdate } from '../schemas/repositories.ts';
import { preferredLanguage } from '../plugins/problem-handler.ts';
import type { App } from '../server.ts';
import type { Services } from '../../system/services.ts';

const tags = ['repositories'];

export default async function repositoryRoutes(app: App, services: Services): Promise<void> {
  const seal = (credentials: z.infer<typeof repositoryCredentials>) =>
    services.secretBox.seal(JSON.stringify(credentials));

  async function load(id: string) {
    const [row] = await services.db.select().from(repositories).where(eq(repositories.id, id)).limit(1);
    if (!row) throw new Problem('notFound', bilingual('Dépôt introuvable, ou vous n’y avez pas accès.', 'No such repository, or you cannot see it.'));
    return row;
  }

  app.get('/repositories', { schema: { tags, summary: 'List repositories (of one project with ?projectId=)', querystring: repositoryListQuery, response: { 200: repositoryPage } } }, async (request) => {
    const actor = requireAuthenticated(request);
    const { limit, cursor, projectId } = request.query;
    const after = decodeCursor(cursor, 2);
    const scope = projectId ? (await authorizeProjectRead(services, request, projectId, 'repositories.read'), eq(repositories.projectId, projectId)) : visibleProjectsCondition(actor, repositories.projectId, 'repositories.read');
    const rows = await services.db
      .select()
      .from(repositories)
      .where(and(scope, after ? sql`(${repositories.projectId}, ${repositories.name}) > (${String(after[0])}::uuid, ${String(after[1])})` : undefined))
      .orderBy(asc(repositories.projectId), asc(repositories.name))
      .limit(limit + 1);
    return toPage(rows, limit, (r) => [r.projectId, r.name], (r) => presentRepository(r, preferredLanguage(request)));
  });

  app.post('/repositories', { schema: { tags, summary: 'Add a repository to mirror (provisioned asynchronously)', body: repositoryCreate, response: { 201: repository } } }, async (request, reply) => {
    const { credentials, ...body } = request.body;
    await authorizeProjectChange(services, request, body.projectId, 'repositories.manage');
    if (body.externalUrl !== undefined) await requireAllowedUrl(body.externalUrl, await currentRepositoryUrlPolicy(services), 'externalUrl');
    const created = await conflictAs(bilingual(`Le projet a déjà un dépôt nommé « ${body.name} ».`, `The project already has a repository named "${body.name}".`), 'name', () =>
      inAuditedTransaction(services.db, request.actor, request.id, async (tx, audit) => {
        const [row] = await tx
          .insert(repositories)
          .values({ ...body, deployPath: body.deployPath ?? null, credentialsEncrypted: credentials ? seal(credentials) : null, status: 'pending' })
          .returning();
        if (!row) throw new Error('insert returned nothing');
        await audit({ action: 'repository.create', targetType: 'repository', targetId: row.id, projectId: row.projectId, after: presentRepository(row) });
        return row;
      }),
    );
    await services.requestReconcile({ kind: 'repository', id: created.id, projectId: created.projectId });
    return reply.code(201).send(presentRepository(created, preferredLanguage(request)));
  });

  app.get('/repositories/:id', { schema: { tags, summary: 'One repository and its status (never its credentials)', params: idParams, response: { 200: repository } } }, async (request) => {
    requireAuthenticated(request);
    const row = await load(request.params.id);
    await authorizeProjectRead(services, request, row.projectId, 'repositories.read', 'repository');
    return presentRepository(row, preferredLanguage(request));
  });

  app.patch('/repositories/:id', { schema: { tags, summary: 'Change a repository (credentials: null removes them)', params: idParams, body: repositoryUpdate, response: { 202: repository } } }, async (request, reply) => {
    requireAuthenticated(request);
    const before = await load(request.params.id);
    await authorizeProjectChange(services, request, before.projectId, 'repositories.manage', { what: 'repository' });
    const { credentials, ...body } = request.body;
    if (body.externalUrl !== undefined) await requireAllowedUrl(body.externalUrl, await currentRepositoryUrlPolicy(services), 'externalUrl');
    const updated = await inAuditedTransaction(services.db, request.actor, request.id, async (tx, audit) => {
      const [row] = await tx
        .update(repositories)
        .set({
          ...body,
          ...(credentials !== undefined
            ? { credentialsEncrypted: credentials === null ? null : seal(credentials) }
            : {}),
          generation: sql`${repositories.generation} + 1`,
          status: 'pending',
          updatedAt: services.now(),
        })
        .where(eq(repositories.id, before.id))
        .returning();
      if (!row) throw new Problem('notFound');
      await audit({ action: 'repository.update', targetType: 'repository', targetId: row.id, projectId: row.projectId, before: presentRepository(before), after: { ...presentRepository(row), credentialsChanged: credentials !== undefined } });
      return row;
    });
    await services.requestReconcile({ kind: 'repository', id: updated.id, projectId: updated.projectId });
    return reply.code(202).send(presentRepository(updated, preferredLanguage(request)));
  });

  app.delete('/repositories/:id', { schema: { tags, summary: 'Remove a repository (mirror removed asynchronously)', params: idParams, response: { 204: z.null() } } }, async (request, reply) => {
    requireAuthenticated(request);
    const before = await load(request.params.id);
    await authorizeProjectChange(services, request, before.projectId, 'repositories.manage', { what: 'repository' });
    await inAuditedTransaction(services.db, request.actor, request.id, async (tx, audit) => {
      await tx.delete(repositories).where(eq(repositories.id, before.id));
      await audit({ action: 'repository.delete', targetType: 'repository', targetId: before.id, projectId: before.projectId, before: presentRepository(before) });
    });
    await services.requestReconcile({ kind: 'project', id: before.projectId, projectId: before.projectId });
    return reply.code(204).send(null);
  });
}
