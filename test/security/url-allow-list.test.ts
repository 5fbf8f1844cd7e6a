// Platform administrators edit the URL policy's allow-list through the API: the change is audited and applies at
// once, without a restart, to the checks at the API and at use; the start-up default (DSO_GIT_ALLOWED_HOSTS) stays.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

  it('refuses entries that are not a host name, an address or a CIDR range', async () => {
    for (const bad of ['http://x', 'a b', '10.0.0.0/99', '0x7f.1', 'x\u0000y', '*']) {
      const res = await system.app.inject({ method: 'PUT', url: '/api/v1/admin/url-allow-list', headers: admin, payload: { entries: [bad] } });
      expect(res.statusCode, bad).toBe(400);
    }
  });
});
