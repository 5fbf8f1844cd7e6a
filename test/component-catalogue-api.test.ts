// The component catalogue through the API, on real helm and real databases: an administrator imports packaged
// charts, a chart with a privileged template is refused publication until an exception is recorded (and the
// exception is shown), teams see only published versions, the platform's Helm repository serves them with their
// digests, and a Helm repository served on loopback is pulled incrementally.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, expect, it } from 'vitest';
import { parse } from 'yaml';
import { defaultCharts } from '../src/component-catalogue/default-catalogue.ts';
import { catalogueItems } from '../src/db/schema.ts';
import { describeApiOnDatabases } from './support/api-fixtures.ts';
import { chartArchive, packageChart, writeChart } from './support/charts.ts';

const work = mkdtempSync(path.join(tmpdir(), 'dso-catalogue-api-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const inAMonth = () => new Date(Date.now() + 30 * 86_400_000).toISOString();

describeApiOnDatabases('component catalogue API', (ctx) => {
  it('refuses to publish a chart with a privileged template without an exception, publishes it with one, and shows the exception', async () => {
    const archive = await chartArchive(path.join(work, `p-${ctx.kind}`), { name: `agent-${ctx.kind}`, version: '1.0.0', privileged: true });
    const imported = await ctx.call('platform-admin', 'POST', '/api/v1/catalogue', archive);
    expect(imported.status).toBe(201);
    const version = imported.body.item.versions[0];
    expect(version.verdict).toBe('fail');
    expect(version.findings.map((f: { ruleId: string }) => f.ruleId)).toContain('kubernetes.pod-security.privileged');
    expect(version.blockingFindings).toBeGreaterThan(0);
    expect(version.digest).toBe(`sha256:${createHash('sha256').update(archive).digest('hex')}`);

    const itemId = imported.body.item.id;
    const refused = await ctx.call('platform-admin', 'POST', `/api/v1/catalogue/${itemId}/versions/1.0.0/publish`, {});
    expect(refused.status).toBe(422);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.body.reason).toBe('blocking-findings');
    expect(refused.body.detail).toMatch(/constats? bloquants?.*exception enregistrée/);

    // Teams do not see it.
    const teamView = await ctx.call('developer', 'GET', '/api/v1/catalogue');
    expect(teamView.body.items.map((i: { slug: string }) => i.slug)).not.toContain(`agent-${ctx.kind}`);

    const accepted = await ctx.call('platform-admin', 'POST', `/api/v1/catalogue/${itemId}/versions/1.0.0/publish`, { exception: { justification: 'Agent de supervision des nœuds, validé par le RSSI', expiresAt: inAMonth() } });
    expect(accepted.status).toBe(200);
    const published = accepted.body.versions[0];
    expect(published.published).toBe(true);
    expect(published.exception).toMatchObject({ justification: 'Agent de supervision des nœuds, validé par le RSSI', decidedBy: ctx.world.actors['platform-admin']!.userId, inForce: true });

    const detail = await ctx.call('developer', 'GET', `/api/v1/catalogue/agent-${ctx.kind}`);
    expect(detail.status).toBe(200);
    expect(detail.body.versions[0].exception.justification).toContain('RSSI');
    expect(detail.body.versions[0].readme).toContain('A test chart');
  });

  it('publishes a compliant chart without exception and serves it as a Helm repository with its digest', async () => {
    const archive = await chartArchive(path.join(work, `g-${ctx.kind}`), { name: `web-${ctx.kind}`, version: '2.1.0' });
    const imported = await ctx.call('platform-admin', 'POST', '/api/v1/catalogue', archive);
    expect(imported.status).toBe(201);
    expect(imported.body.item.versions[0]).toMatchObject({ verdict: 'pass', blockingFindings: 0, images: ['registry.example.org/team/web:1.2.3'] });
    // Importing the same bytes again changes nothing.
    const again = await ctx.call('platform-admin', 'POST', '/api/v1/catalogue', archive);
    expect(again.status).toBe(200);
    expect(again.body.created).toBe(false);

    const raw0 = await ctx.system.app.inject({ url: '/api/v1/catalogue/repository/index.yaml' });
    const index0 = parse(raw0.body);
    expect(index0.entries[`web-${ctx.kind}`]).toBeUndefined();

    const publish = await ctx.call('platform-admin', 'POST', `/api/v1/catalogue/web-${ctx.kind}/versions/2.1.0/publish`, {});
    expect(publish.status).toBe(200);
    const index = parse((await ctx.system.app.inject({ url: '/api/v1/catalogue/repository/index.yaml' })).body);
    const entry = index.entries[`web-${ctx.kind}`][0];
    expect(entry).toMatchObject({ name: `web-${ctx.kind}`, version: '2.1.0', digest: createHash('sha256').update(archive).digest('hex') });
    const download = await ctx.system.app.inject({ url: `/api/v1/catalogue/repository/${entry.urls[0]}` });
    expect(download.statusCode).toBe(200);
    expect(Buffer.compare(download.rawPayload, archive)).toBe(0);
    const list = await ctx.call('developer', 'GET', '/api/v1/catalogue');
    expect(list.body.chartRepositoryUrl).toMatch(/\/api\/v1\/catalogue\/repository$/);
  });

  it('gives a chart\'s own (English) title and its French one; a chart without a French title has none', async () => {
    const shipped = defaultCharts().find((c) => c.name === 'static-site')!;
    const imported = await ctx.call('platform-admin', 'POST', '/api/v1/catalogue', shipped.archive);
    expect(imported.status).toBe(201);
    expect(imported.body.item).toMatchObject({ slug: 'static-site', title: 'Static site', titleFr: 'Site statique' });
    const detail = await ctx.call('platform-admin', 'GET', '/api/v1/catalogue/static-site');
    expect(detail.body).toMatchObject({
      title: 'Static site',
      titleFr: 'Site statique',
      description: expect.stringContaining('Serves static files'),
      descriptionFr: expect.stringContaining('Sert des fichiers statiques'),
    });
    const untitled = await chartArchive(path.join(work, `t-${ctx.kind}`), { name: `titled-${ctx.kind}`, version: '1.0.0' });
    const own = await ctx.call('platform-admin', 'POST', '/api/v1/catalogue', untitled);
    expect(own.body.item).toMatchObject({ title: `titled-${ctx.kind}`, titleFr: null });
  });

  it('declares and removes operator versions per cluster; a malformed version or a cluster given twice is a field error, not a failure', async () => {
    const [item] = await ctx.system.services.db.insert(catalogueItems).values({ slug: `cnpg-${ctx.kind}`, kind: 'operator', title: 'CNPG' }).returning();
    const url = `/api/v1/catalogue/${item!.id}/installs`;
    const declared = await ctx.call('platform-admin', 'PUT', url, { installs: [{ clusterId: ctx.world.clusterId, operatorVersion: '1.25.1' }] });
    expect(declared.status).toBe(200);
    expect(declared.body.installs).toEqual([expect.objectContaining({ clusterId: ctx.world.clusterId, operatorVersion: '1.25.1' })]);

    const malformed = await ctx.system.app.inject({ method: 'PUT', url, headers: { authorization: ctx.world.actors['platform-admin']!.authorization!, 'accept-language': 'en' }, payload: { installs: [{ clusterId: ctx.world.clusterId, operatorVersion: '1.25 rc' }] } });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ errors: [{ field: 'installs/0/operatorVersion', message: expect.stringContaining('no space') }] });
    const twice = await ctx.call('platform-admin', 'PUT', url, { installs: [{ clusterId: ctx.world.clusterId, operatorVersion: '1.25.1' }, { clusterId: ctx.world.clusterId, operatorVersion: '1.26.0' }] });
    expect(twice.status).toBe(400);
    expect(twice.body).toMatchObject({ errors: [{ field: 'installs/1/clusterId', message: 'cluster en double' }] });
    // Refusals changed nothing.
    expect((await ctx.call('platform-admin', 'GET', `/api/v1/catalogue/${item!.id}`)).body.installs).toEqual([expect.objectContaining({ operatorVersion: '1.25.1' })]);

    const removed = await ctx.call('platform-admin', 'PUT', url, { installs: [] });
    expect(removed.body.installs).toEqual([]);
  });

  it('refuses archives that are not charts, with a reason in French or English', async () => {
    const notGzip = await ctx.call('platform-admin', 'POST', '/api/v1/catalogue', Buffer.from('hello'));
    expect(notGzip.status).toBe(422);
    expect(notGzip.body.detail).toMatch(/^Chart refusé/);
    // A gzip bomb: a few KiB that expand beyond the limit.
    const bomb = gzipSync(Buffer.alloc(80 * 1024 * 1024));
    const refused = await ctx.system.app.inject({ method: 'POST', url: '/api/v1/catalogue', payload: bomb, headers: { authorization: ctx.world.actors['platform-admin']!.authorization!, 'accept-language': 'en', 'content-type': 'application/gzip' } });
    expect(refused.statusCode).toBe(422);
    expect(JSON.parse(refused.body).detail).toMatch(/expands to more than 64 MiB/);
  });

  it('pulls a Helm repository served on loopback, importing only new versions', async () => {
    const dir = path.join(work, `repo-${ctx.kind}`);
    const files = new Map<string, Buffer>();
    const addVersion = async (version: string) => {
      const file = await packageChart(writeChart(dir, { name: `site-${ctx.kind}`, version }), path.join(dir, 'charts'));
      files.set(path.basename(file), readFileSync(file));
    };
    const index = () => ({
      apiVersion: 'v1',
      entries: { [`site-${ctx.kind}`]: [...files].map(([name, bytes]) => ({ name: `site-${ctx.kind}`, version: name.replace(`site-${ctx.kind}-`, '').replace(/\.tgz$/, ''), urls: [`charts/${name}`], digest: createHash('sha256').update(bytes).digest('hex') })) },
    });
    const served: string[] = [];
    const server: Server = createServer((request, response) => {
      served.push(request.url!);
      if (request.url === '/index.yaml') return response.end(JSON.stringify(index()));
      const bytes = files.get(request.url!.replace('/charts/', ''));
      if (!bytes) return response.writeHead(404).end();
      response.end(bytes);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      await addVersion('0.1.0');
      await addVersion('0.2.0');
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const source = await ctx.call('platform-admin', 'POST', '/api/v1/catalogue/sources', { kind: 'helm-repository', url, schedule: '1h' });
      expect(source.status).toBe(201);
      const first = await ctx.call('platform-admin', 'POST', `/api/v1/catalogue/sources/${source.body.id}/sync`);
      expect(first.status).toBe(200);
      expect(first.body.imported.map((i: { version: string }) => i.version).sort()).toEqual(['0.1.0', '0.2.0']);
      expect(first.body.imported.every((i: { verdict: string }) => i.verdict === 'pass')).toBe(true);

      await addVersion('0.3.0');
      served.length = 0;
      const second = await ctx.call('platform-admin', 'POST', `/api/v1/catalogue/sources/${source.body.id}/sync`);
      expect(second.body).toMatchObject({ imported: [{ version: '0.3.0' }], skipped: 2, errors: [] });
      // Only the new archive was downloaded.
      expect(served.filter((u) => u.startsWith('/charts/'))).toEqual([`/charts/site-${ctx.kind}-0.3.0.tgz`]);
      const sources = await ctx.call('platform-admin', 'GET', '/api/v1/catalogue/sources');
      expect(sources.body.items.find((s: { id: string }) => s.id === source.body.id)).toMatchObject({
        lastError: null,
      });
      expect(sources.body.items[0].lastSyncAt).not.toBeNull();
    } finally {
      server.close();
    }
  });
});
