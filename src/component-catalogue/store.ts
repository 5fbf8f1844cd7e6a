// The catalogue in the database: importing a packaged chart (read under limits, checked, stored with its archive),
// listing items and versions, publishing. Versions are immutable: importing the same bytes again is a no-op, other
// bytes under an existing version number are refused.
import { and, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { catalogueItems, catalogueOperatorInstalls, catalogueVersions, clusters, type CatalogueException, type CatalogueFindingRecord } from '../db/schema.ts';
import { ChartArchiveError, readChartArchive } from './chart-archive.ts';
import { chartMetadataOf } from './chart-metadata.ts';
import { checkChartVersion, type ChartCheckResult } from './check.ts';
import { unevaluatedText } from '../checks/unevaluated.ts';
import { catalogueProblem } from './problems.ts';
import { newestFirst } from './semver-order.ts';

export type CatalogueItemRow = typeof catalogueItems.$inferSelect;
export type CatalogueVersionRow = typeof catalogueVersions.$inferSelect;
/** A version without its archive bytes (lists never carry them). */
export type CatalogueVersionSummary = Omit<CatalogueVersionRow, 'archive'>;

export interface ImportResult {
  item: CatalogueItemRow;
  version: CatalogueVersionSummary;
  /** False when the same archive was already there (nothing changed). */
  created: boolean;
}

const summaryColumns = {
  id: catalogueVersions.id,
  itemId: catalogueVersions.itemId,
  version: catalogueVersions.version,
  appVersion: catalogueVersions.appVersion,
  digest: catalogueVersions.digest,
  readme: catalogueVersions.readme,
  valuesSchema: catalogueVersions.valuesSchema,
  defaultValues: catalogueVersions.defaultValues,
  images: catalogueVersions.images,
  verdict: catalogueVersions.verdict,
  findings: catalogueVersions.findings,
  checkedAt: catalogueVersions.checkedAt,
  publishedAt: catalogueVersions.publishedAt,
  publishedBy: catalogueVersions.publishedBy,
  exception: catalogueVersions.exception,
  dataBearing: catalogueVersions.dataBearing,
  covers: catalogueVersions.covers,
  customResourceKinds: catalogueVersions.customResourceKinds,
  createdAt: catalogueVersions.createdAt,
};

/** Reads, checks and stores a packaged chart. Throws CatalogueProblem (invalid archive, version exists, kind mismatch).
 * */
export async function importChartArchive(
  db: Db,
  bytes: Buffer,
  options: { sourceId?: string | null; now?: Date } = {},
): Promise<ImportResult> {
  let archive;
  let metadata;
  try {
    archive = readChartArchive(bytes);
    metadata = chartMetadataOf(archive);
  } catch (error) {
    if (error instanceof ChartArchiveError) throw catalogueProblem.invalidArchive(error.message);
    throw error;
  }
  const [existingItem] = await db.select().from(catalogueItems).where(eq(catalogueItems.slug, metadata.name));
  if (existingItem && existingItem.kind !== metadata.kind)
    throw catalogueProblem.kindMismatch(metadata.name, existingItem.kind);
  if (existingItem) {
    const [existing] = await db
      .select(summaryColumns)
      .from(catalogueVersions)
      .where(and(eq(catalogueVersions.itemId, existingItem.id), eq(catalogueVersions.version, metadata.version)));
    if (existing) {
      if (existing.digest === archive.digest) return { item: existingItem, version: existing, created: false };
      throw catalogueProblem.versionExists(metadata.name, metadata.version);
    }
  }
  // Checked before any write: rendering takes a while and must not hold a transaction.
  const check = await checkChartVersion({
    archive: bytes,
    releaseName: metadata.name,
    namespace: 'default',
    now: options.now,
  });
  return db.transaction(async (tx) => {
    await tx
      .insert(catalogueItems)
      .values({
        slug: metadata.name,
        kind: metadata.kind,
        title: metadata.title,
        titleFr: metadata.titleFr,
        description: metadata.description,
        descriptionFr: metadata.descriptionFr,
        sourceId: options.sourceId ?? null,
      })
      .onConflictDoNothing({ target: catalogueItems.slug });
    const [item] = await tx.select().from(catalogueItems).where(eq(catalogueItems.slug, metadata.name));
    if (!item) throw new Error('catalogue item vanished');
    if (item.kind !== metadata.kind) throw catalogueProblem.kindMismatch(metadata.name, item.kind);
    // The newest version gives the item its title and description.
    await tx
      .update(catalogueItems)
      .set({
        title: metadata.title,
        titleFr: metadata.titleFr,
        description: metadata.description,
        descriptionFr: metadata.descriptionFr,
      })
      .where(eq(catalogueItems.id, item.id));
    const [inserted] = await tx
      .insert(catalogueVersions)
      .values({
        itemId: item.id,
        version: metadata.version,
        appVersion: metadata.appVersion,
        digest: archive.digest,
        archive: bytes,
        readme: metadata.readme,
        valuesSchema: metadata.valuesSchema,
        defaultValues: metadata.defaultValues,
        images: check.images,
        verdict: check.verdict,
        findings: findingRecords(check),
        checkedAt: options.now ?? new Date(),
        dataBearing: metadata.dataBearing,
        covers: metadata.covers,
        customResourceKinds: metadata.customResourceKinds,
      })
      .onConflictDoNothing()
      .returning(summaryColumns);
    if (!inserted) {
      // Another replica imported the same version meanwhile.
      const [existing] = await tx
        .select(summaryColumns)
        .from(catalogueVersions)
        .where(and(eq(catalogueVersions.itemId, item.id), eq(catalogueVersions.version, metadata.version)));
      if (existing && existing.digest === archive.digest) return { item, version: existing, created: false };
      throw catalogueProblem.versionExists(metadata.name, metadata.version);
    }
    return {
      item: {
        ...item,
        title: metadata.title,
        titleFr: metadata.titleFr,
        description: metadata.description,
        descriptionFr: metadata.descriptionFr,
      },
      version: inserted,
      created: true,
    };
  });
}

/** The findings kept with a version, with why it was not evaluated as one more blocking entry (never a silent pass). */
function findingRecords(check: ChartCheckResult): CatalogueFindingRecord[] {
  return [
    ...check.findings,
    ...check.unevaluated.map((u) => ({
      ruleId: 'catalogue.not-evaluated',
      severity: 'high',
      blocking: true,
      requirements: [],
      location: { file: u.file ?? u.item },
      message: u.message,
      text: { fr: unevaluatedText(u, 'fr'), en: unevaluatedText(u, 'en') },
      fingerprint: `unevaluated:${u.code}`,
    })),
  ] as unknown as CatalogueFindingRecord[];
}

export interface CatalogueEntry extends CatalogueItemRow {
  versions: CatalogueVersionSummary[];
  /** Operators: the version the host runs on each cluster. */
  installs: { clusterId: string; cluster: string; operatorVersion: string }[];
}

/** Items with their versions (newest first); `publishedOnly` for teams, everything for administrators. */
export async function listCatalogue(
  db: Db,
  options: { publishedOnly: boolean; itemId?: string },
): Promise<CatalogueEntry[]> {
  const items = await db
    .select()
    .from(catalogueItems)
    .where(options.itemId ? eq(catalogueItems.id, options.itemId) : undefined)
    .orderBy(catalogueItems.slug);
  if (items.length === 0) return [];
  const ids = items.map((i) => i.id);
  const versions = await db
    .select(summaryColumns)
    .from(catalogueVersions)
    .where(
      and(
        inArray(catalogueVersions.itemId, ids),
        options.publishedOnly ? isNotNull(catalogueVersions.publishedAt) : undefined,
      ),
    );
  const installs = await db
    .select({
      itemId: catalogueOperatorInstalls.itemId,
      clusterId: catalogueOperatorInstalls.clusterId,
      cluster: clusters.slug,
      operatorVersion: catalogueOperatorInstalls.operatorVersion,
    })
    .from(catalogueOperatorInstalls)
    .innerJoin(clusters, eq(clusters.id, catalogueOperatorInstalls.clusterId))
    .where(inArray(catalogueOperatorInstalls.itemId, ids));
  return items
    .map((item) => ({
      ...item,
      versions: newestFirst(versions.filter((v) => v.itemId === item.id)),
      installs: installs.filter((i) => i.itemId === item.id).map(({ itemId: _i, ...rest }) => rest),
    }))
    .filter((entry) => !options.publishedOnly || entry.versions.length > 0);
}

/** An item by id or slug. */
export async function findItem(db: Db, idOrSlug: string): Promise<CatalogueItemRow | undefined> {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrSlug);
  const [item] = await db
    .select()
    .from(catalogueItems)
    .where(isUuid ? eq(catalogueItems.id, idOrSlug) : eq(catalogueItems.slug, idOrSlug));
  return item;
}

