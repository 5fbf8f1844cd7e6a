// Signing in from whatever address the console was opened at: without DSO_PUBLIC_URL, a person who opens
// http://127.0.0.1:PORT (the address the server prints) or http://localhost:PORT goes through the built-in identity
// provider and comes back signed in on that same address; the provider never sends a code to another host; and a
// broken login ends on a French page that says what to do, with a button to start again. Sign-ins, sign-outs and
// sessions ended by their expiry are in the audit log with the person's name. The GitOps repository
// exists from this first start, with each cluster's root application, before any project.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { composeSystem, type System } from '../src/api/compose.ts';
import { hashToken } from '../src/api/auth/tokens.ts';
import { sessions } from '../src/db/schema.ts';
import { ScriptedBrowser } from './support/browser.ts';
import { createTestDatabase, type TestDatabase } from './support/db.ts';
import { freePort } from './support/process.ts';
import { testAdminToken, testConfig } from './support/server.ts';

describe('a first start without DSO_PUBLIC_URL', () => {
  let system: System;
  let database: TestDatabase;
  let port: number;
  let ownerPassword: string;

  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    port = await freePort();
    system = await composeSystem(testConfig({ PORT: String(port) }), { database: database.database });
    await system.listen();
    ownerPassword = system.demoPasswords.find((d) => d.account.username === 'owner')!.password;
  }, 60_000);

  afterAll(async () => {
    await system?.stop();
    await database?.close();
  });

  for (const host of ['127.0.0.1', 'localhost']) {
    it(`stays on http://${host} from the login to the signed-in console`, async () => {
      const origin = `http://${host}:${port}`;
      const browser = new ScriptedBrowser(origin);
      const hops: string[] = [];
      const start = await browser.request('/auth/login?returnTo=/projects');
      hops.push(start.headers.get('location')!);
      const form = await browser.navigate(start.headers.get('location')!);
      expect(form.response.status).toBe(200);
      const html = await form.response.text();
      expect(html).toContain('Se connecter à DSO π');
      const action = /<form[^>]*action="([^"]+)"/.exec(html)![1]!;
      let response = await browser.request(new URL(action, form.url).href, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username: 'owner', password: ownerPassword }).toString(),
      });
      let current = new URL(action, form.url).href;
      while (response.status >= 300 && response.status < 400) {
        current = new URL(response.headers.get('location')!, current).href;
        hops.push(current);
        await response.body?.cancel();
        response = await browser.request(current);
      }
      for (const hop of hops) expect(new URL(hop, origin).origin).toBe(origin);
      expect(new URL(current).pathname).toBe('/projects');
      const me = await browser.api('GET', '/api/v1/me');
      expect(me.status).toBe(200);
      expect(me.body.displayName).toBe('Propriétaire Projet');
    });
  }

  it('records each sign-in in the audit log, with the person’s name', async () => {
    const admin = { authorization: `Bearer ${testAdminToken}` };
    const audit = await system.app.inject({ url: '/api/v1/admin/audit?action=session.create&actorName=Propri%C3%A9taire', headers: admin });
    const events = audit.json().items as { actorName: string; targetName: string | null }[];
    // One per sign-in of the tests above (127.0.0.1 and localhost).
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(events[0]).toMatchObject({ actorName: 'Propriétaire Projet', targetName: 'Propriétaire Projet' });
  });

  it('records a sign-out in the audit log, with the person’s name, and ends the session', async () => {
    const browser = new ScriptedBrowser(`http://127.0.0.1:${port}`);
    await browser.loginWithBuiltinProvider('owner', ownerPassword);
    expect((await browser.api('GET', '/api/v1/me')).status).toBe(200);
    const cookie = browser.jar.get('dso_session')!;
    // As the console's « Se déconnecter » form posts it: back to the home page.
    const out = await browser.request('/auth/logout', { method: 'POST' });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/');
    expect((await browser.api('GET', '/api/v1/me')).status).toBe(401);
    const admin = { authorization: `Bearer ${testAdminToken}` };
    const signOuts = (await system.app.inject({ url: '/api/v1/admin/audit?action=session.delete&actorName=Propri%C3%A9taire', headers: admin })).json().items as { action: string; actorName: string; targetName: string | null }[];
    expect(signOuts).toHaveLength(1);
    expect(signOuts[0]).toMatchObject({ action: 'session.delete', actorName: 'Propriétaire Projet', targetName: 'Propriétaire Projet' });
    // The « Connexions et déconnexions » filter of the audit page (session.*) shows the sign-out after its sign-in.
    const family = (await system.app.inject({ url: '/api/v1/admin/audit?action=session.*&actorName=Propri%C3%A9taire&limit=2', headers: admin })).json().items as { action: string }[];
    expect(family.map((e) => e.action)).toEqual(['session.delete', 'session.create']);
    // Signing out again with the same cookie ends nothing and records nothing.
    expect((await system.app.inject({ method: 'POST', url: '/auth/logout', cookies: { dso_session: cookie } })).statusCode).toBe(204);
    expect((await system.app.inject({ url: '/api/v1/admin/audit?action=session.delete', headers: admin })).json().items).toHaveLength(1);
  });

  it('records the end of an expired session once, when its cookie comes back', async () => {
    const browser = new ScriptedBrowser(`http://127.0.0.1:${port}`);
    await browser.loginWithBuiltinProvider('owner', ownerPassword);
    const cookie = browser.jar.get('dso_session')!;
    expect(cookie).toBeTruthy();
    await system.services.db
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(sessions.id, hashToken(cookie)));
    expect((await browser.api('GET', '/api/v1/me')).status).toBe(401);
    expect((await browser.api('GET', '/api/v1/me')).status).toBe(401);
    const admin = { authorization: `Bearer ${testAdminToken}` };
    const expired = (await system.app.inject({ url: '/api/v1/admin/audit?action=session.expire', headers: admin })).json().items as { actorName: string }[];
    expect(expired).toHaveLength(1);
    expect(expired[0]).toMatchObject({ actorName: 'Propriétaire Projet' });
    expect(await system.services.db.select().from(sessions).where(eq(sessions.id, hashToken(cookie)))).toEqual([]);
  });

  it('never sends an authorization code to another host', async () => {
    const browser = new ScriptedBrowser(`http://127.0.0.1:${port}`);
    const start = await browser.request('/auth/login');
    const authorize = new URL(start.headers.get('location')!);
    authorize.searchParams.set('redirect_uri', 'https://attacker.example/auth/callback');
    const answer = await browser.request(authorize.href);
    expect(answer.headers.get('location') ?? '').not.toContain('attacker.example');
    expect(answer.status).toBe(400);
    expect(await answer.text()).toContain('Recommencer la connexion');
  });

  it('explains in French what to do when the login session is missing', async () => {
    const browser = new ScriptedBrowser(`http://localhost:${port}`);
    const response = await browser.request('/auth/callback?code=abc&state=def');
    expect(response.status).toBe(401);
    const html = await response.text();
    expect(html).toContain('<html lang="fr"');
    expect(html).toContain('Connexion impossible');
    expect(html).toContain('Recommencez la connexion');
    expect(html).toContain(`href="http://localhost:${port}/auth/login"`);
    expect(html).not.toContain('The login session is missing or expired');
  });

  it('has the GitOps repository with every cluster root application before any project exists', async () => {
    const repository = path.join(system.services.config.dataDir, 'git', '_platform', 'gitops.git');
    // Written by the start-up reconciliation, which may still be committing.
    const files = await vi.waitFor(() => {
      const tree = execFileSync('git', ['ls-tree', '-r', '--name-only', 'main'], { cwd: repository, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      expect(tree).toContain('root.yaml');
      return tree;
    }, { timeout: 10_000, interval: 100 });
    expect(files).toContain('_dso/README.md');
    expect(files).toMatch(/^clusters\/[^/]+\/[^/]+\/root\.yaml$/m);
  });
});
