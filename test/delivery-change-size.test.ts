// DORA change size, end to end on a real git mirror: a deployment records how many commits and lines it changes
// against the revision the environment ran before; the project's delivery measures show the median, and EX17 is
// judged against the configured maximum.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mirrorPath } from '../src/chain/paths.ts';
import { certifiedRevisions, repositories, runs, stages } from '../src/db/schema.ts';
import { measureChangeSize, parseShortstat } from '../src/deploy/change-size.ts';
import { commitFiles, git, initWorkRepo } from '../src/integrations/git/test-repo.ts';
import { reconcileProject } from '../src/reconcile/reconcile-project.ts';
import { describeApiOnDatabases } from './support/api-fixtures.ts';

it('reads git shortstat lines, with or without deletions', () => {
  expect(parseShortstat(' 3 files changed, 10 insertions(+), 2 deletions(-)\n')).toEqual({ files: 3, linesAdded: 10, linesDeleted: 2 });
  expect(parseShortstat(' 1 file changed, 1 insertion(+)\n')).toEqual({ files: 1, linesAdded: 1, linesDeleted: 0 });
  expect(parseShortstat('')).toEqual({ files: 0, linesAdded: 0, linesDeleted: 0 });
});

describeApiOnDatabases('DORA change size', (ctx) => {
  let work: string;
  const shas: string[] = [];
  let envId: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'dso-change-size-'));
    const db = ctx.system.services.db;
    const [repo] = await db.insert(repositories).values({ projectId: ctx.world.projectId, name: 'infra-size', externalUrl: 'https://203.0.113.10/team/infra.git', kind: 'infrastructure', deployPath: 'deploy' }).returning();
    // The team's history: a first revision, then two commits changing 12 lines in 2 files.
    const team = join(work, 'team');
    initWorkRepo(team);
    shas.push(commitFiles(team, { 'deploy/app.yaml': 'a: 1\n', 'README.md': 'x\n' }, 'first'));
    commitFiles(team, { 'deploy/app.yaml': 'a: 2\nb: 1\nc: 1\nd: 1\ne: 1\n' }, 'second');
    shas.push(commitFiles(team, { 'README.md': 'y\n1\n2\n3\n4\n5\n6\n' }, 'third'));
    // The platform's mirror of it.
    const mirror = mirrorPath(ctx.system.services.config.dataDir, 'projet-a', 'infra-size');
    git(work, 'clone', '--quiet', '--bare', team, mirror);
    for (const sha of shas) {
      const [run] = await db.insert(runs).values({ projectId: ctx.world.projectId, repositoryId: repo!.id, trigger: 'api', commitSha: sha, status: 'certified' }).returning();
      await db
        .insert(certifiedRevisions)
        .values({ projectId: ctx.world.projectId, repositoryId: repo!.id, commitSha: sha, runId: run!.id });
    }
    const [stage] = await db.select().from(stages).where(eq(stages.slug, 'dev'));
    const env = await ctx.call('owner', 'POST', '/api/v1/environments', { projectId: ctx.world.projectId, name: 'dev-size', stageId: stage!.id, clusterId: ctx.world.clusterId, cpuMillicores: 500, memoryMiB: 512 });
    envId = env.body.id;
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('measures commits and lines between two revisions of the mirror', async () => {
    const mirror = mirrorPath(ctx.system.services.config.dataDir, 'projet-a', 'infra-size');
    expect(await measureChangeSize(mirror, shas[0]!, shas[1]!)).toEqual({
      commits: 2,
      files: 2,
      linesAdded: 12,
      linesDeleted: 2,
      since: shas[0],
    });
    expect(await measureChangeSize(mirror, shas[0]!, 'f'.repeat(40))).toBeUndefined();
  });

  it('records the change size of each deployment and shows the median with the delivery measures', async () => {
    const url = `/api/v1/projects/${ctx.world.projectId}/environments/${envId}/deployments`;
    const first = await ctx.call('developer', 'POST', url, { revision: shas[0] });
    expect(first.status).toBe(202);
    // Nothing ran there before: no size is claimed.
    expect(first.body.changeSize).toBeNull();
    await reconcileProject(ctx.system.services, ctx.system.reconcileSteps, ctx.world.projectId);
    const second = await ctx.call('developer', 'POST', url, { revision: shas[1] });
    expect(second.status).toBe(202);
    expect(second.body.changeSize).toEqual({ commits: 2, files: 2, linesAdded: 12, linesDeleted: 2, since: shas[0] });
    await reconcileProject(ctx.system.services, ctx.system.reconcileSteps, ctx.world.projectId);

    const conformity = (await ctx.call('read-only', 'GET', `/api/v1/projects/${ctx.world.projectId}/conformity`)).body;
    expect(conformity.delivery).toMatchObject({ deployments: 2, medianChangeLines: 14, changesMeasured: 1 });
    const ex17 = conformity.requirements.find((r: any) => r.id === 'EX17');
    expect(JSON.stringify(ex17)).toContain('taille médiane des changements 14 ligne(s)');
  });
});
