// Recompute a project's conformity and keep its history: called after anything that can change it (an
// attestation, a derogation decision or revocation, a new certified run, a new catalogue version, an instant
// at which something expires). Incremental: one project's facts only, so its cost does not depend on how many
// projects exist; the sweep reads the facts of its batches together. A history point is stored only when what
// a user sees changed (the snapshot digest).
import { and, asc, eq, isNull, lte, ne, or, sql } from 'drizzle-orm';
import { currentCatalogue } from '../catalogue/catalogue.ts';
import { snapshotOf, stateChanges, summaryOf, type ConformitySnapshot, type StateChange } from '../catalogue/conformity-history.ts';
import { evaluateConformity, type ConformityResult } from '../catalogue/conformity.ts';
import type { ProjectFacts } from '../catalogue/facts.ts';
import type { Catalogue } from '../catalogue/model.ts';
import type { ConformityPolicy } from '../catalogue/policy.ts';
import type { Db } from '../db/client.ts';
import { certifiedRevisions, conformityCurrent, conformitySnapshots, projects } from '../db/schema.ts';
import { gatherFactsOfProjects, gatherProjectFacts } from './facts.ts';

export interface RecordedConformity {
  facts: ProjectFacts;
  result: ConformityResult;
  /** True when a new history point was stored. */
  changed: boolean;
  changes: StateChange[];
}

/** Evaluate a project now and store a history point when its conformity changed. Undefined: no such project. */
export async function recomputeProjectConformity(db: Db, projectId: string, now: Date, catalogue: Catalogue = currentCatalogue, policy?: ConformityPolicy): Promise<RecordedConformity | undefined> {
  const facts = await gatherProjectFacts(db, projectId, { ...(policy ? { policy } : {}), now });
  if (!facts) return undefined;
  const result = evaluateConformity(catalogue, facts, now);
  const recorded = await recordConformity(db, result);
  return { facts, result, ...recorded };
}

/** Store `result` as the project's current conformity; a history point only when its digest changed. */
export async function recordConformity(db: Db, result: ConformityResult): Promise<{ changed: boolean; changes: StateChange[] }> {
  const snapshot = snapshotOf(result);
  const projectId = result.projectId;
  return db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    // Two recomputes of one project at once (a decision and a run finishing) must not both append the same point.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`conformity:${projectId}`}))`);
    const [current] = await tx.select().from(conformityCurrent).where(eq(conformityCurrent.projectId, projectId)).limit(1);
    const values = {
      catalogueVersion: result.catalogueVersion,
      digest: snapshot.digest,
      evaluatedAt: new Date(result.evaluatedAt),
      nextChangeAt: result.nextChangeAt ? new Date(result.nextChangeAt) : null,
      summary: summaryOf(result),
    };
    if (current && current.digest === snapshot.digest) {
      await tx.update(conformityCurrent).set({ evaluatedAt: values.evaluatedAt, nextChangeAt: values.nextChangeAt, summary: values.summary }).where(eq(conformityCurrent.projectId, projectId));
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
 * Projects whose stored conformity is out of date: never evaluated, evaluated against another catalogue version,
 * with something expiring at or before `now`, or with a revision certified since the last evaluation. A sweep
 * (at start-up, after a catalogue release, periodically) re-evaluates only those, in batches.
 */
export async function outdatedProjects(db: Db, now: Date, limit: number, catalogue: Catalogue = currentCatalogue): Promise<string[]> {
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
 * number of queries, see gatherFactsOfProjects), then each project is evaluated and recorded (`concurrency` at a
 * time — a server pool answers several at once; PGlite serialises them). Returns how many were evaluated and
 * changed.
 */
export async function recomputeOutdatedProjects(
  db: Db,
  now: Date,
  options: { batchSize?: number; concurrency?: number; catalogue?: Catalogue; policy?: ConformityPolicy } = {},
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
    const facts = [...(await gatherFactsOfProjects(db, ids, { ...(options.policy ? { policy: options.policy } : {}), now })).values()];
    const worker = async () => {
      for (let f = facts.shift(); f !== undefined; f = facts.shift()) {
        const recorded = await recordConformity(db, evaluateConformity(catalogue, f, now));
        evaluated++;
        if (recorded.changed) changed++;
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 4, facts.length)) }, worker));
  }
  return { evaluated, changed };
}

/**
 * Keeps every project's stored conformity current in the background: a sweep at start (a new catalogue version
 * re-evaluates everyone) and then every `intervalMs` (expiries, newly certified revisions). Safe on several
 * replicas (each project's write is serialised by an advisory lock; a second evaluation is a no-op).
 */
export function startConformitySweeper(options: { db: Db; now: () => Date; intervalMs?: number; policy?: ConformityPolicy; onError?: (error: unknown) => void }): { stop(): Promise<void> } {
  let running: Promise<unknown> | undefined;
  let stopped = false;
  const sweep = () => {
    if (running || stopped) return;
    running = recomputeOutdatedProjects(options.db, options.now(), options.policy ? { policy: options.policy } : {})
      .catch((error) => options.onError?.(error))
      .finally(() => {
        running = undefined;
      });
  };
  sweep();
  const timer = setInterval(sweep, options.intervalMs ?? 60_000);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
