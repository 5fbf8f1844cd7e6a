// Which published catalogue versions an advisory hits, through the images their default manifests run.
//
// OSV has no ecosystem that names container images by repository and tag, so two sources are read:
// - `Bitnami` (a real OSV ecosystem, on osv.dev, synced like the others when listed in DSO_ADVISORIES_ECOSYSTEMS):
//   its packages are Bitnami's application names and its versions the application versions, which Bitnami's images
//   carry as their tag (`docker.io/bitnami/redis:7.4.2-debian-12-r0` → package `redis`, version `7.4.2`). Only images
//   under a `bitnami/` repository are matched this way: an advisory for Bitnami's packaging says nothing certain of
//   another vendor's image of the same software.
// - `OCI`, DSO π's own convention (not an osv.dev ecosystem): records in OSV format that a platform writes for the
//   images it cares about (from a CERT bulletin, a vendor notice…), package name = the image repository
//   (`docker.io/library/redis`, or `library/redis`, or `redis` for official images), versions = the tag read as a
//   version (`7.4.2-alpine` → `7.4.2`) or the exact tags in `versions`. Imported with `dso advisories import`, or
//   synced from an internal mirror that lists `OCI` in DSO_ADVISORIES_ECOSYSTEMS.
// Vulnerabilities of the operating-system packages inside an image (what an image SBOM would show) are not covered.
import { matchingEntries } from '../checks/advisories/affected.ts';
import type { AdvisoryDatabase } from '../checks/advisories/store.ts';
import type { OsvRecord } from '../checks/advisories/osv.ts';
import { parseImageReference } from '../checks/containers/image-reference.ts';

export const imageEcosystem = 'OCI';
export const bitnamiEcosystem = 'Bitnami';

export interface AdvisoryHit {
  itemId: string;
  slug: string;
  version: string;
  image: string;
  advisories: { id: string; summary: string; severity: string | null; aliases: string[] }[];
}

/** Names an image repository may be filed under in `OCI`, most specific first. */
export function imagePackageNames(registry: string | undefined, repository: string): string[] {
  const names = new Set<string>();
  if (registry !== undefined) names.add(`${registry}/${repository}`);
  // Official images: the parser drops `library/` (`docker.io/library/redis` → `redis`); records may keep it.
  if (registry === 'docker.io' && !repository.includes('/')) names.add(`docker.io/library/${repository}`);
  names.add(repository);
  if (repository.startsWith('library/')) names.add(repository.slice('library/'.length));
  else if (!repository.includes('/')) names.add(`library/${repository}`);
  return [...names];
}

/** The Bitnami package an image is the packaging of (`bitnami/redis` → `redis`), if it is one of Bitnami's. */
export function bitnamiPackageName(repository: string): string | undefined {
  return /^bitnami\/([a-z0-9][a-z0-9._-]*)$/.exec(repository)?.[1];
}

/** The version an image tag stands for: its leading dotted numbers (`1.27.3-alpine` → `1.27.3`), else the tag. */
export const tagVersion = (tag: string): string => /^v?(\d+(?:\.\d+){0,3})/.exec(tag)?.[1] ?? tag;

const severityOf = (record: OsvRecord): string | null => {
  const label = (record.database_specific as { severity?: unknown } | undefined)?.severity;
  return typeof label === 'string' ? label.toLowerCase() : (record.severity?.[0]?.score ?? null);
};

/** Whether `record` lists this exact tag among the versions of this package (`OCI` records may list tags). */
const listsTag = (record: OsvRecord, ecosystem: string, name: string, tag: string): boolean =>
  (record.affected ?? []).some((a) => a.package?.ecosystem.split(':')[0] === ecosystem && a.package.name.toLowerCase() === name.toLowerCase() && (a.versions ?? []).includes(tag));

/** The advisories of `database` that hit one image (by `OCI` repository name, or `Bitnami` package for Bitnami's). */
export function imageAdvisories(image: string, database: AdvisoryDatabase): AdvisoryHit['advisories'] {
  const reference = parseImageReference(image);
  if (!reference || reference.tag === undefined) return [];
  const tag = reference.tag;
  const version = tagVersion(tag);
  const candidates: { ecosystem: string; name: string }[] = imagePackageNames(
    reference.registry,
    reference.repository,
  ).map((name) => ({ ecosystem: imageEcosystem, name }));
  const bitnami = bitnamiPackageName(reference.repository);
  if (bitnami !== undefined) candidates.push({ ecosystem: bitnamiEcosystem, name: bitnami });
  const found = new Map<string, AdvisoryHit['advisories'][number]>();
  for (const { ecosystem, name } of candidates) {
    for (const record of database.lookup(ecosystem, name)) {
      if (record.withdrawn || found.has(record.id)) continue;
      if (listsTag(record, ecosystem, name, tag) || matchingEntries(record, ecosystem, name, version).length > 0) {
        found.set(record.id, { id: record.id, summary: (record.summary ?? '').slice(0, 300), severity: severityOf(record), aliases: record.aliases ?? [] });
      }
    }
  }
  return [...found.values()];
}

/** Versions whose images an advisory of `database` hits. */
export function advisoryHits(
  versions: readonly { itemId: string; slug: string; version: string; images: readonly string[] }[],
  database: AdvisoryDatabase,
): AdvisoryHit[] {
  const hits: AdvisoryHit[] = [];
  for (const v of versions) {
    for (const image of v.images) {
      const advisories = imageAdvisories(image, database);
      if (advisories.length > 0) hits.push({ itemId: v.itemId, slug: v.slug, version: v.version, image, advisories });
    }
  }
  return hits;
}
