// Bad input gets a clear problem+json answer and changes nothing; odd but valid text is stored verbatim.
import { expect, it } from 'vitest';
import { accessTokens } from '../src/db/schema.ts';
import { generateToken } from '../src/api/auth/tokens.ts';
import { describeApiOnDatabases } from './support/api-fixtures.ts';

describeApiOnDatabases('API bad input', (ctx) => {
  const post = (url: string, payload: string, headers: Record<string, string> = {}) =>
    ctx.system.app.inject({ method: 'POST', url, payload, headers: { authorization: ctx.world.actors.owner!.authorization!, 'content-type': 'application/json', ...headers } });

  it('answers 400 to malformed JSON, and 413 to a body over 1 MB', async () => {
    const malformed = await post('/api/v1/projects', '{"slug": "x",');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.headers['content-type']).toContain('application/problem+json');
    expect(malformed.json().type).toMatch(/malformed-json$/);
    const huge = await post('/api/v1/projects', JSON.stringify({ slug: 'huge', name: 'x', description: 'a'.repeat(1_100_000) }));
    expect(huge.statusCode).toBe(413);
  });

  it('names the field for unknown, missing or out-of-bounds fields', async () => {
    const unknown = await ctx.call('owner', 'POST', '/api/v1/projects', { slug: 'ok-slug', name: 'x', color: 'red' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toContainEqual(expect.objectContaining({ field: 'color' }));
    const missing = await ctx.call('owner', 'POST', '/api/v1/projects', { slug: 'ok-slug' });
    expect(missing.body.errors.map((e: { field: string }) => e.field)).toContain('name');
    for (const slug of ['-bad', 'bad-', 'UPPER', 'a_b', 'a'.repeat(41), 'é']) {
      const bad = await ctx.call('owner', 'POST', '/api/v1/projects', { slug, name: 'x' });
      expect(bad.status, slug).toBe(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field)).toContain('slug');
    }
    expect((await ctx.call('owner', 'POST', '/api/v1/projects', { slug: 'long-name', name: 'n'.repeat(101) })).body.errors[0].field).toBe('name');
    expect((await ctx.call('owner', 'POST', '/api/v1/projects', { slug: 'long-desc', name: 'x', description: 'd'.repeat(2001) })).body.errors[0].field).toBe('description');
    const negative = await ctx.call('devops', 'POST', '/api/v1/environments', { projectId: ctx.world.projectId, name: 'neg', stageId: ctx.world.stageId, clusterId: ctx.world.clusterId, cpuMillicores: -1, memoryMiB: 1 });
    expect(negative.body.errors.map((e: { field: string }) => e.field)).toContain('cpuMillicores');
    const repoUrl = await ctx.call('devops', 'POST', '/api/v1/repositories', { projectId: ctx.world.projectId, name: 'r', externalUrl: 'https://user:pass@git.example/a.git' });
    expect(repoUrl.body.errors.map((e: { field: string }) => e.field)).toContain('externalUrl');
    expect((await ctx.call('owner', 'GET', '/api/v1/projects?limit=201')).status).toBe(400);
    expect((await ctx.call('owner', 'GET', '/api/v1/projects?cursor=not-a-cursor')).body.errors[0].field).toBe('cursor');
    expect((await ctx.call('owner', 'GET', '/api/v1/projects/not-a-uuid')).status).toBe(400);
    // Nothing was created by any of these.
    const list = await ctx.call('owner', 'GET', '/api/v1/projects?archived=all');
    expect(list.body.items.map((p: { slug: string }) => p.slug).sort()).toEqual(['projet-a']);
  });

  it('answers 401 to an unknown, malformed or expired token', async () => {
    const [, owner] = [null, ctx.world.actors.owner!];
    const expired = generateToken('pat');
    await ctx.system.services.db.insert(accessTokens).values({ userId: owner.userId!, name: 'old', tokenHash: expired.hash, prefix: expired.prefix, expiresAt: new Date(Date.now() - 1000) });
    for (const authorization of ['Bearer dso_pat_unknown', 'Basic abc', `Bearer ${expired.token}`, `Bearer ${'x'.repeat(600)}`]) {
      const r = await ctx.call({ name: 'bad', userId: null, authorization }, 'GET', '/api/v1/projects');
      expect(r.status, authorization.slice(0, 20)).toBe(401);
      expect(r.body.type).toMatch(/unauthenticated$/);
    }
  });

  it('stores unicode, HTML and SQL metacharacters verbatim and returns them as JSON', async () => {
    const name = `Équipe <script>alert("x")</script> '; DROP TABLE projects; -- 🚀 \u0000`.replace('\u0000', '');
    const description = `Ligne 1\nLigne 2 — « guillemets » & <b>gras</b> %_\\ ${'é'.repeat(100)}`;
    const created = await ctx.call('owner', 'POST', '/api/v1/projects', { slug: 'verbatim', name, description });
    expect(created.status).toBe(201);
    const read = await ctx.call('owner', 'GET', `/api/v1/projects/${created.body.id}`);
    expect(read.headers['content-type']).toContain('application/json');
    expect(read.body).toMatchObject({ name, description });
    // LIKE wildcards in a search are literal.
    expect((await ctx.call('owner', 'GET', `/api/v1/projects?q=${encodeURIComponent('%_')}`)).body.items).toEqual([]);
    expect((await ctx.call('owner', 'GET', `/api/v1/projects?q=${encodeURIComponent('DROP TABLE')}`)).body.items.map((p: { slug: string }) => p.slug)).toEqual(['verbatim']);
  });

  it('gives French titles by default and English on request', async () => {
    const fr = await ctx.call('anonymous', 'GET', '/api/v1/projects');
    expect(fr.body.title).toBe('Authentification requise');
    const en = await ctx.system.app.inject({ method: 'GET', url: '/api/v1/projects', headers: { 'accept-language': 'en' } });
    expect(en.json().title).toBe('Authentication required');
  });

  it('pages through projects with a cursor, without gaps or repeats', async () => {
    for (let i = 0; i < 5; i++) expect((await ctx.call('developer', 'POST', '/api/v1/projects', { slug: `page-${i}`, name: `Page ${i}` })).status).toBe(201);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const r: { body: { items: { slug: string }[]; nextCursor: string | null } } = await ctx.call('developer', 'GET', `/api/v1/projects?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...r.body.items.map((p) => p.slug));
      cursor = r.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['page-0', 'page-1', 'page-2', 'page-3', 'page-4', 'projet-a']);
  });
});
