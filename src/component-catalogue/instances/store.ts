// Service instances as stored: reading them with their catalogue item and version, what the other services of an
// environment already take from its quota, the newest published version an instance could move to, and the upgrade
// proposals recorded when an administrator publishes a newer version.
import { and, eq, getTableColumns, inArray, isNull, ne } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import semver from 'semver';
import type { Db } from '../../db/client.ts';
import { catalogueItems, catalogueVersions, environmentServices } from '../../db/schema.ts';
import { addFootprints, footprintOf, noFootprint, type Footprint } from './footprint.ts';

export type ServiceRow = typeof environmentServices.$inferSelect;
export type ItemRow = typeof catalogueItems.$inferSelect;
export type VersionRow = typeof catalogueVersions.$inferSelect;

export interface ServiceRecord {
  service: ServiceRow;
  item: ItemRow;
  version: Omit<VersionRow, 'archive'>;
}

const { archive: _archive, ...versionColumns } = getTableColumns(catalogueVersions);

/** Services of some environments (or one service), each with its item and version (archive left out). */
export async function loadServices(
  db: Db,
  where: {
    environmentIds?: string[];
    serviceId?: string;
    projectIds?: string[];
    versionIds?: string[];
    includeRemoved?: boolean;
  },
): Promise<ServiceRecord[]> {
  const conditions = [
    where.environmentIds ? inArray(environmentServices.environmentId, where.environmentIds) : undefined,
    where.projectIds ? inArray(environmentServices.projectId, where.projectIds) : undefined,
    where.versionIds ? inArray(environmentServices.versionId, where.versionIds) : undefined,
    where.serviceId ? eq(environmentServices.id, where.serviceId) : undefined,
    where.includeRemoved ? undefined : isNull(environmentServices.removedAt),
  ];
  if (where.environmentIds?.length === 0 || where.projectIds?.length === 0 || where.versionIds?.length === 0) return [];
  const rows = await db
    .select({ service: environmentServices, item: catalogueItems, version: versionColumns })
    .from(environmentServices)
    .innerJoin(catalogueItems, eq(catalogueItems.id, environmentServices.itemId))
    .innerJoin(catalogueVersions, eq(catalogueVersions.id, environmentServices.versionId))
    .where(and(...conditions))
    .orderBy(environmentServices.name, environmentServices.createdAt);
  return rows as ServiceRecord[];
}

/** What the environment's other (present) services take from its quota. */
export async function othersFootprint(db: Db, environmentId: string, exceptServiceId?: string): Promise<Footprint> {
  const rows = await db
    .select({ manifests: environmentServices.manifests })
    .from(environmentServices)
    .where(
      and(
        eq(environmentServices.environmentId, environmentId),
        isNull(environmentServices.removedAt),
        exceptServiceId ? ne(environmentServices.id, exceptServiceId) : undefined,
      ),
    );
  return rows.length ? addFootprints(...rows.map((r) => footprintOf(r.manifests))) : noFootprint;
}

/** A version of an item by its exact version string, archive included. */
export async function findVersion(db: Db, itemId: string, version: string): Promise<VersionRow | undefined> {
  const [row] = await db
    .select()
    .from(catalogueVersions)
    .where(and(eq(catalogueVersions.itemId, itemId), eq(catalogueVersions.version, version)))
    .limit(1);
  return row;
}

/** The item by slug or id. */
export async function findCatalogueItem(db: Db, idOrSlug: string): Promise<ItemRow | undefined> {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrSlug);
  const [row] = await db
    .select()
    .from(catalogueItems)
    .where(uuid ? eq(catalogueItems.id, idOrSlug) : eq(catalogueItems.slug, idOrSlug))
    .limit(1);
  return row;
}

/** Newest published version of each item (by semver), for upgrade proposals. */
export async function newestPublished(db: Db, itemIds: string[]): Promise<Map<string, string>> {
  const newest = new Map<string, string>();
  if (itemIds.length === 0) return newest;
  const rows = await db
    .select({
      itemId: catalogueVersions.itemId,
      version: catalogueVersions.version,
      publishedAt: catalogueVersions.publishedAt,
    })
    .from(catalogueVersions)
    .where(inArray(catalogueVersions.itemId, [...new Set(itemIds)]));
  for (const row of rows) {
    if (!row.publishedAt || !semver.valid(row.version)) continue;
    const current = newest.get(row.itemId);
    if (!current || semver.gt(row.version, current)) newest.set(row.itemId, row.version);
  }
  return newest;
}

