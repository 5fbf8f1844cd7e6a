// Advisories that hit a catalogue image, end to end: an administrator publishes chart versions, advisory records are
// imported into the server's advisory store (as `dso advisories import` does), and the catalogue's advisory list
// names the published version whose image is affected, and not the one whose tag is fixed or that is unpublished.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { importAdvisories } from '../src/checks/advisories/import.ts';
import { describeApiOnDatabases } from './support/api-fixtures.ts';
import { chartArchive } from './support/charts.ts';

const work = mkdtempSync(path.join(tmpdir(), 'dso-catalogue-advisories-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const record = (id: string, ecosystem: string, name: string, fixed: string, summary: string) => ({
  schema_version: '1.6.0',
  id,
  modified: '2026-11-30T00:00:00Z',
  published: '2026-11-30T00:00:00Z',
  summary,
  database_specific: { severity: 'HIGH' },
  affected: [{ package: { ecosystem, name }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }] }],
});

describeApiOnDatabases('catalogue advisories', (ctx) => {
  it('lists the published version whose image an imported advisory hits, by image repository (OCI) or Bitnami package', async () => {
    const publish = async (name: string, image: string, publishIt = true) => {
      const archive = await chartArchive(path.join(work, `${name}-${ctx.kind}`), { name: `${name}-${ctx.kind}`, version: '1.0.0', image });
      const imported = await ctx.call('platform-admin', 'POST', '/api/v1/catalogue', archive);
      expect(imported.status).toBe(201);
      expect(imported.body.item.versions[0].images).toEqual([image]);
      if (publishIt) expect((await ctx.call('platform-admin', 'POST', `/api/v1/catalogue/${imported.body.item.id}/versions/1.0.0/publish`, {})).status).toBe(200);
    };
    await publish('cache', 'docker.io/library/redis:7.4.2-alpine');
    await publish('queue', 'docker.io/bitnami/rabbitmq:3.13.1-debian-12-r0');
    await publish('site', 'docker.io/nginxinc/nginx-unprivileged:1.27.3-alpine');
    await publish('draft', 'docker.io/library/redis:7.4.1', false);

    const before = await ctx.call('platform-admin', 'GET', '/api/v1/catalogue/advisories');
    expect(before.status).toBe(200);
    expect(before.body.hits.filter((h: { slug: string }) => h.slug.endsWith(ctx.kind))).toEqual([]);

    const folder = path.join(work, `osv-${ctx.kind}`);
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, 'DSO-IMG-2026-1.json'), JSON.stringify(record('DSO-IMG-2026-1', 'OCI', 'docker.io/library/redis', '7.4.3', 'Redis: Lua script escape')));
    // Fixed in the tag the site runs: no hit.
    writeFileSync(path.join(folder, 'DSO-IMG-2026-2.json'), JSON.stringify(record('DSO-IMG-2026-2', 'OCI', 'nginxinc/nginx-unprivileged', '1.27.3', 'nginx: fixed in 1.27.3')));
    writeFileSync(path.join(folder, 'BIT-rabbitmq-2026-1.json'), JSON.stringify(record('BIT-rabbitmq-2026-1', 'Bitnami', 'rabbitmq', '3.13.2', 'RabbitMQ: denial of service')));
    const report = await importAdvisories(folder, { dataDir: ctx.system.services.config.dataDir, merge: true });
    expect(report.recordsImported).toBe(3);

    const after = await ctx.call('platform-admin', 'GET', '/api/v1/catalogue/advisories');
    const hits = after.body.hits.filter((h: { slug: string }) => h.slug.endsWith(ctx.kind));
    expect(
      hits
        .map((h: { slug: string; version: string; image: string; advisories: { id: string }[] }) => [
          h.slug,
          h.version,
          h.image,
          h.advisories.map((a) => a.id),
        ])
        .sort((a: unknown[], b: unknown[]) => String(a[0]).localeCompare(String(b[0]))),
    ).toEqual(
      [
        [`cache-${ctx.kind}`, '1.0.0', 'docker.io/library/redis:7.4.2-alpine', ['DSO-IMG-2026-1']],
        [`queue-${ctx.kind}`, '1.0.0', 'docker.io/bitnami/rabbitmq:3.13.1-debian-12-r0', ['BIT-rabbitmq-2026-1']],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    expect(hits.find((h: { slug: string }) => h.slug === `cache-${ctx.kind}`).advisories[0]).toMatchObject({ summary: 'Redis: Lua script escape', severity: 'high' });

    // Teams do not read the platform's advisory list.
    expect((await ctx.call('developer', 'GET', '/api/v1/catalogue/advisories')).status).toBe(403);
  });
});
