// /api/v1/projects/{projectId}/secrets: the project's secrets, sealed at rest. PUT writes values; GET answers the
// metadata only; the GitOps repository gets an ExternalSecret that names the keys, never the values.
import { z } from 'zod';
import { inAuditedTransaction } from '../../audit/record.ts';
import { deleteProjectSecret, findProjectSecret, listProjectSecrets, putProjectSecret } from '../../integrations/secrets/project-secrets.ts';
import { authorizeProjectChange, authorizeProjectRead } from '../authorize.ts';
import { bilingual, Problem } from '../../errors.ts';
import { presentSecret, projectOnlyParams, projectSecretParams, secretList, secretMetadata, secretPut } from '../schemas/secrets.ts';
import type { App } from '../server.ts';
import type { Services } from '../../system/services.ts';

const tags = ['secrets'];

export default async function secretRoutes(app: App, services: Services): Promise<void> {
  app.get('/projects/:projectId/secrets', { schema: { tags, summary: 'Secrets of a project (names, keys, environments; never values)', params: projectOnlyParams, response: { 200: secretList } } }, async (request) => {
    const access = await authorizeProjectRead(services, request, request.params.projectId, 'environments.read');
    return { items: (await listProjectSecrets(services.db, access.project.id)).map(presentSecret) };
  });

  app.get('/projects/:projectId/secrets/:name', { schema: { tags, summary: 'One secret: its metadata only (values are write-only)', params: projectSecretParams, response: { 200: secretMetadata } } }, async (request) => {
    const access = await authorizeProjectRead(services, request, request.params.projectId, 'environments.read', 'secret');
    const row = await findProjectSecret(services.db, access.project.id, request.params.name);
    if (!row) throw new Problem('notFound', bilingual('Ce secret n’existe pas dans ce projet.', 'No such secret in this project.'));
    return presentSecret(row);
  });

  app.put('/projects/:projectId/secrets/:name', { schema: { tags, summary: 'Create or replace a secret (values sealed at rest, referenced by the environments)', params: projectSecretParams, body: secretPut, response: { 200: secretMetadata, 201: secretMetadata } } }, async (request, reply) => {
    const access = await authorizeProjectChange(services, request, request.params.projectId, 'secrets.manage', { what: 'secret' });
    const by = request.actor.kind === 'user' || request.actor.kind === 'service-account' ? request.actor.userId : request.actor.kind;
    const { row, created } = await inAuditedTransaction(services.db, request.actor, request.id, async (tx, audit) => {
      const result = await putProjectSecret(
        tx,
        services.secretBox,
        access.project.id,
        request.params.name,
        { values: request.body.values, environments: request.body.environments },
        by,
        services.now(),
      );
      // Metadata only: the audit trail never holds a value.
      await audit({ action: result.created ? 'secret.create' : 'secret.update', targetType: 'secret', targetId: result.row.id, projectId: access.project.id, after: presentSecret(result.row) });
      return result;
    });
    await services.requestReconcile({ kind: 'project', id: access.project.id, projectId: access.project.id });
    return reply.code(created ? 201 : 200).send(presentSecret(row));
  });

  app.delete('/projects/:projectId/secrets/:name', { schema: { tags, summary: 'Delete a secret (its ExternalSecret leaves the GitOps repository)', params: projectSecretParams, response: { 204: z.null() } } }, async (request, reply) => {
    const access = await authorizeProjectChange(services, request, request.params.projectId, 'secrets.manage', { what: 'secret' });
    await inAuditedTransaction(services.db, request.actor, request.id, async (tx, audit) => {
      const row = await deleteProjectSecret(tx, access.project.id, request.params.name);
      if (!row) throw new Problem('notFound', bilingual('Ce secret n’existe pas dans ce projet.', 'No such secret in this project.'));
      await audit({ action: 'secret.delete', targetType: 'secret', targetId: row.id, projectId: access.project.id, before: presentSecret(row) });
    });
    await services.requestReconcile({ kind: 'project', id: access.project.id, projectId: access.project.id });
    return reply.code(204).send(null);
  });
}