export interface PublishRequest {
  itemId: string;
  version: string;
  /** Who publishes (a person's id; null for the bootstrap token). */
  publishedBy: string | null;
  /** Required when the version has blocking findings or could not be evaluated. */
  exception?: { justification: string; expiresAt: Date };
  now: Date;
}

export const exceptionLimits = { minJustification: 10, maxJustification: 2000, maxDays: 366 } as const;

/**
 * Publishes a version for teams. A version that fails its checks, or could not be evaluated, is published only with
 * a recorded exception (who, why, until when); the exception is kept with the version and shown.
 */
export async function publishVersion(db: Db, request: PublishRequest): Promise<CatalogueVersionSummary> {
  const item = await findItem(db, request.itemId);
  if (!item) throw catalogueProblem.notFound(request.itemId);
  const [version] = await db
    .select(summaryColumns)
    .from(catalogueVersions)
    .where(and(eq(catalogueVersions.itemId, item.id), eq(catalogueVersions.version, request.version)));
  if (!version) throw catalogueProblem.notFound(`${item.slug} ${request.version}`);
  const blocking = version.findings.filter((f) => f.blocking === true).length;
  let exception: CatalogueException | null = null;
  if (version.verdict !== 'pass') {
    if (!request.exception)
      throw catalogueProblem.blockingFindings(item.slug, version.version, version.verdict, blocking);
    const { justification, expiresAt } = request.exception;
    if (justification.trim().length < exceptionLimits.minJustification) {
      throw catalogueProblem.exceptionInvalid(
        `L'exception doit dire pourquoi (au moins ${exceptionLimits.minJustification} caractères).`,
        `The exception must say why (at least ${exceptionLimits.minJustification} characters).`,
      );
    }
    if (
      expiresAt.getTime() <= request.now.getTime() ||
      expiresAt.getTime() > request.now.getTime() + exceptionLimits.maxDays * 86_400_000
    ) {
      throw catalogueProblem.exceptionInvalid(
        `L'exception doit prendre fin dans le futur, dans au plus ${exceptionLimits.maxDays} jours.`,
        `The exception must end in the future, within ${exceptionLimits.maxDays} days.`,
      );
    }
    exception = { decidedBy: request.publishedBy ?? 'bootstrap-admin', decidedAt: request.now.toISOString(), justification: justification.trim(), expiresAt: expiresAt.toISOString() };
  }
  const [updated] = await db
    .update(catalogueVersions)
    .set({
      publishedAt: version.publishedAt ?? request.now,
      publishedBy: version.publishedBy ?? request.publishedBy,
      exception: exception ?? version.exception,
    })
    .where(eq(catalogueVersions.id, version.id))
    .returning(summaryColumns);
  return updated!;
}

