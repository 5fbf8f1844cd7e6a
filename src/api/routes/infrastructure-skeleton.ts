// /api/v1/projects/{projectId}/infrastructure-skeleton: a first infrastructure repository for one of the project's
// application repositories — manifests that pass the platform's checks, for the image the chain published from
// its last certified revision — as JSON (each file with why it is there) or as a zip to unpack and push.
import { and, desc, eq, isNotNull } from 'drizzle-orm';
import { strToU8, zipSync } from 'fflate';
import type { z } from 'zod';
import { certifiedRevisions, repositories } from '../../db/schema.ts';
import { infrastructureSkeleton, normaliseDeployPath } from '../../deploy/infrastructure-skeleton.ts';
import { bilingual, Problem } from '../../errors.ts';
import { authorizeProjectRead } from '../authorize.ts';
import { skeleton, skeletonParams as params, skeletonQuery as query } from '../schemas/infrastructure-skeleton.ts';
import type { App } from '../server.ts';
import type { Services } from '../../system/services.ts';

const tags = ['repositories'];

export default async function infrastructureSkeletonRoutes(app: App, services: Services): Promise<void> {
  app.get(
    '/projects/:projectId/infrastructure-skeleton',
    { schema: { tags, summary: 'A first infrastructure repository (manifests passing the checks, and a README) for an application repository: JSON, or ?format=zip', params, querystring: query, response: { 200: skeleton } } },
    async (request, reply) => {
      const access = await authorizeProjectRead(services, request, request.params.projectId, 'repositories.read', 'project');
      const { application, port, healthPath, format } = request.query;
      const [repository] = await services.db
        .select({ id: repositories.id, name: repositories.name })
        .from(repositories)
        .where(and(eq(repositories.projectId, access.project.id), eq(repositories.name, application)))
        .limit(1);
      if (!repository) throw new Problem('validation', bilingual(`Aucun dépôt nommé ${application} dans ce projet.`, `No repository named ${application} in this project.`), [{ field: 'application', message: bilingual('le nom d’un des dépôts du projet', 'the name of one of the project’s repositories') }]);
      let deployPath: string;
      try {
        deployPath = normaliseDeployPath(request.query.deployPath);
      } catch {
        throw new Problem('validation', bilingual('Le chemin de déploiement doit rester dans le dépôt.', 'The deploy path must stay inside the repository.'), [{ field: 'deployPath', message: bilingual('un dossier du dépôt, sans ..', 'a folder inside the repository, without ..') }]);
      }
      // The image the chain published for the newest certified revision that has one (tagged sha-<commit>).
      const [certified] = await services.db
        .select({ commitSha: certifiedRevisions.commitSha })
        .from(certifiedRevisions)
        .where(and(eq(certifiedRevisions.repositoryId, repository.id), isNotNull(certifiedRevisions.imageDigest)))
        .orderBy(desc(certifiedRevisions.certifiedAt))
        .limit(1);
      const registryHost = services.config.conformity.registryHosts[0] ?? new URL(services.config.publicUrl).host;
      const image = `${registryHost}/${access.project.slug}/${repository.name}:${certified ? `sha-${certified.commitSha}` : 'remplacer-par-sha-du-commit-certifie'}`;
      const files = infrastructureSkeleton({ project: access.project.slug, application: repository.name, image, port, healthPath, deployPath });
      if (format === 'zip') {
        const archive = zipSync(Object.fromEntries(files.map((f) => [f.path, strToU8(f.content)])), { level: 6, mtime: new Date('2026-01-01T00:00:00Z') });
        return reply
          .type('application/zip')
          .header('content-disposition', `attachment; filename="infrastructure-${access.project.slug}.zip"`)
          // A Buffer is sent as is (fastify serialises only objects); the response schema documents the JSON form.
          .send(Buffer.from(archive) as unknown as z.infer<typeof skeleton>);
      }
      return { deployPath, image, imagePinned: Boolean(certified), files };
    },
  );
}
