// The Helm repository the platform serves (index.yaml + archives) for ArgoCD and helm: published versions only, each
// with the sha256 of the exact bytes served. Archive URLs are relative to the repository, so the index is the same
// whatever address the platform is reached at.
import { and, eq, isNotNull } from 'drizzle-orm';
import { stringify } from 'yaml';
import type { Db } from '../db/client.ts';
import { catalogueItems, catalogueVersions } from '../db/schema.ts';
import { newestFirst } from './semver-order.ts';

export const archiveFileName = (slug: string, version: string): string => `${slug}-${version}.tgz`;

/** `charts/<name>-<version>.tgz` → name and version (the name may hold dashes; the version starts with a digit). */
export function parseArchiveFileName(file: string): { slug: string; version: string } | undefined {
  const match = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)-(\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?)\.tgz$/.exec(file);
  return match ? { slug: match[1]!, version: match[3]! } : undefined;
}

export async function helmRepositoryIndex(db: Db, now: Date): Promise<string> {
  const rows = await db
    .select({
      slug: catalogueItems.slug,
      description: catalogueItems.description,
      version: catalogueVersions.version,
      appVersion: catalogueVersions.appVersion,
      digest: catalogueVersions.digest,
      publishedAt: catalogueVersions.publishedAt,
      kind: catalogueItems.kind,
    })
    .from(catalogueVersions)
    .innerJoin(catalogueItems, eq(catalogueItems.id, catalogueVersions.itemId))
    .where(and(isNotNull(catalogueVersions.publishedAt), isNotNull(catalogueVersions.archive)));
  const entries: Record<string, unknown[]> = {};
  for (const slug of [...new Set(rows.map((r) => r.slug))].sort()) {
    entries[slug] = newestFirst(rows.filter((r) => r.slug === slug)).map((r) => ({
      apiVersion: 'v2',
      name: r.slug,
      version: r.version,
      ...(r.appVersion ? { appVersion: r.appVersion } : {}),
      ...(r.description ? { description: r.description } : {}),
      type: 'application',
      created: r.publishedAt!.toISOString(),
      digest: r.digest.replace(/^sha256:/, ''),
      urls: [`charts/${archiveFileName(r.slug, r.version)}`],
    }));
  }
  return stringify({ apiVersion: 'v1', entries, generated: now.toISOString() });
}
