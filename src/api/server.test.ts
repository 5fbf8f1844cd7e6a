import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { describeOnDatabases, createTestDatabase, type TestDatabase } from '../../test/support/db.ts';
import { testAdminToken, testConfig } from '../../test/support/server.ts';
import { composeSystem, type System } from './compose.ts';
import { createLogger } from './plugins/logging.ts';
import { bilingual, Problem } from '../errors.ts';
import { slug } from './schemas/common.ts';

describeOnDatabases('database', (ctx) => {
  it('is migrated and refuses to rewrite audit events', async () => {
    await ctx.db.execute(sql`insert into audit_events (actor_kind, action, target_type) values ('bootstrap-admin', 'test', 'none')`);
    await expect(ctx.db.execute(sql`update audit_events set action = 'x'`)).rejects.toThrow();
    await expect(ctx.db.execute(sql`delete from audit_events`)).rejects.toThrow();
    const rows = await ctx.db.execute(sql`select count(*)::int as n from audit_events`);
    expect((rows as unknown as { rows: { n: number }[] }).rows[0]!.n).toBe(1);
  });
});

describe('HTTP server', () => {
  let system: System;
  let testDb: TestDatabase;
  let logs = '';

  beforeAll(async () => {
    testDb = await createTestDatabase('pglite');
    const config = testConfig({ DSO_LOG_LEVEL: 'info' });
    const sink = new Writable({ write: (chunk, _enc, done) => ((logs += chunk.toString()), done()) });
    system = await composeSystem(config, {
      database: testDb.database,
      logger: createLogger(config, sink),
      seedDemoAccounts: false,
      builtinIdentity: false,
    });
    const app = system.app;
    // Routes exercising the error handling, declared like F-api's routes (zod strict objects).
    app.post('/test-routes/echo', { schema: { body: z.strictObject({ name: z.string().max(10), count: z.number().int().optional(), slug: slug.optional() }) } }, async (request) => request.body);
    app.get('/test-routes/boom', async () => {
      throw new Error('secret internal detail at /srv/db password=hunter2');
    });
    app.get('/test-routes/quota', async () => {
      throw new Problem('quotaExceeded', bilingual('Pas assez de CPU.', 'Not enough CPU.'), [{ field: 'cpuMillicores', message: bilingual('1000 disponibles', '1000 available') }], { requested: 4000, available: 1000 });
    });
    await app.ready();
  });
  afterAll(async () => {
    await system.stop();
    await testDb.close();
  });

  it('answers /healthz and /readyz with application/health+json', async () => {
    const health = await system.app.inject({ url: '/healthz' });
    expect(health.statusCode).toBe(200);
    expect(health.headers['content-type']).toMatch(/application\/health\+json/);
    const ready = await system.app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'pass', checks: { database: [{ status: 'pass' }], queue: [{ status: 'pass' }] } });
  });

  it('returns a problem for unknown routes, echoing the request id', async () => {
    const res = await system.app.inject({ url: '/api/v1/nope', headers: { 'x-request-id': 'abc-123' } });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.headers['x-request-id']).toBe('abc-123');
    expect(res.json()).toMatchObject({ status: 404, requestId: 'abc-123', title: 'Ressource introuvable' });
  });

  it('answers in English when asked', async () => {
    const res = await system.app.inject({ url: '/api/v1/nope', headers: { 'accept-language': 'en-GB,en;q=0.9' } });
    expect(res.json().title).toBe('Resource not found');
  });

  it('refuses malformed JSON with 400', async () => {
    const res = await system.app.inject({ method: 'POST', url: '/test-routes/echo', headers: { 'content-type': 'application/json' }, payload: '{"name": ' });
    expect(res.statusCode).toBe(400);
    expect(res.json().type).toMatch(/malformed-json$/);
  });

  it('refuses unknown and invalid fields with 400 and names each field', async () => {
    const res = await system.app.inject({ method: 'POST', url: '/test-routes/echo', payload: { name: 'x'.repeat(11), extra: 1 } });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.type).toMatch(/validation$/);
    const fields = body.errors.map((e: { field: string }) => e.field);
    expect(fields).toContain('extra');
    expect(fields).toContain('name');
    const missing = await system.app.inject({ method: 'POST', url: '/test-routes/echo', payload: {} });
    expect(missing.json().errors.map((e: { field: string }) => e.field)).toContain('name');
  });

  it('stores and echoes unicode, HTML and SQL metacharacters verbatim', async () => {
    const name = `<b>'é;--`;
    const res = await system.app.inject({ method: 'POST', url: '/test-routes/echo', payload: { name } });
    expect(res.statusCode).toBe(200);
    expect(res.json().name).toBe(name);
  });

  it('refuses bodies over 1 MB with 413', async () => {
    const res = await system.app.inject({ method: 'POST', url: '/test-routes/echo', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ name: 'a'.repeat(1_100_000) }) });
    expect(res.statusCode).toBe(413);
    expect(res.json().type).toMatch(/payload-too-large$/);
  });

  it('hides internal errors behind a 500 problem without stack or detail', async () => {
    const res = await system.app.inject({ url: '/test-routes/boom' });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('hunter2');
    expect(res.body).not.toContain('at ');
    expect(res.json().type).toMatch(/internal$/);
  });

  it('keeps problem extensions (figures a user can act on)', async () => {
    const res = await system.app.inject({ url: '/test-routes/quota' });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ requested: 4000, available: 1000, title: 'Quota insuffisant', detail: 'Pas assez de CPU.', errors: [{ field: 'cpuMillicores', message: '1000 disponibles' }] });
    const english = await system.app.inject({ url: '/test-routes/quota', headers: { 'accept-language': 'en' } });
    expect(english.json()).toMatchObject({ title: 'Quota exceeded', detail: 'Not enough CPU.', errors: [{ field: 'cpuMillicores', message: '1000 available' }] });
  });

  it('says what is wrong with each field in French by default, in English on request, with the field path', async () => {
    const payload = { name: 'x'.repeat(11), count: 'deux', slug: 'Mauvais Identifiant', extra: 1 };
    const french = (await system.app.inject({ method: 'POST', url: '/test-routes/echo', payload })).json();
    expect(french.title).toBe('Requête invalide');
    expect(french.detail).toBe('Corps de la requête invalide');
    const fr = Object.fromEntries(french.errors.map((e: { field: string; message: string }) => [e.field, e.message]));
    expect(fr).toEqual({
      name: 'Trop grand : chaîne de caractères doit avoir <=10 caractères',
      count: 'Entrée invalide : nombre attendu, chaîne de caractères reçu',
      slug: 'lettres minuscules, chiffres et « - » (ni au début ni à la fin), 40 caractères au plus',
      extra: 'Champ inconnu',
    });
    const english = (await system.app.inject({ method: 'POST', url: '/test-routes/echo', payload, headers: { 'accept-language': 'en-GB,en;q=0.8' } })).json();
    expect(english.detail).toBe('Invalid body');
    const en = Object.fromEntries(english.errors.map((e: { field: string; message: string }) => [e.field, e.message]));
    expect(en).toEqual({
      name: 'Too big: expected string to have <=10 characters',
      count: 'Invalid input: expected number, received string',
      slug: 'lowercase letters, digits and "-" (not at either end), at most 40 characters',
      extra: 'Unknown field',
    });
    const missing = (await system.app.inject({ method: 'POST', url: '/test-routes/echo', payload: {} })).json();
    expect(missing.errors).toEqual([{ field: 'name', message: 'Entrée invalide : chaîne de caractères attendu, indéfini reçu' }]);
  });

  it('serves the OpenAPI 3.1 document and the docs page', async () => {
    const res = await system.app.inject({ url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    expect(res.json().openapi).toBe('3.1.0');
    const docs = await system.app.inject({ url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toMatch(/text\/html/);
  });

  it('documents the problem answers of every API route in OpenAPI', async () => {
    const document = (await system.app.inject({ url: '/api/v1/openapi.json' })).json() as { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: { required?: string[] } }> }> }>> };
    const operations = Object.entries(document.paths).filter(([path]) => path.startsWith('/api/')).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ at: `${method} ${path}`, responses: operation.responses })));
    expect(operations.length).toBeGreaterThan(50);
    const undocumented = operations.filter((o) => !o.responses['4XX'] || !o.responses['5XX']).map((o) => o.at);
    expect(undocumented).toEqual([]);
    const problem = Object.values(operations[0]!.responses['4XX']!.content ?? {})[0]!.schema;
    expect(problem.required).toEqual(expect.arrayContaining(['type', 'title', 'status']));
  });

  it('says the console is not built when web/dist is absent', async () => {
    const res = await system.app.inject({ url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('n’est pas construite');
  });

  it('refuses an unknown bearer token with 401 and accepts the bootstrap token', async () => {
    const bad = await system.app.inject({ url: '/api/v1/nope', headers: { authorization: 'Bearer nope' } });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().type).toMatch(/unauthenticated$/);
    const malformed = await system.app.inject({ url: '/api/v1/nope', headers: { authorization: 'Basic abc' } });
    expect(malformed.statusCode).toBe(401);
    const good = await system.app.inject({ url: '/api/v1/nope', headers: { authorization: `Bearer ${testAdminToken}` } });
    expect(good.statusCode).toBe(404);
  });

  it('exposes Prometheus metrics with request durations by route and status, and the queue depth', async () => {
    await system.app.inject({ url: '/healthz' });
    const res = await system.app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    expect(res.body).toMatch(/dso_http_request_duration_seconds_bucket\{[^}]*route="\/healthz"[^}]*status="200"/);
    expect(res.body).toContain('dso_queue_depth{queue="reconcile-project"}');
    expect(res.body).toContain('dso_reconcile_duration_seconds');
  });

  it('never logs authorization headers, cookies or tokens', async () => {
    await system.app.inject({ url: '/api/v1/nope', headers: { authorization: `Bearer ${testAdminToken}`, cookie: 'dso_session=cookie-secret-value' } });
    await system.app.inject({ url: '/api/v1/nope?token=query-secret-value' });
    expect(logs).toContain('"path":"/api/v1/nope"');
    expect(logs).not.toContain(testAdminToken);
    expect(logs).not.toContain('cookie-secret-value');
    expect(logs).not.toContain('query-secret-value');
  });
});