/** Withdraws a version from teams (instances keep running; new ones cannot pick it). */
export async function unpublishVersion(db: Db, itemId: string, version: string): Promise<void> {
  await db
    .update(catalogueVersions)
    .set({ publishedAt: null, publishedBy: null })
    .where(and(eq(catalogueVersions.itemId, itemId), eq(catalogueVersions.version, version)));
}

/** The packaged chart of a version, published ones only unless asked. */
export async function versionArchive(
  db: Db,
  slug: string,
  version: string,
  options: { publishedOnly: boolean },
): Promise<{ archive: Buffer; digest: string } | undefined> {
  const [row] = await db
    .select({ archive: catalogueVersions.archive, digest: catalogueVersions.digest })
    .from(catalogueVersions)
    .innerJoin(catalogueItems, eq(catalogueItems.id, catalogueVersions.itemId))
    .where(
      and(
        eq(catalogueItems.slug, slug),
        eq(catalogueVersions.version, version),
        options.publishedOnly ? isNotNull(catalogueVersions.publishedAt) : undefined,
      ),
    );
  return row?.archive ? { archive: Buffer.from(row.archive), digest: row.digest } : undefined;
}

/** Declares the operator versions the host runs per cluster (replaces the item's list). */
export async function setOperatorInstalls(
  db: Db,
  itemId: string,
  installs: { clusterId: string; operatorVersion: string }[],
): Promise<void> {
  const item = await findItem(db, itemId);
  if (!item) throw catalogueProblem.notFound(itemId);
  if (item.kind !== 'operator') throw catalogueProblem.notOperator(item.slug);
  await db.transaction(async (tx) => {
    await tx.delete(catalogueOperatorInstalls).where(eq(catalogueOperatorInstalls.itemId, item.id));
    if (installs.length > 0)
      await tx
        .insert(catalogueOperatorInstalls)
        .values(
          installs.map((i) => ({
            itemId: item.id,
            clusterId: i.clusterId,
            operatorVersion: i.operatorVersion,
            updatedAt: sql`now()`,
          })),
        );
  });
}
