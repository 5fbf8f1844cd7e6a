// "My projects" shows each project's conformity at a glance: GET /projects items carry a conformity summary
// (scores, counts by state) computed for the whole page at once, not one query per project; and the security
// officer's derogation queue names each project by its slug.
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { expect, it, vi } from 'vitest';
import { createProject } from './support/api-fixtures.ts';
import { describeApiOnDatabases } from './support/api-fixtures.ts';

describeApiOnDatabases('conformity summary in the projects list, project slug in derogations', (ctx) => {
  it('gives each listed project its conformity summary, the same as its conformity screen, in a constant number of queries', async () => {
    const db = ctx.system.services.db;
    const ownerId = ctx.world.actors.owner!.userId!;
    const slugs = Array.from({ length: 30 }, (_, i) => `resume-${String(i).padStart(2, '0')}`);
    const created = [];
    for (const slug of slugs) created.push(await createProject(db, slug, ownerId));
    // Evaluate all but the last one (as the conformity screen or the background sweep would).
    const evaluated = new Map<string, any>();
    for (const p of created.slice(0, -1)) evaluated.set(p.id, (await ctx.call('owner', 'GET', `/api/v1/projects/${p.id}/conformity`)).body);

    // Every query the list makes goes through one of these builders: a query per project would show as ≥ 30 calls.
    const builders = ['select', 'selectDistinct', 'selectDistinctOn', 'execute'] as const;
    const spies = builders.map((b) => vi.spyOn(db, b));
    const list = await ctx.call('owner', 'GET', '/api/v1/projects?q=resume-&limit=50');
    const calls = spies.reduce((n, spy) => n + spy.mock.calls.length, 0);
    for (const spy of spies) spy.mockRestore();
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(30);
    expect(calls).toBeLessThan(10);

    for (const item of list.body.items) {
      const conformity = evaluated.get(item.id);
      if (!conformity) {
        expect(item.slug).toBe('resume-29');
        expect(item.conformity).toBeNull();
        continue;
      }
      expect(item.conformity.score).toEqual({ P: conformity.scores.P.ratio, I: conformity.scores.I.ratio });
      const byState = (state: string) =>
        conformity.requirements.filter((r: { state: string }) => r.state === state).length;
      expect(item.conformity.counts).toEqual({
        satisfied: byState('satisfied'),
        notSatisfied: byState('not-satisfied'),
        derogated: byState('derogated'),
        awaitingAttestation: byState('awaiting-attestation'),
        awaitingEvidence: byState('awaiting-evidence'),
        notApplicable: byState('not-applicable'),
      });
      expect(Object.values(item.conformity.counts as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(
        conformity.requirements.length,
      );
      expect(item.conformity.catalogueVersion).toBe(conformity.catalogueVersion);
    }

    // Projects evaluated before summaries were kept get them from their latest history point when the migration
    // runs: the same list.
    await db.execute(sql`update conformity_current set summary = null`);
    expect((await ctx.call('owner', 'GET', '/api/v1/projects?q=resume-&limit=50')).body.items.every((i: { conformity: unknown }) => i.conformity === null)).toBe(true);
    const migration = readFileSync(new URL('../src/db/migrations/0007_conformity-summary.sql', import.meta.url), 'utf8').split('--> statement-breakpoint');
    await db.execute(sql.raw(migration[1]!));
    // …then the count of the "awaiting evidence" state, added by a later migration.
    await db.execute(sql.raw(readFileSync(new URL('../src/db/migrations/0010_awaiting-evidence.sql', import.meta.url), 'utf8')));
    expect((await ctx.call('owner', 'GET', '/api/v1/projects?q=resume-&limit=50')).body.items).toEqual(list.body.items);

    // An attestation changes the summary on the next listing.
    const first = created[0]!;
    const before = list.body.items.find((i: { id: string }) => i.id === first.id).conformity;
    const attested = await ctx.call('owner', 'POST', `/api/v1/projects/${first.id}/attestations`, {
      requirement: 'EX1',
      evidence: { kind: 'text', text: 'Déclaration d’accessibilité publiée.' },
      validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    });
    expect(attested.status).toBe(201);
    const after = (await ctx.call('owner', 'GET', '/api/v1/projects?q=resume-00')).body.items[0].conformity;
    expect(after.counts.satisfied).toBe(before.counts.satisfied + 1);
    expect(after.counts.awaitingAttestation).toBe(before.counts.awaitingAttestation - 1);
  }, 120_000);

  it('names the project of each derogation by its slug, in the queue and in one derogation', async () => {
    const requested = await ctx.call('owner', 'POST', `/api/v1/projects/${ctx.world.projectId}/derogations`, {
      requirement: 'EX47',
      justification: 'Secret de démonstration, révoqué ; retrait au prochain sprint.',
      expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    });
    expect(requested.status, JSON.stringify(requested.body)).toBe(201);
    expect(requested.body.projectSlug).toBe('projet-a');
    const queue = await ctx.call('security-officer', 'GET', '/api/v1/derogations?status=requested');
    expect(queue.status).toBe(200);
    expect(queue.body.items.find((d: { id: string }) => d.id === requested.body.id)?.projectSlug).toBe('projet-a');
    const one = await ctx.call('read-only', 'GET', `/api/v1/derogations/${requested.body.id}`);
    expect(one.body.projectSlug).toBe('projet-a');
    const ofProject = await ctx.call('read-only', 'GET', `/api/v1/projects/${ctx.world.projectId}/derogations`);
    expect(ofProject.body.items.every((d: { projectSlug: string }) => d.projectSlug === 'projet-a')).toBe(true);
    const decided = await ctx.call('security-officer', 'POST', `/api/v1/derogations/${requested.body.id}/decision`, { decision: 'approve', comment: 'Accordée.' });
    expect(decided.status).toBe(200);
    expect(decided.body.projectSlug).toBe('projet-a');
  }, 60_000);
});
