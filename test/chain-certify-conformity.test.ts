// Certifying a revision re-evaluates the project's conformity at once: its history shows a new point, taken
// during the run, that already rests on the certified run — no periodic sweep needed (and none left to do).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outdatedProjects } from '../src/homologation/recompute.ts';
import { callApi, createPerson, createProject, type ApiMethod, type TestActor } from './support/api-fixtures.ts';
import { startExternalRepository, waitForRun, type ExternalRepository } from './support/chain.ts';
import { createTestSystem, type TestSystem } from './support/server.ts';

describe('conformity recomputed on certification', () => {
  let external: ExternalRepository;
  let system: TestSystem;
  let owner: TestActor;
  let projectId: string;
  let repositoryId: string;

  const call = (method: ApiMethod, url: string, payload?: object) => callApi(system.app, owner, method, url, payload);
  const history = async () => (await call('GET', `/api/v1/projects/${projectId}/conformity/history?limit=100`)).body.items as any[];

  beforeAll(async () => {
    external = await startExternalRepository({ 'hello.txt': 'bonjour\n', '.dso.yml': 'version: 1\ntest:\n  command: test -f hello.txt\n' });
    system = await createTestSystem('pglite', { DSO_GIT_ALLOWED_HOSTS: '127.0.0.1' });
    owner = await createPerson(system.services.db, 'owner');
    projectId = (await createProject(system.services.db, 'conformite-certif', owner.userId!)).id;
    const repo = await call('POST', '/api/v1/repositories', { projectId, name: 'app', externalUrl: external.url });
    expect(repo.status).toBe(201);
    repositoryId = repo.body.id;
  }, 60_000);

  afterAll(async () => {
    await system?.stop();
    await external?.stop();
  });

  it('records a new conformity point during the run that certifies a revision', async () => {
    // Looking at the conformity records the first point: no certified run yet.
    expect((await call('GET', `/api/v1/projects/${projectId}/conformity`)).status).toBe(200);
    const before = await history();
    expect(before).toHaveLength(1);

    const started = await call('POST', `/api/v1/projects/${projectId}/repositories/${repositoryId}/runs`, { ref: 'main' });
    expect(started.status).toBe(202);
    const run = await waitForRun((url) => call('GET', url), started.body.id);
    expect(run.status).toBe('certified');
    const certify = run.steps.find((s: any) => s.name === 'certify');

    const after = await history();
    expect(after).toHaveLength(2);
    const point = after[1];
    // Taken by the certify step itself, not by a later sweep.
    expect(Date.parse(point.evaluatedAt)).toBeGreaterThanOrEqual(Date.parse(certify.startedAt));
    expect(Date.parse(point.evaluatedAt)).toBeLessThanOrEqual(Date.parse(run.finishedAt));
    expect(point.changes.length).toBeGreaterThan(0);
    // The stored conformity is current: the sweep has nothing left to re-evaluate for this project, and looking at
    // the conformity now finds the same states (no further point).
    expect(await outdatedProjects(system.services.db, system.services.now(), 100)).not.toContain(projectId);
    const now = await call('GET', `/api/v1/projects/${projectId}/conformity`);
    const automated = now.body.requirements.filter((r: any) => r.targets.some((t: any) => t.evidence.some((e: any) => e.kind === 'run' && e.runId === run.id)));
    expect(automated.length).toBeGreaterThan(0);
    for (const r of automated) expect(point.states[r.id]).toBe(r.state);
    expect(await history()).toHaveLength(2);
  }, 90_000);

  it('leaves EX10 awaiting evidence when the certified revision has no coverage report, everywhere it is shown', async () => {
    // The run above certified a revision whose tests wrote no report: nothing proves coverage or test results.
    const conformity = (await call('GET', `/api/v1/projects/${projectId}/conformity`)).body;
    const ex10 = conformity.requirements.find((r: any) => r.id === 'EX10');
    expect(ex10.state).toBe('awaiting-evidence');
    const reason = ex10.targets[0].reasons.find((r: any) => r.evidence === 'coverage');
    expect(reason).toMatchObject({ code: 'evidence-missing', message: { fr: expect.stringContaining('couverture est inconnue') } });
    expect(reason.howTo.fr).toContain('.dso.yml');
    // EX22 (the project's own test reports) and EX34 (an image rebuilt by the platform) are not claimed either.
    expect(conformity.requirements.find((r: any) => r.id === 'EX22').state).toBe('awaiting-evidence');
    expect(conformity.requirements.find((r: any) => r.id === 'EX34').state).toBe('awaiting-evidence');
    expect(conformity.scores.I.awaitingEvidence).toBeGreaterThan(0);
    expect(conformity.scores.P.awaitingEvidence).toBeGreaterThan(0);

    const html = await system.app.inject({ method: 'GET', url: `/api/v1/projects/${projectId}/dossier?format=html&lang=fr`, headers: { authorization: owner.authorization! } });
    expect(html.statusCode).toBe(200);
    expect(html.body).toContain('En attente de preuve');
    const oscal = (await call('GET', `/api/v1/projects/${projectId}/dossier?format=oscal`)).body;
    const findings = oscal['assessment-results'].results[0].findings as any[];
    const ex10Finding = findings.find((f: any) => f.target['target-id'].toLowerCase() === 'ex10');
    expect(ex10Finding.target.status.state).toBe('not-satisfied');
    expect(JSON.stringify(ex10Finding)).toContain('awaiting-evidence');
  }, 30_000);
});
