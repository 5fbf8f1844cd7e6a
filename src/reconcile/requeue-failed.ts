// At start, every project left failed (itself, one of its repositories or environments) is reconciled again. The
// configuration a failure depended on may have changed while the process was down — DSO_GIT_ALLOWED_HOSTS now
// lists the forge a repository URL was refused for — and the project's status must not stay "en échec" until
// someone edits it.
import { eq } from 'drizzle-orm';
import type { Services } from '../system/services.ts';
import { environments, projects, repositories } from '../db/schema.ts';

export async function requeueFailedProjects(services: Pick<Services, 'db' | 'requestReconcile'>): Promise<number> {
  const { db } = services;
  const [failedProjects, failedRepositories, failedEnvironments] = await Promise.all([
    db.select({ projectId: projects.id }).from(projects).where(eq(projects.status, 'failed')),
    db.select({ projectId: repositories.projectId }).from(repositories).where(eq(repositories.status, 'failed')),
    db.select({ projectId: environments.projectId }).from(environments).where(eq(environments.status, 'failed')),
  ]);
  const ids = new Set([...failedProjects, ...failedRepositories, ...failedEnvironments].map((r) => r.projectId));
  for (const projectId of ids) await services.requestReconcile({ kind: 'project', id: projectId, projectId });
  return ids.size;
}
