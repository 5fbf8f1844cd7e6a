// A reconcile job left in the queue by a process that stopped (or by an API-only replica) is handled by the next
// process with the real steps: its workers start only once the composition root has built everything they call,
// so the project's environment reaches the GitOps repository and the project becomes Ready.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, expect, it } from 'vitest';
import { composeSystem, type System } from '../src/api/compose.ts';
import { clusters, environments, projects, stages, users } from '../src/db/schema.ts';
import { createTestDatabase, type TestDatabase } from './support/db.ts';
import { testConfig } from './support/server.ts';

let database: TestDatabase | undefined;
const systems: System[] = [];
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dso-restart-'));

afterAll(async () => {
  for (const system of systems) await system.stop();
  await database?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

it('handles a pending reconcile job left by the previous process with the real steps', async () => {
  database = await createTestDatabase('pglite');
  const compose = async (workers: boolean) => {
    const config = testConfig({ DSO_DATA_DIR: dataDir, DSO_WORKERS: String(workers) });
    const system = await composeSystem(config, {
      database: database!.database,
      seedDemoAccounts: false,
      builtinIdentity: false,
    });
    systems.push(system);
    return system;
  };

  // First process: an API-only one; the change is recorded and its reconcile queued, nobody handles it.
  const first = await compose(false);
  const db = first.services.db;
  const [owner] = await db.insert(users).values({ displayName: 'Owner' }).returning();
  const [stage] = await db.select().from(stages).where(eq(stages.slug, 'dev'));
  const [cluster] = await db.select().from(clusters).limit(1);
  const [project] = await db.insert(projects).values({ slug: 'apres-redemarrage', name: 'Après redémarrage', ownerId: owner!.id }).returning();
  await db.insert(environments).values({ projectId: project!.id, name: 'dev', stageId: stage!.id, clusterId: cluster!.id, cpuMillicores: 100, memoryMiB: 128 });
  await first.services.requestReconcile({ kind: 'project', id: project!.id, projectId: project!.id });
  expect(await first.queue.depth()).toBe(1);
  await first.stop();

  // Next process with workers: the job left in the queue runs every step.
  const second = await compose(true);
  expect(await second.queue.waitForIdle(60_000)).toBe(true);
  const [after] = await db.select().from(projects).where(eq(projects.id, project!.id));
  expect(after!.status).toBe('ready');
  expect(after!.observedGeneration).toBe(after!.generation);
  const gitDir = path.join(dataDir, 'git', '_platform', 'gitops.git');
  const tree = execFileSync('git', ['--git-dir', gitDir, 'ls-tree', '-r', '--name-only', 'main'], { encoding: 'utf8' }).split('\n');
  expect(tree.some((file) => file.includes('/projects/apres-redemarrage/') && file.includes('dev'))).toBe(true);

  const readiness = await second.services.readiness();
  expect(readiness.map((check) => check.name)).toEqual(['database', 'queue', 'chain-queue']);
  expect(readiness.every((check) => check.ok)).toBe(true);
});
