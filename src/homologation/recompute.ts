// Recompute a project's conformity and keep its history: called after anything that can change it (an
// attestation, a derogation decision or revocation, a new certified run, a new catalogue version, an instant
// at which something expires). Incremental: one project's facts only, so its cost does not depend on how many
// projects exist; the sweep reads the facts of its batches together. A history point is stored only when what
// a user sees changed (the snapshot digest).
import { and, asc, desc, eq, inArray, isNull, lte, ne, or, sql } from 'drizzle-orm';

/** Projects stored per transaction by the sweep: bounds a transaction's size and how long its locks are held. */
const recordChunk = 100;
import { currentCatalogue } from '../catalogue/catalogue.ts';
import { snapshotOf, stateChanges, summaryOf, type ConformitySnapshot, type StateChange } from '../catalogue/conformity-history.ts';
import { evaluateConformity, type ConformityResult } from '../catalogue/conformity.ts';
import type { ProjectFacts } from '../catalogue/facts.ts';
import type { Catalogue } from '../catalogue/model.ts';
import type { ConformityPolicy } from '../catalogue/policy.ts';
import type { Db } from '../db/client.ts';
import { certifiedRevisions, conformityCurrent, conformitySnapshots, projects } from '../db/schema.ts';
import { gatherFactsOfProjects, gatherProjectFacts } from './facts.ts';
import { startPeriodicTask, type PeriodicTask } from '../system/periodic-task.ts';

export interface RecordedConformity {
  facts: ProjectFacts;
  result: ConformityResult;
  /** True when a new history point was stored. */
  changed: boolean;
  changes: StateChange[];
}

/** Evaluate a project now and store a history point when its conformity changed. Undefined: no such project. */
export async function recomputeProjectConformity(
  db: Db,
  projectId: string,
  now: Date,
  catalogue: Catalogue = currentCatalogue,
  policy?: ConformityPolicy,
): Promise<RecordedConformity | undefined> {
  const facts = await gatherProjectFacts(db, projectId, { ...(policy ? { policy } : {}), now });
  if (!facts) return undefined;
  const result = evaluateConformity(catalogue, facts, now);
  const recorded = await recordConformity(db, result);
  return { facts, result, ...recorded };
}

/** Store `result` as the project's current conformity; a history point only when its digest changed. */
export async function recordConformity(
  db: Db,
  result: ConformityResult,
): Promise<{ changed: boolean; changes: StateChange[] }> {
  const snapshot = snapshotOf(result);
  const projectId = result.projectId;
  return db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    // Two recomputes of one project at once (a decision and a run finishing) must not both append the same point.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`conformity:${projectId}`}))`);
    const [current] = await tx
      .select()
      .from(conformityCurrent)
      .where(eq(conformityCurrent.projectId, projectId))
      .limit(1);
    const values = {
      catalogueVersion: result.catalogueVersion,
      digest: snapshot.digest,
      evaluatedAt: new Date(result.evaluatedAt),
      nextChangeAt: result.nextChangeAt ? new Date(result.nextChangeAt) : null,
      summary: summaryOf(result),
    };
    if (current && current.digest === snapshot.digest) {
      await tx
        .update(conformityCurrent)
        .set({ evaluatedAt: values.evaluatedAt, nextChangeAt: values.nextChangeAt, summary: values.summary })
        .where(eq(conformityCurrent.projectId, projectId));
      return { changed: false, changes: [] };
    }
    const [previousRow] = await tx
      .select({ snapshot: conformitySnapshots.snapshot })
      .from(conformitySnapshots)
      .where(eq(conformitySnapshots.projectId, projectId))
      .orderBy(sql`${conformitySnapshots.evaluatedAt} desc, ${conformitySnapshots.id} desc`)
      .limit(1);
    const previous = previousRow?.snapshot as unknown as ConformitySnapshot | undefined;
    const changes = stateChanges(previous, snapshot);
    await tx.insert(conformitySnapshots).values({
      projectId,
      evaluatedAt: values.evaluatedAt,
      catalogueVersion: snapshot.catalogueVersion,
      digest: snapshot.digest,
      snapshot: { ...snapshot, changes } as unknown as Record<string, unknown>,
    });
    await tx
      .insert(conformityCurrent)
      .values({ projectId, ...values })
      .onConflictDoUpdate({ target: conformityCurrent.projectId, set: values });
    return { changed: true, changes };
  });
}

/**
 * Store the results of many projects in one transaction and a fixed number of statements (the sweep's batches):
 * the projects' locks taken in one statement (always in the same order, so two sweeps cannot deadlock), their
 * current rows read together, the previous history points of those that changed read together, then one insert of
 * the new points and one upsert of the current rows. Same outcome as `recordConformity` for each project.
 */
