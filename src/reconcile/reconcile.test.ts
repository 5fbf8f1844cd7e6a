import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { postgresAvailable, type DatabaseKind } from '../../test/support/db.ts';
import { createTestSystem, testAdminToken, type TestSystem } from '../../test/support/server.ts';
import { clusters, environments, projects, repositories, stages, users } from '../db/schema.ts';
import { reconcileProject } from './reconcile-project.ts';
import type { ReconcileStep } from './steps.ts';
import { TransientReconcileError } from './transient.ts';

// A step under the test's control: fails while `failuresLeft` > 0 (with a transient race while `racesLeft` > 0),
// counts its runs and overlaps.
let failuresLeft = 0;
let racesLeft = 0;
let runs = 0;
let running = 0;
let maxConcurrentForOneProject = 0;
const probe: ReconcileStep = async () => {
  runs++;
  running++;
  maxConcurrentForOneProject = Math.max(maxConcurrentForOneProject, running);
  try {
    await new Promise((r) => setTimeout(r, 20));
    if (racesLeft > 0) {
      racesLeft--;
      throw new TransientReconcileError('GitopsRetrying', 'another replica moved the GitOps repository; trying again');
    }
    if (failuresLeft > 0) {
      failuresLeft--;
      throw new Error('registry unreachable');
    }
  } finally {
    running--;
  }
};

const kinds: DatabaseKind[] = ['pglite', ...(postgresAvailable() ? (['postgres'] as const) : [])];

