// Database variant of the conformity benchmark (node --import tsx bench/conformity-db.ts, or
// `npm run bench:conformity -- --db`): the same questions as bench/conformity.ts, through the product's own
// code path — facts read from the database (last certified runs, derogations…), evaluation, history write —
// on an in-memory PGlite (or PostgreSQL with BENCH_DATABASE_URL).
//  1. every project re-evaluated after a catalogue change (1,000 projects);
//  2. incremental recompute of ONE project after ONE new certified run with 10 then 1,000 projects stored.
import { performance } from 'node:perf_hooks';
import { cctV1 } from '../src/catalogue/cct-v1.ts';
import type { Catalogue } from '../src/catalogue/model.ts';
import { openDatabase, type Db } from '../src/db/client.ts';
import { pgliteTemplate } from '../src/db/pglite-template.ts';
import { certifiedRevisions, derogations, projects, repositories, runArtifacts, runs, users } from '../src/db/schema.ts';
import { recomputeOutdatedProjects, recomputeProjectConformity } from '../src/homologation/recompute.ts';

const now = new Date('2026-11-29T12:00:00Z');
const cctNext: Catalogue = {
  version: '1.1.0',
  publishedAt: '2027-01-15',
  requirements: cctV1.requirements.map((r) => (r.id === 'EX9' ? { ...r, level: 'P' as const, assessments: [{ kind: 'automated' as const, rules: ['test-reports.*'] }] } : r)),
};

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function report(n: number): string {
  const findings =
    n % 3 === 0
      ? [{ ruleId: 'containers.non-root-user', requirements: ['EX29'], severity: 'high', location: { file: 'Dockerfile', line: 1 }, message: 'root', fingerprint: `${n}`.padStart(16, '0') }]
      : [];
  return JSON.stringify({ tool: { name: 'dso', version: 'bench' }, findings, notes: [] });
}

async function addProjects(
  db: Db,
  ownerId: string,
  from: number,
  to: number,
): Promise<{ projectId: string; repositoryId: string }[]> {
  const created: { projectId: string; repositoryId: string }[] = [];
  for (let start = from; start < to; start += 200) {
    const range = Array.from({ length: Math.min(200, to - start) }, (_, i) => start + i);
    const ps = await db
      .insert(projects)
      .values(range.map((n) => ({ slug: `bench-${n}`, name: `Bench ${n}`, ownerId })))
      .returning({ id: projects.id });
    const rs = await db
      .insert(repositories)
      .values(
        ps.map((p, i) => ({ projectId: p.id, name: `repo-${range[i]}`, externalUrl: 'https://git.example/r.git' })),
      )
      .returning({ id: repositories.id, projectId: repositories.projectId });
    const rn = await db
      .insert(runs)
      .values(
        rs.map((r) => ({
          projectId: r.projectId,
          repositoryId: r.id,
          trigger: 'api' as const,
          status: 'certified' as const,
          commitSha: 'b'.repeat(40),
          finishedAt: now,
        })),
      )
      .returning({ id: runs.id, projectId: runs.projectId, repositoryId: runs.repositoryId });
    await db
      .insert(runArtifacts)
      .values(
        rn.map((r, i) => ({
          runId: r.id,
          kind: 'check-report',
          mediaType: 'application/json',
          sha256: 'x',
          size: 1,
          content: report(range[i]!),
        })),
      );
    await db
      .insert(certifiedRevisions)
      .values(
        rn.map((r) => ({
          projectId: r.projectId,
          repositoryId: r.repositoryId,
          commitSha: 'b'.repeat(40),
          runId: r.id,
          certifiedAt: new Date(now.getTime() - 3600_000),
        })),
      );
    const withDerogation = ps.filter((_, i) => range[i]! % 5 === 0);
    if (withDerogation.length > 0) {
      await db
        .insert(derogations)
        .values(
          withDerogation.map((p) => ({
            projectId: p.id,
            requirement: 'EX29',
            status: 'approved' as const,
            justification: 'bench',
            expiresAt: new Date('2027-03-01T00:00:00+01:00'),
            requestedBy: ownerId,
          })),
        );
    }
    created.push(...rs.map((r) => ({ projectId: r.projectId, repositoryId: r.id })));
  }
  return created;
}

/** One new certified run for one project, then that project's recompute (what the sweep does for it). */
async function timeIncremental(
  db: Db,
  targets: { projectId: string; repositoryId: string }[],
  samples: number,
): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t = targets[i % targets.length]!;
    const [run] = await db
      .insert(runs)
      .values({
        projectId: t.projectId,
        repositoryId: t.repositoryId,
        trigger: 'api',
        status: 'certified',
        commitSha: 'c'.repeat(40),
        finishedAt: now,
      })
      .returning();
    await db
      .insert(runArtifacts)
      .values({
        runId: run!.id,
        kind: 'check-report',
        mediaType: 'application/json',
        sha256: 'x',
        size: 1,
        content: report(i),
      });
    await db
      .insert(certifiedRevisions)
      .values({
        projectId: t.projectId,
        repositoryId: t.repositoryId,
        commitSha: 'c'.repeat(40),
        runId: run!.id,
        certifiedAt: new Date(now.getTime() + i),
      });
    const start = performance.now();
    await recomputeProjectConformity(db, t.projectId, new Date(now.getTime() + 60_000 + i));
    times.push(performance.now() - start);
  }
  return median(times);
}

export async function runDatabaseBenchmark(): Promise<void> {
  const url = process.env.BENCH_DATABASE_URL;
  const database = url ? await openDatabase({ databaseUrl: url, dataDir: '' }) : await openDatabase({ dataDir: '', inMemory: true, loadDataDir: await pgliteTemplate(), migrate: false });
  const db = database.db;
  try {
    const [owner] = await db.insert(users).values({ displayName: 'bench', subject: `bench-${Date.now()}` }).returning();
    const first = await addProjects(db, owner!.id, 0, 10);
    await recomputeOutdatedProjects(db, now);
    await timeIncremental(db, first, 10); // warm-up
    const inc10 = await timeIncremental(db, first, 50);
    await addProjects(db, owner!.id, 10, 1000);
    await recomputeOutdatedProjects(db, now);
    const inc1000 = await timeIncremental(db, first, 50);
    const start = performance.now();
    const swept = await recomputeOutdatedProjects(db, new Date(now.getTime() + 3600_000), { catalogue: cctNext });
    const allMs = performance.now() - start;
    const kind = url ? 'PostgreSQL' : 'PGlite';
    console.log(`[${kind}] Conformity of ${swept.evaluated} projects re-evaluated from the database after catalogue change ${cctV1.version} → ${cctNext.version}: ${Math.round(allMs)} ms (${(allMs / swept.evaluated).toFixed(2)} ms per project, ${swept.changed} changed)`);
    console.log(`[${kind}] Incremental recompute of one project after one new certified run: ${inc10.toFixed(2)} ms with 10 projects, ${inc1000.toFixed(2)} ms with 1,000 projects (ratio ${(inc1000 / inc10).toFixed(2)})`);
    console.log(
      JSON.stringify({
        database: kind,
        projects: swept.evaluated,
        recomputeAllMs: Math.round(allMs),
        incrementalOneRunMs: {
          with10Projects: +inc10.toFixed(2),
          with1000Projects: +inc1000.toFixed(2),
          ratio: +(inc1000 / inc10).toFixed(2),
        },
      }),
    );
  } finally {
    await database.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runDatabaseBenchmark();