export async function recordConformities(db: Db, results: readonly ConformityResult[]): Promise<{ changed: number }> {
  if (results.length === 0) return { changed: 0 };
  const byProject = new Map(results.map((r) => [r.projectId, r]));
  const ids = [...byProject.keys()].sort();
  return db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('conformity:' || id)) from (select unnest(array[${sql.join(ids.map((id) => sql`${id}`), sql`, `)}]::text[]) as id order by 1) as locked`);
    const currentRows = await tx
      .select({ projectId: conformityCurrent.projectId, digest: conformityCurrent.digest })
      .from(conformityCurrent)
      .where(inArray(conformityCurrent.projectId, ids));
    const currentDigest = new Map(currentRows.map((r) => [r.projectId, r.digest]));
    const snapshots = new Map(ids.map((id) => [id, snapshotOf(byProject.get(id)!)]));
    const changedIds = ids.filter((id) => currentDigest.get(id) !== snapshots.get(id)!.digest);
    const previousRows =
      changedIds.length === 0
        ? []
        : await tx
            .selectDistinctOn([conformitySnapshots.projectId], {
              projectId: conformitySnapshots.projectId,
              snapshot: conformitySnapshots.snapshot,
            })
            .from(conformitySnapshots)
            .where(inArray(conformitySnapshots.projectId, changedIds))
            .orderBy(
              conformitySnapshots.projectId,
              desc(conformitySnapshots.evaluatedAt),
              desc(conformitySnapshots.id),
            );
    const previous = new Map(previousRows.map((r) => [r.projectId, r.snapshot as unknown as ConformitySnapshot]));
    if (changedIds.length > 0) {
      await tx.insert(conformitySnapshots).values(
        changedIds.map((id) => {
          const snapshot = snapshots.get(id)!;
          return {
            projectId: id,
            evaluatedAt: new Date(snapshot.evaluatedAt),
            catalogueVersion: snapshot.catalogueVersion,
            digest: snapshot.digest,
            snapshot: { ...snapshot, changes: stateChanges(previous.get(id), snapshot) } as unknown as Record<
              string,
              unknown
            >,
          };
        }),
      );
    }
    await tx
      .insert(conformityCurrent)
      .values(
        ids.map((id) => {
          const result = byProject.get(id)!;
          return {
            projectId: id,
            catalogueVersion: result.catalogueVersion,
            digest: snapshots.get(id)!.digest,
            evaluatedAt: new Date(result.evaluatedAt),
            nextChangeAt: result.nextChangeAt ? new Date(result.nextChangeAt) : null,
            summary: summaryOf(result),
          };
        }),
      )
      .onConflictDoUpdate({
        target: conformityCurrent.projectId,
        set: {
          catalogueVersion: sql`excluded.catalogue_version`,
          digest: sql`excluded.digest`,
          evaluatedAt: sql`excluded.evaluated_at`,
          nextChangeAt: sql`excluded.next_change_at`,
          summary: sql`excluded.summary`,
        },
      });
    return { changed: changedIds.length };
  });
}

/**
 * Projects whose stored conformity is out of date: never evaluated, evaluated against another catalogue version,
 * with something expiring at or before `now`, or with a revision certified since the last evaluation. A sweep
 * (at start-up, after a catalogue release, periodically) re-evaluates only those, in batches.
 */
export async function outdatedProjects(
  db: Db,
  now: Date,
  limit: number,
  catalogue: Catalogue = currentCatalogue,
): Promise<string[]> {
  const rows = await db
    .select({ id: projects.id })
    .from(projects)
    .leftJoin(conformityCurrent, eq(conformityCurrent.projectId, projects.id))
    .where(
      and(
        eq(projects.archived, false),
        or(
          isNull(conformityCurrent.projectId),
          ne(conformityCurrent.catalogueVersion, catalogue.version),
          lte(conformityCurrent.nextChangeAt, now),
          sql`exists (select 1 from ${certifiedRevisions} where ${certifiedRevisions.projectId} = ${projects.id} and ${certifiedRevisions.certifiedAt} > ${conformityCurrent.evaluatedAt})`,
        ),
      ),
    )
    .orderBy(asc(projects.id))
    .limit(limit);
  return rows.map((r) => r.id);
}

/**
 * Re-evaluate every outdated project, `batchSize` at a time: the facts of a batch are read together (a fixed
 * number of queries, see gatherFactsOfProjects), each project is evaluated, and the batch is stored in
 * transactions of `recordChunk` projects (a fixed number of statements each, see recordConformities). Returns how
 * many were evaluated and changed.
 */
export async function recomputeOutdatedProjects(
  db: Db,
  now: Date,
  options: { batchSize?: number; catalogue?: Catalogue; policy?: ConformityPolicy } = {},
): Promise<{ evaluated: number; changed: number }> {
  const batchSize = options.batchSize ?? 200;
  const catalogue = options.catalogue ?? currentCatalogue;
  let evaluated = 0;
  let changed = 0;
  const seen = new Set<string>();
  for (;;) {
    const ids = (await outdatedProjects(db, now, batchSize + seen.size, catalogue)).filter((id) => !seen.has(id));
    if (ids.length === 0) break;
    for (const id of ids) seen.add(id);
    const facts = [
      ...(
        await gatherFactsOfProjects(db, ids, { ...(options.policy ? { policy: options.policy } : {}), now })
      ).values(),
    ];
    // Evaluation is pure and fast; the batch is stored in one transaction (see recordConformities).
    const results = facts.map((f) => evaluateConformity(catalogue, f, now));
    for (let i = 0; i < results.length; i += recordChunk) {
      const recorded = await recordConformities(db, results.slice(i, i + recordChunk));
      changed += recorded.changed;
    }
    evaluated += results.length;
  }
  return { evaluated, changed };
}

/**
 * Keeps every project's stored conformity current in the background: a sweep at start (a new catalogue version
 * re-evaluates everyone) and then every `intervalMs` (expiries, newly certified revisions). Safe on several
 * replicas (each project's write is serialised by an advisory lock; a second evaluation is a no-op).
 */
export function startConformitySweeper(options: {
  db: Db;
  now: () => Date;
  intervalMs?: number;
  policy?: ConformityPolicy;
  onError?: (error: unknown) => void;
}): PeriodicTask {
  return startPeriodicTask(
    () => recomputeOutdatedProjects(options.db, options.now(), options.policy ? { policy: options.policy } : {}),
    options,
  );
}