describe('the built console', () => {
  let system: System;
  let testDb: TestDatabase;
  beforeAll(async () => {
    const fs = await import('node:fs');
    const path = await import('node:path');
    testDb = await createTestDatabase('pglite');
    const config = testConfig();
    fs.mkdirSync(path.join(config.webDir, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(config.webDir, 'index.html'), '<!doctype html><title>console</title><div id="app"></div>');
    fs.writeFileSync(path.join(config.webDir, 'assets', 'app.js'), 'console.log(1)');
    system = await composeSystem(config, {
      database: testDb.database,
      seedDemoAccounts: false,
      builtinIdentity: false,
    });
    await system.app.ready();
  });
  afterAll(async () => {
    await system.stop();
    await testDb.close();
  });

  it('serves files, falls back to index.html for client routes, and keeps API 404s as problems', async () => {
    const index = await system.app.inject({ url: '/' });
    expect(index.statusCode).toBe(200);
    expect(index.body).toContain('id="app"');
    const asset = await system.app.inject({ url: '/assets/app.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.body).toBe('console.log(1)');
    const clientRoute = await system.app.inject({ url: '/projects/123/environments', headers: { accept: 'text/html' } });
    expect(clientRoute.statusCode).toBe(200);
    expect(clientRoute.body).toContain('id="app"');
    const api = await system.app.inject({ url: '/api/v1/nothing-here', headers: { accept: 'text/html' } });
    expect(api.statusCode).toBe(404);
    expect(api.headers['content-type']).toMatch(/problem\+json/);
    const missingAsset = await system.app.inject({ url: '/assets/missing.js' });
    expect(missingAsset.statusCode).toBe(404);
  });
});
