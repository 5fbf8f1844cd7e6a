// Platform administrators edit the URL policy's allow-list through the API: the change is audited and applies at
// once, without a restart, to the checks at the API and at use; the start-up default (DSO_GIT_ALLOWED_HOSTS) stays.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { currentRepositoryUrlPolicy } from '../../src/chain/url-allow-list.ts';
import { checkRemoteUrl } from '../../src/integrations/git/remote-url.ts';
import { createPerson, createProject, type TestActor } from '../support/api-fixtures.ts';
import { createTestSystem, testAdminToken, type TestSystem } from '../support/server.ts';

describe('security: the URL allow-list, edited by platform administrators', () => {
  let system: TestSystem;
  let owner: TestActor;
  let projectId: string;
  const admin = { authorization: `Bearer ${testAdminToken}` };

  beforeAll(async () => {
    system = await createTestSystem('pglite', { DSO_GIT_ALLOWED_HOSTS: '169.254.10.5' });
    owner = await createPerson(system.services.db, 'owner');
    projectId = (await createProject(system.services.db, 'allow', owner.userId!)).id;
  }, 60_000);
  afterAll(() => system?.stop());

  const addRepository = (name: string, externalUrl: string) =>
    system.app.inject({ method: 'POST', url: '/api/v1/repositories', headers: { authorization: owner.authorization! }, payload: { projectId, name, externalUrl } });

  it('applies an added entry at once at the API and at use, audits it, and keeps the start-up default', async () => {
    expect((await addRepository('before', 'http://127.0.0.1:9/team/app.git')).statusCode).toBe(400);
    const initial = await system.app.inject({ url: '/api/v1/admin/url-allow-list', headers: admin });
    expect(initial.json()).toEqual({ entries: [], startupDefault: ['169.254.10.5'] });

    const put = await system.app.inject({ method: 'PUT', url: '/api/v1/admin/url-allow-list', headers: admin, payload: { entries: ['127.0.0.1', 'Forge.Intra', '10.20.0.0/16'] } });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toEqual({ entries: ['10.20.0.0/16', '127.0.0.1', 'forge.intra'], startupDefault: ['169.254.10.5'] });
    expect((await addRepository('after', 'http://127.0.0.1:9/team/app.git')).statusCode).toBe(201);
    expect((await checkRemoteUrl('http://127.0.0.1:9/team/app.git', await currentRepositoryUrlPolicy(system.services))).ok).toBe(true);
    expect((await checkRemoteUrl('http://169.254.10.5/x.git', await currentRepositoryUrlPolicy(system.services))).ok).toBe(true);
    // Syntax refusals stay whatever the allow-list says.
    expect((await addRepository('userinfo', 'http://user@127.0.0.1:9/team/app.git')).statusCode).toBe(400);

    const audit = await system.app.inject({ url: '/api/v1/admin/audit?action=url-allow-list.update', headers: admin });
    expect(JSON.stringify(audit.json())).toContain('url-allow-list.update');

    await system.app.inject({ method: 'PUT', url: '/api/v1/admin/url-allow-list', headers: admin, payload: { entries: [] } });
    expect((await addRepository('removed', 'http://127.0.0.1:9/team/other.git')).statusCode).toBe(400);
  });

  it('re-checks the repositories a change affects: refused when no longer allowed, healed (failure cleared) when allowed again', async () => {
    const put = (entries: string[]) => system.app.inject({ method: 'PUT', url: '/api/v1/admin/url-allow-list', headers: admin, payload: { entries } });
    const repositoryState = async (id: string) => {
      const res = await system.app.inject({ url: `/api/v1/repositories/${id}`, headers: { authorization: owner.authorization! } });
      const body = res.json() as { status: string; conditions: { type: string; status: string; message: string }[] };
      return { status: body.status, failed: body.conditions.find((c) => c.type === 'Failed' && c.status === 'True')?.message ?? null };
    };
    const projectStatus = async () => (await system.app.inject({ url: `/api/v1/projects/${projectId}`, headers: { authorization: owner.authorization! } })).json().status as string;
    const until = <T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> =>
      vi.waitFor(async () => {
        const value = await read();
        if (!ok(value)) throw new Error(`${what}: still ${JSON.stringify(value)}`);
        return value;
      }, { timeout: 20_000, interval: 100 });

    expect((await put(['127.0.0.1'])).statusCode).toBe(200);
    const created = await addRepository('forge-locale', 'http://127.0.0.1:9/team/healing.git');
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    await until('repository mirrored', () => repositoryState(id), (s) => s.status === 'ready');

    // The entry goes: nobody edits the repository, yet it is checked again and refused at once.
    expect((await put([])).statusCode).toBe(200);
    const refused = await until('repository refused', () => repositoryState(id), (s) => s.status === 'failed');
    expect(refused.failed).toMatch(/127\.0\.0\.1/);
    await until('project failed', projectStatus, (s) => s === 'failed');

    // Allowed again through a range: the repository and the project heal, the failure condition is cleared.
    expect((await put(['127.0.0.0/8'])).statusCode).toBe(200);
    const healed = await until('repository healed', () => repositoryState(id), (s) => s.status === 'ready');
    expect(healed.failed).toBeNull();
    await until('project healed', projectStatus, (s) => s === 'ready');
    await put([]);
  }, 60_000);

  it('refuses entries that are not a host name, an address or a CIDR range', async () => {
    for (const bad of ['http://x', 'a b', '10.0.0.0/99', '0x7f.1', 'x\u0000y', '*']) {
      const res = await system.app.inject({ method: 'PUT', url: '/api/v1/admin/url-allow-list', headers: admin, payload: { entries: [bad] } });
      expect(res.statusCode, bad).toBe(400);
    }
  });
});
