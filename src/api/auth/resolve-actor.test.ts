import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { postgresAvailable, type DatabaseKind } from '../../../test/support/db.ts';
import { createTestSystem, testAdminToken, type TestSystem } from '../../../test/support/server.ts';
import { accessTokens, projects, users } from '../../db/schema.ts';
import { Problem } from '../../errors.ts';
import { resolveActor } from './resolve-actor.ts';
import { createSession } from './sessions.ts';
import { generateToken } from './tokens.ts';
import { adminRolesFromGroups } from './login-user.ts';

const kinds: DatabaseKind[] = ['pglite', ...(postgresAvailable() ? (['postgres'] as const) : [])];

describe('tokens', () => {
  it('are random, prefixed by kind, and stored as sha256 only', () => {
    const a = generateToken('pat');
    const b = generateToken('sa');
    expect(a.token).toMatch(/^dso_pat_[\w-]{43}$/);
    expect(b.token).toMatch(/^dso_sa_/);
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.hash).not.toContain(a.token);
    expect(a.token.startsWith(a.prefix)).toBe(true);
    expect(a.prefix.length).toBeLessThan(16);
  });

  it('map OIDC groups to admin roles', () => {
    expect(adminRolesFromGroups(['dso-admins', 'x'], { 'platform-admin': ['dso-admins'], 'security-officer': ['rssi'] })).toEqual(['platform-admin']);
    expect(adminRolesFromGroups([], { 'platform-admin': ['dso-admins'] })).toEqual([]);
  });
});

for (const kind of kinds) {
  describe(`who is calling [${kind}]`, () => {
    let system: TestSystem;
    let personId: string;
    let projectId: string;
    const day = 86_400_000;

    beforeAll(async () => {
      system = await createTestSystem(kind);
      const db = system.services.db;
      const [person] = await db.insert(users).values({ displayName: 'Alice', subject: `s-${kind}`, adminRoles: ['security-officer'], groupAdminRoles: ['platform-admin'] }).returning();
      personId = person!.id;
      const [project] = await db.insert(projects).values({ slug: `p-${kind}`, name: 'P', ownerId: personId }).returning();
      projectId = project!.id;
    });
    afterAll(async () => {
      await system?.stop();
    });

    const insertToken = async (values: Partial<typeof accessTokens.$inferInsert> & { userId: string }) => {
      const generated = generateToken(values.projectId ? 'sa' : 'pat');
      await system.services.db.insert(accessTokens).values({ name: 't', tokenHash: generated.hash, prefix: generated.prefix, expiresAt: new Date(Date.now() + day), ...values });
      return generated.token;
    };
    const bearer = (token: string) => resolveActor(system.services, `Bearer ${token}`, undefined);

    it('recognises the bootstrap admin token', async () => {
      expect(await bearer(testAdminToken)).toEqual({ kind: 'bootstrap-admin' });
    });

    it('resolves a personal access token to its person with direct and group admin roles', async () => {
      const token = await insertToken({ userId: personId });
      const actor = await bearer(token);
      expect(actor).toMatchObject({ kind: 'user', userId: personId });
      expect(actor.kind === 'user' && [...actor.adminRoles].sort()).toEqual(['platform-admin', 'security-officer']);
    });

    it('refuses unknown, expired and revoked tokens with 401', async () => {
      const expired = await insertToken({ userId: personId, expiresAt: new Date(Date.now() - 1000) });
      const revoked = await insertToken({ userId: personId, revokedAt: new Date() });
      for (const token of ['dso_pat_unknown', expired, revoked]) {
        await expect(bearer(token)).rejects.toSatisfy((e: unknown) => e instanceof Problem && e.status === 401);
      }
      await expect(resolveActor(system.services, 'Token abc', undefined)).rejects.toBeInstanceOf(Problem);
      await expect(bearer('x'.repeat(600))).rejects.toBeInstanceOf(Problem);
    });

    it('refuses the tokens of a disabled person', async () => {
      const db = system.services.db;
      const [bob] = await db.insert(users).values({ displayName: 'Bob', disabled: true }).returning();
      const token = await insertToken({ userId: bob!.id });
      await expect(bearer(token)).rejects.toThrow(/disabled/);
    });

    it('resolves a service-account token to its project and role', async () => {
      const db = system.services.db;
      const [robot] = await db.insert(users).values({ kind: 'service-account', displayName: 'CI', projectId, projectRole: 'devops' }).returning();
      const token = await insertToken({ userId: robot!.id, projectId, role: 'devops' });
      expect(await bearer(token)).toMatchObject({ kind: 'service-account', userId: robot!.id, projectId, role: 'devops' });
    });

    it('resolves a session cookie; an unknown or expired one is simply anonymous', async () => {
      const session = await createSession(system.services, personId);
      expect(await resolveActor(system.services, undefined, session.cookieValue)).toMatchObject({ kind: 'user', userId: personId, sessionId: expect.any(String) });
      expect(await resolveActor(system.services, undefined, 'nope')).toEqual({ kind: 'anonymous' });
      const later = { ...system.services, now: () => new Date(Date.now() + (session.maxAgeSeconds + 60) * 1000) };
      expect(await resolveActor(later, undefined, session.cookieValue)).toEqual({ kind: 'anonymous' });
    });

    it('records when a token was last used', async () => {
      const token = await insertToken({ userId: personId, name: 'usage' });
      await bearer(token);
      // Recorded after the answer, without delaying it.
      await expect.poll(async () => (await system.services.db.select().from(accessTokens).where(eq(accessTokens.name, 'usage')))[0]?.lastUsedAt).toBeInstanceOf(Date);
    });
  });
}
