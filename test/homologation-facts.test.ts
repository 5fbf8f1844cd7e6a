// Conformity facts from the database: the last certified run of each repository establishes the automated parts
// (its check report's findings), a newer certified run replaces it, derogations narrowed to one rule cover only
// that rule; history points are stored only when something a user sees changes; a new catalogue version, an
// expiry or a new certified run marks a project for re-evaluation (and only that project).
import { expect, it } from 'vitest';
import { cctV1 } from '../src/catalogue/cct-v1.ts';
import { conformitySnapshots, derogations, projects, repositories, users } from '../src/db/schema.ts';
import { seedReferenceData } from '../src/db/seed.ts';
import { gatherProjectFacts } from '../src/homologation/facts.ts';
import { outdatedProjects, recomputeOutdatedProjects, recomputeProjectConformity } from '../src/homologation/recompute.ts';
import { eq, sql } from 'drizzle-orm';
import { checkReport, finding, insertCertifiedRun } from './support/certified-runs.ts';
import { describeOnDatabases } from './support/db.ts';

describeOnDatabases('homologation facts and recompute', (ctx) => {
  it('reads the last certified run, derogations by rule, and keeps history only on change', async () => {
    const db = ctx.db;
    await seedReferenceData(db);
    const [owner] = await db.insert(users).values({ displayName: 'o', subject: `s-${Math.random()}` }).returning();
    const [project] = await db.insert(projects).values({ slug: 'facts', name: 'Facts', ownerId: owner!.id }).returning();
    const [other] = await db.insert(projects).values({ slug: 'other', name: 'Other', ownerId: owner!.id }).returning();
    const [repo] = await db.insert(repositories).values({ projectId: project!.id, name: 'api', externalUrl: 'https://git.example/api.git' }).returning();
    const t0 = new Date('2026-11-01T10:00:00Z');

    let recorded = await recomputeProjectConformity(db, project!.id, t0);
    expect(recorded!.result.requirements.find((r) => r.id === 'EX29')!.state).toBe('not-satisfied');
    expect(recorded!.result.requirements.find((r) => r.id === 'EX29')!.targets[0]!.reasons[0]!.code).toBe('no-certified-run');
    expect(recorded!.changed).toBe(true);
    // Same facts again: no new history point.
    expect((await recomputeProjectConformity(db, project!.id, new Date(t0.getTime() + 1000)))!.changed).toBe(false);

    const runId = await insertCertifiedRun(db, { projectId: project!.id, repositoryId: repo!.id, report: checkReport([finding('containers.non-root-user', 'EX29', 'aaaa'), finding('containers.secret-in-env-or-arg', 'EX29', 'bbbb')]), at: new Date('2026-11-02T10:00:00Z'), commitSha: 'a'.repeat(40) });
    const facts = await gatherProjectFacts(db, project!.id);
    expect(facts!.repositories[0]!.lastCertifiedRun).toMatchObject({ runId, revision: 'a'.repeat(40), links: { bundleUrl: `/api/v1/runs/${runId}/evidence`, sarifUrl: `/api/v1/runs/${runId}/sarif` } });
    expect(facts!.repositories[0]!.lastCertifiedRun!.evaluatedRules).toContain('containers.non-root-user');

    // A new certified run marks this project, and only it, for re-evaluation.
    expect(await outdatedProjects(db, new Date('2026-11-02T11:00:00Z'), 10)).toContain(project!.id);
    recorded = await recomputeProjectConformity(db, project!.id, new Date('2026-11-02T11:00:00Z'));
    const ex29 = recorded!.result.requirements.find((r) => r.id === 'EX29')!;
    expect(ex29.state).toBe('not-satisfied');
    expect(ex29.targets[0]!.openFindingCount).toBe(2);

    // A derogation narrowed to one rule covers only that rule's finding.
    await db.insert(derogations).values({ projectId: project!.id, requirement: 'EX29', scope: { ruleId: 'containers.non-root-user' }, status: 'approved', justification: 'x', expiresAt: new Date('2026-12-01T00:00:00+01:00'), requestedBy: owner!.id });
    recorded = await recomputeProjectConformity(db, project!.id, new Date('2026-11-03T00:00:00Z'));
    expect(recorded!.result.requirements.find((r) => r.id === 'EX29')!.targets[0]!.openFindingCount).toBe(1);

    // The next certified run has no container finding: satisfied.
    await insertCertifiedRun(db, { projectId: project!.id, repositoryId: repo!.id, report: checkReport([]), at: new Date('2026-11-04T10:00:00Z'), commitSha: 'a'.repeat(40) });
    recorded = await recomputeProjectConformity(db, project!.id, new Date('2026-11-04T11:00:00Z'));
    expect(recorded!.result.requirements.find((r) => r.id === 'EX29')!.state).toBe('satisfied');
    expect(recorded!.changes).toContainEqual({ id: 'EX29', from: 'not-satisfied', to: 'satisfied' });

    const points = await db.select({ n: sql<number>`count(*)::int` }).from(conformitySnapshots).where(eq(conformitySnapshots.projectId, project!.id));
    expect(Number(points[0]!.n)).toBe(3);

    // A new catalogue version: every project is re-evaluated against it, once.
    await recomputeProjectConformity(db, other!.id, new Date('2026-11-04T11:00:00Z'));
    const v2 = { ...cctV1, version: '1.1.0' };
    const swept = await recomputeOutdatedProjects(db, new Date('2026-11-05T00:00:00Z'), { catalogue: v2, batchSize: 1 });
    expect(swept.evaluated).toBe(2);
    expect(await outdatedProjects(db, new Date('2026-11-05T00:00:01Z'), 10, v2)).toEqual([]);
  });
});
