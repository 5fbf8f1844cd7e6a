// Advisories that hit a running service, through the API: two services of the same catalogue version, one pinning
// another image tag in its values; an advisory record imported into the server's advisory store (as
// `dso advisories import` does) names the tag one of them runs. The team sees it on that service only, the
// platform administrators find it in their list of affected services, and another project's member reads nothing.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { importAdvisories } from '../src/checks/advisories/import.ts';
import { stages } from '../src/db/schema.ts';
import { describeApiOnDatabases } from './support/api-fixtures.ts';
import { packageChart, storeChartVersion, testChartsDir } from './support/catalogue.ts';

const work = mkdtempSync(path.join(tmpdir(), 'dso-service-advisories-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describeApiOnDatabases('advisories on services', (ctx) => {
  let url: string;

  beforeAll(async () => {
    const db = ctx.system.services.db;
    await storeChartVersion(db, await packageChart(path.join(testChartsDir, 'backed-store')));
    const [stage] = await db.select().from(stages).where(eq(stages.slug, 'dev'));
    const created = await ctx.call('owner', 'POST', '/api/v1/environments', { projectId: ctx.world.projectId, name: 'integration', stageId: stage!.id, clusterId: ctx.world.clusterId, cpuMillicores: 2000, memoryMiB: 2048 });
    expect(created.status).toBe(201);
    url = `/api/v1/projects/${ctx.world.projectId}/environments/${created.body.id}/services`;
    // The version's default tag (1.27.3-alpine), and a service pinning the fixed tag in its values.
    for (const [name, values] of [['store', { replicas: 1 }], ['patched', { replicas: 1, image: { tag: '1.27.4-alpine' } }]] as const) {
      const added = await ctx.call('owner', 'POST', url, { item: 'backed-store', version: '1.0.0', name, values });
      expect(added.status, JSON.stringify(added.body)).toBe(201);
    }
  }, 120_000);

  it('lists the service whose image an imported advisory hits, for its team and for administrators', async () => {
    const before = await ctx.call('developer', 'GET', url);
    expect(before.body.items.map((s: { name: string; advisories: unknown[] }) => [s.name, s.advisories])).toEqual(expect.arrayContaining([['store', []], ['patched', []]]));
    expect((await ctx.call('platform-admin', 'GET', '/api/v1/admin/services/affected')).body.items).toEqual([]);

    const folder = path.join(work, `osv-${ctx.kind}`);
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, 'DSO-IMG-2026-7.json'), JSON.stringify({
      schema_version: '1.6.0', id: 'DSO-IMG-2026-7', modified: '2026-11-30T00:00:00Z', summary: 'nginx: worker memory disclosure', database_specific: { severity: 'HIGH' },
      affected: [{ package: { ecosystem: 'OCI', name: 'docker.io/nginxinc/nginx-unprivileged' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.27.4' }] }] }],
    }));
    expect(
      (await importAdvisories(folder, { dataDir: ctx.system.services.config.dataDir, merge: true })).recordsImported,
    ).toBe(1);

    // The team: on the service running the affected tag, not on the one its values moved to the fixed tag.
    const listed = await ctx.call('developer', 'GET', url);
    const byName = new Map(listed.body.items.map((s: { name: string }) => [s.name, s]));
    expect(byName.get('store')).toMatchObject({ advisories: [{ id: 'DSO-IMG-2026-7', summary: 'nginx: worker memory disclosure', severity: 'high', image: 'docker.io/nginxinc/nginx-unprivileged:1.27.3-alpine' }] });
    expect(byName.get('patched')).toMatchObject({ advisories: [] });
    const project = await ctx.call('developer', 'GET', `/api/v1/projects/${ctx.world.projectId}/services`);
    expect(project.body.items.find((s: { name: string }) => s.name === 'store').advisories.map((a: { id: string }) => a.id)).toEqual(['DSO-IMG-2026-7']);

    // The administrators: the affected service with its project and environment.
    const affected = await ctx.call('platform-admin', 'GET', '/api/v1/admin/services/affected');
    expect(affected.status).toBe(200);
    expect(affected.body.items).toMatchObject([{ name: 'store', projectSlug: 'projet-a', environmentName: 'integration', item: 'backed-store', version: '1.0.0', advisories: [{ id: 'DSO-IMG-2026-7' }] }]);

    // Another project's member does not see that the environment exists; a team member does not read the platform-wide
    // list.
    expect((await ctx.call('other-project-member', 'GET', url)).status).toBe(404);
    expect((await ctx.call('developer', 'GET', '/api/v1/admin/services/affected')).status).toBe(403);
  }, 60_000);
});
