// When platform administrators change the URL allow-list, the projects it affects are reconciled again at once,
// not at the next edit or restart: a repository refused earlier because its forge was not allowed gets its mirror
// and loses its failed condition, and one whose forge is no longer allowed is checked again (and refused) now.
import { eq, inArray, sql } from 'drizzle-orm';
import { repositories } from '../db/schema.ts';
import { allowListCoversUrl } from '../integrations/git/remote-url.ts';
import type { Services } from '../system/services.ts';

/** Entries in one list and not in the other: what the change allows anew or stops allowing. */
function changedEntries(before: readonly string[], after: readonly string[]): string[] {
  const was = new Set(before);
  const now = new Set(after);
  return [...[...now].filter((e) => !was.has(e)), ...[...was].filter((e) => !now.has(e))];
}

/**
 * External repositories whose host a changed entry names, and every failed external repository (a CIDR entry may
 * cover the address a host name resolves to, which only the mirror's own check can tell), are marked to be
 * reconciled (their generation moves on) and their projects queued. Returns the projects queued.
 */
export async function requeueProjectsAffectedByAllowList(services: Pick<Services, 'db' | 'requestReconcile'>, before: readonly string[], after: readonly string[]): Promise<string[]> {
  const changed = changedEntries(before, after);
  if (changed.length === 0) return [];
  const { db } = services;
  const candidates = await db
    .select({
      id: repositories.id,
      projectId: repositories.projectId,
      externalUrl: repositories.externalUrl,
      status: repositories.status,
    })
    .from(repositories)
    .where(eq(repositories.source, 'external'));
  const affected = candidates.filter((r) => r.status === 'failed' || (r.externalUrl !== null && allowListCoversUrl(r.externalUrl, changed)));
  if (affected.length === 0) return [];
  const ids = affected.map((r) => r.id);
  for (let i = 0; i < ids.length; i += 500) {
    const batch = ids.slice(i, i + 500);
    await db
      .update(repositories)
      .set({ generation: sql`${repositories.generation} + 1`, status: 'pending' })
      .where(inArray(repositories.id, batch));
  }
  const projectIds = [...new Set(affected.map((r) => r.projectId))];
  for (const projectId of projectIds) await services.requestReconcile({ kind: 'project', id: projectId, projectId });
  return projectIds;
}
