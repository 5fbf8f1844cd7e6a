// Certifying a revision re-evaluates the project's conformity at once: its history shows a new point, taken
// during the run, that already rests on the certified run — no periodic sweep needed (and none left to do).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outdatedProjects } from '../src/homologation/recompute.ts';
import type { ApiMethod } from './support/api-fixtures.ts';
import { waitForRun } from './support/chain.ts';
import { startChainProject, type ChainProject } from './support/chain-project.ts';

describe('conformity recomputed on certification', () => {
  let bench: ChainProject;
  let projectId: string;
  const call = (method: ApiMethod, url: string, payload?: object) => bench.call(method, url, payload);
  const history = async () => (await call('GET', `/api/v1/projects/${projectId}/conformity/history?limit=100`)).body.items as any[];

  beforeAll(async () => {
    bench = await startChainProject('conformite-certif', { 'hello.txt': 'bonjour\n', '.dso.yml': 'version: 1\ntest:\n  command: test -f hello.txt\n' });
    projectId = bench.projectId;
  }, 60_000);

  afterAll(async () => {
    await bench?.stop();
  });

  it('records a new conformity point during the run that certifies a revision', async () => {
    // Looking at the conformity records the first point: no certified run yet.
    expect((await call('GET', `/api/v1/projects/${projectId}/conformity`)).status).toBe(200);
    const before = await history();
    expect(before).toHaveLength(1);

    const started = await call('POST', bench.runsUrl, { ref: 'main' });
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
    expect(await outdatedProjects(bench.system.services.db, bench.system.services.now(), 100)).not.toContain(projectId);
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

    const html = await bench.system.app.inject({ method: 'GET', url: `/api/v1/projects/${projectId}/dossier?format=html&lang=fr`, headers: { authorization: bench.owner.authorization! } });
    expect(html.statusCode).toBe(200);
    expect(html.body).toContain('En attente de preuve');
    const oscal = (await call('GET', `/api/v1/projects/${projectId}/dossier?format=oscal`)).body;
    const findings = oscal['assessment-results'].results[0].findings as any[];
    const ex10Finding = findings.find((f: any) => f.target['target-id'].toLowerCase() === 'ex10');
    expect(ex10Finding.target.status.state).toBe('not-satisfied');
    expect(JSON.stringify(ex10Finding)).toContain('awaiting-evidence');
  }, 30_000);
});