for (const kind of kinds) {
  describe(`project reconcile [${kind}]`, () => {
    let system: TestSystem;
    let ownerId: string;
    let stageId: string;
    let clusterId: string;

    beforeAll(async () => {
      // The product's own steps run after the probe (repository mirrors check the URL): keep them happy.
      system = await createTestSystem(kind, { DSO_GIT_ALLOWED_HOSTS: '127.0.0.1' }, {
        reconcileSteps: (steps) => ({ ...steps, converge: [{ name: 'test-probe', run: probe }, ...steps.converge] }),
      });
      const db = system.services.db;
      const [owner] = await db.insert(users).values({ displayName: 'Owner' }).returning();
      ownerId = owner!.id;
      stageId = (await db.select().from(stages).limit(1))[0]!.id;
      clusterId = (await db.select().from(clusters).limit(1))[0]!.id;
    });
    afterAll(async () => {
      await system?.stop();
    });

    async function newProject(slug: string) {
      const db = system.services.db;
      const [project] = await db.insert(projects).values({ slug, name: slug, ownerId }).returning();
      const [env] = await db.insert(environments).values({ projectId: project!.id, name: 'dev', stageId, clusterId, cpuMillicores: 100, memoryMiB: 128 }).returning();
      const [repo] = await db.insert(repositories).values({ projectId: project!.id, name: 'api', externalUrl: 'http://127.0.0.1:9/team/a.git' }).returning();
      return { project: project!, env: env!, repo: repo! };
    }

    it('marks the pending project, environments and repositories Ready with the generation it converged', async () => {
      const { project, env, repo } = await newProject(`p1-${kind}`);
      expect(await reconcileProject(system.services, system.reconcileSteps, project.id)).toEqual({ result: 'ready' });
      const db = system.services.db;
      for (const [table, id] of [[projects, project.id], [environments, env.id], [repositories, repo.id]] as const) {
        const [row] = await db.select().from(table).where(eq(table.id, id));
        expect(row!.status).toBe('ready');
        expect(row!.observedGeneration).toBe(row!.generation);
        expect(row!.conditions).toContainEqual(expect.objectContaining({ type: 'Ready', status: 'True', reason: 'Reconciled' }));
      }
    });

    it('records a failing step as Failed (reason, message), then converges on retry', async () => {
      const { project } = await newProject(`p2-${kind}`);
      failuresLeft = 1;
      const outcome = await reconcileProject(system.services, system.reconcileSteps, project.id);
      expect(outcome).toMatchObject({ result: 'failed', step: 'test-probe', message: 'registry unreachable' });
      const db = system.services.db;
      let [row] = await db.select().from(projects).where(eq(projects.id, project.id));
      expect(row!.status).toBe('failed');
      expect(row!.conditions).toContainEqual(expect.objectContaining({ type: 'Ready', status: 'False', reason: 'TestProbeFailed', message: 'registry unreachable', code: 'step.failed', params: { step: 'test-probe', error: 'registry unreachable' } }));
      expect(row!.observedGeneration).toBe(0);
      await reconcileProject(system.services, system.reconcileSteps, project.id);
      [row] = await db.select().from(projects).where(eq(projects.id, project.id));
      expect(row!.status).toBe('ready');
      const ready = row!.conditions.find((c) => c.type === 'Ready')!;
      expect(ready.status).toBe('True');
    });

    it('says why a reconcile failed in French by default and in English on request, through the API', async () => {
      const { project } = await newProject(`refused-${kind}`);
      const db = system.services.db;
      // The cloud metadata address is refused whatever the allow-list: the repository mirror step fails.
      const [repo] = await db.insert(repositories).values({ projectId: project.id, name: 'meta', externalUrl: 'http://169.254.169.254/team/b.git' }).returning();
      expect(await reconcileProject(system.services, system.reconcileSteps, project.id)).toMatchObject({ result: 'failed', step: 'chain-mirrors' });
      const [stored] = await db.select().from(projects).where(eq(projects.id, project.id));
      // Stored: the code and its parameters, and the English sentence for logs and older clients.
      expect(stored!.conditions).toContainEqual(expect.objectContaining({ type: 'Failed', status: 'True', code: 'repository.url-refused', message: expect.stringMatching(/^Repository URL refused — meta: /) }));

      const read = async (url: string, language?: string) => {
        const response = await system.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${testAdminToken}`, ...(language ? { 'accept-language': language } : {}) } });
        expect(response.statusCode, response.body).toBe(200);
        return (response.json() as { conditions: { type: string; message: string; code?: string; text: { fr: string; en: string } }[] }).conditions.find((c) => c.type === 'Failed')!;
      };
      for (const url of [`/api/v1/projects/${project.id}`, `/api/v1/repositories/${repo!.id}`]) {
        const french = await read(url, 'fr-FR,fr;q=0.9');
        expect(french.message).toMatch(/^Adresse de dépôt refusée — meta : .*métadonnées/);
        expect(french.code).toBe('repository.url-refused');
        expect((await read(url)).message, 'French by default').toBe(french.message);
        const english = await read(url, 'en-GB,en;q=0.8');
        expect(english.message).toMatch(/^Repository URL refused — meta: .*metadata/);
        expect(english.text).toEqual({ fr: french.message, en: english.message });
      }
    });

    it('keeps showing a condition written before message codes, as it was stored', async () => {
      const { project } = await newProject(`legacy-${kind}`);
      const legacy = { type: 'Failed', status: 'True' as const, reason: 'GitopsFailed', message: 'registry unreachable', lastTransitionTime: '2026-01-01T00:00:00.000Z' };
      await system.services.db.update(projects).set({ status: 'failed', conditions: [legacy] }).where(eq(projects.id, project.id));
      const response = await system.app.inject({ method: 'GET', url: `/api/v1/projects/${project.id}`, headers: { authorization: `Bearer ${testAdminToken}`, 'accept-language': 'fr' } });
      const failed = (response.json() as { conditions: { type: string; message: string; code?: string; text: unknown }[] }).conditions.find((c) => c.type === 'Failed')!;
      expect(failed).toMatchObject({ message: 'registry unreachable', text: { fr: 'registry unreachable', en: 'registry unreachable' } });
      expect(failed.code).toBeUndefined();
    });

    it('shows a transient race as progressing, never failed, then converges on retry', async () => {
      const { project } = await newProject(`race-${kind}`);
      racesLeft = 1;
      const outcome = await reconcileProject(system.services, system.reconcileSteps, project.id);
      expect(outcome).toMatchObject({ result: 'retrying', step: 'test-probe', reason: 'GitopsRetrying' });
      const db = system.services.db;
      let [row] = await db.select().from(projects).where(eq(projects.id, project.id));
      expect(row!.status).toBe('pending');
      expect(row!.conditions).toContainEqual(expect.objectContaining({ type: 'Progressing', status: 'True', reason: 'GitopsRetrying' }));
      expect(row!.conditions.find((c) => c.type === 'Failed')?.status ?? 'False').toBe('False');
      await reconcileProject(system.services, system.reconcileSteps, project.id);
      [row] = await db.select().from(projects).where(eq(projects.id, project.id));
      expect(row!.status).toBe('ready');
      expect(row!.conditions).toContainEqual(expect.objectContaining({ type: 'Progressing', status: 'False' }));
    });

    it('coalesces concurrent requests for one project and never runs two reconciles of it at once', async () => {
      const { project } = await newProject(`p3-${kind}`);
      runs = 0;
      maxConcurrentForOneProject = 0;
      await Promise.all(Array.from({ length: 25 }, () => system.services.requestReconcile({ kind: 'project', id: project.id, projectId: project.id })));
      expect(await system.queue.waitForIdle(30_000)).toBe(true);
      const [row] = await system.services.db.select().from(projects).where(eq(projects.id, project.id));
      expect(row!.status).toBe('ready');
      expect(runs).toBeGreaterThanOrEqual(1);
      expect(runs).toBeLessThanOrEqual(3);
      expect(maxConcurrentForOneProject).toBe(1);
      const { rows } = await system.database.rawQuery<{ n: number }>(`select count(*)::int as n from pgboss.job where singleton_key = $1 and state = 'failed'`, [project.id]);
      expect(rows[0]!.n).toBe(0);
    });

    it('converges a change made after the last reconcile (level-triggered, generation bumped by the route)', async () => {
      const { project, env } = await newProject(`p4-${kind}`);
      await system.services.requestReconcile({ kind: 'project', id: project.id, projectId: project.id });
      expect(await system.queue.waitForIdle(30_000)).toBe(true);
      const db = system.services.db;
      await db.update(environments).set({ cpuMillicores: 200, generation: sql`${environments.generation} + 1`, status: 'pending' }).where(eq(environments.id, env.id));
      await system.services.requestReconcile({ kind: 'environment', id: env.id, projectId: project.id });
      expect(await system.queue.waitForIdle(30_000)).toBe(true);
      const [row] = await db.select().from(environments).where(eq(environments.id, env.id));
      expect(row!.generation).toBe(2);
      expect(row!.observedGeneration).toBe(2);
      expect(row!.status).toBe('ready');
    });
  });
}
