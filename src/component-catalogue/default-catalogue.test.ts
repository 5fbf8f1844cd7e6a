// The catalogue shipped with the product: every chart passes every check with the real helm, is published on the
// first seed, and seeding again (another start, another replica) changes nothing.
import { appendFileSync, cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeOnDatabases } from '../../test/support/db.ts';
import { defaultCatalogueDir, defaultCharts, seedDefaultCatalogue } from './default-catalogue.ts';
import { listCatalogue } from './store.ts';
import { helmRepositoryIndex } from './helm-index.ts';
import { digestOf } from './chart-archive.ts';

describe('default catalogue charts', () => {
  it('are packaged to the same bytes every time (same digest on every installation and replica)', () => {
    const first = defaultCharts().map((c) => digestOf(c.archive));
    const second = defaultCharts().map((c) => digestOf(c.archive));
    expect(second).toEqual(first);
    expect(defaultCharts().map((c) => c.name).sort()).toEqual(['postgresql', 'redis', 'redis-operator', 's3-bucket', 'static-site']);
  });
});

describeOnDatabases('default catalogue seeding', (ctx) => {
  it('imports, checks and publishes every shipped chart once; all of them pass', async () => {
    const first = await seedDefaultCatalogue(ctx.db);
    expect(first.failed).toEqual([]);
    expect(first.imported).toHaveLength(5);
    const entries = await listCatalogue(ctx.db, { publishedOnly: true });
    expect(
      entries.map((e) => [
        e.slug,
        e.kind,
        e.versions[0]!.verdict,
        e.versions[0]!.findings.filter((f) => f.blocking).length,
      ]),
    ).toEqual([
      ['postgresql', 'operator', 'pass', 0],
      ['redis', 'chart', 'pass', 0],
      ['redis-operator', 'operator', 'pass', 0],
      ['s3-bucket', 'operator', 'pass', 0],
      ['static-site', 'chart', 'pass', 0],
    ]);
    // Every shipped chart describes itself in French and in English.
    for (const entry of entries) {
      expect(entry.description, entry.slug).toMatch(/^[A-Z].{20,}\.$/);
      expect(entry.descriptionFr, entry.slug).toMatch(/^[A-Z].{20,}\.$/);
      expect(entry.descriptionFr, entry.slug).not.toBe(entry.description);
    }
    expect(entries.find((e) => e.slug === 'postgresql')!.descriptionFr).toContain('sauvegardes planifiées');
    // And gives its title in both languages: its own (English) and the French one (dso.pi/title-fr).
    expect(Object.fromEntries(entries.map((e) => [e.slug, [e.title, e.titleFr]]))).toEqual({
      'postgresql': ['PostgreSQL (CloudNativePG)', 'PostgreSQL (CloudNativePG)'],
      'redis': ['Redis', 'Redis'],
      'redis-operator': ['Redis (operator)', 'Redis (opérateur)'],
      's3-bucket': ['S3 bucket', 'Compartiment S3'],
      'static-site': ['Static site', 'Site statique'],
    });
    // A fresh installation has nothing stored under these versions: no shipped chart is reported as edited in place.
    expect(first.stale).toEqual([]);
    const postgresql = entries.find((e) => e.slug === 'postgresql')!.versions[0]!;
    expect(postgresql).toMatchObject({ dataBearing: true, covers: ['EX7', 'EX33', 'EX40'], customResourceKinds: ['postgresql.cnpg.io/v1 Cluster', 'postgresql.cnpg.io/v1 ScheduledBackup'] });
    expect(postgresql.valuesSchema).toMatchObject({ required: ['instances', 'storage', 'backup'] });
    expect(entries.find((e) => e.slug === 'redis-operator')!.versions[0]!).toMatchObject({ dataBearing: true, customResourceKinds: ['redis.redis.opstreelabs.in/v1beta2 Redis'] });
    // Operators' images are read from their custom resources, so that advisories reach managed services too.
    expect(postgresql.images).toEqual(['ghcr.io/cloudnative-pg/postgresql:16.6']);
    expect(entries.find((e) => e.slug === 'redis-operator')!.versions[0]!.images).toEqual(['quay.io/opstree/redis:v7.0.15']);
    expect(entries.find((e) => e.slug === 's3-bucket')!.versions[0]!.images).toEqual([]);
    expect(entries.find((e) => e.slug === 'static-site')!.versions[0]!.images).toEqual(['docker.io/nginxinc/nginx-unprivileged:1.27.3-alpine']);

    const again = await seedDefaultCatalogue(ctx.db);
    expect(again).toEqual({ imported: [], failed: [], stale: [], published: [] });
    const index = await helmRepositoryIndex(ctx.db, new Date());
    expect(index).toContain('static-site-1.0.1.tgz');
  });
});

describeOnDatabases('default catalogue seeding after a chart was edited without a version bump', (ctx) => {
  it('keeps the stored version, says in French and English that the chart needs a new version, and seeds the other charts', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dso-default-catalogue-'));
    cpSync(path.join(defaultCatalogueDir, 'redis'), path.join(dir, 'redis'), { recursive: true });
    const first = await seedDefaultCatalogue(ctx.db, () => new Date(), { dir });
    expect(first.imported).toEqual([expect.stringMatching(/^redis /)]);
    const [before] = await listCatalogue(ctx.db, { publishedOnly: true });

    // Someone edits the bundled chart but forgets its version, and a new chart (after it in order) ships alongside.
    appendFileSync(path.join(dir, 'redis', 'README.md'), '\nEdited without a version bump.\n');
    cpSync(path.join(defaultCatalogueDir, 'static-site'), path.join(dir, 'static-site'), { recursive: true });
    const second = await seedDefaultCatalogue(ctx.db, () => new Date(), { dir });

    expect(second.stale).toHaveLength(1);
    expect(second.stale[0]!.chart).toBe('redis');
    expect(second.stale[0]!.message.fr).toContain(`a changé sans changer de version : ${before!.versions[0]!.version} est déjà au catalogue`);
    expect(second.stale[0]!.message.fr).toContain('Donnez au chart une nouvelle version');
    expect(second.stale[0]!.message.en).toContain('Give the chart a new version');
    expect(second.failed).toEqual([]);
    expect(second.imported).toEqual([expect.stringMatching(/^static-site /)]);
    const after = await listCatalogue(ctx.db, { publishedOnly: true });
    expect(after.map((e) => e.slug)).toEqual(['redis', 'static-site']);
    // The stored redis version is the one first seeded: same bytes, still published.
    expect(after[0]!.versions).toHaveLength(1);
    expect(after[0]!.versions[0]!.digest).toBe(before!.versions[0]!.digest);
  });
});
