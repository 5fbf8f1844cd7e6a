// Declared network flows (EX43) end to end: declared through the API, they reach every environment's
// networkpolicies.yaml in the GitOps repository after a reconcile; an invalid range is refused and nothing stored.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { auditEvents, networkFlows, projects, stages } from '../src/db/schema.ts';
import { reconcileProject } from '../src/reconcile/reconcile-project.ts';
import { describeApiOnDatabases } from './support/api-fixtures.ts';

describeApiOnDatabases('declared network flows', (ctx) => {
  const projectFolder = 'clusters/default/internal/projects/projet-a';
  const url = () => `/api/v1/projects/${ctx.world.projectId}/network-flows`;
  const committed = (path: string) =>
    execFileSync('git', ['--git-dir', join(ctx.system.services.config.dataDir, 'git/_platform/gitops.git'), 'show', `main:${path}`], { encoding: 'utf8' });

  beforeAll(async () => {
    const [stage] = await ctx.system.services.db.select().from(stages).where(eq(stages.slug, 'dev'));
    const response = await ctx.call('owner', 'POST', '/api/v1/environments', { projectId: ctx.world.projectId, name: 'dev', stageId: stage!.id, clusterId: ctx.world.clusterId, cpuMillicores: 500, memoryMiB: 512 });
    expect(response.status).toBe(201);
  });

  it('renders a declared flow as a NetworkPolicy of the environment, and removes it when the flow is deleted', async () => {
    const db = ctx.system.services.db;
    const [before] = await db
      .select({ generation: projects.generation })
      .from(projects)
      .where(eq(projects.id, ctx.world.projectId));
    const created = await ctx.call('owner', 'POST', url(), { name: 'to-database', direction: 'egress', peer: { cidr: '10.20.0.0/16', except: ['10.20.5.0/24'] }, ports: [{ protocol: 'TCP', port: 5432 }], description: 'Base PostgreSQL managée' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'to-database', direction: 'egress', peer: { cidr: '10.20.0.0/16', except: ['10.20.5.0/24'] } });
    const [after] = await db
      .select({ generation: projects.generation })
      .from(projects)
      .where(eq(projects.id, ctx.world.projectId));
    expect(after!.generation).toBe(before!.generation + 1);
    expect(await db.select().from(auditEvents).where(and(eq(auditEvents.action, 'network-flow.create'), eq(auditEvents.targetId, created.body.id)))).toHaveLength(1);
    expect((await ctx.call('read-only', 'GET', url())).body.items.map((f: { name: string }) => f.name)).toEqual(['to-database']);

    await reconcileProject(ctx.system.services, ctx.system.reconcileSteps, ctx.world.projectId);
    const policies = parseAllDocuments(committed(`${projectFolder}/dev/networkpolicies.yaml`)).map((d) => d.toJS());
    const flow = policies.find((p) => p.metadata.name === 'flow-to-database');
    expect(flow?.spec).toMatchObject({ policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.20.0.0/16', except: ['10.20.5.0/24'] } }], ports: [{ protocol: 'TCP', port: 5432 }] }] });

    expect((await ctx.call('owner', 'DELETE', `${url()}/${created.body.id}`)).status).toBe(204);
    await reconcileProject(ctx.system.services, ctx.system.reconcileSteps, ctx.world.projectId);
    expect(committed(`${projectFolder}/dev/networkpolicies.yaml`)).not.toContain('flow-to-database');
  });

  it('refuses an invalid address range or port with 400 and stores nothing', async () => {
    const db = ctx.system.services.db;
    const count = async () =>
      (await db.select().from(networkFlows).where(eq(networkFlows.projectId, ctx.world.projectId))).length;
    const stored = await count();
    for (const peer of [{ cidr: '10.0.0.0/33' }, { cidr: '300.1.2.3/8' }, { cidr: 'not-a-range' }, { namespaceLabels: {} }]) {
      const response = await ctx.call('owner', 'POST', url(), { name: 'bad', direction: 'ingress', peer, ports: [{ protocol: 'TCP', port: 80 }] });
      expect(response.status, JSON.stringify(peer)).toBe(400);
    }
    expect((await ctx.call('owner', 'POST', url(), { name: 'bad', direction: 'ingress', peer: { cidr: '10.0.0.0/8' }, ports: [{ protocol: 'TCP', port: 70000 }] })).status).toBe(400);
    expect(await count()).toBe(stored);
  });
});
