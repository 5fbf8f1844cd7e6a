// Catalogue fixtures for the services tests: a chart folder packaged by the real helm (optionally at another
// version), stored as a catalogue version checked with its default values, published or not.
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { eq } from 'drizzle-orm';
import type { Db } from '../../src/db/client.ts';
import { catalogueItems, catalogueVersions } from '../../src/db/schema.ts';
import { chartMetadataOf, checkChartVersion, digestOf, readChartArchive } from '../../src/component-catalogue/index.ts';
import { locateRenderer } from '../../src/integrations/renderers/index.ts';

const run = promisify(execFile);

export const testChartsDir = path.join(import.meta.dirname, '..', 'data', 'charts');

/** `helm package` of a chart folder, with its Chart.yaml version replaced and its values.yaml patched when asked. */
export async function packageChart(
  folder: string,
  options: { version?: string; valuesPatch?: (values: string) => string } = {},
): Promise<Buffer> {
  const helm = await locateRenderer('helm');
  if (!('path' in helm)) throw new Error(helm.missing);
  const work = await mkdtemp(path.join(tmpdir(), 'dso-test-chart-'));
  try {
    const copy = path.join(work, path.basename(folder));
    await cp(folder, copy, { recursive: true });
    if (options.version) {
      const chartYaml = await readFile(path.join(copy, 'Chart.yaml'), 'utf8');
      await writeFile(path.join(copy, 'Chart.yaml'), chartYaml.replace(/^version:.*$/m, `version: ${options.version}`));
    }
    if (options.valuesPatch)
      await writeFile(
        path.join(copy, 'values.yaml'),
        options.valuesPatch(await readFile(path.join(copy, 'values.yaml'), 'utf8')),
      );
    const out = path.join(work, 'out');
    await run(helm.path, ['package', copy, '--destination', out], {
      env: {
        ...process.env,
        HELM_CACHE_HOME: path.join(work, 'cache'),
        HELM_CONFIG_HOME: path.join(work, 'config'),
        HELM_DATA_HOME: path.join(work, 'data'),
      },
    });
    const [file] = await readdir(out);
    return await readFile(path.join(out, file!));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Stores a packaged chart as a catalogue version (checked with its default values), published unless told. */
export async function storeChartVersion(db: Db, archive: Buffer, options: { published?: boolean } = {}) {
  const metadata = chartMetadataOf(readChartArchive(archive));
  const check = await checkChartVersion({ archive, namespace: 'default', releaseName: metadata.name });
  let [item] = await db.select().from(catalogueItems).where(eq(catalogueItems.slug, metadata.name));
  if (!item)
    [item] = await db
      .insert(catalogueItems)
      .values({ slug: metadata.name, kind: metadata.kind, title: metadata.title, description: metadata.description })
      .returning();
  const [version] = await db
    .insert(catalogueVersions)
    .values({
      itemId: item!.id,
      version: metadata.version,
      appVersion: metadata.appVersion,
      digest: digestOf(archive),
      archive,
      readme: metadata.readme,
      valuesSchema: metadata.valuesSchema,
      defaultValues: metadata.defaultValues,
      images: check.images,
      verdict: check.verdict,
      findings: check.findings as never,
      publishedAt: options.published === false ? null : new Date(),
      dataBearing: metadata.dataBearing,
      covers: metadata.covers,
      customResourceKinds: metadata.customResourceKinds,
    })
    .returning();
  return { item: item!, version: version!, check };
}
