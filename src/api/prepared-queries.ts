// The hottest read queries, prepared once per database: drizzle skips rebuilding the SQL and PostgreSQL skips
// re-parsing it (named statements). Building a query costs more than the round trip itself on a busy server
// (see bench/api.ts). Only plain reads live here; anything inside a transaction uses the query builder.
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { conformityCurrent, members, projects } from '../db/schema.ts';

/** Projects with their conformity summary, one round trip: every project list starts here. */
export function projectList(db: Db) {
  return db
    .select({
      project: projects,
      conformity: {
        evaluatedAt: conformityCurrent.evaluatedAt,
        catalogueVersion: conformityCurrent.catalogueVersion,
        summary: conformityCurrent.summary,
      },
    })
    .from(projects)
    .leftJoin(conformityCurrent, eq(conformityCurrent.projectId, projects.id))
    .$dynamic();
}

function prepare(db: Db) {
  return {
    projectById: db.select().from(projects).where(eq(projects.id, sql.placeholder('id'))).limit(1).prepare('dso_project_by_id'),
    projectWithMembership: db
      .select({ project: projects, role: members.role })
      .from(projects)
      .leftJoin(members, and(eq(members.projectId, projects.id), eq(members.userId, sql.placeholder('userId'))))
      .where(eq(projects.id, sql.placeholder('id')))
      .limit(1)
      .prepare('dso_project_with_membership'),
    /** The unfiltered project list of administrators with each project's conformity summary, first page and
     * following pages (keyset on slug). */
    projectsFirstPage: projectList(db).where(eq(projects.archived, sql.placeholder('archived'))).orderBy(asc(projects.slug)).limit(sql.placeholder('limit')).prepare('dso_projects_first_page'),
    projectsAfter: projectList(db)
      .where(and(eq(projects.archived, sql.placeholder('archived')), gt(projects.slug, sql.placeholder('after'))))
      .orderBy(asc(projects.slug))
      .limit(sql.placeholder('limit'))
      .prepare('dso_projects_after'),
  };
}

const cache = new WeakMap<Db, ReturnType<typeof prepare>>();

export function preparedQueries(db: Db): ReturnType<typeof prepare> {
  let queries = cache.get(db);
  if (!queries) {
    queries = prepare(db);
    cache.set(db, queries);
  }
  return queries;
}
