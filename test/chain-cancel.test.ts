// A run cancelled while its tests run stops at the next step boundary and says so; a chatty test command cannot
// grow the run's log beyond the configured cap.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPerson, createProject, type TestActor } from './support/api-fixtures.ts';
import { startExternalRepository, waitForRun, type ExternalRepository } from './support/chain.ts';
import { createTestSystem, type TestSystem } from './support/server.ts';

describe('chain run cancellation and log cap', () => {
  let external: ExternalRepository;
  let system: TestSystem;
  let owner: TestActor;
  let runsUrl: string;

  beforeAll(async () => {
    external = await startExternalRepository({ '.dso.yml': 'version: 1\ntest:\n  command: head -c 300000 /dev/zero | tr "\\\\0" "x"; sleep 3\n' });
    system = await createTestSystem('pglite', { DSO_GIT_ALLOWED_HOSTS: '127.0.0.1', DSO_RUN_LOG_MAX_KIB: '16' });
    owner = await createPerson(system.services.db, 'owner');
    const project = await createProject(system.services.db, 'annulation', owner.userId!);
    const repo = await system.app.inject({ method: 'POST', url: '/api/v1/repositories', headers: { authorization: owner.authorization! }, payload: { projectId: project.id, name: 'app', externalUrl: external.url } });
    runsUrl = `/api/v1/projects/${project.id}/repositories/${repo.json().id}/runs`;
  }, 60_000);

  afterAll(async () => {
    await system?.stop();
    await external?.stop();
  });

  const call = async (method: 'GET' | 'POST', url: string, payload?: object) => {
    const res = await system.app.inject({ method, url, headers: { authorization: owner.authorization! }, ...(payload ? { payload } : {}) });
    return { status: res.statusCode, body: res.headers['content-type']?.toString().includes('json') ? res.json() : res.body };
  };

  it('cancels a running run at its next step and caps its log', async () => {
    const started = await call('POST', runsUrl, {});
    const id = started.body.id as string;
    for (let i = 0; i < 200; i++) {
      const run = await call('GET', `/api/v1/runs/${id}`);
      if (run.body.currentStep === 'tests') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await call('POST', `/api/v1/runs/${id}/cancel`)).status).toBe(202);
    const run = await waitForRun((url) => call('GET', url), id, 30_000);
    expect(run.status).toBe('cancelled');
    const steps = Object.fromEntries(run.steps.map((s: any) => [s.name, s.status]));
    expect(steps).toMatchObject({ build: 'cancelled', publish: 'cancelled', gate: 'cancelled', certify: 'cancelled' });
    const logs = await call('GET', `/api/v1/runs/${id}/logs`);
    expect(logs.body).toContain('log truncated');
    expect(Buffer.byteLength(logs.body)).toBeLessThan(17 * 1024);
    expect((await call('POST', `/api/v1/runs/${id}/cancel`)).status).toBe(409);
  }, 60_000);
});
