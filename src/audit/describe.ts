// The audit log is read by people: each event is shown with the names of who acted, of the project and of the
// object it concerns — not with their UUIDs. Names are looked up for a page of events at once (one query per kind
// of object), and taken from the event's own snapshot when the object has since been deleted.
import { eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { auditEvents, clusters, environments, projects, repositories, runs, stages, users, zones } from '../db/schema.ts';

type AuditRow = typeof auditEvents.$inferSelect;

export interface DescribedAuditEvent extends AuditRow {
  /** Display name of the person or service account who acted; null for the bootstrap token and the system. */
  actorName: string | null;
  project: { id: string; slug: string; name: string } | null;
  /** A readable name of the target (repository name, environment name, person…), when one is known. */
  targetName: string | null;
}

/** Identifiers of a kind of object, de-duplicated, valid UUIDs only (target ids are free text). */
const uuidShape = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const idsOf = (rows: readonly AuditRow[], types: readonly string[]) => [
  ...new Set(
    rows
      .filter((r) => types.includes(r.targetType) && r.targetId && uuidShape.test(r.targetId))
      .map((r) => r.targetId!),
  ),
];

/** What the event's own before/after snapshot calls the object (for deleted objects and small ones: tokens,
 * webhooks). */
function snapshotName(row: AuditRow): string | null {
  for (const snapshot of [row.after, row.before]) {
    if (!snapshot || typeof snapshot !== 'object') continue;
    const s = snapshot as Record<string, unknown>;
    for (const key of ['name', 'slug', 'displayName', 'requirementId', 'title', 'url', 'label']) {
      const value = s[key];
      if (typeof value === 'string' && value !== '' && value !== '[redacted]') return value.slice(0, 200);
    }
  }
  return null;
}

export async function describeAuditEvents(db: Db, rows: readonly AuditRow[]): Promise<DescribedAuditEvent[]> {
  if (rows.length === 0) return [];
  const personIds = [...new Set([...rows.map((r) => r.actorId).filter((id): id is string => id !== null), ...idsOf(rows, ['user', 'service-account', 'member'])])];
  const projectIds = [...new Set([...rows.map((r) => r.projectId).filter((id): id is string => id !== null), ...idsOf(rows, ['project'])])];
  const byId = <T extends { id: string }>(list: T[]) => new Map(list.map((x) => [x.id, x]));
  const none = Promise.resolve([]);
  const [people, projectRows, repositoryRows, environmentRows, runRows, zoneRows, clusterRows, stageRows] =
    await Promise.all([
      personIds.length
        ? db.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, personIds))
        : none,
      projectIds.length
        ? db
            .select({ id: projects.id, slug: projects.slug, name: projects.name })
            .from(projects)
            .where(inArray(projects.id, projectIds))
        : none,
      idsOf(rows, ['repository']).length
        ? db
            .select({ id: repositories.id, name: repositories.name })
            .from(repositories)
            .where(inArray(repositories.id, idsOf(rows, ['repository'])))
        : none,
      idsOf(rows, ['environment']).length
        ? db
            .select({ id: environments.id, name: environments.name })
            .from(environments)
            .where(inArray(environments.id, idsOf(rows, ['environment'])))
        : none,
      idsOf(rows, ['run']).length
        ? db
            .select({ id: runs.id, sha: runs.commitSha, repository: repositories.name })
            .from(runs)
            .innerJoin(repositories, eq(repositories.id, runs.repositoryId))
            .where(inArray(runs.id, idsOf(rows, ['run'])))
        : none,
      idsOf(rows, ['zone']).length
        ? db
            .select({ id: zones.id, name: zones.slug })
            .from(zones)
            .where(inArray(zones.id, idsOf(rows, ['zone'])))
        : none,
      idsOf(rows, ['cluster']).length
        ? db
            .select({ id: clusters.id, name: clusters.slug })
            .from(clusters)
            .where(inArray(clusters.id, idsOf(rows, ['cluster'])))
        : none,
      idsOf(rows, ['stage']).length
        ? db
            .select({ id: stages.id, name: stages.slug })
            .from(stages)
            .where(inArray(stages.id, idsOf(rows, ['stage'])))
        : none,
    ]);
  const person = byId(people as { id: string; name: string }[]);
  const project = byId(projectRows as { id: string; slug: string; name: string }[]);
  const named = new Map<string, string>();
  for (const list of [repositoryRows, environmentRows, zoneRows, clusterRows, stageRows] as {
    id: string;
    name: string;
  }[][])
    for (const x of list) named.set(x.id, x.name);
  for (const r of runRows as { id: string; sha: string | null; repository: string }[]) named.set(r.id, r.sha ? `${r.repository} @ ${r.sha.slice(0, 12)}` : r.repository);

  return rows.map((row) => {
    const target = row.targetId ?? '';
    const targetName =
      row.targetType === 'project'
        ? (project.get(target)?.slug ?? snapshotName(row))
        : ['user', 'service-account', 'member'].includes(row.targetType)
          ? (person.get(target)?.name ?? snapshotName(row))
          : (named.get(target) ?? snapshotName(row));
    const p = row.projectId ? project.get(row.projectId) : undefined;
    return {
      ...row,
      actorName: row.actorId ? (person.get(row.actorId)?.name ?? null) : null,
      project: p ? { id: p.id, slug: p.slug, name: p.name } : null,
      targetName,
    };
  });
}
