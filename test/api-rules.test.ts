// The platform's rules as a user meets them through the API: usage policy, quota, placement, lock/archive,
// no existence leak across projects, audit trail, sealed repository credentials, asynchronous provisioning.
import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { auditEvents, clusters, projects, repositories } from '../src/db/schema.ts';
import { createPerson, createProject, describeApiOnDatabases } from './support/api-fixtures.ts';

describeApiOnDatabases('API rules', (ctx) => {
  const env = (projectId: string, name: string, cpuMillicores = 100, memoryMiB = 128, clusterId?: string) => ({
    projectId,
    name,
    stageId: ctx.world.stageId,
    clusterId: clusterId ?? ctx.world.clusterId,
    cpuMillicores,
    memoryMiB,
  });

  it('asks a person to accept the usage policy before any change, and again after a new version; automation is exempt', async () => {
    const newcomer = await createPerson(ctx.system.services.db, 'newcomer', { acceptPolicy: false });
    expect((await ctx.call(newcomer, 'GET', '/api/v1/projects')).status).toBe(200);
    const refused = await ctx.call(newcomer, 'POST', '/api/v1/projects', { slug: 'newcomer-app', name: 'App' });
    expect(refused.status).toBe(403);
    expect(refused.body.type).toMatch(/usage-policy-required$/);
    const status = await ctx.call(newcomer, 'GET', '/api/v1/me/usage-policy');
    expect(status.body).toMatchObject({ accepted: false, required: true, policy: { version: 1 } });
    expect((await ctx.call(newcomer, 'POST', '/api/v1/me/usage-policy', { version: 1 })).status).toBe(200);
    expect((await ctx.call(newcomer, 'POST', '/api/v1/projects', { slug: 'newcomer-app', name: 'App' })).status).toBe(201);

    const published = await ctx.call('platform-admin', 'POST', '/api/v1/admin/usage-policies', { titleFr: 'CGU v2', titleEn: 'Policy v2', contentFr: 'Nouveau texte', contentEn: 'New text' });
    expect(published.body.version).toBe(2);
    expect((await ctx.call(newcomer, 'POST', '/api/v1/projects', { slug: 'newcomer-app-2', name: 'App' })).status).toBe(403);
    expect((await ctx.call(newcomer, 'POST', '/api/v1/me/usage-policy', { version: 1 })).status).toBe(409);
    expect((await ctx.call(newcomer, 'POST', '/api/v1/me/usage-policy', { version: 2 })).status).toBe(200);
    expect((await ctx.call(newcomer, 'POST', '/api/v1/projects', { slug: 'newcomer-app-2', name: 'App' })).status).toBe(201);

    // Automation acts without accepting anything.
    expect((await ctx.call('service-account', 'POST', '/api/v1/environments', env(ctx.world.projectId, 'from-ci'))).status).toBe(201);
    expect((await ctx.call('bootstrap-admin', 'POST', '/api/v1/admin/stages', { slug: 'qualif', label: 'Qualification' })).status).toBe(201);
    // The rest of this file's people accept v2.
    for (const name of ['owner', 'devops', 'developer', 'other-project-member', 'platform-admin']) expect((await ctx.call(name, 'POST', '/api/v1/me/usage-policy', { version: 2 })).status).toBe(200);
  });

  it('refuses an environment that does not fit the cluster or the budget, with the figures', async () => {
    const overBudget = await ctx.call('devops', 'POST', '/api/v1/environments', env(ctx.world.projectId, 'too-big', 20_000, 128));
    expect(overBudget.status).toBe(422);
    expect(overBudget.body.type).toMatch(/quota-exceeded$/);
    expect(overBudget.body.requested).toEqual({ cpuMillicores: 20_000, memoryMiB: 128, gpu: 0 });
    expect(overBudget.body.budget).toEqual({ cpuMillicores: 16_000, memoryMiB: 32_768, gpu: 0 });
    expect(overBudget.body.free.cpuMillicores).toBeGreaterThan(20_000);

    const [small] = await ctx.system.services.db
      .insert(clusters)
      .values({ slug: 'petit', label: 'Petit', zoneId: ctx.world.zoneId, kind: 'internal', cpuMillicores: 1000, memoryMiB: 1024 })
      .returning();
    expect((await ctx.call('devops', 'POST', '/api/v1/environments', env(ctx.world.projectId, 'fits', 800, 512, small!.id))).status).toBe(201);
    const full = await ctx.call('devops', 'POST', '/api/v1/environments', env(ctx.world.projectId, 'no-room', 300, 256, small!.id));
    expect(full.status).toBe(422);
    expect(full.body.free).toEqual({ cpuMillicores: 200, memoryMiB: 512, gpu: 0 });
    expect(full.body.detail).toContain('libre(s) sur le cluster 200');

    // Resizing counts the environment's own current quota as available.
    const list = await ctx.call('devops', 'GET', `/api/v1/environments?projectId=${ctx.world.projectId}`);
    const fits = list.body.items.find((e: { name: string }) => e.name === 'fits');
    expect((await ctx.call('devops', 'PATCH', `/api/v1/environments/${fits.id}`, { cpuMillicores: 1000 })).status).toBe(202);
    expect((await ctx.call('devops', 'PATCH', `/api/v1/environments/${fits.id}`, { cpuMillicores: 1001 })).status).toBe(422);

    const capacity = await ctx.call('admin-read-only', 'GET', '/api/v1/admin/clusters');
    const petit = capacity.body.items.find((c: { slug: string }) => c.slug === 'petit');
    expect(petit).toMatchObject({
      used: { cpuMillicores: 1000, memoryMiB: 512 },
      free: { cpuMillicores: 0, memoryMiB: 512 },
      environmentCount: 1,
    });
  });

  it('places a project only on clusters whose zone accepts its data, and dedicated clusters only for their projects', async () => {
    const db = ctx.system.services.db;
    const [restricted] = await db.update(projects).set({ dataSensitivity: 'restricted' }).where(eq(projects.id, ctx.world.otherProjectId)).returning();
    const refused = await ctx.call('other-project-member', 'POST', '/api/v1/environments', env(restricted!.id, 'dev'));
    expect(refused.status).toBe(422);
    expect(refused.body.reason).toBe('sensitivityNotAccepted');
    await db.update(projects).set({ dataSensitivity: 'internal' }).where(eq(projects.id, ctx.world.otherProjectId));

    const [dedicated] = await db
      .insert(clusters)
      .values({ slug: 'dedie', label: 'Dédié', zoneId: ctx.world.zoneId, kind: 'dedicated', cpuMillicores: 4000, memoryMiB: 4096, allowedProjectIds: [ctx.world.projectId] })
      .returning();
    const other = await ctx.call('other-project-member', 'POST', '/api/v1/environments', env(ctx.world.otherProjectId, 'dev', 100, 128, dedicated!.id));
    expect(other.status).toBe(422);
    expect(other.body.reason).toBe('dedicatedToOtherProjects');
    expect((await ctx.call('devops', 'POST', '/api/v1/environments', env(ctx.world.projectId, 'dedie', 100, 128, dedicated!.id))).status).toBe(201);
    const offered = await ctx.call('other-project-member', 'GET', `/api/v1/admin/clusters?projectId=${ctx.world.otherProjectId}`);
    expect(offered.body.items.map((c: { slug: string }) => c.slug)).not.toContain('dedie');
  });

  it('refuses changes to a locked project and keeps an archived one read-only', async () => {
    const db = ctx.system.services.db;
    const p = await createProject(db, 'verrou', ctx.world.actors.owner!.userId!);
    expect((await ctx.call('platform-admin', 'PATCH', `/api/v1/projects/${p.id}`, { locked: true })).status).toBe(202);
    const locked = await ctx.call('owner', 'PATCH', `/api/v1/projects/${p.id}`, { description: 'x' });
    expect(locked.status).toBe(403);
    expect(locked.body.type).toMatch(/project-locked$/);
    expect((await ctx.call('owner', 'POST', '/api/v1/environments', env(p.id, 'dev'))).body.type).toMatch(/project-locked$/);
    expect((await ctx.call('owner', 'PATCH', `/api/v1/projects/${p.id}`, { locked: false })).status).toBe(403);
    expect((await ctx.call('platform-admin', 'PATCH', `/api/v1/projects/${p.id}`, { locked: false })).status).toBe(202);

    expect((await ctx.call('owner', 'DELETE', `/api/v1/projects/${p.id}`)).status).toBe(202);
    expect((await ctx.call('owner', 'GET', `/api/v1/projects/${p.id}`)).body.archived).toBe(true);
    const archived = await ctx.call('owner', 'POST', '/api/v1/repositories', { projectId: p.id, name: 'app', externalUrl: 'https://git.example/app.git' });
    expect(archived.body.type).toMatch(/project-archived$/);
    expect((await ctx.call('owner', 'GET', '/api/v1/projects')).body.items.map((x: { slug: string }) => x.slug)).not.toContain('verrou');
    expect((await ctx.call('owner', 'GET', '/api/v1/projects?archived=true')).body.items.map((x: { slug: string }) => x.slug)).toContain('verrou');
    expect((await ctx.call('owner', 'PATCH', `/api/v1/projects/${p.id}`, { archived: false })).status).toBe(202);
    expect((await ctx.call('platform-admin', 'DELETE', `/api/v1/projects/${p.id}?permanent=true`)).status).toBe(422);
  });

  it("answers 404, not 403, for another project's resources", async () => {
    const created = await ctx.call('devops', 'POST', '/api/v1/repositories', { projectId: ctx.world.projectId, name: 'secret-app', externalUrl: 'https://git.example/s.git' });
    for (const actor of ['other-project-member', 'other-service-account']) {
      expect((await ctx.call(actor, 'GET', `/api/v1/repositories/${created.body.id}`)).status).toBe(404);
      expect((await ctx.call(actor, 'GET', `/api/v1/projects/${ctx.world.projectId}`)).status).toBe(404);
      expect((await ctx.call(actor, 'GET', `/api/v1/projects/${crypto.randomUUID()}`)).status).toBe(404);
    }
    const theirs = await ctx.call('other-project-member', 'GET', '/api/v1/repositories');
    expect(theirs.body.items.map((r: { name: string }) => r.name)).not.toContain('secret-app');
  });

  it('seals repository credentials: never returned, never audited, readable only through the secret box', async () => {
    const created = await ctx.call('devops', 'POST', '/api/v1/repositories', {
      projectId: ctx.world.projectId,
      name: 'with-creds',
      externalUrl: 'https://git.example/private.git',
      credentials: { username: 'bot', token: 'glpat-SUPERSECRET' },
      kind: 'infrastructure',
      deployPath: 'deploy/k8s',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ hasCredentials: true, status: 'pending', kind: 'infrastructure' });
    expect(JSON.stringify(created.body)).not.toContain('SUPERSECRET');
    expect(JSON.stringify((await ctx.call('devops', 'GET', `/api/v1/repositories/${created.body.id}`)).body)).not.toContain('SUPERSECRET');
    const db = ctx.system.services.db;
    const [row] = await db.select().from(repositories).where(eq(repositories.id, created.body.id));
    expect(row!.credentialsEncrypted).not.toContain('SUPERSECRET');
    expect(JSON.parse(ctx.system.services.secretBox.open(row!.credentialsEncrypted!))).toEqual({ username: 'bot', token: 'glpat-SUPERSECRET' });
    const events = await db.select().from(auditEvents).where(eq(auditEvents.targetId, created.body.id));
    expect(events).toHaveLength(1);
    expect(JSON.stringify(events)).not.toContain('SUPERSECRET');
    const removed = await ctx.call('devops', 'PATCH', `/api/v1/repositories/${created.body.id}`, { credentials: null });
    expect(removed.body.hasCredentials).toBe(false);
  });

  it('records every change in the audit log with actor, before/after and request id, filterable', async () => {
    const response = await ctx.system.app.inject({
      method: 'PATCH',
      url: `/api/v1/projects/${ctx.world.projectId}`,
      headers: { authorization: ctx.world.actors.owner!.authorization!, 'x-request-id': 'req-audit-1' },
      payload: { description: 'Nouvelle description' },
    });
    expect(response.statusCode).toBe(202);
    const audit = await ctx.call('security-officer', 'GET', `/api/v1/admin/audit?action=project.update&projectId=${ctx.world.projectId}&actor=${ctx.world.actors.owner!.userId}`);
    expect(audit.status).toBe(200);
    const event = audit.body.items.find((e: { requestId: string }) => e.requestId === 'req-audit-1');
    expect(event).toMatchObject({ actorKind: 'user', targetType: 'project', after: { description: 'Nouvelle description' } });
    expect(event.before.generation + 1).toBe(event.after.generation);
    const page1 = await ctx.call('security-officer', 'GET', '/api/v1/admin/audit?limit=2');
    const page2 = await ctx.call('security-officer', 'GET', `/api/v1/admin/audit?limit=2&cursor=${page1.body.nextCursor}`);
    expect(page2.body.items[0].id).toBeLessThan(page1.body.items[1].id);
    expect((await ctx.call('security-officer', 'GET', '/api/v1/admin/audit?from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z')).body.items).toEqual([]);
  });

  it('shows who acted, on which project and object by name, records runs started and cancelled, and filters by name, project and family of actions', async () => {
    const repository = await ctx.call('devops', 'POST', '/api/v1/repositories', { projectId: ctx.world.projectId, name: 'audited-app', source: 'hosted' });
    expect(repository.status).toBe(201);
    const started = await ctx.call('developer', 'POST', `/api/v1/projects/${ctx.world.projectId}/repositories/${repository.body.id}/runs`, {});
    expect(started.status).toBe(202);
    expect((await ctx.call('developer', 'POST', `/api/v1/runs/${started.body.id}/cancel`)).status).toBe(202);

    // By part of the person's name, by the project's identifier, by a family of actions.
    const runs = await ctx.call('security-officer', 'GET', '/api/v1/admin/audit?actorName=DEVELOP&project=projet-a&action=run.*');
    expect(runs.status).toBe(200);
    expect(runs.body.items.map((e: { action: string }) => e.action)).toEqual(['run.cancel', 'run.start']);
    for (const event of runs.body.items) {
      expect(event).toMatchObject({ actorName: 'developer', targetType: 'run', targetId: started.body.id, targetName: 'audited-app', project: { id: ctx.world.projectId, slug: 'projet-a' } });
    }
    const created = await ctx.call('security-officer', 'GET', `/api/v1/admin/audit?action=repository.create&project=${ctx.world.projectId}`);
    expect(created.body.items.find((e: { targetId: string }) => e.targetId === repository.body.id)).toMatchObject({ actorName: 'devops', targetName: 'audited-app' });
    // Someone else's name, another project: nothing.
    expect((await ctx.call('security-officer', 'GET', '/api/v1/admin/audit?actorName=owner&action=run.*')).body.items).toEqual([]);
    expect((await ctx.call('security-officer', 'GET', '/api/v1/admin/audit?project=projet-b&action=run.*')).body.items).toEqual([]);
    expect((await ctx.call('security-officer', 'GET', '/api/v1/admin/audit?project=nowhere')).body.items).toEqual([]);
  });

  it('answers provisioning mutations at once with status pending and asks for a reconcile', async () => {
    const requested: unknown[] = [];
    const original = ctx.system.services.requestReconcile;
    ctx.system.services.requestReconcile = async (target) => {
      requested.push(target);
    };
    try {
      const created = await ctx.call('devops', 'POST', '/api/v1/environments', env(ctx.world.projectId, 'async'));
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ status: 'pending', generation: 1, observedGeneration: 0 });
      const resized = await ctx.call('devops', 'PATCH', `/api/v1/environments/${created.body.id}`, { memoryMiB: 256 });
      expect(resized.body.generation).toBe(2);
      expect(requested).toEqual([
        { kind: 'environment', id: created.body.id, projectId: ctx.world.projectId },
        { kind: 'environment', id: created.body.id, projectId: ctx.world.projectId },
      ]);
    } finally {
      ctx.system.services.requestReconcile = original;
    }
  });

  it('shows a personal token once, lists it by prefix, and refuses it after revocation', async () => {
    const created = await ctx.call('developer', 'POST', '/api/v1/me/tokens', { name: 'laptop', expiresAt: new Date(Date.now() + 86_400_000).toISOString() });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^dso_pat_/);
    const list = await ctx.call('developer', 'GET', '/api/v1/me/tokens');
    expect(JSON.stringify(list.body)).not.toContain(created.body.token);
    expect(list.body.items.map((t: { prefix: string }) => t.prefix)).toContain(created.body.prefix);
    const me = await ctx.call({ name: 'laptop', userId: null, authorization: `Bearer ${created.body.token}` }, 'GET', '/api/v1/me');
    expect(me.body.displayName).toBe('developer');
    expect((await ctx.call('developer', 'DELETE', `/api/v1/me/tokens/${created.body.id}`)).status).toBe(204);
    expect((await ctx.call({ name: 'laptop', userId: null, authorization: `Bearer ${created.body.token}` }, 'GET', '/api/v1/me')).status).toBe(401);
  });

  it('lets a service account act with its role and token only until it is deleted', async () => {
    const created = await ctx.call('devops', 'POST', '/api/v1/service-accounts', { projectId: ctx.world.projectId, name: 'gitlab-ci', role: 'developer', expiresAt: new Date(Date.now() + 86_400_000).toISOString() });
    expect(created.status).toBe(201);
    const sa = { name: 'gitlab-ci', userId: created.body.id, authorization: `Bearer ${created.body.token}` };
    expect((await ctx.call(sa, 'GET', `/api/v1/projects/${ctx.world.projectId}`)).body.role).toBe('developer');
    expect((await ctx.call(sa, 'POST', '/api/v1/environments', env(ctx.world.projectId, 'by-dev-sa'))).status).toBe(403);
    // A devops cannot mint an owner service account (no escalation).
    expect((await ctx.call('devops', 'POST', '/api/v1/service-accounts', { projectId: ctx.world.projectId, name: 'x', role: 'owner', expiresAt: new Date(Date.now() + 86_400_000).toISOString() })).status).toBe(403);
    expect((await ctx.call('devops', 'DELETE', `/api/v1/service-accounts/${created.body.id}`)).status).toBe(204);
    expect((await ctx.call(sa, 'GET', '/api/v1/me')).status).toBe(401);
  });

  it('keeps at least one owner in a project', async () => {
    const removed = await ctx.call('owner', 'DELETE', `/api/v1/projects/${ctx.world.projectId}/members/${ctx.world.actors.owner!.userId}`);
    expect(removed.status).toBe(422);
    const added = await ctx.call('owner', 'POST', `/api/v1/projects/${ctx.world.projectId}/members`, { email: 'outsider@example.gouv.fr', role: 'read-only' });
    expect(added.status).toBe(201);
    expect((await ctx.call('owner', 'POST', `/api/v1/projects/${ctx.world.projectId}/members`, { email: 'outsider@example.gouv.fr', role: 'read-only' })).status).toBe(409);
    expect((await ctx.call('owner', 'POST', `/api/v1/projects/${ctx.world.projectId}/members`, { email: 'nobody@example.gouv.fr', role: 'read-only' })).status).toBe(422);
  });

  it('gives a project-defined role exactly its named permissions, and refuses to shrink a cluster under its use', async () => {
    const created = await ctx.call('owner', 'POST', '/api/v1/roles', { projectId: ctx.world.projectId, name: 'deployer', labelFr: 'Déployeur', permissions: ['project.read', 'environments.read', 'environments.manage'] });
    expect(created.status).toBe(201);
    expect((await ctx.call('owner', 'POST', '/api/v1/roles', { projectId: ctx.world.projectId, name: 'owner', permissions: ['project.read'] })).status).toBe(409);
    expect((await ctx.call('owner', 'GET', `/api/v1/roles?projectId=${ctx.world.projectId}`)).body.items.map((r: { name: string }) => r.name)).toContain('deployer');
    const deployer = await createPerson(ctx.system.services.db, 'deployer');
    expect((await ctx.call('owner', 'POST', `/api/v1/projects/${ctx.world.projectId}/members`, { userId: deployer.userId, role: 'deployer' })).status).toBe(201);
    expect((await ctx.call(deployer, 'POST', '/api/v1/environments', env(ctx.world.projectId, 'by-deployer'))).status).toBe(201);
    expect((await ctx.call(deployer, 'GET', `/api/v1/environments`)).body.items.map((e: { name: string }) => e.name)).toContain('by-deployer');
    expect((await ctx.call(deployer, 'POST', '/api/v1/repositories', { projectId: ctx.world.projectId, name: 'nope', externalUrl: 'https://git.example/n.git' })).status).toBe(403);
    expect((await ctx.call(deployer, 'GET', `/api/v1/repositories?projectId=${ctx.world.projectId}`)).status).toBe(403);
    expect((await ctx.call(deployer, 'GET', '/api/v1/repositories')).body.items).toEqual([]);

    const shrink = await ctx.call('platform-admin', 'PATCH', `/api/v1/admin/clusters/${ctx.world.clusterId}`, { cpuMillicores: 1 });
    expect(shrink.status).toBe(422);
    expect(shrink.body.errors[0].field).toBe('cpuMillicores');
  });

  it('never overbooks a cluster under concurrent requests, and concurrent changes to a project all succeed', async () => {
    const db = ctx.system.services.db;
    const [tight] = await db.insert(clusters).values({ slug: 'serre', label: 'Serré', zoneId: ctx.world.zoneId, kind: 'internal', cpuMillicores: 1000, memoryMiB: 100_000 }).returning();
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => ctx.call('devops', 'POST', '/api/v1/environments', env(ctx.world.projectId, `race-${i}`, 200, 10, tight!.id))));
    expect(results.filter((r) => r.status === 201)).toHaveLength(5);
    expect(results.filter((r) => r.status === 422)).toHaveLength(5);

    const before = (await ctx.call('owner', 'GET', `/api/v1/projects/${ctx.world.projectId}`)).body.generation;
    const patches = await Promise.all(Array.from({ length: 8 }, (_, i) => ctx.call('owner', 'PATCH', `/api/v1/projects/${ctx.world.projectId}`, { description: `edit ${i}` })));
    expect(patches.map((r) => r.status)).toEqual(Array(8).fill(202));
    expect((await ctx.call('owner', 'GET', `/api/v1/projects/${ctx.world.projectId}`)).body.generation).toBe(before + 8);
  });
});