/** The newer published version an instance could move to, or null. */
export function upgradeFor(current: string, newest: string | undefined): string | null {
  return newest && semver.valid(current) && semver.gt(newest, current) ? newest : null;
}

/** Where a removed data-bearing service's backups stay: the object-storage destinations its manifests name. */
export function backupDestinations(manifests: string): string[] {
  return [...new Set([...manifests.matchAll(/destinationPath:\s*["']?([^\s"']+)/g)].map((m) => m[1]!))].sort();
}

export interface RecordedProposal {
  serviceId: string;
  projectId: string;
  environmentId: string;
  name: string;
  from: string;
  to: string;
}

/**
 * On publishing `published`, records it as the upgrade proposal of every present instance of its item that runs an
 * older version and has no proposal as new (idempotent: publishing again records nothing). Level-triggered on the
 * stored versions, so a proposal is never lost when publishes race; the caller audits what it returns.
 */
export async function recordUpgradeProposals(
  db: Db,
  published: { id: string; itemId: string; version: string },
  now: Date,
): Promise<RecordedProposal[]> {
  if (!semver.valid(published.version)) return [];
  const proposed = alias(catalogueVersions, 'proposed');
  const rows = await db
    .select({
      id: environmentServices.id,
      projectId: environmentServices.projectId,
      environmentId: environmentServices.environmentId,
      name: environmentServices.name,
      current: catalogueVersions.version,
      proposedVersion: proposed.version,
    })
    .from(environmentServices)
    .innerJoin(catalogueVersions, eq(catalogueVersions.id, environmentServices.versionId))
    .leftJoin(proposed, eq(proposed.id, environmentServices.proposedVersionId))
    .where(and(eq(environmentServices.itemId, published.itemId), isNull(environmentServices.removedAt)));
  const older = (version: string | null) =>
    version === null || !semver.valid(version) || semver.lt(version, published.version);
  const due = rows.filter(
    (r) => semver.valid(r.current) && semver.lt(r.current, published.version) && older(r.proposedVersion),
  );
  if (due.length === 0) return [];
  await db
    .update(environmentServices)
    .set({ proposedVersionId: published.id, proposedAt: now })
    .where(
      inArray(
        environmentServices.id,
        due.map((r) => r.id),
      ),
    );
  return due.map((r) => ({
    serviceId: r.id,
    projectId: r.projectId,
    environmentId: r.environmentId,
    name: r.name,
    from: r.current,
    to: published.version,
  }));
}

/** The recorded proposals still worth showing: the proposed version is published and newer than the service's. */
export async function pendingProposals(
  db: Db,
  records: ServiceRecord[],
): Promise<Map<string, { version: string; proposedAt: string }>> {
  const shown = new Map<string, { version: string; proposedAt: string }>();
  const ids = [...new Set(records.map((r) => r.service.proposedVersionId).filter((id): id is string => id !== null))];
  if (ids.length === 0) return shown;
  const versions = new Map(
    (
      await db
        .select({
          id: catalogueVersions.id,
          version: catalogueVersions.version,
          publishedAt: catalogueVersions.publishedAt,
        })
        .from(catalogueVersions)
        .where(inArray(catalogueVersions.id, ids))
    ).map((v) => [v.id, v]),
  );
  for (const r of records) {
    const v = r.service.proposedVersionId ? versions.get(r.service.proposedVersionId) : undefined;
    if (!v?.publishedAt || r.service.removedAt || !r.service.proposedAt || !upgradeFor(r.version.version, v.version))
      continue;
    shown.set(r.service.id, { version: v.version, proposedAt: r.service.proposedAt.toISOString() });
  }
  return shown;
}

/** The audit entry of a recorded proposal, in its project's log (who published is the entry's actor). */
export function upgradeProposedAudit(p: RecordedProposal) {
  return { action: 'service.upgrade-proposed', targetType: 'environment-service', targetId: p.serviceId, projectId: p.projectId, before: { version: p.from }, after: { version: p.to, name: p.name } };
}
