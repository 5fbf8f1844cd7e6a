// /api/v1/projects/{projectId}/environments/{environmentId}/deployments: deploy a certified revision, promote the
// revision of an earlier stage, roll back, read the history and the deployment status. Every request answers at
// once (202, pending); the gitops reconcile step commits the desired state to the GitOps repository.
import { and, desc, eq, sql } from 'drizzle-orm';
import { deployments, environmentDeploymentStatus } from '../../db/schema.ts';
import { currentRevision, loadEnvironment, promotionRevision, requestDeployment, rollbackRevision } from '../../deploy/request-deployment.ts';
import { recordEnvironmentStatus } from '../../deploy/gitops-reconcile.ts';
import { authorizeProjectChange, authorizeProjectRead } from '../authorize.ts';
import { decodeCursor, toPage } from '../pagination.ts';
import {
  deployment,
  deploymentCreate,
  deploymentListQuery,
  deploymentPage,
  deploymentPromote,
  deploymentRollback,
  deploymentStatus,
  presentDeployment,
  presentDeploymentStatus,
  projectEnvironmentParams,
} from '../schemas/deployments.ts';
import type { App } from '../server.ts';
import type { Services } from '../../system/services.ts';

const tags = ['deployments'];
const base = '/projects/:projectId/environments/:environmentId';

export default async function deploymentRoutes(app: App, services: Services): Promise<void> {
  app.post(`${base}/deployments`, { schema: { tags, summary: 'Deploy a certified revision of the infrastructure repository (asynchronous: 202, pending)', params: projectEnvironmentParams, body: deploymentCreate, response: { 202: deployment } } }, async (request, reply) => {
    const access = await authorizeProjectChange(services, request, request.params.projectId, 'deployments.create', { what: 'environment' });
    const row = await requestDeployment(services, request, access, request.params.environmentId, { action: 'deploy', revision: request.body.revision });
    return reply.code(202).send(presentDeployment(row));
  });

  app.post(`${base}/deployments/promote`, { schema: { tags, summary: 'Promote the revision running on an earlier stage to this environment', params: projectEnvironmentParams, body: deploymentPromote, response: { 202: deployment } } }, async (request, reply) => {
    const access = await authorizeProjectChange(services, request, request.params.projectId, 'deployments.create', { what: 'environment' });
    await loadEnvironment(services.db, access.project.id, request.params.environmentId);
    const revision = await promotionRevision(
      services.db,
      access.project.id,
      request.body.from,
      request.params.environmentId,
    );
    const row = await requestDeployment(services, request, access, request.params.environmentId, { action: 'promote', revision, fromEnvironmentId: request.body.from });
    return reply.code(202).send(presentDeployment(row));
  });

  app.post(`${base}/deployments/rollback`, { schema: { tags, summary: 'Deploy again the previous revision this environment ran', params: projectEnvironmentParams, body: deploymentRollback, response: { 202: deployment } } }, async (request, reply) => {
    const access = await authorizeProjectChange(services, request, request.params.projectId, 'deployments.create', { what: 'environment' });
    await loadEnvironment(services.db, access.project.id, request.params.environmentId);
    const revision = await rollbackRevision(services.db, request.params.environmentId);
    const row = await requestDeployment(services, request, access, request.params.environmentId, { action: 'rollback', revision });
    return reply.code(202).send(presentDeployment(row));
  });

  app.get(`${base}/deployments`, { schema: { tags, summary: 'Deployment history of an environment, newest first', params: projectEnvironmentParams, querystring: deploymentListQuery, response: { 200: deploymentPage } } }, async (request) => {
    const access = await authorizeProjectRead(services, request, request.params.projectId, 'environments.read', 'environment');
    const { environment } = await loadEnvironment(services.db, access.project.id, request.params.environmentId);
    const { limit, cursor } = request.query;
    const after = decodeCursor(cursor, 2);
    const rows = await services.db
      .select()
      .from(deployments)
      .where(and(eq(deployments.environmentId, environment.id), after ? sql`(${deployments.createdAt}, ${deployments.id}) < (${String(after[0])}::timestamptz, ${String(after[1])}::uuid)` : undefined))
      .orderBy(desc(deployments.createdAt), desc(deployments.id))
      .limit(limit + 1);
    return toPage(rows, limit, (d) => [d.createdAt.toISOString(), d.id], presentDeployment);
  });

  app.get(`${base}/deployment-status`, { schema: { tags, summary: 'What the environment runs: the GitOps commit, and ArgoCD sync and health when configured', params: projectEnvironmentParams, response: { 200: deploymentStatus } } }, async (request) => {
    const access = await authorizeProjectRead(services, request, request.params.projectId, 'environments.read', 'environment');
    const { environment } = await loadEnvironment(services.db, access.project.id, request.params.environmentId);
    const [stored] = await services.db
      .select()
      .from(environmentDeploymentStatus)
      .where(eq(environmentDeploymentStatus.environmentId, environment.id))
      .limit(1);
    if (services.config.gitops.argocd && stored?.gitopsCommit) {
      // Read live: ArgoCD's view changes without any reconcile of ours.
      const current = await currentRevision(services.db, environment.id);
      const fresh = await recordEnvironmentStatus(
        services,
        environment,
        access.project.slug,
        stored.gitopsCommit,
        current?.revision ?? stored.revision,
      );
      return presentDeploymentStatus(environment.id, fresh);
    }
    return presentDeploymentStatus(environment.id, stored);
  });
}
