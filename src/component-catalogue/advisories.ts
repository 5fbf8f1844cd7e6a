// Which published catalogue versions an advisory hits, through the images their default manifests run. Images have
// no package ecosystem of their own in OSV, so the catalogue reads records filed under the ecosystem `OCI`, whose
// package name is the image repository (`docker.io/bitnami/redis`, or without the default registry `bitnami/redis`;
// `library/` optional for official images) and whose versions are the image's tag, read as a version
// (`7.4.2-alpine` → `7.4.2`). Administrators import such records like any other (`dso advisories import`).
import { matchingEntries } from '../checks/advisories/affected.ts';
import type { AdvisoryDatabase } from '../checks/advisories/store.ts';
import type { OsvRecord } from '../checks/advisories/osv.ts';
import { parseImageReference } from '../checks/containers/image-reference.ts';

export const imageEcosystem = 'OCI';

export interface AdvisoryHit {
  itemId: string;
  slug: string;
  version: string;
  image: string;
  advisories: { id: string; summary: string; severity: string | null; aliases: string[] }[];
}

/** Names an image repository may be filed under, most specific first. */
export function imagePackageNames(registry: string | undefined, repository: string): string[] {
  const names = new Set<string>();
  if (registry !== undefined) names.add(`${registry}/${repository}`);
  const withoutDefault = repository;
  names.add(withoutDefault);
  if (withoutDefault.startsWith('library/')) names.add(withoutDefault.slice('library/'.length));
  else if (!withoutDefault.includes('/')) names.add(`library/${withoutDefault}`);
  return [...names];
}

/** The version an image tag stands for: its leading dotted numbers (`1.27.3-alpine` → `1.27.3`), else the tag. */
export const tagVersion = (tag: string): string => /^v?(\d+(?:\.\d+){0,3})/.exec(tag)?.[1] ?? tag;

const severityOf = (record: OsvRecord): string | null => {
  const label = (record.database_specific as { severity?: unknown } | undefined)?.severity;
  return typeof label === 'string' ? label.toLowerCase() : (record.severity?.[0]?.score ?? null);
};

/** Versions whose images an advisory of `database` hits. */
export function advisoryHits(versions: readonly { itemId: string; slug: string; version: string; images: readonly string[] }[], database: AdvisoryDatabase): AdvisoryHit[] {
  const hits: AdvisoryHit[] = [];
  for (const v of versions) {
    for (const image of v.images) {
      const reference = parseImageReference(image);
      if (!reference || reference.tag === undefined) continue;
      const version = tagVersion(reference.tag);
      const found = new Map<string, AdvisoryHit['advisories'][number]>();
      for (const name of imagePackageNames(reference.registry, reference.repository)) {
        for (const record of database.lookup(imageEcosystem, name)) {
          if (record.withdrawn || found.has(record.id)) continue;
          const exact = (record.affected ?? []).some((a) => a.versions?.includes(reference.tag!));
          if (exact || matchingEntries(record, imageEcosystem, name, version).length > 0) {
            found.set(record.id, { id: record.id, summary: (record.summary ?? '').slice(0, 300), severity: severityOf(record), aliases: record.aliases ?? [] });
          }
        }
      }
      if (found.size > 0) hits.push({ itemId: v.itemId, slug: v.slug, version: v.version, image, advisories: [...found.values()] });
    }
  }
  return hits;
}
