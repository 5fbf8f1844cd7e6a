// An archived project runs nowhere: the next reconcile removes its folders from the GitOps repository (ArgoCD then
// prunes its namespaces), other projects' folders stay; restoring the project renders them again.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { projects, stages } from '../src/db/schema.ts';
import { reconcileProject } from '../src/reconcile/reconcile-project.ts';
import { describeApiOnDatabases } from './support/api-fixtures.ts';

describeApiOnDatabases('archived projects leave the GitOps repository', (ctx) => {
  const gitDir = () => join(ctx.system.services.config.dataDir, 'git/_platform/gitops.git');
  const tree = () => execFileSync('git', ['--git-dir', gitDir(), 'ls-tree', '-r', '--name-only', 'main'], { encoding: 'utf8' }).trim().split('\n');
  const head = () => execFileSync('git', ['--git-dir', gitDir(), 'rev-parse', 'main'], { encoding: 'utf8' }).trim();
  const folderOf = (slug: string) => `clusters/default/internal/projects/${slug}/`;
  let otherSlug: string;

  beforeAll(async () => {
    const db = ctx.system.services.db;
    const [dev] = await db.select().from(stages).where(eq(stages.slug, 'dev'));
    for (const projectId of [ctx.world.projectId, ctx.world.otherProjectId]) {
      const owner = projectId === ctx.world.projectId ? 'owner' : 'other-project-member';
      const created = await ctx.call(owner, 'POST', '/api/v1/environments', { projectId, name: 'dev', stageId: dev!.id, clusterId: ctx.world.clusterId, cpuMillicores: 200, memoryMiB: 256 });
      expect(created.status).toBe(201);
      expect(await reconcileProject(ctx.system.services, ctx.system.reconcileSteps, projectId)).toEqual({ result: 'ready' });
    }
    const [other] = await db.select().from(projects).where(eq(projects.id, ctx.world.otherProjectId));
    otherSlug = other!.slug;
  });

  it('removes an archived project’s folders at its next reconcile and renders them again once restored', async () => {
    const mine = folderOf('projet-a');
    expect(tree().some((f) => f.startsWith(mine))).toBe(true);
    expect(tree().some((f) => f.startsWith(folderOf(otherSlug)))).toBe(true);

    expect((await ctx.call('owner', 'DELETE', `/api/v1/projects/${ctx.world.projectId}`)).status).toBe(202);
    const before = head();
    expect(await reconcileProject(ctx.system.services, ctx.system.reconcileSteps, ctx.world.projectId)).toEqual({ result: 'ready' });
    expect(head()).not.toBe(before);
    expect(tree().filter((f) => f.startsWith(mine))).toEqual([]);
    // The other project is untouched.
    expect(tree().some((f) => f.startsWith(folderOf(otherSlug)))).toBe(true);
    // Reconciling again changes nothing.
    const removed = head();
    expect(await reconcileProject(ctx.system.services, ctx.system.reconcileSteps, ctx.world.projectId)).toEqual({ result: 'ready' });
    expect(head()).toBe(removed);

    expect((await ctx.call('owner', 'PATCH', `/api/v1/projects/${ctx.world.projectId}`, { archived: false })).status).toBe(202);
    expect(await reconcileProject(ctx.system.services, ctx.system.reconcileSteps, ctx.world.projectId)).toEqual({ result: 'ready' });
    expect(tree()).toContain(`${mine}dev/namespace.yaml`);
  }, 120_000);
});
