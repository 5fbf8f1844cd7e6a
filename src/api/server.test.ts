import { describe, expect, it } from 'vitest';
import { describeOnDatabases } from '../../test/support/db.ts';
import { withTestSystem, testAdminToken } from '../../test/support/server.ts';
import { sql } from 'drizzle-orm';

describeOnDatabases('database', (ctx) => {
  it('is migrated and refuses to rewrite audit events', async () => {
    await ctx.db.execute(sql`insert into audit_events (actor_kind, action, target_type) values ('bootstrap-admin', 'test', 'none')`);
    await expect(ctx.db.execute(sql`update audit_events set action = 'x'`)).rejects.toThrow();
    await expect(ctx.db.execute(sql`delete from audit_events`)).rejects.toThrow();
  });
});

describe('HTTP server', () => {
  const t = withTestSystem();
  it('answers /healthz and /readyz with application/health+json', async () => {
    const health = await t.system.app.inject({ url: '/healthz' });
    expect(health.statusCode).toBe(200);
    expect(health.headers['content-type']).toMatch(/application\/health\+json/);
    const ready = await t.system.app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json().status).toBe('pass');
  });
  it('returns a problem for unknown routes, with a request id', async () => {
    const res = await t.system.app.inject({ url: '/api/v1/nope', headers: { 'x-request-id': 'abc-123' } });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.headers['x-request-id']).toBe('abc-123');
    expect(res.json()).toMatchObject({ status: 404, requestId: 'abc-123' });
  });
  it('serves the OpenAPI document', async () => {
    const res = await t.system.app.inject({ url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    expect(res.json().openapi).toBe('3.1.0');
  });
  it('refuses an unknown bearer token with 401 and accepts the bootstrap token', async () => {
    const bad = await t.system.app.inject({ url: '/api/v1/nope', headers: { authorization: 'Bearer nope' } });
    expect(bad.statusCode).toBe(401);
    const good = await t.system.app.inject({ url: '/api/v1/nope', headers: { authorization: `Bearer ${testAdminToken}` } });
    expect(good.statusCode).toBe(404);
  });
});
