// A full render reads the GitOps desired state of many projects at once (a fixed number of queries per chunk);
// a project's reconcile reads it alone. Both must give the same model, project by project, on a varied data
// set: custom roles, secrets limited to environments, network flows (CIDR and namespace peers), an
// infrastructure repository with a deploy path, deployments (pending, committed, refused), projects without
// environments; archived projects are left out of the full render.
import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { clusters, deployments, environments, networkFlows, projectRoles, projectSecrets, projects, repositories, stages, users } from '../src/db/schema.ts';
import { seedReferenceData } from '../src/db/seed.ts';
import { desiredProjectsInChunks, loadProjectModel, loadProjectModels } from '../src/deploy/desired-state.ts';
import { describeOnDatabases } from './support/db.ts';

const config = loadConfig({ NODE_ENV: 'test', DSO_DATA_DIR: '/tmp/dso-unused', DSO_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'), DSO_PUBLIC_URL: 'https://console.example' });

describeOnDatabases('GitOps desired state read in batches', (ctx) => {
  it('gives every project the same model as reading it alone; the chunked full render skips archived projects', async () => {
    const db = ctx.db;
    await seedReferenceData(db);
    const [owner] = await db.insert(users).values({ displayName: 'o', subject: `s-${Math.random()}` }).returning();
    const stageRows = await db.select().from(stages);
    const clusterRows = await db.select().from(clusters);
    const rows: (typeof projects.$inferSelect)[] = [];

    for (let n = 0; n < 7; n++) {
      const [project] = await db.insert(projects).values({ slug: `gitops-${n}`, name: `G ${n}`, ownerId: owner!.id, dataSensitivity: n % 2 === 0 ? 'internal' : 'public', archived: n === 6 }).returning();
      rows.push(project!);
      const projectId = project!.id;
      if (n === 0) continue;
      const envs = await db
        .insert(environments)
        .values(stageRows.slice(0, 1 + (n % stageRows.length)).map((s, k) => ({ projectId, name: `env-${k}`, stageId: s.id, clusterId: clusterRows[(n + k) % clusterRows.length]!.id, cpuMillicores: 100 * n, memoryMiB: 64 * n, gpu: k })))
        .returning();
      if (n % 2 === 1) await db.insert(projectRoles).values([{ projectId, name: 'auditeur', labelFr: 'Auditeur', labelEn: 'Auditor', permissions: ['project.read'] }, { projectId, name: 'devops', labelFr: 'DevOps', labelEn: 'DevOps', permissions: ['project.read', 'environments.manage'] }]);
      await db.insert(projectSecrets).values([
        { projectId, name: 'database', valuesSealed: 'x', keys: ['password', 'user'] },
        ...(n % 3 === 0 ? [{ projectId, name: 'smtp', valuesSealed: 'x', keys: ['password'], environments: ['env-0'] }] : []),
      ]);
      if (n % 2 === 0) {
        await db.insert(networkFlows).values([
          { projectId, name: 'vers-api', direction: 'egress', peerCidr: '10.0.0.0/16', peerExcept: ['10.0.1.0/24'], ports: [{ protocol: 'TCP', port: 443 }] },
          { projectId, name: 'depuis-ingress', direction: 'ingress', peerNamespaceLabels: { 'kubernetes.io/metadata.name': 'ingress' }, ports: [{ protocol: 'TCP', port: 8080 }] },
        ]);
      }
      if (n >= 2) {
        const [infra] = await db.insert(repositories).values({ projectId, name: 'infra', externalUrl: 'https://git.example/infra.git', kind: 'infrastructure', deployPath: n % 2 === 0 ? '/deploy/k8s' : null }).returning();
        const [other] = await db.insert(repositories).values({ projectId, name: 'z-infra', externalUrl: 'https://git.example/other.git', kind: 'infrastructure' }).returning();
        const at = (m: number) => new Date(Date.UTC(2026, 10, 1, m));
        await db.insert(deployments).values([
          { projectId, environmentId: envs[0]!.id, repositoryId: infra!.id, revision: 'a'.repeat(40), action: 'deploy', status: 'committed', createdAt: at(1) },
          { projectId, environmentId: envs[0]!.id, repositoryId: other!.id, revision: 'b'.repeat(40), action: 'deploy', status: 'pending', createdAt: at(2) },
          { projectId, environmentId: envs[0]!.id, repositoryId: infra!.id, revision: 'c'.repeat(40), action: 'deploy', status: 'failed', createdAt: at(3) },
        ]);
      }
    }

    const environmentsOf = async (projectId: string) =>
      db.select().from(environments).where(eq(environments.projectId, projectId));
    const byProject = new Map<string, (typeof environments.$inferSelect)[]>();
    for (const p of rows) byProject.set(p.id, await environmentsOf(p.id));
    const together = await loadProjectModels(db, config, rows, byProject);
    expect(together.map((m) => m.slug)).toEqual(rows.map((p) => p.slug));
    for (const [i, project] of rows.entries())
      expect(together[i]).toEqual(await loadProjectModel(db, config, project, byProject.get(project.id)!));
    // The data set is varied: the comparisons above covered every kind of input.
    expect(together.some((m) => m.environments.length === 0)).toBe(true);
    expect(together.some((m) => m.roles.some((r) => r.role === 'auditeur'))).toBe(true);
    expect(together.some((m) => m.flows.some((f) => f.peer.kind === 'cidr')) && together.some((m) => m.flows.some((f) => f.peer.kind === 'namespace'))).toBe(true);
    expect(together.some((m) => m.secrets.some((s) => s.environments))).toBe(true);
    expect(together.some((m) => m.environments.some((e) => e.deployment.revision === 'b'.repeat(40) && e.deployment.repositoryUrl.endsWith('/z-infra.git') && e.deployment.path === 'deploy/k8s'))).toBe(true);
    expect(await loadProjectModels(db, config, [], new Map())).toEqual([]);

    // The full render reads in chunks (here of 2) and leaves archived projects out.
    const chunks: string[][] = [];
    for await (const chunk of desiredProjectsInChunks(db, config, 2)) chunks.push(chunk.map((m) => m.slug));
    expect(chunks.every((c) => c.length <= 2)).toBe(true);
    expect(chunks.flat()).toEqual(rows.filter((p) => !p.archived).map((p) => p.slug).sort());
  }, 120_000);
});
