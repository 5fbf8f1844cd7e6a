// Evidence the team records or the platform keeps, through the API on PGlite and PostgreSQL: restore tests (EX8,
// satisfied only by a recent successful one, awaiting evidence once it is too old) and the commit statuses sent
// to the team's forge (EX16, judged from the deliveries really made).
import { expect, it } from 'vitest';
import { commitStatusDeliveries, environments, repositories } from '../src/db/schema.ts';
import { describeApiOnDatabases } from './support/api-fixtures.ts';
import { asActor, runCommand } from './support/cli.ts';
import { run as restoreTestsCommand } from '../src/cli/restore-tests.ts';

const DAY = 86_400_000;
const requirement = (body: any, id: string) => body.requirements.find((r: any) => r.id === id);
const reasonText = (r: any) => r.targets.flatMap((t: any) => t.reasons.map((x: any) => x.message.fr)).join(' | ');

describeApiOnDatabases('restore tests and commit-status deliveries', (ctx) => {
  const base = () => `/api/v1/projects/${ctx.world.projectId}`;

  it('EX8 awaits a restore test, is not satisfied by a failed one, satisfied by a recent success, and expires after 180 days', async () => {
    let ex8 = requirement((await ctx.call('owner', 'GET', `${base()}/conformity`)).body, 'EX8');
    expect(ex8.state).toBe('awaiting-evidence');
    expect(reasonText(ex8)).toMatch(/Aucun test de restauration/);

    const [env] = await ctx.system.services.db.insert(environments).values({ projectId: ctx.world.projectId, name: 'prod-restore', stageId: ctx.world.stageId, clusterId: ctx.world.clusterId, cpuMillicores: 100, memoryMiB: 128 }).returning();
    const failed = await ctx.call('devops', 'POST', `${base()}/restore-tests`, { performedAt: new Date(Date.now() - 2 * DAY).toISOString(), environmentId: env!.id, outcome: 'failed', durationSeconds: 1800, notes: 'Sauvegarde de la base illisible.' });
    expect(failed.status).toBe(201);
    expect(failed.body).toMatchObject({ outcome: 'failed', environmentId: env!.id, recordedByName: 'devops' });
    ex8 = requirement((await ctx.call('owner', 'GET', `${base()}/conformity`)).body, 'EX8');
    expect(ex8.state).toBe('not-satisfied');
    expect(reasonText(ex8)).toMatch(/a échoué/);

    // The team's restore job records a success with its service account.
    const performedAt = new Date(Date.now() - DAY).toISOString();
    const ok = await ctx.call('service-account', 'POST', `${base()}/restore-tests`, { performedAt, outcome: 'succeeded', durationSeconds: 540, evidenceUrl: 'https://ci.example.gouv.fr/jobs/restore/42' });
    expect(ok.status).toBe(201);
    const conformity = (await ctx.call('read-only', 'GET', `${base()}/conformity`)).body;
    ex8 = requirement(conformity, 'EX8');
    expect(ex8.state).toBe('satisfied');
    expect(reasonText(ex8)).toMatch(/Restauration réussie .* enregistrée par ci \(valable 180 jours\)/);
    expect(ex8.targets[0].evidence[0]).toMatchObject({ kind: 'observation', url: `${base()}/restore-tests` });

    // The catalogue states the window; past it, the requirement awaits a new test.
    const catalogue = (await ctx.call('read-only', 'GET', '/api/v1/requirements?q=EX8')).body;
    expect(catalogue.requirements.find((r: any) => r.id === 'EX8').assessments).toEqual([{ kind: 'observed', fact: 'restore-rehearsed', maxAgeDays: 180 }]);
    const later = new Date(Date.parse(performedAt) + 181 * DAY).toISOString();
    ex8 = requirement((await ctx.call('owner', 'GET', `${base()}/conformity?at=${later}`)).body, 'EX8');
    expect(ex8.state).toBe('awaiting-evidence');
    expect(reasonText(ex8)).toMatch(/plus de 180 jours/);

    const listed = await ctx.call('read-only', 'GET', `${base()}/restore-tests`);
    expect(listed.body.items.map((i: any) => [i.outcome, i.recordedByName])).toEqual([['succeeded', 'ci'], ['failed', 'devops']]);
  });

  it('refuses restore tests from people without the right, in the future, or on another project’s environment', async () => {
    const valid = { performedAt: new Date(Date.now() - DAY).toISOString(), outcome: 'succeeded' };
    expect((await ctx.call('developer', 'POST', `${base()}/restore-tests`, valid)).status).toBe(403);
    expect((await ctx.call('read-only', 'POST', `${base()}/restore-tests`, valid)).status).toBe(403);
    const future = await ctx.call('owner', 'POST', `${base()}/restore-tests`, { ...valid, performedAt: new Date(Date.now() + DAY).toISOString() });
    expect(future.status).toBe(400);
    expect(future.headers['content-type']).toMatch(/problem\+json/);
    expect((await ctx.call('owner', 'POST', `${base()}/restore-tests`, { ...valid, outcome: 'maybe' })).status).toBe(400);
    expect((await ctx.call('owner', 'POST', `${base()}/restore-tests`, { ...valid, evidenceUrl: 'file:///etc/passwd' })).status).toBe(400);
    const [foreign] = await ctx.system.services.db.insert(environments).values({ projectId: ctx.world.otherProjectId, name: 'b-prod', stageId: ctx.world.stageId, clusterId: ctx.world.clusterId, cpuMillicores: 100, memoryMiB: 128 }).returning();
    expect((await ctx.call('owner', 'POST', `${base()}/restore-tests`, { ...valid, environmentId: foreign!.id })).status).toBe(404);
  });

  it('dso restore-tests records a restore from the team\'s job and lists it, and says why a refusal happened', async () => {
    const url = await ctx.system.listen();
    const env = asActor(url, ctx.world.actors['service-account']!.authorization!);
    const recorded = await runCommand(restoreTestsCommand, ['record', 'projet-a', '--outcome', 'succeeded', '--duration', '420', '--evidence-url', 'https://ci.example.gouv.fr/jobs/restore/43'], env);
    expect(recorded.code, recorded.err).toBe(0);
    expect(recorded.out).toMatch(/^Test de restauration enregistré : [0-9a-f-]{36} \(réussi, /);
    const listed = await runCommand(restoreTestsCommand, ['list', 'projet-a', '--lang', 'en'], env);
    expect(listed.out).toMatch(/succeeded +420 +ci +https:\/\/ci\.example\.gouv\.fr\/jobs\/restore\/43/);
    const refused = await runCommand(restoreTestsCommand, ['record', 'projet-a', '--outcome', 'succeeded'], asActor(url, ctx.world.actors['read-only']!.authorization!));
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/attestations\.create/);
  });

  it('EX16 is judged from the commit statuses really delivered to the forge, listed for the team', async () => {
    const db = ctx.system.services.db;
    const [repo] = await db.insert(repositories).values({ projectId: ctx.world.projectId, name: 'statuses', externalUrl: 'https://git.example/s.git' }).returning();
    const delivery = (delivered: boolean, ago: number) => ({ projectId: ctx.world.projectId, repositoryId: repo!.id, forge: 'github' as const, target: 'https://api.github.example team/app', commitSha: 'c'.repeat(40), state: 'success', delivered, httpStatus: delivered ? 201 : 401, message: delivered ? null : 'jeton refusé', createdAt: new Date(Date.now() - ago) });
    await db.insert(commitStatusDeliveries).values(delivery(false, 2 * 3_600_000));
    let ex16 = requirement((await ctx.call('owner', 'GET', `${base()}/conformity`)).body, 'EX16');
    expect(ex16.state).toBe('awaiting-evidence');
    await db.insert(commitStatusDeliveries).values(delivery(true, 3_600_000));
    ex16 = requirement((await ctx.call('owner', 'GET', `${base()}/conformity`)).body, 'EX16');
    expect(ex16.state).toBe('satisfied');
    expect(reasonText(ex16)).toMatch(/statuts de commit : 2 envoyé/);
    // A later failure contradicts it.
    await db.insert(commitStatusDeliveries).values(delivery(false, 60_000));
    ex16 = requirement((await ctx.call('owner', 'GET', `${base()}/conformity`)).body, 'EX16');
    expect(ex16.state).toBe('not-satisfied');
    const listed = await ctx.call('developer', 'GET', `${base()}/commit-status-deliveries`);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((d: any) => [d.delivered, d.httpStatus])).toEqual([
      [false, 401],
      [true, 201],
      [false, 401],
    ]);
    expect(JSON.stringify(listed.body)).not.toMatch(/token/i);
  });
});
