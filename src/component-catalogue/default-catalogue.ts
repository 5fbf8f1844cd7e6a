// The catalogue shipped with the product, written by us (default/): PostgreSQL through CloudNativePG, Redis (as a
// chart, and through the host's Redis operator), an unprivileged static-site server and S3 buckets. Seeded at start on worker processes, idempotently: a version
// already there (same bytes) is left alone, a new one is imported, checked and — when it passes — published, so a
// fresh installation without network offers them at once. An administrator who withdraws one is not overruled.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '../db/client.ts';
import { packChartFolder } from './pack.ts';
import { importChartArchive, publishVersion } from './store.ts';

export const defaultCatalogueDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'default');

export function defaultCharts(): { name: string; archive: Buffer }[] {
  return readdirSync(defaultCatalogueDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => ({ name: d.name, archive: packChartFolder(path.join(defaultCatalogueDir, d.name), d.name) }));
}

export async function seedDefaultCatalogue(db: Db, now: () => Date = () => new Date()): Promise<{ imported: string[]; failed: string[] }> {
  const imported: string[] = [];
  const failed: string[] = [];
  for (const chart of defaultCharts()) {
    const result = await importChartArchive(db, chart.archive, { now: now() });
    if (!result.created) continue;
    imported.push(`${result.item.slug} ${result.version.version}`);
    if (result.version.verdict === 'pass') await publishVersion(db, { itemId: result.item.id, version: result.version.version, publishedBy: null, now: now() });
    else failed.push(`${result.item.slug} ${result.version.version}: ${result.version.verdict}`);
  }
  return { imported, failed };
}
