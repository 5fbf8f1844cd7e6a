// node --import tsx bench/gitops-db.ts — the GitOps reconcile as the product runs it: desired state read from the
// database (embedded PGlite), rendered and committed by the `gitops` reconcile step.
// 1. Full reconcile of N projects × 3 environments from the database into an empty repository (one commit).
// 2. Incremental reconcile of one changed project (the reconcile step itself: DB reads, render, commit, status
//    rows) with 10 and with N projects; the ratio must stay ≤ 2.
// Options: BENCH_PROJECTS (default 1000), BENCH_ROUNDS (default 5). bench/gitops.ts measures the pure core alone.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { pino } from 'pino';
import type { Services } from '../src/system/services.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/client.ts';
import { pgliteTemplate } from '../src/db/pglite-template.ts';
import { clusters, environments, projects, stages, users } from '../src/db/schema.ts';
import { seedReferenceData } from '../src/db/seed.ts';
import { gitopsRepositoryPath, reconcileGitops } from '../src/deploy/gitops-reconcile.ts';
import { desiredProjectsInChunks, loadPlatform } from '../src/deploy/desired-state.ts';
import { renderDesiredState, writeTree } from '../src/integrations/gitops/index.ts';

const projectCount = Number(process.env.BENCH_PROJECTS ?? 1000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);

function sizeOnDisk(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.blocks * 512;
  return readdirSync(path).reduce((sum, name) => sum + sizeOnDisk(join(path, name)), stat.blocks * 512);
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (start: number) => Math.round((performance.now() - start) * 10) / 10;

async function scenario(count: number) {
  const dataDir = mkdtempSync(join(tmpdir(), 'dso-bench-gitops-db-'));
  const config = loadConfig({ NODE_ENV: 'test', DSO_DATA_DIR: dataDir, DSO_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64') });
  const database = await openDatabase({ dataDir: '', inMemory: true, loadDataDir: await pgliteTemplate(), migrate: false });
  const db = database.db;
  try {
    await seedReferenceData(db);
    const stageRows = await db.select().from(stages);
    const [cluster] = await db.select().from(clusters).limit(1);
    await db
      .update(clusters)
      .set({ cpuMillicores: 10_000_000, memoryMiB: 10_000_000 })
      .where(eq(clusters.id, cluster!.id));
    const [owner] = await db.insert(users).values({ displayName: 'bench' }).returning();
    for (let i = 0; i < count; i += 500) {
      const batch = Array.from({ length: Math.min(500, count - i) }, (_, k) => ({ slug: `p${String(i + k).padStart(5, '0')}`, name: `p${i + k}`, ownerId: owner!.id }));
      const rows = await db.insert(projects).values(batch).returning({ id: projects.id });
      await db
        .insert(environments)
        .values(
          rows.flatMap((p) =>
            stageRows.map((s) => ({
              projectId: p.id,
              name: s.slug,
              stageId: s.id,
              clusterId: cluster!.id,
              cpuMillicores: 500,
              memoryMiB: 512,
            })),
          ),
        );
    }
    const services = { config, db, logger: pino({ level: 'silent' }), now: () => new Date() } as unknown as Services;

    // 1. Full reconcile from the database: read every project, render, one commit.
    let start = performance.now();
    const platform = await loadPlatform(db, config);
    // The product's full render path: projects read 200 at a time, each chunk in a fixed number of queries.
    const models = [];
    for await (const chunk of desiredProjectsInChunks(db, config, 200)) models.push(...chunk);
    const readMs = ms(start);
    start = performance.now();
    const rendered = renderDesiredState({ platform, projects: models });
    const written = await writeTree(gitopsRepositoryPath(dataDir), rendered.files);
    if (!written.ok) throw new Error(written.error.message.en);
    const writeMs = ms(start);
    const size = sizeOnDisk(gitopsRepositoryPath(dataDir));

    // 2. Incremental: one project's quota changes; the reconcile step runs for it alone.
    const [target] = await db.select().from(projects).where(eq(projects.slug, 'p00003'));
    const times: number[] = [];
    for (let round = 0; round < rounds; round++) {
      await db.update(environments).set({ cpuMillicores: sql`${environments.cpuMillicores} + 1` }).where(eq(environments.projectId, target!.id));
      const envs = await db.select().from(environments).where(eq(environments.projectId, target!.id));
      start = performance.now();
      await reconcileGitops({
        services,
        project: target!,
        environments: envs,
        repositories: [],
        pending: { project: false, environmentIds: new Set(), repositoryIds: new Set() },
        signal: new AbortController().signal,
      });
      times.push(ms(start));
    }
    return {
      readMs,
      writeMs,
      files: rendered.files.size,
      sizeMiB: Math.round((size / 1024 / 1024) * 10) / 10,
      incrementalMs: median(times),
      all: times,
    };
  } finally {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const small = await scenario(10);
const large = await scenario(projectCount);
console.log(JSON.stringify({ load: loadavg().map((l) => Math.round(l * 10) / 10), projects: projectCount, environmentsPerProject: 3, fullFromDatabase: { readAndAssembleMs: large.readMs, renderAndWriteMs: large.writeMs, files: large.files, repositoryMiB: large.sizeMiB }, incremental: { at10Ms: small.incrementalMs, [`at${projectCount}Ms`]: large.incrementalMs, ratio: Math.round((large.incrementalMs / small.incrementalMs) * 100) / 100, rounds10: small.all, [`rounds${projectCount}`]: large.all } }, null, 2));
