// The catalogue shipped with the product, written by us (default/): PostgreSQL through CloudNativePG, Redis (as a
// chart, and through the host's Redis operator), an unprivileged static-site server and S3 buckets. Seeded at start on
// worker processes, idempotently: a version already there (same bytes) is left alone, a new one is imported, checked
// and — when it passes — published, so a fresh installation without network offers them at once. An administrator who
// withdraws one is not overruled. A shipped chart whose content changed under a version already in the database (edited
// without a version bump) is never imported over it — versions are immutable, instances and the Helm repository rely on
// the digest — and never stops the start or the other charts: it is reported as stale, with the sentence saying it
// needs a new version.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '../db/client.ts';
import type { LocalisedText } from '../errors.ts';
import { packChartFolder } from './pack.ts';
import { CatalogueProblem } from './problems.ts';
import { importChartArchive, publishVersion, type CatalogueVersionSummary } from './store.ts';

export const defaultCatalogueDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'default');

export function defaultCharts(dir: string = defaultCatalogueDir): { name: string; archive: Buffer }[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => ({ name: d.name, archive: packChartFolder(path.join(dir, d.name), d.name) }));
}

export interface SeedResult {
  imported: string[];
  failed: string[];
  /** Shipped charts whose content differs from the version of the same number already stored (kept as stored). */
  stale: { chart: string; message: LocalisedText }[];
  /** Versions published by this seed (for upgrade proposals). */
  published: CatalogueVersionSummary[];
}

export const staleChartMessage = (folder: string, slug: string, version: string): LocalisedText => ({
  fr: `Le chart par défaut ${slug} (dossier ${folder}) a changé sans changer de version : ${version} est déjà au catalogue avec un autre contenu, qui est conservé. Donnez au chart une nouvelle version (champ version de son Chart.yaml) pour que ce contenu soit importé.`,
  en: `Default chart ${slug} (folder ${folder}) changed without a new version: ${version} is already in the catalogue with other content, which is kept. Give the chart a new version (version field of its Chart.yaml) for this content to be imported.`,
});

export async function seedDefaultCatalogue(
  db: Db,
  now: () => Date = () => new Date(),
  options: { dir?: string } = {},
): Promise<SeedResult> {
  const result: SeedResult = { imported: [], failed: [], stale: [], published: [] };
  for (const chart of defaultCharts(options.dir)) {
    try {
      const imported = await importChartArchive(db, chart.archive, { now: now() });
      if (!imported.created) continue;
      result.imported.push(`${imported.item.slug} ${imported.version.version}`);
      if (imported.version.verdict === 'pass')
        result.published.push(
          await publishVersion(db, {
            itemId: imported.item.id,
            version: imported.version.version,
            publishedBy: null,
            now: now(),
          }),
        );
      else result.failed.push(`${imported.item.slug} ${imported.version.version}: ${imported.version.verdict}`);
    } catch (error) {
      // One chart never stops the others nor the start.
      if (error instanceof CatalogueProblem && error.code === 'version-exists')
        result.stale.push({
          chart: chart.name,
          message: staleChartMessage(
            chart.name,
            String(error.extensions.slug ?? chart.name),
            String(error.extensions.version ?? '?'),
          ),
        });
      else result.failed.push(`${chart.name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return result;
}
