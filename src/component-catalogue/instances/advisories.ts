// Which running service instances an advisory hits: the images of each instance (as rendered with its own values,
// which may pin another tag than the catalogue's defaults) looked up in the platform's advisory store, as the
// catalogue does for published versions (records filed under the ecosystem `OCI`, package = image repository,
// version = the tag's leading numbers). Teams see them on their services; administrators get the full list.
import { matchingEntries } from '../../checks/advisories/affected.ts';
import { openAdvisoryDatabase, type AdvisoryDatabase } from '../../checks/advisories/store.ts';
import { parseImageReference } from '../../checks/containers/image-reference.ts';
import type { Services } from '../../system/services.ts';

export interface ServiceAdvisory {
  id: string;
  summary: string;
  severity: string | null;
  image: string;
}

const imageEcosystem = 'OCI';
const tagVersion = (tag: string): string => /^v?(\d+(?:\.\d+){0,3})/.exec(tag)?.[1] ?? tag;

function packageNames(registry: string | undefined, repository: string): string[] {
  const names = new Set<string>();
  if (registry !== undefined) names.add(`${registry}/${repository}`);
  names.add(repository);
  if (repository.startsWith('library/')) names.add(repository.slice('library/'.length));
  else if (!repository.includes('/')) names.add(`library/${repository}`);
  return [...names];
}

/** Advisories that hit one of `images`. */
export function imageAdvisories(images: readonly string[], database: AdvisoryDatabase): ServiceAdvisory[] {
  const found = new Map<string, ServiceAdvisory>();
  for (const image of images) {
    const reference = parseImageReference(image);
    if (!reference || reference.tag === undefined) continue;
    const version = tagVersion(reference.tag);
    for (const name of packageNames(reference.registry, reference.repository)) {
      for (const record of database.lookup(imageEcosystem, name)) {
        if (record.withdrawn || found.has(`${record.id} ${image}`)) continue;
        const exact = (record.affected ?? []).some((a) => a.versions?.includes(reference.tag!));
        if (!exact && matchingEntries(record, imageEcosystem, name, version).length === 0) continue;
        const label = (record.database_specific as { severity?: unknown } | undefined)?.severity;
        found.set(`${record.id} ${image}`, { id: record.id, summary: (record.summary ?? '').slice(0, 300), severity: typeof label === 'string' ? label.toLowerCase() : (record.severity?.[0]?.score ?? null), image });
      }
    }
  }
  return [...found.values()];
}

/** Service id → the advisories hitting its images (services without any are absent). */
export async function servicesAdvisories(services: Pick<Services, 'config'>, records: readonly { service: { id: string; images: readonly string[] } }[]): Promise<Map<string, ServiceAdvisory[]>> {
  const result = new Map<string, ServiceAdvisory[]>();
  if (!records.some((r) => r.service.images.length > 0)) return result;
  const database = await openAdvisoryDatabase(services.config.dataDir);
  try {
    if (!database.covers(imageEcosystem)) return result;
    for (const record of records) {
      const hits = imageAdvisories(record.service.images, database);
      if (hits.length) result.set(record.service.id, hits);
    }
  } finally {
    database.close();
  }
  return result;
}
