// The sweeps read conformity facts for many projects at once (a fixed number of queries per chunk); a single
// recompute reads one project. Both must give the same facts, project by project, on a varied data set: several
// repositories (one with two certified runs, one with none, one with an unreadable report and an SBOM),
// environments on several stages, attestations, derogations, not-applicable declarations, an empty project, an
// archived one and an id that does not exist — and a chunked sweep must store what single recomputes would.
import { expect, it } from 'vitest';
import { attestations, clusters, derogations, environments, notApplicableDeclarations, projects, repositories, stages, users } from '../src/db/schema.ts';
import { seedReferenceData } from '../src/db/seed.ts';
import { gatherFactsOfProjects, gatherProjectFacts } from '../src/homologation/facts.ts';
import { recomputeOutdatedProjects, recomputeProjectConformity } from '../src/homologation/recompute.ts';
import { checkReport, finding, insertCertifiedRun } from './support/certified-runs.ts';
import { describeOnDatabases } from './support/db.ts';

describeOnDatabases('conformity facts read in batches', (ctx) => {
  it('gives every project the same facts as reading it alone, and the chunked sweep stores the same conformity', async () => {
    const db = ctx.db;
    await seedReferenceData(db);
    const [owner] = await db.insert(users).values({ displayName: 'o', subject: `s-${Math.random()}` }).returning();
    const stageRows = await db.select().from(stages);
    const clusterRows = await db.select().from(clusters);
    const ids: string[] = [];
    const day = (n: number) => new Date(Date.UTC(2026, 10, n, 10));

    for (let n = 0; n < 9; n++) {
      const [project] = await db.insert(projects).values({ slug: `lot-${n}`, name: `Lot ${n}`, ownerId: owner!.id, archived: n === 8 }).returning();
      const projectId = project!.id;
      ids.push(projectId);
      if (n === 0) continue; // a project with nothing yet
      // Repositories inserted one by one and several at once (same creation instant: order then by id).
      const repos = await db
        .insert(repositories)
        .values(Array.from({ length: 1 + (n % 3) }, (_, k) => ({ projectId, name: `depot-${String.fromCharCode(99 - k)}`, externalUrl: `https://git.example/${n}/${k}.git`, kind: k === 1 ? ('infrastructure' as const) : ('application' as const) })))
        .returning();
      const [extra] = await db.insert(repositories).values({ projectId, name: 'a-depot-tardif', externalUrl: 'https://git.example/late.git' }).returning();
      repos.push(extra!);
      // The first repository: two certified runs (the later one counts), findings varying per project.
      await insertCertifiedRun(db, { projectId, repositoryId: repos[0]!.id, report: checkReport([finding('containers.non-root-user', 'EX29', `old${n}`)]), at: day(1) });
      await insertCertifiedRun(db, { projectId, repositoryId: repos[0]!.id, report: checkReport(n % 2 === 0 ? [] : [finding('containers.non-root-user', 'EX29', `new${n}`), finding('containers.secret-in-env-or-arg', 'EX29', `sec${n}`)]), at: day(2 + n), sbom: n % 2 === 0 });
      // Another repository: a report nobody can read, or a checker that crashed.
      if (repos.length > 2) await insertCertifiedRun(db, { projectId, repositoryId: repos[1]!.id, report: n % 2 === 0 ? '{not json' : checkReport([], [{ message: 'the containers checker failed and was skipped: boom' }]), at: day(3) });
      const envs = await db
        .insert(environments)
        .values(stageRows.slice(0, 1 + (n % stageRows.length)).map((s, k) => ({ projectId, name: `env-${k}`, stageId: s.id, clusterId: clusterRows[k % clusterRows.length]!.id, cpuMillicores: 100, memoryMiB: 128 })))
        .returning();
      if (n % 2 === 1) {
        await db.insert(attestations).values([
          { projectId, requirement: 'EX1', attestedBy: owner!.id, role: 'owner', evidence: { kind: 'link', title: 'PSSI', url: 'https://doc.example/pssi' }, attestedAt: day(4), validUntil: day(28) },
          { projectId, requirement: 'EX2', attestedBy: owner!.id, role: 'security', evidence: { kind: 'text', text: 'revue faite' }, attestedAt: day(4), validUntil: day(5), environmentId: envs[0]!.id },
          { projectId, requirement: 'EX3', attestedBy: owner!.id, role: 'owner', evidence: { kind: 'document', title: 'plan', documentId: 'd1' }, attestedAt: day(6), validUntil: day(29) },
        ]);
      }
      if (n % 3 !== 2) {
        await db.insert(derogations).values([
          { projectId, requirement: 'EX29', scope: n % 2 === 0 ? { ruleId: 'containers.non-root-user' } : {}, status: 'approved', justification: 'migration en cours', compensatingMeasures: 'surveillance', expiresAt: day(25), requestedBy: owner!.id, requestedAt: day(3), decidedBy: owner!.id, decidedAt: day(3), decisionComment: 'ok' },
          { projectId, requirement: 'EX30', scope: {}, status: 'rejected', justification: 'non', expiresAt: day(25), requestedBy: owner!.id, requestedAt: day(3) },
        ]);
      }
      if (n % 4 === 1) {
        await db.insert(notApplicableDeclarations).values([
          { projectId, requirement: 'EX40', justification: 'pas de données personnelles', declaredBy: owner!.id, declaredAt: day(5) },
          { projectId, requirement: 'EX41', justification: 'dépôt de documentation', declaredBy: owner!.id, declaredAt: day(5), repositoryId: extra!.id },
          { projectId, requirement: 'EX42', justification: 'pas exposé', declaredBy: owner!.id, declaredAt: day(6), environmentId: envs[0]!.id },
        ]);
      }
    }
    const missing = '00000000-0000-4000-8000-000000000000';

    // Read alone and read together (in another order, with a duplicate and an unknown id): identical facts.
    const asked = [missing, ...[...ids].reverse(), ids[3]!];
    // The platform's observation windows end at one instant for both reads.
    const at = new Date('2026-11-29T12:00:00Z');
    const batched = await gatherFactsOfProjects(db, asked, { now: at });
    expect([...batched.keys()]).toEqual([...ids].reverse());
    for (const id of ids) {
      const alone = await gatherProjectFacts(db, id, { now: at });
      expect(alone).toBeDefined();
      expect(batched.get(id)).toEqual(alone);
    }
    // The data set is varied: the comparisons above covered every kind of fact.
    const all = [...batched.values()];
    expect(all.some((f) => f.repositories.length === 0)).toBe(true);
    expect(all.some((f) => f.repositories.some((r) => r.lastCertifiedRun?.findings.length === 2))).toBe(true);
    expect(all.some((f) => f.repositories.some((r) => r.lastCertifiedRun?.links?.sbomUrl))).toBe(true);
    expect(
      all.some((f) => f.repositories.some((r) => r.lastCertifiedRun && r.lastCertifiedRun.evaluatedRules.length === 0)),
    ).toBe(true);
    expect(
      all.some(
        (f) =>
          f.environments.length >= 2 &&
          f.attestations.length === 3 &&
          f.derogations.length === 2 &&
          f.notApplicable.length === 3,
      ),
    ).toBe(true);
    expect((await gatherFactsOfProjects(db, [])).size).toBe(0);

    // The sweep, in chunks of 3 (its batched path), stores what a single recompute computes: recomputing each
    // project alone afterwards finds nothing changed.
    const now = day(10);
    const swept = await recomputeOutdatedProjects(db, now, { batchSize: 3 });
    expect(swept.evaluated).toBe(8); // the archived project is not swept
    for (const id of ids.slice(0, 8)) expect((await recomputeProjectConformity(db, id, now))!.changed).toBe(false);
  }, 120_000);
});
