// Which running service instances an advisory hits: the images of each instance (as rendered with its own values,
// which may pin another tag than the catalogue's defaults) matched by the catalogue's own lookup (`advisoryHits`:
// records filed under `OCI` by image repository, or Bitnami's for Bitnami images). Teams see them on their
// services; administrators get the full list.
import { openAdvisoryDatabase } from '../../checks/advisories/store.ts';
import type { Services } from '../../system/services.ts';
import { advisoryHits, bitnamiEcosystem, imageEcosystem } from '../advisories.ts';

export interface ServiceAdvisory {
  id: string;
  summary: string;
  severity: string | null;
  image: string;
}

/** Service id → the advisories hitting its images (services without any are absent). */
export async function servicesAdvisories(services: Pick<Services, 'config'>, records: readonly { service: { id: string; images: readonly string[] } }[]): Promise<Map<string, ServiceAdvisory[]>> {
  const result = new Map<string, ServiceAdvisory[]>();
  if (!records.some((r) => r.service.images.length > 0)) return result;
  const database = await openAdvisoryDatabase(services.config.dataDir);
  try {
    if (!database.covers(imageEcosystem) && !database.covers(bitnamiEcosystem)) return result;
    // One "version" per service: advisoryHits reports by item and version, here the service id stands for both.
    const hits = advisoryHits(records.map((r) => ({ itemId: r.service.id, slug: r.service.id, version: '', images: r.service.images })), database);
    for (const hit of hits) {
      const list = result.get(hit.itemId) ?? [];
      for (const advisory of hit.advisories)
        list.push({ id: advisory.id, summary: advisory.summary, severity: advisory.severity, image: hit.image });
      result.set(hit.itemId, list);
    }
  } finally {
    database.close();
  }
  return result;
}
